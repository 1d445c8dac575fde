//! Located diagnostics: lenient recoveries, strict mode and hard errors.

use connector_spec::*;

fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn load(name: &str, text: &str) -> Result<Loaded, LoadError> {
    Loader::new().load_bytes(name, text.as_bytes(), None)
}

const TRAILING: &str = "\u{feff}{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  // a comment\n  \"paths\": {\n    \"/a\": {\"get\": {\"operationId\": \"A\", \"responses\": {},}}\n  },\n}\n";

#[test]
fn lenient_json_loads_with_warnings() {
    let l = load("apiDefinition.swagger.json", TRAILING).unwrap();
    assert_eq!(l.connector.operations.len(), 1);
    assert!(
        l.diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
    insta::assert_snapshot!(render(&l.diagnostics));
}

#[test]
fn strict_mode_turns_warnings_into_errors() {
    let err = Loader::new()
        .strict(true)
        .load_bytes("apiDefinition.swagger.json", TRAILING.as_bytes(), None)
        .unwrap_err();
    assert!(
        err.diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error)
    );
    assert_eq!(err.diagnostics.len(), 2);
    insta::assert_snapshot!(err.to_string());
    // Without anything to recover from, strict mode loads.
    let clean = r#"{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}"#;
    assert!(
        Loader::new()
            .strict(true)
            .load_bytes("a.json", clean.as_bytes(), None)
            .is_ok()
    );
}

#[test]
fn latin1_bytes_are_read_with_a_warning() {
    let mut bytes = br#"{"swagger": "2.0", "info": {"title": "Br"#.to_vec();
    bytes.push(0xF8);
    bytes.extend_from_slice(br#"nn", "version": "1"}, "paths": {}}"#);
    let l = Loader::new().load_bytes("a.json", &bytes, None).unwrap();
    assert_eq!(l.connector.title, "Br\u{f8}nn");
    insta::assert_snapshot!(render(&l.diagnostics));
}

#[test]
fn ambiguous_json_is_an_error_with_line_and_column() {
    let second = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}}\n,\"x-extra\": 1}\n";
    let unclosed = "{\n  \"swagger\": \"2.0\",\n  \"tags\": [1, 2,\n  \"paths\": {}\n}\n";
    let no_key = "{\n  \"swagger\": \"2.0\",\n  : 1\n}\n";
    let out: Vec<String> = [
        ("second.json", second),
        ("unclosed.json", unclosed),
        ("nokey.json", no_key),
    ]
    .into_iter()
    .map(|(name, text)| {
        let e = load(name, text).unwrap_err();
        let p = e.primary().unwrap();
        assert!(p.location.is_some(), "{p}");
        p.to_string()
    })
    .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn unreadable_parts_are_neutralized_and_located_in_the_original_file() {
    let text = r##"{
  "swagger": "2.0",
  "info": {"title": "T", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "operationId": "A",
        "parameters": [
          {"name": "ok", "in": "query", "type": "string"},
          {"name": "bad", "in": "sideways", "type": "string"}
        ],
        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}
      }
    }
  },
  "definitions": {
    "Item": {
      "type": "object",
      "properties": {
        "id": {"type": "string", "required": true},
        "name": {"type": "string"}
      }
    }
  }
}"##;
    let l = load("apiDefinition.swagger.json", text).unwrap();
    let op = &l.connector.operations[0];
    assert_eq!(op.parameters.len(), 1, "the bad parameter is dropped");
    let SchemaKind::Object(item) = &l.connector.schemas["Item"].kind else {
        panic!()
    };
    assert_eq!(
        item.properties[0].schema.kind,
        SchemaKind::Any,
        "neutralized"
    );
    assert_eq!(
        item.properties[1].schema.kind,
        SchemaKind::String(StringFormat::Plain),
        "siblings survive"
    );
    insta::assert_snapshot!(render(&l.diagnostics));

    let err = Loader::new()
        .strict(true)
        .load_bytes("apiDefinition.swagger.json", text.as_bytes(), None)
        .unwrap_err();
    assert_eq!(err.diagnostics.len(), 2);
}

#[test]
fn yaml_errors_are_located() {
    let text = "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a: [unclosed\n";
    let e = load("openapi.yaml", text).unwrap_err();
    let p = e.primary().unwrap();
    assert!(p.location.is_some());
    insta::assert_snapshot!(p.to_string());
}

#[test]
fn yaml_tabs_and_common_mistakes_are_explained_plainly() {
    let tab = "openapi: 3.0.0\ninfo:\n\ttitle: T\n";
    let p = load("openapi.yaml", tab).unwrap_err();
    let p = p.primary().unwrap();
    assert_eq!(
        p.message,
        "invalid YAML: a tab cannot indent YAML: indent with spaces"
    );
    let open_quote = "openapi: 3.0.0\ninfo:\n  title: \"T\n";
    let e = load("openapi.yaml", open_quote).unwrap_err();
    assert!(
        e.primary()
            .unwrap()
            .message
            .contains("a quoted string is not closed"),
        "{e}"
    );
}

#[test]
fn yaml_warnings_are_located() {
    let text = "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: nowhere\n      responses: {}\n";
    let l = load("openapi.yaml", text).unwrap();
    assert!(l.connector.operations[0].parameters.is_empty());
    insta::assert_snapshot!(render(&l.diagnostics));
}

#[test]
fn not_a_definition_is_an_error() {
    let e = load("a.json", r#"{"hello": "world"}"#).unwrap_err();
    insta::assert_snapshot!(e.to_string());
    let e = load("a.json", "").unwrap_err();
    assert!(e.primary().unwrap().location.is_some());
    let e = load("a.json", "[1, 2]").unwrap_err();
    assert!(e.to_string().contains("not an object"), "{e}");
}

#[test]
fn missing_comma_between_members_is_an_error() {
    let text = "{\n  \"swagger\": \"2.0\"\n  \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}\n}\n";
    let e = load("a.json", text).unwrap_err();
    let p = e.primary().unwrap();
    assert_eq!(p.location.map(|l| l.line), Some(3), "{p}");
}
