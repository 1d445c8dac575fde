//! Seed 003 operation versioning (`x-ms-api-annotation`, `deprecated`, `x-ms-visibility`),
//! with its defaults.

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::{Lifecycle, Status, Visibility};

/// `x-ms-visibility` (and the misspelled `x-ms-visibilty`), case-insensitive.
pub(crate) fn visibility(ext: &IndexMap<String, Value>) -> Visibility {
    let v = ext
        .get("x-ms-visibility")
        .or_else(|| ext.get("x-ms-visibilty"));
    match v.and_then(Value::as_str).map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("important") => Visibility::Important,
        Some(s) if s.eq_ignore_ascii_case("advanced") => Visibility::Advanced,
        Some(s) if s.eq_ignore_ascii_case("internal") => Visibility::Internal,
        _ => Visibility::Normal,
    }
}

fn status_in(annotation: Option<&Value>) -> Option<Status> {
    let s = annotation?.get("status")?.as_str()?.trim();
    if s.eq_ignore_ascii_case("preview") {
        Some(Status::Preview)
    } else if s.eq_ignore_ascii_case("production") {
        Some(Status::Production)
    } else {
        None
    }
}

/// API-level status: the root's `x-ms-api-annotation`, else `info`'s, else Production.
pub(crate) fn api_status(root: &IndexMap<String, Value>, info: &IndexMap<String, Value>) -> Status {
    status_in(root.get("x-ms-api-annotation"))
        .or_else(|| status_in(info.get("x-ms-api-annotation")))
        .unwrap_or_default()
}

/// An operation's lifecycle with seed 003 defaults. The `Err` string is a warning about
/// an unreadable revision (the default is used).
pub(crate) fn lifecycle(
    ext: &IndexMap<String, Value>,
    deprecated: bool,
    id: &str,
    api: Status,
) -> (Lifecycle, Option<String>) {
    let ann = ext.get("x-ms-api-annotation");
    let mut warning = None;
    let revision = match ann.and_then(|a| a.get("revision")) {
        None | Some(Value::Null) => 1,
        Some(Value::Number(n)) => match n.as_u64().and_then(|r| u32::try_from(r).ok()) {
            Some(r) => r,
            None => {
                warning = Some(format!("revision `{n}` is not a positive integer; using 1"));
                1
            }
        },
        Some(Value::String(s)) if s.trim().is_empty() => 1,
        Some(Value::String(s)) => match s.trim().parse::<u32>() {
            Ok(r) => r,
            Err(_) => {
                warning = Some(format!("revision `{s}` is not a positive integer; using 1"));
                1
            }
        },
        Some(other) => {
            warning = Some(format!(
                "revision `{other}` is not a positive integer; using 1"
            ));
            1
        }
    };
    let family = ann
        .and_then(|a| a.get("family"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(id)
        .to_owned();
    let expires = ann
        .and_then(|a| a.get("expires"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    (
        Lifecycle {
            status: status_in(ann).unwrap_or(api),
            family,
            revision,
            expires,
            deprecated,
            visibility: visibility(ext),
        },
        warning,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ext(v: Value) -> IndexMap<String, Value> {
        v.as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    #[test]
    fn defaults_follow_seed_003() {
        let (l, w) = lifecycle(&IndexMap::new(), false, "GetItems", Status::Production);
        assert!(w.is_none());
        assert_eq!(l.family, "GetItems");
        assert_eq!(l.revision, 1);
        assert_eq!(l.status, Status::Production);
        assert_eq!(l.visibility, Visibility::Normal);
        let (l, _) = lifecycle(&IndexMap::new(), true, "X", Status::Preview);
        assert_eq!(l.status, Status::Preview);
        assert!(l.deprecated);
    }

    #[test]
    fn revision_as_string_and_own_status() {
        let e = ext(
            json!({"x-ms-api-annotation": {"family": "F", "revision": "2", "status": "Production"}, "x-ms-visibility": "ADVANCED"}),
        );
        let (l, _) = lifecycle(&e, false, "X", Status::Preview);
        assert_eq!(
            (l.family.as_str(), l.revision, l.status),
            ("F", 2, Status::Production)
        );
        assert_eq!(l.visibility, Visibility::Advanced);
        let e = ext(json!({"x-ms-api-annotation": {"revision": "two"}}));
        let (l, w) = lifecycle(&e, false, "X", Status::Production);
        assert_eq!(l.revision, 1);
        assert!(w.is_some());
    }
}
