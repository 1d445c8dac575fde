//! Every client-shaping `x-ms-*` extension is read into a typed model field, and a
//! malformed value gives a located warning (file, JSON pointer, line:column).

use connector_spec::*;
use serde_json::json;

/// Loads `doc` (a Swagger 2.0 document) from pretty-printed JSON.
fn load(doc: serde_json::Value) -> (Loaded, String) {
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let loaded = Loader::new()
        .load_bytes("apiDefinition.swagger.json", text.as_bytes(), None)
        .unwrap_or_else(|e| panic!("load failed: {e:?}"));
    (loaded, text)
}

/// A Swagger 2.0 document with `paths` and root extensions `root`.
fn swagger(paths: serde_json::Value, root: serde_json::Value) -> serde_json::Value {
    let mut doc = json!({
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "host": "example.com",
        "paths": paths,
        "definitions": {"Event": {"type": "object", "properties": {"id": {"type": "string"}}}}
    });
    if let (Some(d), Some(r)) = (doc.as_object_mut(), root.as_object()) {
        d.extend(r.clone());
    }
    doc
}

fn op<'c>(c: &'c Connector, id: &str) -> &'c Operation {
    c.operations.iter().find(|o| o.id == id).unwrap()
}

/// The one warning at `pointer`, checked to name the file and the line holding `needle`
/// (the `nth` occurrence, 0-based) in `text`.
fn warning_at<'l>(
    l: &'l Loaded,
    text: &str,
    pointer: &str,
    needle: &str,
    nth: usize,
) -> &'l Diagnostic {
    let found: Vec<&Diagnostic> = l
        .diagnostics
        .iter()
        .filter(|d| d.pointer == pointer)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "warnings at {pointer}: {:#?}",
        l.diagnostics
    );
    let d = found[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.file.to_string_lossy(), "apiDefinition.swagger.json");
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    let at = d
        .location
        .unwrap_or_else(|| panic!("{d} has no line:column"));
    assert_eq!(at.line, line, "{d}");
    assert!(at.column > 1, "{d}");
    d
}

fn get(id: &str, ext: serde_json::Value) -> serde_json::Value {
    let mut op = json!({"operationId": id, "responses": {"200": {"description": "ok"}}});
    if let (Some(o), Some(e)) = (op.as_object_mut(), ext.as_object()) {
        o.extend(e.clone());
    }
    op
}

#[test]
fn triggers_are_typed_and_unknown_kinds_warn() {
    let (l, text) = load(swagger(
        json!({
            "/a": {"get": get("A", json!({"x-ms-trigger": "Batch", "x-ms-trigger-hint": "Add a row"}))},
            "/b": {"get": get("B", json!({"x-ms-trigger": "single"}))},
            "/c": {"get": get("C", json!({"x-ms-trigger": 5, "x-ms-trigger-hint": ["no"]}))},
        }),
        json!({}),
    ));
    let c = &l.connector;
    assert_eq!(op(c, "A").trigger, Some(TriggerKind::Batch));
    assert_eq!(op(c, "A").trigger_hint.as_deref(), Some("Add a row"));
    assert_eq!(op(c, "B").trigger, Some(TriggerKind::Single));
    assert_eq!(op(c, "C").trigger, Some(TriggerKind::Other("5".into())));
    assert_eq!(op(c, "C").trigger_hint, None);
    let d = warning_at(
        &l,
        &text,
        "/paths/~1c/get/x-ms-trigger",
        "\"x-ms-trigger\": 5",
        0,
    );
    assert!(d.message.contains("neither `batch` nor `single`"), "{d}");
    warning_at(
        &l,
        &text,
        "/paths/~1c/get/x-ms-trigger-hint",
        "\"x-ms-trigger-hint\": [",
        0,
    );
}

