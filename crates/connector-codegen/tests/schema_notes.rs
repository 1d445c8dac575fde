//! What a schema says that its Rust type cannot (`contentMediaType`, validation-only
//! JSON Schema keywords) reaches the generated docs.

use connector_codegen::Generator;
use connector_spec::Loader;
use serde_json::json;

#[test]
fn media_types_and_validation_keywords_are_documented_on_the_field() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Notes", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Upload": {
                "type": "object",
                "required": ["image", "raw"],
                "properties": {
                    "image": {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"},
                    "raw": {"type": "string", "contentMediaType": "application/octet-stream"},
                    "kind": {"type": "string", "not": {"const": "none"}}
                },
                "if": {"required": ["kind"]},
                "then": {"required": ["raw"]}
            }
        }}
    });
    let bytes = serde_json::to_vec(&doc).expect("serializes");
    let loaded = Loader::new()
        .load_bytes("openapi.json", &bytes, None)
        .expect("loads");
    let out = Generator::new()
        .crate_name("notes")
        .generate(&loaded.connector)
        .expect("generates");
    let all: String = out
        .files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| f.contents.as_str())
        .collect();
    assert!(all.contains("Content media type: `image/png`."), "{all}");
    assert!(
        all.contains(
            "The definition also constrains this value with `not` (not checked by the type)."
        ),
        "{all}"
    );
    assert!(
        all.contains(
            "The definition also constrains this value with `if`, `then` (not checked by the type)."
        ),
        "{all}"
    );
    assert!(
        all.contains("Content media type: `application/octet-stream`."),
        "{all}"
    );
}
