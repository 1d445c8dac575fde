//! Definitions and expectations the paging test files share.
#![allow(dead_code)] // each test file uses its own subset

use connector_spec::*;
use serde_json::{Value, json};

/// A definition with one `GET /list` operation `List`: these query parameters, this
/// success body schema, these extra operation members.
pub fn definition(params: &[(&str, &str)], body: Value, extra: Value) -> Value {
    let parameters: Vec<Value> = params
        .iter()
        .map(|(name, ty)| json!({"name": name, "in": "query", "schema": {"type": ty}}))
        .collect();
    let mut op = json!({
        "operationId": "List",
        "parameters": parameters,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}}
    });
    if let (Value::Object(o), Value::Object(e)) = (&mut op, extra) {
        o.extend(e);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/list": {"get": op}},
        "components": {"schemas": {
            "Thing": {"type": "object", "properties": {"id": {"type": "string"}}}
        }}
    })
}

pub fn things() -> Value {
    json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}})
}

pub fn load_with(doc: &Value, loader: Loader) -> Loaded {
    let bytes = serde_json::to_vec(doc).unwrap();
    loader
        .load_bytes("openapi.json", &bytes, None)
        .unwrap_or_else(|e| panic!("load failed: {e}"))
}

pub fn paging(doc: &Value) -> Option<Pageable> {
    let loaded = load_with(doc, Loader::new());
    assert!(
        loaded.diagnostics.is_empty(),
        "no warnings: {:?}",
        loaded.diagnostics
    );
    loaded.connector.operations[0].pageable.clone()
}

pub fn inferred(items: &str, pattern: PagingPattern) -> Option<Pageable> {
    Some(Pageable {
        items: items.into(),
        pattern,
        origin: PagingOrigin::Inferred,
    })
}

pub fn declared(ext: &str, items: &str, pattern: PagingPattern) -> Option<Pageable> {
    Some(Pageable {
        items: items.into(),
        pattern,
        origin: PagingOrigin::Declared(ext.into()),
    })
}

pub fn nested_body() -> Value {
    json!({"type": "object", "properties": {
        "data": {"type": "object", "properties": {"resultArray": things()}},
        "meta": {"type": "object", "properties": {"next": {"type": "string"}, "cursor": {"type": "string"}}}
    }})
}