#[test]
fn webhook_notification_url_and_content_are_typed() {
    let body = json!({"in": "body", "name": "body", "schema": {"type": "object", "properties": {
        "callback": {"type": "string", "x-ms-notification-url": true},
        "other": {"type": "string", "x-ms-notification-url": "maybe"}
    }}});
    let (l, text) = load(swagger(
        json!({
            "/hooks": {
                "x-ms-notification-content": {"description": "An event", "schema": {"type": "array", "items": {"$ref": "#/definitions/Event"}}},
                "post": get("Subscribe", json!({"x-ms-trigger": "batch", "parameters": [
                    body,
                    {"in": "header", "name": "X-Callback", "type": "string", "x-ms-notification-url": true}
                ]}))
            },
            "/bad": {
                "x-ms-notification-content": "an event",
                "post": get("Bad", json!({}))
            }
        }),
        json!({}),
    ));
    let s = op(&l.connector, "Subscribe");
    let content = s.notification.as_ref().unwrap();
    assert_eq!(content.description.as_deref(), Some("An event"));
    assert_eq!(
        content.schema.kind,
        SchemaKind::Array(Box::new(Schema::new(SchemaKind::Ref("Event".into()))))
    );
    assert!(
        s.parameters
            .iter()
            .any(|p| p.name == "X-Callback" && p.notification_url)
    );
    let BodyContent::Schema(schema) = &s.body.as_ref().unwrap().content else {
        panic!()
    };
    let SchemaKind::Object(obj) = &schema.kind else {
        panic!()
    };
    assert!(obj.properties[0].schema.notification_url);
    assert!(!obj.properties[1].schema.notification_url);
    assert_eq!(op(&l.connector, "Bad").notification, None);
    warning_at(
        &l,
        &text,
        "/paths/~1bad/x-ms-notification-content",
        "\"an event\"",
        0,
    );
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.pointer.ends_with("/other/x-ms-notification-url"))
        .unwrap();
    assert!(
        d.location.is_some() && d.message.contains("true or false"),
        "{d}"
    );
}

#[test]
fn dynamic_values_and_lists_are_typed() {
    let (l, text) = load(swagger(
        json!({"/a": {"get": get("A", json!({"parameters": [
            {"in": "query", "name": "table", "type": "string", "x-ms-dynamic-values": {
                "operationId": "Tables", "value-collection": "value", "value-path": "id", "value-title": "name",
                "parameters": {"site": {"parameter": "site"}, "kind": {"value": "list"}, "n": 3}}},
            {"in": "query", "name": "list", "type": "string",
                "x-ms-dynamic-values": {"value-path": "id"},
                "x-ms-dynamic-list": {"operationId": "Lists", "itemsPath": "items", "itemValuePath": "id", "itemTitlePath": "title"}},
            {"in": "query", "name": "broken", "type": "string", "x-ms-dynamic-values": ["Tables"]},
            {"in": "query", "name": "picker", "type": "string", "x-ms-dynamic-values": {"capability": "file-picker", "value-path": "id"}}
        ]}))}}),
        json!({}),
    ));
    let params = &op(&l.connector, "A").parameters;
    let table = params[0].dynamic_values.as_ref().unwrap();
    assert_eq!(table.source, DynamicValuesSource::Values);
    assert_eq!(table.operation_id.as_deref(), Some("Tables"));
    assert_eq!(
        (
            table.collection.as_deref(),
            table.value_path.as_deref(),
            table.title_path.as_deref()
        ),
        (Some("value"), Some("id"), Some("name"))
    );
    assert_eq!(
        table.parameters,
        vec![
            DynamicParameter {
                name: "site".into(),
                argument: DynamicArgument::Reference(Some("site".into()))
            },
            DynamicParameter {
                name: "kind".into(),
                argument: DynamicArgument::Literal(json!("list"))
            },
            DynamicParameter {
                name: "n".into(),
                argument: DynamicArgument::Literal(json!(3))
            },
        ]
    );
    let list = params[1].dynamic_values.as_ref().unwrap();
    assert_eq!(
        (list.source, list.operation_id.as_deref()),
        (DynamicValuesSource::List, Some("Lists"))
    );
    assert_eq!(list.collection.as_deref(), Some("items"));
    assert!(params[2].dynamic_values.is_none());
    // A designer capability supplies the values: not an error.
    let picker = params[3].dynamic_values.as_ref().unwrap();
    assert_eq!(
        (picker.operation_id.as_deref(), picker.capability.as_deref()),
        (None, Some("file-picker"))
    );
    assert!(
        !l.diagnostics
            .iter()
            .any(|d| d.pointer.contains("parameters/3"))
    );
    let d = warning_at(
        &l,
        &text,
        "/paths/~1a/get/parameters/1/x-ms-dynamic-values",
        "\"x-ms-dynamic-values\": {",
        1,
    );
    assert!(d.message.contains("no `operationId`"), "{d}");
    warning_at(
        &l,
        &text,
        "/paths/~1a/get/parameters/2/x-ms-dynamic-values",
        "\"x-ms-dynamic-values\": [",
        0,
    );
}

