//! Catalog rows: versions, lifecycle counts, triggers, policies, custom code.

use std::path::Path;

use connector_lint::catalog::describe;
use connector_lint::{Linter, Summary};
use serde_json::json;

#[test]
fn a_row_counts_families_lifecycle_triggers_and_policies() {
    let op = |id: &str, ann: serde_json::Value| {
        json!({"operationId": id, "summary": id, "x-ms-api-annotation": ann,
               "responses": {"200": {"description": "ok"}}})
    };
    let mut old = op(
        "GetItems",
        json!({"family": "GetItems", "revision": 1, "expires": "2027-01-31"}),
    );
    old["deprecated"] = json!(true);
    let mut hidden = op(
        "Sync",
        json!({"status": "Preview", "expires": "2026-12-31"}),
    );
    hidden["x-ms-visibility"] = json!("internal");
    let mut poll = op("OnNewItem", json!({}));
    poll["x-ms-trigger"] = json!("batch");
    let mut hook = op("OnChange", json!({}));
    hook["x-ms-trigger"] = json!("single");
    hook["parameters"] = json!([{"name": "body", "in": "body", "schema": {"type": "object",
        "properties": {"url": {"type": "string", "x-ms-notification-url": true}}}}]);
    let def = json!({
        "swagger": "2.0",
        "info": {"title": "Items", "version": "2.1"},
        "host": "items.example", "schemes": ["https"],
        "securityDefinitions": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
        "paths": {
            "/v1/items": {"get": old},
            "/v2/items": {"get": op("GetItems_V2", json!({"family": "GetItems", "revision": 2}))},
            "/sync": {"post": hidden},
            "/poll": {"get": poll},
            "/hooks": {"x-ms-notification-content": {"schema": {"type": "object"}}, "post": hook}
        }
    });
    let props = json!({"properties": {
        "publisher": "Fabrikam", "stackOwner": "Fabrikam Ops",
        "connectionParameters": {"api_key": {"type": "securestring"}},
        "policyTemplateInstances": [
            {"templateId": "setheader", "parameters": {"x-ms-apimTemplateParameter.name": "X-A",
             "x-ms-apimTemplateParameter.value": "1"}},
            {"templateId": "SetHeader", "parameters": {"x-ms-apimTemplateParameter.name": "X-B",
             "x-ms-apimTemplateParameter.value": "2"}}
        ],
        "scriptOperations": ["Sync"]
    }});
    let report = Linter::new()
        .lint_bytes(
            "apiDefinition.swagger.json",
            &serde_json::to_vec(&def).expect("json"),
            Some(&serde_json::to_vec(&props).expect("json")),
        )
        .expect("loads");
    let lint = Summary::of(&report.findings);
    let row = describe(Path::new("items"), &report.connector, lint);
    assert_eq!(row.title, "Items");
    assert_eq!(row.version, "2.1");
    assert_eq!(row.publisher.as_deref(), Some("Fabrikam"));
    assert_eq!(row.stack_owner.as_deref(), Some("Fabrikam Ops"));
    assert_eq!(row.operations, 5);
    let get_items = row
        .families
        .iter()
        .find(|f| f.name == "GetItems")
        .expect("family");
    assert_eq!(get_items.revisions, vec![1, 2]);
    assert_eq!((row.preview, row.deprecated, row.internal), (1, 1, 1));
    assert_eq!(row.nearest_expires.as_deref(), Some("2026-12-31"));
    assert_eq!((row.polling_triggers, row.webhook_triggers), (1, 1));
    assert_eq!(row.policy_templates, vec!["setheader".to_owned()]);
    assert!(row.custom_code);
    assert_eq!(row.auth.len(), 1);
    assert_eq!(row.auth[0].method, "apiKey");
    assert!(row.lint_errors > 0, "contact and metadata are missing");
    assert_eq!(row.lint_errors, lint.error);
    assert_eq!(row.lint_warnings, lint.warning);
}
