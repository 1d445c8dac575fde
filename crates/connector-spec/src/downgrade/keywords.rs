//! JSON Schema keywords the OpenAPI 3.0 reader (`openapiv3`) has no field for, so it
//! would drop them without a word. Each is either represented (rewritten into a form
//! the reader keeps) or recorded, raw, under an internal marker the normalizer turns
//! into [`crate::model::Schema::validation`] / [`crate::model::Schema::media_type`]:
//!
//! | written | read as |
//! |---|---|
//! | `patternProperties` (one value shape) | `additionalProperties` of that shape (a map) |
//! | `patternProperties` (several shapes) | `additionalProperties: {}` + a degraded warning |
//! | `unevaluatedProperties: S` | `additionalProperties: S` when that is absent |
//! | `then` / `else` / `dependentSchemas` / `dependencies` adding `properties` | those properties, optional |
//! | `contentEncoding: base64` / `base64url` | `format: byte` |
//! | `contentMediaType` of a binary type on a string | `format: binary` |
//! | `$dynamicRef` / `$recursiveRef` | any value + a degraded warning |
//!
//! Validation-only keywords (`if`, `not`, `contains`, `propertyNames`,
//! `dependentRequired`, ...) never change the Rust type: they are recorded, not warned.

use serde_json::{Map, Value};

use super::Walk;
use crate::pointer::escape;

/// Internal marker: the validation-only keywords of a schema, raw.
pub(crate) const X_VALIDATION: &str = "x-cg-validation";
/// Internal marker: the schema's `contentMediaType`.
pub(crate) const X_MEDIA_TYPE: &str = "x-cg-media-type";

/// Keywords recorded as validation metadata (moved under [`X_VALIDATION`]).
const RECORDED: [&str; 23] = [
    "if",
    "then",
    "else",
    "not",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "unevaluatedItems",
    "unevaluatedProperties",
    "patternProperties",
    "contentEncoding",
    "contentSchema",
    "$comment",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$vocabulary",
];

/// Keywords of a conditional sub-schema whose shape is not merged into the parent.
const UNMERGED_SHAPE: [&str; 6] = [
    "$ref",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "patternProperties",
];

/// Whether `m` holds a key [`Walk::json_schema_keywords`] acts on: one of [`RECORDED`],
/// `contentMediaType`, `$dynamicRef` or `$recursiveRef`.
///
/// This runs on every object of the document, and most hold a few keys and none of
/// these: a small object's keys are compared with the list (no hashing) instead of
/// looking each of the 26 names up in it.
fn has_json_schema_keyword(m: &Map<String, Value>) -> bool {
    let named = |k: &str| {
        RECORDED.contains(&k) || matches!(k, "contentMediaType" | "$dynamicRef" | "$recursiveRef")
    };
    if m.len() <= RECORDED.len() {
        m.keys().any(|k| named(k))
    } else {
        RECORDED
            .iter()
            .chain(&["contentMediaType", "$dynamicRef", "$recursiveRef"])
            .any(|k| m.contains_key(*k))
    }
}

impl Walk<'_, '_> {
    /// The rewrites and records of the keywords in the module docs, on one object that
    /// may be a schema.
    pub(super) fn json_schema_keywords(&mut self, m: &mut Map<String, Value>) {
        if !has_json_schema_keyword(m) {
            return;
        }
        self.content(m);
        self.pattern_properties(m);
        if !m.contains_key("additionalProperties")
            && let Some(s @ Value::Object(_)) = m.get("unevaluatedProperties")
        {
            let s = s.clone();
            m.insert("additionalProperties".into(), s);
        }
        self.conditional_properties(m);
        for key in ["$dynamicRef", "$recursiveRef"] {
            if m.contains_key(key) {
                self.at(&[key], |w| {
                    w.degraded(&format!(
                        "`{key}` is not followed; read as any value (its target is recorded)"
                    ));
                });
            }
        }
        let mut recorded = match m.shift_remove(X_VALIDATION) {
            Some(Value::Object(r)) => r,
            _ => Map::new(),
        };
        for key in RECORDED.iter().chain(&["$dynamicRef", "$recursiveRef"]) {
            if let Some(v) = m.shift_remove(*key) {
                recorded.insert((*key).to_owned(), v);
            }
        }
        if !recorded.is_empty() {
            m.insert(X_VALIDATION.into(), Value::Object(recorded));
        }
    }

    /// `$recursiveRef: "#"` / `$dynamicRef: "#"` inside a named schema: the schema
    /// itself (a named schema is its own schema resource), as a plain `$ref`.
    pub(super) fn recursive_ref(&mut self, m: &mut Map<String, Value>) {
        let [components, schemas, name, ..] = self.path.as_slice() else {
            return;
        };
        if components != "components" || schemas != "schemas" || m.contains_key("$ref") {
            return;
        }
        for key in ["$recursiveRef", "$dynamicRef"] {
            if m.get(key).and_then(Value::as_str) == Some("#") {
                let target = format!("#/components/schemas/{}", escape(name));
                m.shift_remove(key);
                m.insert("$ref".into(), Value::String(target));
                return;
            }
        }
    }

    /// `contentEncoding` and `contentMediaType`: the bytes types they imply.
    fn content(&mut self, m: &mut Map<String, Value>) {
        let string = m.get("type").and_then(Value::as_str) == Some("string");
        let base64 = m
            .get("contentEncoding")
            .and_then(Value::as_str)
            .is_some_and(|e| {
                e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url")
            });
        if base64 && !m.contains_key("format") {
            m.insert("format".into(), Value::String("byte".into()));
        }
        if let Some(Value::String(media)) = m.shift_remove("contentMediaType") {
            if string
                && !m.contains_key("format")
                && !m.contains_key("contentEncoding")
                && is_binary_media_type(&media)
            {
                m.insert("format".into(), Value::String("binary".into()));
            }
            m.insert(X_MEDIA_TYPE.into(), Value::String(media));
        }
    }

