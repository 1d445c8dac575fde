//! Loading real-world documents: external `$ref`s across files and folders, path-item
//! and operation `$ref`s, YAML integers beyond 64 bits, documentation fields of the
//! wrong type, operations without responses, 3.1 webhooks and 3.0 callbacks.

use std::path::{Path, PathBuf};

use connector_spec::{
    BodyContent, DiagnosticKind, Loaded, Loader, ParamLocation, Schema, SchemaKind, Severity,
    WebhookSource,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn multi_file() -> Loaded {
    Loader::new()
        .load(&fixture("multi-file/openapi.yaml"))
        .unwrap_or_else(|e| panic!("loads: {e}"))
}

fn load_yaml(text: &str) -> Loaded {
    Loader::new()
        .load_bytes("openapi.yaml", text.as_bytes(), None)
        .unwrap_or_else(|e| panic!("loads: {e}"))
}

fn op<'l>(loaded: &'l Loaded, id: &str) -> &'l connector_spec::Operation {
    loaded
        .connector
        .operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("operation {id}"))
}

fn object_property<'s>(schema: &'s Schema, name: &str) -> &'s Schema {
    match &schema.kind {
        SchemaKind::Object(o) => {
            &o.properties
                .iter()
                .find(|p| p.name == name)
                .unwrap_or_else(|| panic!("property {name}"))
                .schema
        }
        other => panic!("not an object: {other:?}"),
    }
}

#[test]
fn external_path_items_operations_and_parameters_are_resolved_across_folders() {
    let loaded = multi_file();
    let list = op(&loaded, "listPets");
    assert_eq!(list.path, "/pets");
    // `../shared/nested/params.json#/limit`, whose schema is a `#/...` pointer inside
    // that file.
    let limit = list
        .parameters
        .iter()
        .find(|p| p.name == "limit")
        .expect("the external parameter is kept");
    assert_eq!(limit.location, ParamLocation::Query);
    assert_eq!(
        limit.description.as_deref(),
        Some("How many pets to return.")
    );
    assert_eq!(limit.schema.kind, SchemaKind::Ref("Limit".into()));
    // Operation-level `$ref` is resolved with a warning.
    let get = op(&loaded, "getPet");
    assert_eq!(get.path, "/pets/{id}");
    let warning = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("the operation is a `$ref`"))
        .expect("operation-level $ref warns");
    assert_eq!(warning.pointer, "/paths/~1pets~1{id}/get");
    assert!(warning.file.ends_with("multi-file/openapi.yaml"));
    assert_eq!(warning.location.map(|l| l.line), Some(13));
    // A local path-item `$ref` is resolved without a warning.
    let local = op(&loaded, "getLocal");
    assert_eq!(local.path, "/local");
    // The tag description was a `$ref` to a YAML file.
    assert!(
        !loaded
            .diagnostics
            .iter()
            .any(|d| d.pointer.contains("/tags")),
        "{:?}",
        loaded.diagnostics
    );
}

#[test]
fn schemas_from_other_files_become_named_and_a_cross_file_cycle_is_recursive() {
    let loaded = multi_file();
    let schemas = &loaded.connector.schemas;
    // `components/schemas/Owner: {$ref: schemas/owner.yaml}` is Owner itself;
    // `schemas/pet.json` is named after its file.
    let owner = schemas.get("Owner").expect("Owner");
    let pet = schemas.get("pet").expect("pet from schemas/pet.json");
    assert_eq!(
        object_property(pet, "owner").kind,
        SchemaKind::Ref("Owner".into())
    );
    match &object_property(owner, "pets").kind {
        SchemaKind::Array(items) => assert_eq!(items.kind, SchemaKind::Ref("pet".into())),
        other => panic!("pets: {other:?}"),
    }
    // Both operations use the one `pet` schema.
    let get = op(&loaded, "getPet");
    let body = get.responses[0].schema.as_ref().expect("body");
    assert_eq!(body.kind, SchemaKind::Ref("pet".into()));
    // `params.json#/definitions/Limit` is a named schema too.
    assert_eq!(
        schemas.keys().map(String::as_str).collect::<Vec<_>>(),
        ["Limit", "Owner", "pet"]
    );
}

#[test]
fn every_referenced_file_is_hashed_sorted_after_the_definition() {
    let loaded = multi_file();
    let names: Vec<&str> = loaded
        .connector
        .sources
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "openapi.yaml",
            "paths/pet-get.json",
            "paths/pets.yaml",
            "schemas/owner.yaml",
            "schemas/pet.json",
            "shared/nested/params.json",
            "shared/texts.yaml",
        ]
    );
    assert!(
        loaded
            .connector
            .sources
            .iter()
            .all(|s| s.sha256.len() == 64)
    );
    // Deterministic.
    assert_eq!(multi_file().connector, loaded.connector);
}

#[test]
fn diagnostics_inside_a_referenced_file_point_into_that_file() {
    let loaded = multi_file();
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.pointer.ends_with("/properties/age"))
        .unwrap_or_else(|| panic!("age degrades: {:#?}", loaded.diagnostics));
    assert!(d.file.ends_with("schemas/pet.json"), "{d}");
    assert_eq!(d.pointer, "/properties/age");
    assert_eq!(d.location.map(|l| (l.line, l.column)), Some((6, 5)), "{d}");
}

