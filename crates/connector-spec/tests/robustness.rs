//! The loader never panics: truncated and corrupted prefixes of real-shaped documents,
//! deep nesting and self-reference.

use std::path::Path;

use connector_spec::Loader;

const SAMPLE: &str = r##"{
  "swagger": "2.0",
  "info": {"title": "T", "version": "1", "x-ms-api-annotation": {"status": "Preview"}},
  "host": "h.example", "basePath": "/api",
  "paths": {
    "/a/{id}": {
      "parameters": [{"name": "id", "in": "path", "type": "string"}],
      "post": {
        "operationId": "A",
        "consumes": ["multipart/form-data"],
        "parameters": [{"name": "f", "in": "formData", "type": "file"}, {"$ref": "#/parameters/p"}],
        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Node"}}, "default": {"$ref": "#/responses/err"}},
        "x-ms-pageable": {"nextLinkName": null}
      }
    }
  },
  "parameters": {"p": {"name": "p", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"}},
  "responses": {"err": {"description": "e", "schema": {"type": "object", "properties": {"m": {"type": "string"}}}}},
  "definitions": {
    "Node": {"type": "object", "discriminator": "kind", "properties": {"kind": {"type": "string"}, "next": {"$ref": "#/definitions/Node"}, "all": {"allOf": [{"$ref": "#/definitions/Node"}]}}},
    "Leaf": {"allOf": [{"$ref": "#/definitions/Node"}, {"$ref": "#/definitions/Leaf"}], "x-ms-discriminator-value": "leaf"},
    "E": {"type": "string", "enum": ["a", null, 1], "x-ms-enum": {"name": "E", "values": "bogus"}}
  },
  "securityDefinitions": {"o": {"type": "oauth2", "flow": "application", "tokenUrl": "t"}}
}"##;

fn samples() -> Vec<Vec<u8>> {
    let mut out = vec![SAMPLE.as_bytes().to_vec()];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/power-platform/certified-connectors");
    for name in ["AIForged", "Microsoft Bookings"] {
        if let Ok(b) = std::fs::read(root.join(name).join("apiDefinition.swagger.json")) {
            out.push(b);
        }
    }
    out
}

#[test]
fn truncated_and_corrupted_prefixes_never_panic() {
    let loader = Loader::new();
    for doc in samples() {
        let len = doc.len();
        let step = (len / 40).max(1);
        let mut cut = 0;
        while cut <= len {
            let prefix = doc.get(..cut).unwrap_or(&doc);
            let _ = loader.load_bytes("apiDefinition.swagger.json", prefix, Some(prefix));
            let _ = loader.load_bytes("openapi.yaml", prefix, None);
            // Corrupt one byte in the middle of the prefix.
            if cut > 2 {
                let mut bad = prefix.to_vec();
                if let Some(b) = bad.get_mut(cut / 2) {
                    *b = [b'}', b']', b'"', 0xFF, b':'][cut % 5];
                }
                let _ = loader.load_bytes("apiDefinition.swagger.json", &bad, None);
            }
            cut += step;
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut s = String::from(
        r#"{"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {}, "x-deep": "#,
    );
    for _ in 0..5000 {
        s.push('[');
    }
    let e = Loader::new().load_bytes("a.json", s.as_bytes(), None);
    assert!(e.is_err());
    // Lenient path (trailing comma forces it) with deep nesting.
    let mut s = String::from(r#"{"openapi": "3.0.0", "x": "#);
    for _ in 0..5000 {
        s.push_str("{\"a\": ");
    }
    s.push_str("1,");
    let e = Loader::new().load_bytes("a.json", s.as_bytes(), None);
    assert!(e.is_err());
    // Deep schemas within the limit still load.
    let mut schema = String::from(r#"{"type": "string"}"#);
    for _ in 0..40 {
        schema = format!(r#"{{"type": "object", "properties": {{"x": {schema}}}}}"#);
    }
    let doc = format!(
        r#"{{"openapi": "3.0.0", "info": {{"title": "T", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"D": {schema}}}}}}}"#
    );
    assert!(
        Loader::new()
            .load_bytes("a.json", doc.as_bytes(), None)
            .is_ok()
    );
    let yaml = "a: ".to_owned() + &"[".repeat(3000);
    assert!(
        Loader::new()
            .load_bytes("a.yaml", yaml.as_bytes(), None)
            .is_err()
    );
}