    /// `patternProperties`: the value shape of the names they match, as
    /// `additionalProperties` (a map, or the extra properties of a struct).
    fn pattern_properties(&mut self, m: &mut Map<String, Value>) {
        let Some(Value::Object(patterns)) = m.get("patternProperties") else {
            return;
        };
        let mut shapes: Vec<&Value> = Vec::new();
        for s in patterns.values() {
            if !shapes.contains(&s) {
                shapes.push(s);
            }
        }
        let shape = match shapes.as_slice() {
            [] => return,
            [one] => (*one).clone(),
            many => {
                let n = many.len();
                self.at(&["patternProperties"], |w| {
                    w.degraded(&format!(
                        "patternProperties with {n} different value shapes; the matching properties are read as any value"
                    ));
                });
                Value::Object(Map::new())
            }
        };
        match m.get("additionalProperties") {
            None | Some(Value::Bool(false)) => {
                m.insert("additionalProperties".into(), shape);
            }
            Some(Value::Bool(true)) => {}
            Some(Value::Object(o)) if o.is_empty() => {}
            Some(other) if *other == shape => {}
            Some(_) => {
                self.at(&["patternProperties"], |w| {
                    w.degraded(
                        "patternProperties next to an additionalProperties of another shape; the matching properties are read as any value",
                    );
                });
                m.insert("additionalProperties".into(), Value::Object(Map::new()));
            }
        }
    }

    /// `then`, `else`, `dependentSchemas` and schema-valued `dependencies` may add
    /// properties: each one the parent does not list becomes an optional property.
    fn conditional_properties(&mut self, m: &mut Map<String, Value>) {
        let object_like =
            m.get("type").and_then(Value::as_str) == Some("object") || m.contains_key("properties");
        let mut subs: Vec<(Vec<String>, Map<String, Value>)> = Vec::new();
        for key in ["then", "else"] {
            if let Some(Value::Object(s)) = m.get(key) {
                subs.push((vec![key.to_owned()], s.clone()));
            }
        }
        for key in ["dependentSchemas", "dependencies"] {
            if let Some(Value::Object(d)) = m.get(key) {
                for (name, s) in d {
                    if let Value::Object(s) = s {
                        subs.push((vec![key.to_owned(), name.clone()], s.clone()));
                    }
                }
            }
        }
        for (at, sub) in subs {
            if let Some(k) = UNMERGED_SHAPE.iter().find(|k| sub.contains_key(**k)) {
                self.at(&at, |w| {
                    w.degraded(&format!(
                        "a conditional sub-schema with `{k}`; only its `properties` are added to the type"
                    ));
                });
            }
            let Some(Value::Object(props)) = sub.get("properties") else {
                continue;
            };
            if !object_like {
                if !props.is_empty() {
                    self.at(&at, |w| {
                        w.degraded("conditional properties on a schema that is not an object; not added to the type");
                    });
                }
                continue;
            }
            let Value::Object(own) = m
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()))
            else {
                continue;
            };
            for (name, s) in props {
                if !own.contains_key(name) {
                    own.insert(name.clone(), s.clone());
                }
            }
        }
    }

    /// Runs `f` with `tokens` (unescaped pointer tokens) on the path.
    fn at<S: AsRef<str>>(&mut self, tokens: &[S], f: impl FnOnce(&mut Self)) {
        let n = self.path.len();
        self.path
            .extend(tokens.iter().map(|t| t.as_ref().to_owned()));
        f(self);
        self.path.truncate(n);
    }
}

/// A media type whose content is not text: read as raw bytes.
pub(crate) fn is_binary_media_type(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let textual = m.starts_with("text/")
        || m.ends_with("+json")
        || m.ends_with("+xml")
        || m.ends_with("+yaml")
        || matches!(
            m.as_str(),
            "application/json"
                | "application/xml"
                | "application/yaml"
                | "application/x-yaml"
                | "application/javascript"
                | "application/x-www-form-urlencoded"
                | "application/ecmascript"
                | "application/graphql"
                | "application/sql"
                | "application/jwt"
        );
    !m.is_empty() && !textual && m.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition the quick test stands for: a lookup of every keyword.
    fn by_lookup(m: &Map<String, Value>) -> bool {
        RECORDED
            .iter()
            .chain(&["contentMediaType", "$dynamicRef", "$recursiveRef"])
            .any(|k| m.contains_key(*k))
    }

    #[test]
    fn small_and_large_objects_tell_their_keywords_as_a_lookup_of_each_does() {
        let object = |keys: &[&str]| -> Map<String, Value> {
            keys.iter()
                .map(|k| ((*k).to_owned(), Value::Null))
                .collect()
        };
        let many: Vec<String> = (0..40).map(|i| format!("p{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for keyword in [
            "if",
            "$vocabulary",
            "contentMediaType",
            "$recursiveRef",
            "iff",
            "type",
        ] {
            for keys in [vec![keyword], vec!["type", "properties", keyword], {
                let mut keys = many.clone();
                keys.push(keyword);
                keys
            }] {
                let m = object(&keys);
                assert_eq!(has_json_schema_keyword(&m), by_lookup(&m), "{keys:?}");
            }
        }
        assert!(has_json_schema_keyword(&object(&["type", "$dynamicRef"])));
        assert!(!has_json_schema_keyword(&object(&["type", "properties"])));
        assert!(!has_json_schema_keyword(&object(&many)));
    }
}
