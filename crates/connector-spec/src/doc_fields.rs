//! Documentation fields of the wrong type (`info.description: 3`, a tag description
//! that is an object, …) are a warning, not an error: numbers and booleans become text,
//! anything else is dropped. Also gives every operation without `responses` (allowed by
//! OpenAPI 3.1) an empty set, so it is generated as returning no content.

use serde_json::{Map, Value};

use crate::pointer;
use crate::report::Reporter;
use crate::source::MAX_DEPTH;

/// Fields that only document.
const DOC_FIELDS: [&str; 4] = ["description", "summary", "title", "termsOfService"];

/// Members whose keys are names chosen by the author (a property named `description`).
const NAMED_MAPS: [&str; 22] = [
    "properties",
    "patternProperties",
    "definitions",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "securitySchemes",
    "securityDefinitions",
    "examples",
    "requestBodies",
    "links",
    "callbacks",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "variables",
    "scopes",
    "mapping",
    "$defs",
    "pathItems",
];

/// Members holding literal values: never inspected.
const DATA: [&str; 5] = ["example", "default", "enum", "const", "value"];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Repairs documentation fields in place, with a warning for each.
pub(crate) fn repair(doc: &mut Value, rep: &mut Reporter<'_>) {
    let mut path = Vec::new();
    walk(doc, false, &mut path, rep, 0);
}

fn walk(v: &mut Value, named: bool, path: &mut Vec<String>, rep: &mut Reporter<'_>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            if !named {
                fix_fields(m, path, rep);
            }
            for (k, x) in m.iter_mut() {
                if !named && (DATA.contains(&k.as_str()) || k.starts_with("x-")) {
                    continue;
                }
                if !(x.is_object() || x.is_array()) {
                    continue;
                }
                let child_named = !named && NAMED_MAPS.contains(&k.as_str()) && x.is_object();
                path.push(k.clone());
                walk(x, child_named, path, rep, depth + 1);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                path.push(i.to_string());
                walk(x, false, path, rep, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

fn fix_fields(m: &mut Map<String, Value>, path: &[String], rep: &mut Reporter<'_>) {
    for key in DOC_FIELDS {
        let Some(v) = m.get(key) else { continue };
        let text = match v {
            Value::String(_) => continue,
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let at = path.iter().fold(String::new(), |p, t| pointer::join(&p, t));
        let at = pointer::join(&at, key);
        match text {
            Some(t) => {
                rep.warn(&at, format!("`{key}` is not a string; read as \"{t}\""));
                m.insert(key.to_owned(), Value::String(t));
            }
            None => {
                rep.warn(&at, format!("`{key}` is not a string; ignored"));
                m.shift_remove(key);
            }
        }
    }
}

/// Gives operations without `responses` an empty set (paths, webhooks and callbacks).
pub(crate) fn fill_missing_responses(doc: &mut Value) {
    for section in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = doc.get_mut(section) {
            for item in items.values_mut() {
                fill_path_item(item, 0);
            }
        }
    }
}

fn fill_path_item(item: &mut Value, depth: usize) {
    if depth > 4 {
        return;
    }
    for m in METHODS {
        let Some(Value::Object(op)) = item.get_mut(m) else {
            continue;
        };
        op.entry("responses")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
            for cb in callbacks.values_mut() {
                if let Value::Object(exprs) = cb {
                    for inner in exprs.values_mut() {
                        fill_path_item(inner, depth + 1);
                    }
                }
            }
        }
    }
}
