//! Focused snapshots: a small inline definition per feature and the code it generates.
//! Review changes with `INSTA_UPDATE=always cargo test -p connector-gen-tests` and `git diff`.

mod common;

use common::{file, generate};

#[test]
fn string_enum_has_a_catch_all_and_x_ms_enum_names() {
    let generated = generate(
        "enum.json",
        r#"{
          "swagger": "2.0",
          "info": {"title": "Enums", "version": "1.0"},
          "host": "example.com",
          "paths": {},
          "definitions": {
            "Ticket": {
              "type": "object",
              "properties": {
                "status": {
                  "type": "string",
                  "enum": ["open", "in-progress", "closed"],
                  "x-ms-enum": {"name": "TicketStatus", "modelAsString": true}
                },
                "priority": {"type": "integer", "enum": [1, 2, 3]}
              }
            }
          }
        }"#,
    );
    insta::assert_snapshot!(file(&generated, "src/types.rs"));
}

#[test]
fn deprecated_revision_names_its_successor_and_expiry() {
    let generated = generate(
        "deprecated.json",
        r#"{
          "swagger": "2.0",
          "info": {"title": "Revisions", "version": "1.0"},
          "host": "example.com",
          "paths": {
            "/{list}/items": {"get": {
              "operationId": "GetItems", "summary": "Get rows", "deprecated": true,
              "x-ms-api-annotation": {"family": "GetItems", "revision": 1, "expires": "2027-01-31"},
              "parameters": [{"name": "list", "in": "path", "required": true, "type": "string"}],
              "responses": {"200": {"description": "OK"}}
            }},
            "/v2/{list}/items": {"get": {
              "operationId": "GetItems_V2", "summary": "Get rows (V2)",
              "x-ms-api-annotation": {"family": "GetItems", "revision": 2},
              "parameters": [{"name": "list", "in": "path", "required": true, "type": "string"}],
              "responses": {"200": {"description": "OK"}}
            }}
          }
        }"#,
    );
    insta::assert_snapshot!(file(&generated, "src/operations.rs"));
}

#[test]
fn preview_status_is_inherited_from_the_api_and_gated_by_a_feature() {
    let generated = generate(
        "preview.json",
        r#"{
          "swagger": "2.0",
          "info": {"title": "Preview API", "version": "1.0", "x-ms-api-annotation": {"status": "Preview"}},
          "host": "example.com",
          "paths": {
            "/ping": {"get": {"operationId": "Ping", "responses": {"200": {"description": "OK"}}}},
            "/stable": {"get": {
              "operationId": "Stable", "x-ms-visibility": "internal",
              "x-ms-api-annotation": {"status": "Production"},
              "responses": {"200": {"description": "OK"}}
            }}
          }
        }"#,
    );
    insta::assert_snapshot!(file(&generated, "src/operations.rs"));
    let metadata = file(&generated, "src/metadata.rs");
    assert!(
        metadata.contains(r#"OperationInfo::new("Ping", "ping", "GET", "/ping").preview()"#),
        "{metadata}"
    );
    assert!(
        metadata.contains(
            r#"OperationInfo::new("Stable", "stable", "GET", "/stable").visibility(Visibility::Internal),"#
        ),
        "{metadata}"
    );
}

#[test]
fn keyword_and_non_identifier_property_names_are_renamed() {
    let generated = generate(
        "names.yaml",
        r#"
openapi: 3.0.3
info: {title: Names, version: "1.0"}
paths: {}
components:
  schemas:
    Record:
      type: object
      required: [type]
      properties:
        type: {type: string}
        self: {type: string}
        2fa_required: {type: boolean}
        "@odata.type": {type: string}
        sla-seconds: {type: integer, format: int64}
        日本: {type: string}
    Option: {type: string}
"#,
    );
    insta::assert_snapshot!(file(&generated, "src/types.rs"));
}