#[test]
fn a_missing_file_is_an_error_located_in_the_referring_file() {
    let err = Loader::new()
        .load(&fixture("broken-ref/openapi.yaml"))
        .expect_err("a missing file fails the load");
    let d = err.primary().expect("an error");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.kind, DiagnosticKind::UnresolvedReference);
    assert!(d.file.ends_with("broken-ref/paths/a.yaml"), "{d}");
    assert_eq!(d.pointer, "/get/parameters/0");
    assert_eq!(d.location.map(|l| l.line), Some(4), "{d}");
    assert!(d.message.contains("../missing.json"), "{d}");
}

#[test]
fn url_references_are_never_fetched() {
    let loaded = load_yaml(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      \
         operationId: getA\n      responses:\n        '200':\n          description: ok\n          \
         content:\n            application/json:\n              schema:\n                \
         $ref: 'https://example.com/schemas/a.json'\n",
    );
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.kind == DiagnosticKind::UnresolvedReference)
        .expect("a located warning");
    assert!(d.message.contains("not fetched"), "{d}");
    assert_eq!(d.location.map(|l| l.line), Some(12), "{d}");
    let body = op(&loaded, "getA").responses[0].schema.clone();
    assert_eq!(body.map(|s| s.kind), Some(SchemaKind::Any));
    // Under --strict it is an error.
    assert!(
        Loader::new()
            .strict(true)
            .load_bytes(
                "openapi.yaml",
                b"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: 'http://x/y.yaml'\n",
                None,
            )
            .is_err()
    );
}

#[test]
fn yaml_integers_beyond_64_bits_are_read() {
    let loaded = load_yaml(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
         Seed:\n      type: integer\n      minimum: -9223372036854776000\n      maximum: \
         9223372036854776000\n",
    );
    assert!(loaded.connector.schemas.contains_key("Seed"));
    // A `minimum` only documents: no warning.
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}

#[test]
fn path_item_refs_documentation_fields_and_missing_responses() {
    let loaded = load_yaml(
        "openapi: 3.1.0\ninfo: {title: T, version: '1', description: 42}\ntags:\n  - name: a\n    \
         description: {text: not a string}\npaths:\n  /a:\n    $ref: '#/components/pathItems/A'\n  \
         /b:\n    post:\n      operationId: postB\n\
         components:\n  pathItems:\n    A:\n      get:\n        operationId: getA\n        \
         responses:\n          '204': {description: none}\n",
    );
    assert_eq!(op(&loaded, "getA").path, "/a");
    // No `responses` (allowed by 3.1): generated, returning no content.
    assert!(op(&loaded, "postB").responses.is_empty());
    assert_eq!(loaded.connector.description.as_deref(), Some("42"));
    let pointers: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        ["/info/description", "/tags/0/description"],
        "{:?}",
        loaded.diagnostics
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
}

#[test]
fn webhooks_and_callbacks_are_read_with_their_payloads() {
    let loaded = Loader::new()
        .load_bytes(
            "openapi.json",
            br##"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
              "paths": {"/subscribe": {"post": {"operationId": "subscribe",
                "responses": {"201": {"description": "ok"}},
                "callbacks": {"onEvent": {"$ref": "#/components/callbacks/OnEvent"}}}}},
              "webhooks": {"newPet": {"post": {"operationId": "newPetHook",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                "responses": {"200": {"description": "ok"}}}},
                "upload": {"post": {
                "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}},
              "components": {"schemas": {"Event": {"type": "object", "properties": {"id": {"type": "string"}}}},
                "callbacks": {"OnEvent": {"{$request.body#/url}": {"post": {
                  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                  "responses": {"200": {"description": "ok"}}}}}}}}"##,
            None,
        )
        .expect("loads");
    let hooks = &loaded.connector.webhooks;
    assert_eq!(hooks.len(), 2, "{hooks:?}");
    assert_eq!(hooks[0].name, "newPet");
    assert_eq!(hooks[0].source, WebhookSource::Webhook);
    assert_eq!(hooks[0].operation_id.as_deref(), Some("newPetHook"));
    assert_eq!(
        hooks[0].payload.schema.kind,
        SchemaKind::Ref("Event".into())
    );
    assert_eq!(hooks[1].name, "onEvent");
    assert_eq!(
        hooks[1].source,
        WebhookSource::Callback {
            operation: "subscribe".into(),
            expression: "{$request.body#/url}".into()
        }
    );
    // The binary webhook has no JSON decoder: a located skipped-construct warning.
    let skipped: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::SkippedConstruct)
        .collect();
    assert_eq!(skipped.len(), 1, "{:?}", loaded.diagnostics);
    assert_eq!(skipped[0].pointer, "/webhooks/upload/post");
    assert!(skipped[0].location.is_some());
    // The subscribing operation is still an operation with its body-less request.
    assert!(matches!(
        op(&loaded, "subscribe").body.as_ref().map(|b| &b.content),
        None | Some(BodyContent::Schema(_))
    ));
}

#[test]
fn a_definition_from_memory_reads_no_files() {
    let loaded = load_yaml(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      \
         operationId: getA\n      parameters:\n        - $ref: 'params.json#/p'\n      \
         responses:\n        '204': {description: none}\n",
    );
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.kind == DiagnosticKind::UnresolvedReference)
        .expect("a located warning");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.location.map(|l| l.line), Some(8), "{d}");
    assert!(op(&loaded, "getA").parameters.is_empty());
}
