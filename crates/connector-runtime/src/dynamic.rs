//! Dynamic metadata (`x-ms-dynamic-values`, `x-ms-dynamic-list`, `x-ms-dynamic-schema`,
//! `x-ms-dynamic-properties`): reading the choices or the schema out of the response of
//! the operation the definition names.

use serde_json::Value;

use crate::error::{Error, ErrorCode, ErrorSource};

/// One allowed value of a parameter whose values come from another operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Choice {
    /// The value to send (JSON scalars as text, other JSON as JSON text).
    pub value: String,
    /// The display title (the value when the item has none).
    pub title: String,
}

impl Choice {
    /// The choices in a JSON response `body`: the array at `collection` (the body itself
    /// when `None`), each item's `value_path` and `title_path` (the item itself when
    /// `value_path` is `None`). Paths are property names, or `/`- or `.`-separated
    /// property paths.
    pub fn from_body(
        body: &[u8],
        collection: Option<&str>,
        value_path: Option<&str>,
        title_path: Option<&str>,
    ) -> Result<Vec<Choice>, Error> {
        let body: Value = parse(body)?;
        let items = match collection {
            Some(path) => select(&body, path),
            None => Some(&body),
        };
        let items = match items {
            Some(Value::Array(items)) => items.as_slice(),
            Some(Value::Null) | None => &[],
            Some(other) => std::slice::from_ref(other),
        };
        Ok(items
            .iter()
            .filter_map(|item| {
                let value = match value_path {
                    Some(p) => select(item, p)?,
                    None => item,
                };
                let value = text(value);
                let title = title_path
                    .and_then(|p| select(item, p))
                    .map(text)
                    .unwrap_or_else(|| value.clone());
                Some(Choice { value, title })
            })
            .collect())
    }
}

/// The schema (or any value) at `path` in a JSON response `body`; the whole body when
/// `path` is `None`; `Value::Null` when the path is missing.
pub fn schema_from_body(body: &[u8], path: Option<&str>) -> Result<Value, Error> {
    let body: Value = parse(body)?;
    Ok(match path {
        Some(p) => select(&body, p).cloned().unwrap_or(Value::Null),
        None => body,
    })
}

/// The value at `path` in `value`: the property named `path` when there is one, else
/// the `/`- or `.`-separated property path (array indexes allowed).
pub fn select<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path.trim().trim_start_matches('/');
    if path.is_empty() {
        return Some(value);
    }
    if let Some(v) = value.get(path) {
        return Some(v);
    }
    let mut at = value;
    for part in path.split(['/', '.']).filter(|p| !p.is_empty()) {
        at = match at {
            Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            other => other.get(part)?,
        };
    }
    Some(at)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse(body: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorCode::ParsingError,
            format!("dynamic metadata response is not JSON: {e}"),
        )
        .with_source(ErrorSource::Deserialize)
        .with_cause(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_follow_collection_value_and_title_paths() {
        let body = br#"{"data":{"lists":[{"id":1,"meta":{"name":"Inbox"}},{"id":"b"}]}}"#;
        let c = Choice::from_body(body, Some("data/lists"), Some("id"), Some("meta.name")).unwrap();
        assert_eq!(
            c,
            vec![
                Choice {
                    value: "1".into(),
                    title: "Inbox".into()
                },
                Choice {
                    value: "b".into(),
                    title: "b".into()
                },
            ]
        );
        let s = schema_from_body(br#"{"schema":{"type":"object"}}"#, Some("schema")).unwrap();
        assert_eq!(s["type"], "object");
    }
}