#[test]
fn spec_text_is_data_and_never_becomes_code() {
    let hostile =
        r#"x\"); } pub fn injected() { /* */ \n```rust\nfn doctest() {}\n```\n    indented();"#;
    let text = format!(
        r##"{{
          "swagger": "2.0",
          "info": {{"title": "Hostile \"}}; fn evil() {{", "version": "1.0", "description": "{hostile}"}},
          "host": "example.com",
          "paths": {{
            "/x/{{id}}": {{"get": {{
              "operationId": "fn main() {{ evil() }}",
              "description": "{hostile}",
              "parameters": [{{"name": "id\"); evil(\"", "in": "path", "required": true, "type": "string", "description": "*/ #[cfg(any())]"}}],
              "responses": {{"200": {{"description": "OK", "schema": {{"$ref": "#/definitions/Evil"}}}}}}
            }}}}
          }},
          "definitions": {{
            "Evil": {{"type": "object", "description": "{hostile}", "properties": {{
              "a\"b": {{"type": "string", "enum": ["\"); evil(); (\"", "*/", "", "a b"], "description": "{hostile}"}}
            }}}}
          }}
        }}"##
    );
    let generated = generate("hostile.json", &text);
    for f in &generated.files {
        if !f.path.ends_with(".rs") {
            continue;
        }
        let parsed: syn::File =
            syn::parse_str(&f.contents).unwrap_or_else(|e| panic!("{} parses: {e}", f.path));
        let mut fns = Vec::new();
        collect_fn_names(&parsed.items, &mut fns);
        assert!(
            !fns.iter()
                .any(|n| n == "injected" || n == "evil" || n == "doctest"),
            "{}: spec text added functions: {fns:?}",
            f.path
        );
        assert!(
            !f.contents.contains("```rust"),
            "{}: code fences are re-tagged so no doc test comes from a spec",
            f.path
        );
    }
}

fn collect_fn_names(items: &[syn::Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Fn(f) => out.push(f.sig.ident.to_string()),
            syn::Item::Impl(i) => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        out.push(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_fn_names(items, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn mock_module_has_a_typed_builder_per_operation() {
    let generated = generate(
        "mock.json",
        r##"{
          "swagger": "2.0",
          "info": {"title": "Mocked", "version": "1.0"},
          "host": "example.com",
          "paths": {
            "/folders/{path}/files": {"get": {
              "operationId": "ListFiles",
              "parameters": [
                {"name": "path", "in": "path", "required": true, "type": "string", "x-ms-url-encoding": "double"},
                {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "since", "in": "query", "type": "string", "format": "date-time"},
                {"name": "X-Trace", "in": "header", "type": "string"},
                {"name": "respond", "in": "query", "type": "integer"}
              ],
              "responses": {
                "200": {"description": "OK", "schema": {"type": "array", "items": {"$ref": "#/definitions/File"}}},
                "default": {"description": "Error", "schema": {"$ref": "#/definitions/Problem"}}
              }
            }},
            "/files/{id}/content": {"get": {
              "operationId": "GetContent",
              "produces": ["application/octet-stream"],
              "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}],
              "responses": {"200": {"description": "OK", "schema": {"type": "string", "format": "binary"}}}
            }},
            "/files/{id}": {"delete": {
              "operationId": "DeleteFile",
              "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}],
              "responses": {"204": {"description": "Gone"}}
            }}
          },
          "definitions": {
            "File": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Problem": {"type": "object", "properties": {"message": {"type": "string"}}}
          }
        }"##,
    );
    insta::assert_snapshot!(file(&generated, "src/mock.rs"));
    let lib = file(&generated, "src/lib.rs");
    assert!(
        lib.contains("#[cfg(feature = \"mock\")]\npub mod mock;"),
        "{lib}"
    );
    let manifest = file(&generated, "Cargo.toml");
    assert!(
        manifest.contains(r#"mock = ["connector-runtime/mock"]"#),
        "{manifest}"
    );
}