#[test]
fn dynamic_schemas_stay_dynamic_without_an_operation() {
    let body = |ext: serde_json::Value| {
        let mut schema = json!({"type": "object"});
        if let (Some(s), Some(e)) = (schema.as_object_mut(), ext.as_object()) {
            s.extend(e.clone());
        }
        json!({"parameters": [{"in": "body", "name": "body", "schema": schema}]})
    };
    let (l, text) = load(swagger(
        json!({
            "/a": {"post": get("A", body(json!({"x-ms-dynamic-schema": {"operationId": "Schema", "value-path": "schema", "parameters": {"t": {"parameter": "table"}}}})))},
            "/b": {"post": get("B", body(json!({"x-ms-dynamic-properties": {"operationId": "Props", "itemValuePath": "props"}})))},
            "/c": {"post": get("C", body(json!({"x-ms-dynamic-schema": {"value-path": "schema"}})))}
        }),
        json!({}),
    ));
    let dynamic = |id: &str| {
        let BodyContent::Schema(s) = &op(&l.connector, id).body.as_ref().unwrap().content else {
            panic!()
        };
        s.dynamic_schema.as_deref().cloned().unwrap()
    };
    let a = dynamic("A");
    assert_eq!(
        (a.source, a.operation_id.as_deref(), a.value_path.as_deref()),
        (DynamicSchemaSource::Schema, Some("Schema"), Some("schema"))
    );
    assert_eq!(
        a.parameters[0].argument,
        DynamicArgument::Reference(Some("table".into()))
    );
    let b = dynamic("B");
    assert_eq!(
        (b.source, b.operation_id.as_deref(), b.value_path.as_deref()),
        (
            DynamicSchemaSource::Properties,
            Some("Props"),
            Some("props")
        )
    );
    let c = dynamic("C");
    assert_eq!(
        (c.source, c.operation_id),
        (DynamicSchemaSource::Schema, None)
    );
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.pointer.ends_with("x-ms-dynamic-schema") && d.pointer.contains("~1c"))
        .unwrap();
    assert!(
        d.message.contains("no `operationId`") && d.location.is_some(),
        "{d}"
    );
    let _ = text;
}

#[test]
fn dynamic_trees_are_typed() {
    let (l, text) = load(swagger(
        json!({"/a": {"get": get("A", json!({"parameters": [
            {"in": "query", "name": "folder", "type": "string", "x-ms-dynamic-tree": {
                "settings": {"canSelectParentNodes": true, "canSelectLeafNodes": false},
                "open": {"operationId": "Root", "itemValuePath": "Id", "itemTitlePath": "Name", "itemIsParent": "(IsFolder eq true)"},
                "browse": {"itemValuePath": "Id", "parameters": {"id": {"selectedItemValuePath": "Id"}}}}}
        ]}))}}),
        json!({}),
    ));
    let tree = op(&l.connector, "A").parameters[0]
        .dynamic_tree
        .as_ref()
        .unwrap();
    assert!(tree.can_select_parents && !tree.can_select_leaves);
    let open = tree.open.as_ref().unwrap();
    assert_eq!(open.operation_id, "Root");
    assert_eq!(
        (open.value_path.as_deref(), open.title_path.as_deref()),
        (Some("Id"), Some("Name"))
    );
    assert_eq!(open.is_parent.as_deref(), Some("(IsFolder eq true)"));
    assert!(tree.browse.is_none());
    let d = warning_at(
        &l,
        &text,
        "/paths/~1a/get/parameters/0/x-ms-dynamic-tree/browse",
        "\"browse\"",
        0,
    );
    assert!(d.message.contains("no `operationId`"), "{d}");
}

