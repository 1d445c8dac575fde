//! Tiny before/after definitions for the diff tests.
#![allow(dead_code)]

use connector_diff::{DiffReport, Side};
use connector_spec::Loader;
use serde_json::{Value, json};

/// A side from a definition written as JSON.
pub fn side(doc: &Value) -> Side {
    let text = serde_json::to_string_pretty(doc).expect("serializable");
    let name = "apiDefinition.swagger.json";
    let loaded = Loader::new()
        .load_bytes(name, text.as_bytes(), None)
        .expect("test definition loads");
    Side::from_parts(loaded.connector, name.to_string(), text, None)
}

/// A Swagger 2.0 definition with these paths and definitions.
pub fn swagger(paths: Value, definitions: Value) -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "Items", "version": "1.0"},
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": definitions,
    })
}

/// `GET /items` as `GetItems` with these extra operation fields.
pub fn get_items(extra: Value) -> Value {
    let mut op = json!({
        "operationId": "GetItems",
        "summary": "Get items",
        "parameters": [{"name": "top", "in": "query", "type": "integer", "format": "int32"}],
        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}
    });
    if let (Some(o), Some(e)) = (op.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    op
}

/// The `Item` definition.
pub fn item() -> Value {
    json!({"Item": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": ["a", "b"]}
    }}})
}

/// The base definition: `GET /items`, `Item`.
pub fn base() -> Value {
    swagger(json!({"/items": {"get": get_items(json!({}))}}), item())
}

/// Diffs two definitions.
pub fn diff(old: &Value, new: &Value) -> DiffReport {
    connector_diff::diff(&side(old), &side(new))
}

/// Sets `value` at a JSON pointer in a copy of `doc` (creating objects on the way).
pub fn with(doc: &Value, pointer: &str, value: Value) -> Value {
    let mut out = doc.clone();
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut cur = &mut out;
    for (i, t) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        cur = match cur {
            Value::Array(a) => {
                let idx: usize = t.parse().expect("index");
                if last {
                    if idx == a.len() {
                        a.push(value);
                    } else {
                        a[idx] = value;
                    }
                    return out;
                }
                &mut a[idx]
            }
            Value::Object(o) => {
                if last {
                    o.insert(t.clone(), value);
                    return out;
                }
                o.entry(t.clone()).or_insert_with(|| json!({}))
            }
            _ => panic!("cannot descend into a scalar at {t}"),
        };
    }
    out
}

/// Removes the member at a pointer in a copy of `doc`.
pub fn without(doc: &Value, pointer: &str) -> Value {
    let mut out = doc.clone();
    let (parent, last) = pointer.rsplit_once('/').expect("pointer");
    let last = last.replace("~1", "/").replace("~0", "~");
    match out.pointer_mut(parent) {
        Some(Value::Object(o)) => {
            o.remove(&last);
        }
        Some(Value::Array(a)) => {
            a.remove(last.parse::<usize>().expect("index"));
        }
        _ => panic!("no parent at {parent}"),
    }
    out
}
