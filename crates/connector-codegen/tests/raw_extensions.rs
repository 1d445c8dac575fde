//! Codegen reads only the typed model: the raw extension maps (kept for documentation
//! passthrough) may hold anything without changing a byte of output.

use std::collections::BTreeMap;
use std::path::Path;

use connector_codegen::Generator;
use connector_spec::{BodyContent, Connector, Schema, SchemaKind};
use serde_json::{Value, json};

/// Extension values that would change the output if codegen read them.
fn poison() -> BTreeMap<String, Value> {
    let hostile = json!({
        "x-ms-trigger": "batch",
        "x-ms-trigger-hint": "*/ \"); panic!(); //",
        "x-ms-notification-content": {"description": "poison", "schema": {"$ref": "#/definitions/Nope"}},
        "x-ms-notification-url": true,
        "x-ms-require-user-confirmation": true,
        "x-ms-openai-data": {"operations": [{"operationId": "*", "x-ms-require-user-confirmation": true}]},
        "x-ms-dynamic-values": {"operationId": "Poison", "value-path": "p"},
        "x-ms-dynamic-list": {"operationId": "Poison", "itemValuePath": "p"},
        "x-ms-dynamic-schema": {"operationId": "Poison", "value-path": "p"},
        "x-ms-dynamic-properties": {"operationId": "Poison"},
        "x-ms-dynamic-tree": {"open": {"operationId": "Poison"}},
        "x-ms-capabilities": {"testConnection": {"operationId": "Poison"}, "poison": true},
        "x-ms-connector-metadata": [{"propertyName": "Poison", "propertyValue": "\u{0}"}],
        "x-ms-test-value": "poison",
        "x-ms-pageable": {"nextLinkName": "poison"},
        "x-ms-url-encoding": "double",
        "x-ms-summary": "poison",
        "x-ms-visibility": "internal",
        "x-ms-api-annotation": {"status": "Preview", "family": "poison", "revision": 99},
    });
    hostile
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn poison_schema(s: &mut Schema, with: &BTreeMap<String, Value>) {
    s.extensions = with.clone();
    match &mut s.kind {
        SchemaKind::Array(items) | SchemaKind::Map(items) => poison_schema(items, with),
        SchemaKind::Object(obj) => {
            for p in &mut obj.properties {
                poison_schema(&mut p.schema, with);
            }
            if let Some(a) = &mut obj.additional {
                poison_schema(a, with);
            }
        }
        SchemaKind::OneOf(variants) => variants.iter_mut().for_each(|v| poison_schema(v, with)),
        _ => {}
    }
}

/// `connector` with every raw extension map replaced by `with`.
fn poisoned(connector: &Connector, with: &BTreeMap<String, Value>) -> Connector {
    let mut c = connector.clone();
    c.extensions = with.clone();
    c.api_properties = Some(json!({"properties": {"capabilities": ["poison"]}}));
    for s in c.schemas.values_mut() {
        poison_schema(s, with);
    }
    for op in &mut c.operations {
        op.extensions = with.clone();
        for p in &mut op.parameters {
            p.extensions = with.clone();
            poison_schema(&mut p.schema, with);
        }
        if let Some(body) = &mut op.body {
            body.extensions = with.clone();
            match &mut body.content {
                BodyContent::Schema(s) => poison_schema(s, with),
                BodyContent::Form { fields, .. } => fields
                    .iter_mut()
                    .for_each(|f| poison_schema(&mut f.schema, with)),
                BodyContent::Binary => {}
            }
        }
        for r in &mut op.responses {
            if let Some(s) = &mut r.schema {
                poison_schema(s, with);
            }
        }
    }
    c
}

fn files(connector: &Connector) -> Vec<(String, String)> {
    Generator::new()
        .crate_name("poison-check")
        .runtime_path("../runtime")
        .generate(connector)
        .expect("generates")
        .files
        .into_iter()
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect()
}

/// A definition using every extension codegen turns into code or docs.
fn every_extension() -> Connector {
    let doc = json!({
        "swagger": "2.0",
        "info": {"title": "Hooks", "version": "1"},
        "host": "example.com",
        "x-ms-capabilities": {"testConnection": {"operationId": "ListTables"}, "file-picker": {}},
        "x-ms-connector-metadata": [{"propertyName": "Website", "propertyValue": "https://example.com"}],
        "paths": {
            "/tables": {"get": {"operationId": "ListTables", "x-ms-pageable": {"nextLinkName": "next"},
                "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {
                    "value": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
                    "next": {"type": "string"}}}}}}},
            "/rows": {"get": {"operationId": "NewRows", "x-ms-trigger": "batch", "x-ms-trigger-hint": "Add a row",
                "parameters": [{"in": "query", "name": "table", "type": "string", "x-ms-test-value": "t1",
                    "x-ms-dynamic-values": {"operationId": "ListTables", "value-collection": "value", "value-path": "id"}}],
                "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Row"}}}}}},
            "/hooks": {
                "x-ms-notification-content": {"description": "A row", "schema": {"$ref": "#/definitions/Row"}},
                "post": {"operationId": "Subscribe", "x-ms-trigger": "single", "x-ms-require-user-confirmation": true,
                    "parameters": [{"in": "body", "name": "body", "schema": {"type": "object", "properties": {
                        "callback": {"type": "string", "x-ms-notification-url": true}}}}],
                    "responses": {"201": {"description": "ok"}}}},
            "/hooks/{id}": {"delete": {"operationId": "Unsubscribe",
                "parameters": [{"in": "path", "name": "id", "type": "string", "required": true}],
                "responses": {"200": {"description": "ok"}}}},
            "/rows/{table}": {"post": {"operationId": "AddRow",
                "parameters": [{"in": "path", "name": "table", "type": "string", "required": true},
                    {"in": "body", "name": "body", "schema": {"type": "object",
                        "x-ms-dynamic-schema": {"operationId": "RowSchema", "parameters": {"table": {"parameter": "table"}}, "value-path": "schema"}}}],
                "responses": {"200": {"description": "ok"}}}},
            "/schema/{table}": {"get": {"operationId": "RowSchema",
                "parameters": [{"in": "path", "name": "table", "type": "string", "required": true}],
                "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}
        },
        "definitions": {"Row": {"type": "object", "properties": {"id": {"type": "string"}}}}
    });
    let bytes = serde_json::to_vec(&doc).unwrap();
    connector_spec::Loader::new()
        .load_bytes("apiDefinition.swagger.json", &bytes, None)
        .expect("loads")
        .connector
}

#[test]
fn output_ignores_poisoned_raw_extension_maps() {
    let mut connectors = vec![every_extension()];
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    for name in [
        "contoso-tasks",
        "lifecycle-demo",
        "acme-tickets",
        "contoso-sales",
    ] {
        connectors.push(
            connector_spec::load(&specs.join(name))
                .expect("spec loads")
                .connector,
        );
    }
    for connector in &connectors {
        let clean = files(connector);
        assert_eq!(
            clean,
            files(&poisoned(connector, &poison())),
            "{}: poisoned maps changed the output",
            connector.title
        );
        assert_eq!(
            clean,
            files(&poisoned(connector, &BTreeMap::new())),
            "{}: empty maps changed the output",
            connector.title
        );
    }
    // The typed fields drive the output: the extensions above all show.
    let all: String = files(&connectors[0])
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    for expected in [
        "pub fn poll(self)",
        "pub fn decode_notification(",
        "new_rows_table_choices",
        "add_row_schema",
        ".requires_confirmation()",
        ".trigger(\"batch\")",
        "Trigger hint: Add a row",
        "Test value: `t1`",
        "tests a connection",
        "Website: https://example.com",
        "pub fn items(self)",
    ] {
        assert!(all.contains(expected), "missing {expected}");
    }
}