#[test]
fn user_confirmation_comes_from_the_operation_or_openai_data() {
    let (l, text) = load(swagger(
        json!({
            "/a": {"post": get("A", json!({"x-ms-require-user-confirmation": true}))},
            "/b": {"post": get("B", json!({}))},
            "/c": {"post": get("C", json!({"x-ms-require-user-confirmation": "yes please"}))},
            "/d": {"post": get("D", json!({}))}
        }),
        json!({"x-ms-openai-data": {"operations": [
            {"operationId": "B", "x-ms-require-user-confirmation": "true"},
            {"operationId": "D", "x-ms-require-user-confirmation": false}
        ]}}),
    ));
    let c = &l.connector;
    assert!(op(c, "A").requires_confirmation);
    assert!(op(c, "B").requires_confirmation);
    assert!(!op(c, "C").requires_confirmation);
    assert!(!op(c, "D").requires_confirmation);
    warning_at(
        &l,
        &text,
        "/paths/~1c/post/x-ms-require-user-confirmation",
        "\"yes please\"",
        0,
    );
}

#[test]
fn capabilities_and_connector_metadata_are_typed() {
    let (l, text) = load(swagger(
        json!({"/a": {"get": get("A", json!({}))}}),
        json!({
            "x-ms-capabilities": {"testConnection": {"operationId": "A"}, "file-picker": {"open": {}}, "chunkTransfer": true},
            "x-ms-connector-metadata": [
                {"propertyName": "Website", "propertyValue": "https://example.com"},
                {"propertyName": "Broken"},
                {"propertyName": "Categories", "propertyValue": ["AI", "Data"]}
            ]
        }),
    ));
    let c = &l.connector;
    assert_eq!(
        c.designer_capabilities.test_connection.as_deref(),
        Some("A")
    );
    let mut others = c.designer_capabilities.others.clone();
    others.sort();
    assert_eq!(others, vec!["chunkTransfer", "file-picker"]);
    assert_eq!(
        c.connector_metadata,
        vec![
            ConnectorMetadata {
                name: "Website".into(),
                value: "https://example.com".into()
            },
            ConnectorMetadata {
                name: "Categories".into(),
                value: r#"["AI","Data"]"#.into()
            },
        ]
    );
    // The entry's opening brace is the line before its `propertyName`.
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.pointer == "/x-ms-connector-metadata/1")
        .unwrap();
    let broken = text.lines().position(|l| l.contains("\"Broken\"")).unwrap() + 1;
    assert_eq!(d.location.map(|at| at.line), Some(broken - 1), "{d}");

    let (l, text) = load(swagger(
        json!({}),
        json!({"x-ms-capabilities": {"testConnection": {"operation": "A"}}, "x-ms-connector-metadata": "none"}),
    ));
    assert_eq!(l.connector.designer_capabilities.test_connection, None);
    assert!(l.connector.connector_metadata.is_empty());
    warning_at(
        &l,
        &text,
        "/x-ms-capabilities/testConnection",
        "\"testConnection\"",
        0,
    );
    warning_at(
        &l,
        &text,
        "/x-ms-connector-metadata",
        "\"x-ms-connector-metadata\"",
        0,
    );
}

