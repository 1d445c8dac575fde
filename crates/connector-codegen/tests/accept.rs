//! The success response's declared media type is what a request asks for (`Accept`),
//! and only a media type that is a valid header value other than `*/*` is emitted.

use connector_codegen::Generator;

fn module(doc: &str) -> String {
    let connector = connector_spec::Loader::new()
        .load_bytes("accept.json", doc.as_bytes(), None)
        .expect("loads")
        .connector;
    Generator::new()
        .generate_module(&connector)
        .expect("generates")
}

/// One `GET /<id>` operation answering 200 with `media` (a string schema), or 204.
fn operation(id: &str, media: Option<&str>) -> String {
    let response = match media {
        Some(m) => format!(
            r#""200": {{ "description": "ok", "content": {{ {}: {{ "schema": {{ "type": "object" }} }} }} }}"#,
            serde_json::Value::String(m.to_owned())
        ),
        None => r#""204": { "description": "none" }"#.to_owned(),
    };
    format!(r#""/{id}": {{ "get": {{ "operationId": "{id}", "responses": {{ {response} }} }} }}"#)
}

#[test]
fn the_declared_media_type_is_asked_for_and_only_a_valid_one() {
    let ops = [
        operation("jsonApi", Some("application/vnd.api+json")),
        operation("anything", Some("*/*")),
        operation("noBody", None),
        operation("smuggled", Some("application/json\r\nX-Smuggled: 1")),
        operation("bidi", Some("application/json\u{202e}")),
    ];
    let doc = format!(
        r#"{{ "openapi": "3.0.3", "info": {{ "title": "Accept", "version": "1" }}, "paths": {{ {} }} }}"#,
        ops.join(",")
    );
    let module = module(&doc);
    let accepts: Vec<&str> = module
        .lines()
        .filter(|l| l.trim_start().starts_with("request.accept("))
        .map(str::trim)
        .collect();
    assert_eq!(
        accepts,
        [r#"request.accept("application/vnd.api+json");"#],
        "{module}"
    );
    // The operations left without one still build their request.
    for id in ["Anything", "NoBody", "Smuggled", "Bidi"] {
        assert!(
            module.contains(&format!("pub struct {id} "))
                || module.contains(&format!("pub struct {id} {{")),
            "{id}"
        );
    }
}