#[test]
fn test_values_url_encoding_and_summaries_are_typed() {
    let (l, text) = load(swagger(
        json!({"/a/{id}": {"get": get("A", json!({"parameters": [
            {"in": "path", "name": "id", "type": "string", "required": true, "x-ms-url-encoding": "double", "x-ms-test-value": "abc", "x-ms-summary": "Id"},
            {"in": "query", "name": "n", "type": "integer", "x-ms-url-encoding": "triple", "x-ms-test-value": 5, "x-ms-summary": 12},
            {"in": "query", "name": "o", "type": "string", "x-ms-test-value": {"a": 1}, "x-ms-summary": {"text": "O"}}
        ]}))}}),
        json!({}),
    ));
    let p = &op(&l.connector, "A").parameters;
    assert!(p[0].double_encoded && !p[1].double_encoded);
    assert_eq!(p[0].test_value.as_deref(), Some("abc"));
    assert_eq!(p[1].test_value.as_deref(), Some("5"));
    assert_eq!(p[2].test_value.as_deref(), Some(r#"{"a":1}"#));
    assert_eq!(
        (
            p[0].summary.as_deref(),
            p[1].summary.as_deref(),
            p[2].summary.as_deref()
        ),
        (Some("Id"), Some("12"), None)
    );
    warning_at(
        &l,
        &text,
        "/paths/~1a~1{id}/get/parameters/1/x-ms-url-encoding",
        "\"triple\"",
        0,
    );
    warning_at(
        &l,
        &text,
        "/paths/~1a~1{id}/get/parameters/2/x-ms-test-value",
        "\"x-ms-test-value\": {",
        0,
    );
    warning_at(
        &l,
        &text,
        "/paths/~1a~1{id}/get/parameters/2/x-ms-summary",
        "\"x-ms-summary\": {",
        0,
    );
}

#[test]
fn malformed_paging_warns_and_takes_the_defaults() {
    let (l, text) = load(swagger(
        json!({
            "/a": {"get": get("A", json!({"x-ms-pageable": {"nextLinkName": "next", "itemName": 7}}))},
            "/b": {"get": get("B", json!({"x-ms-pageable": "yes"}))},
            "/c": {"get": get("C", json!({"x-ms-pageable": {"nextLinkName": false}}))}
        }),
        json!({}),
    ));
    let c = &l.connector;
    let a = op(c, "A").pageable.as_ref().unwrap();
    assert_eq!((a.next_link(), a.items.as_str()), (Some("next"), "value"));
    let b = op(c, "B").pageable.as_ref().unwrap();
    assert_eq!(
        (b.next_link(), b.items.as_str()),
        (Some("nextLink"), "value")
    );
    assert_eq!(op(c, "C").pageable.as_ref().unwrap().next_link(), None);
    warning_at(
        &l,
        &text,
        "/paths/~1a/get/x-ms-pageable/itemName",
        "\"itemName\": 7",
        0,
    );
    warning_at(
        &l,
        &text,
        "/paths/~1b/get/x-ms-pageable",
        "\"x-ms-pageable\": \"yes\"",
        0,
    );
    warning_at(
        &l,
        &text,
        "/paths/~1c/get/x-ms-pageable/nextLinkName",
        "\"nextLinkName\": false",
        0,
    );
}

#[test]
fn openapi3_yaml_extensions_are_typed_and_located_too() {
    let text = "openapi: 3.0.0
info:
  title: Y
  version: '1'
x-ms-capabilities: [testConnection]
paths:
  /rows:
    get:
      operationId: Rows
      x-ms-trigger: Single
      x-ms-pageable:
        itemName: [rows]
      parameters:
        - name: table
          in: query
          schema: {type: string}
          x-ms-dynamic-list:
            operationId: Tables
            itemsPath: value
      responses:
        '200': {description: ok}
";
    let l = Loader::new()
        .load_bytes("openapi.yaml", text.as_bytes(), None)
        .unwrap();
    let rows = op(&l.connector, "Rows");
    assert_eq!(rows.trigger, Some(TriggerKind::Single));
    let list = rows.parameters[0].dynamic_values.as_ref().unwrap();
    assert_eq!(
        (list.source, list.operation_id.as_deref()),
        (DynamicValuesSource::List, Some("Tables"))
    );
    let at = |pointer: &str| {
        let d = l
            .diagnostics
            .iter()
            .find(|d| d.pointer == pointer)
            .unwrap_or_else(|| panic!("no warning at {pointer}: {:#?}", l.diagnostics));
        assert_eq!(d.file.to_string_lossy(), "openapi.yaml");
        d.location.map(|at| at.line)
    };
    assert_eq!(at("/x-ms-capabilities"), Some(5));
    assert_eq!(at("/paths/~1rows/get/x-ms-pageable/itemName"), Some(12));
}
