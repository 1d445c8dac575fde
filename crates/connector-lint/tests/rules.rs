//! One focused test per rule: the clean fixture (a complete, valid connector) yields no
//! finding, and each rule's minimal violation of it yields that rule's finding, located.

use std::collections::BTreeSet;

use connector_lint::{Finding, Linter, RULES};
use serde_json::{Value, json};

const DEF: &str = include_str!("fixtures/clean/apiDefinition.swagger.json");
const PROPS: &str = include_str!("fixtures/clean/apiProperties.json");

fn base() -> (Value, Option<Value>) {
    (
        serde_json::from_str(DEF).expect("fixture"),
        Some(serde_json::from_str(PROPS).expect("fixture")),
    )
}

fn lint(def: &Value, props: Option<&Value>) -> Vec<Finding> {
    let def = serde_json::to_vec_pretty(def).expect("json");
    let props = props.map(|p| serde_json::to_vec_pretty(p).expect("json"));
    Linter::new()
        .lint_bytes("apiDefinition.swagger.json", &def, props.as_deref())
        .expect("loads")
        .findings
}

fn set(doc: &mut Value, pointer: &str, v: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let key = key.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent).expect(parent) {
        Value::Object(m) => {
            m.insert(key, v);
        }
        Value::Array(a) => {
            let i = key.parse::<usize>().expect("index");
            if i == a.len() {
                a.push(v);
            } else {
                a[i] = v;
            }
        }
        _ => panic!("{parent} is not a container"),
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let key = key.replace("~1", "/").replace("~0", "~");
    doc.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .expect(parent)
        .shift_remove(&key);
}

const LIST: &str = "/paths/~1tasks/get";
const CREATE: &str = "/paths/~1tasks/post";
const GET: &str = "/paths/~1tasks~1{id}/get";

type Mutation = fn(&mut Value, &mut Option<Value>);

/// Each rule's minimal violation of the clean fixture.
const CASES: &[(&str, Mutation)] = &[
    ("family-too-many-active", |d, _| {
        set(
            d,
            &format!("{CREATE}/x-ms-api-annotation"),
            json!({"family": "ListTasks", "revision": 2}),
        );
        set(
            d,
            &format!("{GET}/x-ms-api-annotation"),
            json!({"family": "ListTasks", "revision": 3}),
        );
    }),
    ("family-duplicate-revision", |d, _| {
        set(
            d,
            &format!("{CREATE}/x-ms-api-annotation"),
            json!({"family": "ListTasks", "revision": 1}),
        );
    }),
    ("revision-invalid", |d, _| {
        set(
            d,
            &format!("{LIST}/x-ms-api-annotation"),
            json!({"revision": ""}),
        );
    }),
    ("operation-id-revision-suffix", |d, _| {
        set(
            d,
            &format!("{LIST}/x-ms-api-annotation"),
            json!({"family": "ListTasks", "revision": 2}),
        );
    }),
    ("operation-status-ahead", |d, _| {
        set(d, "/x-ms-api-annotation", json!({"status": "Preview"}));
        set(
            d,
            &format!("{LIST}/x-ms-api-annotation"),
            json!({"status": "Production"}),
        );
    }),
    ("replacement-invalid", |d, _| {
        set(
            d,
            &format!("{LIST}/x-ms-api-annotation"),
            json!({"replacement": {"api": "tasks"}}),
        );
    }),
    ("operation-id-missing", |d, _| {
        remove(d, &format!("{GET}/operationId"))
    }),
    ("operation-id-duplicate", |d, _| {
        set(d, &format!("{GET}/operationId"), json!("listtasks"));
    }),
    ("operation-id-too-long", |d, _| {
        set(d, &format!("{GET}/operationId"), json!("G".repeat(81)));
    }),
    ("summary-too-long", |d, _| {
        set(d, &format!("{GET}/summary"), json!("s".repeat(121)));
    }),
    ("summary-restricted-characters", |d, _| {
        set(d, &format!("{GET}/summary"), json!("Get a <task>"));
    }),
    ("pageable-next-link-name", |d, _| {
        set(
            d,
            &format!("{LIST}/x-ms-pageable"),
            json!({"nextLinkName": "next"}),
        );
    }),
    ("multiple-success-schemas", |d, _| {
        set(
            d,
            &format!("{GET}/responses/203"),
            json!({"description": "x", "schema": {"type": "string"}}),
        );
    }),
    ("mime-type-invalid", |d, _| {
        set(d, "/consumes", json!(["json"]))
    }),
    ("path-parameter-url-encoding", |d, _| {
        remove(d, &format!("{GET}/parameters/0/x-ms-url-encoding"));
    }),
    ("internal-required-without-default", |d, _| {
        set(
            d,
            &format!("{LIST}/parameters/1"),
            json!({
            "name": "api-version", "in": "query", "required": true, "type": "string",
            "x-ms-visibility": "internal", "x-ms-summary": "Version"}),
        );
    }),
    ("dynamic-values-invalid", |d, _| {
        set(
            d,
            &format!("{LIST}/parameters/0/x-ms-dynamic-values"),
            json!({"operationId": "NoSuchOperation", "value-path": "id"}),
        );
    }),
    ("dynamic-schema-invalid", |d, _| {
        set(
            d,
            &format!("{CREATE}/parameters/0/schema"),
            json!({
            "type": "object",
            "x-ms-dynamic-schema": {"operationId": "NoSuchOperation", "value-path": "schema"}}),
        );
    }),
    ("notification-invalid", |d, _| {
        set(
            d,
            "/paths/~1hooks",
            json!({"post": {
            "operationId": "OnTaskCreated", "summary": "When a task is created",
            "description": "Fires on new tasks.", "x-ms-trigger": "single",
            "parameters": [{"name": "callback", "in": "query", "type": "string",
                "x-ms-notification-url": true, "x-ms-visibility": "internal"}],
            "responses": {"201": {"description": "ok"}}}}),
        );
    }),
    ("title-too-long", |d, _| {
        set(d, "/info/title", json!("Contoso Tasks For Every Team Ever"))
    }),
    ("title-restricted-words", |d, _| {
        set(d, "/info/title", json!("Contoso Tasks API"))
    }),
    ("contact-missing", |d, _| remove(d, "/info/contact")),
    ("connector-metadata-missing", |d, _| {
        remove(d, "/x-ms-connector-metadata")
    }),
    ("connector-categories-invalid", |d, _| {
        set(
            d,
            "/x-ms-connector-metadata/2/propertyValue",
            json!("Productivity;Gizmos"),
        );
    }),
    ("operation-summary-missing", |d, _| {
        remove(d, &format!("{GET}/summary"))
    }),
    ("operation-description-missing", |d, _| {
        remove(d, &format!("{GET}/description"))
    }),
    ("parameter-summary-missing", |d, _| {
        remove(d, &format!("{LIST}/parameters/0/x-ms-summary"))
    }),
    ("property-summary-missing", |d, _| {
        remove(d, "/definitions/Task/properties/title/x-ms-summary");
    }),
    ("error-response-schema", |d, _| {
        remove(d, "/definitions/Error/properties/correlationId")
    }),
    ("throttling-retry-after", |d, _| {
        remove(d, &format!("{LIST}/responses/429/headers"))
    }),
    ("list-operation-paginated", |d, _| {
        remove(d, &format!("{LIST}/x-ms-pageable"))
    }),
    ("examples-missing", |d, _| {
        remove(d, &format!("{GET}/parameters/0/x-ms-test-value"))
    }),
    ("example-secret", |d, _| {
        set(
            d,
            &format!("{GET}/parameters/0/x-ms-test-value"),
            json!("sk-live0123456789abcdefghij"),
        );
    }),
    ("https-only", |d, _| {
        set(d, "/schemes", json!(["http", "https"]))
    }),
    ("auth-missing", |d, p| {
        remove(d, "/securityDefinitions");
        remove(d, "/security");
        *p = None;
    }),
    ("api-properties-security-mismatch", |_, p| {
        *p = Some(json!({"properties": {"connectionParameters": {
            "api_key": {"type": "securestring", "uiDefinition": {"displayName": "API key"}}}}}));
    }),
    ("path-template-name-invalid", |d, _| {
        let item = d["paths"]["/tasks/{id}"].clone();
        let item = serde_json::to_string(&item)
            .expect("json")
            .replace("\"id\"", "\"task id\"");
        set(
            d,
            "/paths/~1tasks~1{task id}",
            serde_json::from_str(&item).expect("json"),
        );
        remove(d, "/paths/~1tasks~1{id}");
    }),
    ("media-type-missing", |d, _| {
        // CreateTask takes a body; the global list now declares no media type for it.
        set(d, "/consumes", json!([]))
    }),
];

/// Variants of the clean fixture that must stay clean of one rule (false positives seen
/// on the corpus).
const CLEAN_VARIANTS: &[(&str, Mutation)] = &[
    ("media-type-missing", |d, _| {
        // An empty `consumes` on an operation without a body clears nothing it needs.
        set(d, &format!("{LIST}/consumes"), json!([]))
    }),
    ("notification-invalid", |d, _| {
        // The callback URL nested in the body (Gravity Forms), with notification content.
        set(
            d,
            "/paths/~1hooks",
            json!({
            "x-ms-notification-content": {"schema": {"type": "object"}},
            "post": {
                "operationId": "OnTaskCreated", "x-ms-trigger": "single",
                "parameters": [{"name": "body", "in": "body", "schema": {"type": "object",
                    "properties": {"meta": {"type": "object", "properties": {
                        "url": {"type": "string", "x-ms-notification-url": true}}}}}}],
                "responses": {"201": {"description": "ok"}}}}),
        );
    }),
    ("example-secret", |d, _| {
        // Identifiers under token-like names are not secrets (smapOne, paging tokens).
        set(
            d,
            "/definitions/Task/example",
            json!({
            "TokenId": "7070e1e4-3887-4a79-9ee9-5cf06549cb6b",
            "ContinuationToken": "c29tZS1wYWdpbmctY3Vyc29y", "token": "<your token>"}),
        );
    }),
    ("summary-restricted-characters", |d, _| {
        set(
            d,
            &format!("{LIST}/parameters/0/x-ms-summary"),
            json!("Filter [company] {id} a|b"),
        );
    }),
    ("dynamic-values-invalid", |d, _| {
        // A list of plain values needs no value-path (iMIS).
        set(
            d,
            &format!("{GET}/parameters/0/x-ms-dynamic-values"),
            json!({"operationId": "ListTasks"}),
        );
    }),
];

#[test]
fn corpus_false_positives_stay_clean() {
    for (rule, mutate) in CLEAN_VARIANTS {
        let (mut def, mut props) = base();
        mutate(&mut def, &mut props);
        let hits: Vec<Finding> = lint(&def, props.as_ref())
            .into_iter()
            .filter(|f| f.rule == *rule)
            .collect();
        assert!(hits.is_empty(), "{rule}: {hits:#?}");
    }
}

#[test]
fn the_clean_fixture_has_no_finding() {
    let (def, props) = base();
    let findings = lint(&def, props.as_ref());
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn every_rule_has_a_case_and_every_case_a_rule() {
    let rules: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    let cases: BTreeSet<&str> = CASES.iter().map(|(id, _)| *id).collect();
    assert_eq!(rules, cases);
    assert_eq!(cases.len(), CASES.len(), "a rule has two cases");
}

#[test]
fn each_rule_fires_on_its_minimal_violation_with_a_location() {
    let mut failures = Vec::new();
    for (rule, mutate) in CASES {
        let (mut def, mut props) = base();
        mutate(&mut def, &mut props);
        let findings = lint(&def, props.as_ref());
        let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == *rule).collect();
        if hits.is_empty() {
            failures.push(format!("{rule}: no finding; got {findings:#?}"));
            continue;
        }
        for f in hits {
            if f.line == 0 || f.column == 0 || f.message.is_empty() || f.hint.is_empty() {
                failures.push(format!("{rule}: finding not located or empty: {f:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn allowed_rules_are_silent_per_run_and_per_definition() {
    let (mut def, props) = base();
    remove(&mut def, "/info/contact");
    let run = Linter::new().allow(["contact-missing"]);
    let bytes = serde_json::to_vec(&def).expect("json");
    let props_bytes = serde_json::to_vec(&props).expect("json");
    let findings = run
        .lint_bytes("apiDefinition.swagger.json", &bytes, Some(&props_bytes))
        .expect("loads")
        .findings;
    assert!(findings.is_empty(), "{findings:?}");

    set(
        &mut def,
        "/x-connector-gen-lint",
        json!({"allow": ["contact-missing"]}),
    );
    assert!(lint(&def, props.as_ref()).is_empty());
}

#[test]
fn findings_point_at_the_violating_member() {
    let (mut def, props) = base();
    remove(&mut def, &format!("{GET}/parameters/0/x-ms-url-encoding"));
    let text = serde_json::to_string_pretty(&def).expect("json");
    let f = lint(&def, props.as_ref())
        .into_iter()
        .find(|f| f.rule == "path-parameter-url-encoding")
        .expect("finding");
    assert_eq!(f.pointer, "/paths/~1tasks~1{id}/get/parameters/0");
    let line = text.lines().nth(f.line - 1).expect("line");
    assert!(line.contains('{'), "line {} is `{line}`", f.line);
    let before = text.lines().nth(f.line - 2).expect("line");
    assert!(before.contains("\"parameters\""), "`{before}`");
}

#[test]
fn api_properties_findings_point_into_api_properties_json() {
    let (def, props) = base();
    let mut props = props.expect("props");
    set(
        &mut props,
        "/properties/connectionParameters/token/oAuthSettings/customParameters/tokenUrl",
        json!({"value": "http://login.contoso.example/token"}),
    );
    let f = lint(&def, Some(&props))
        .into_iter()
        .find(|f| f.rule == "https-only")
        .expect("https-only finding");
    assert_eq!(f.file, std::path::Path::new("apiProperties.json"));
    assert_eq!(f.pointer, "/properties/connectionParameters/token");
    let text = serde_json::to_string_pretty(&props).expect("json");
    let line = text.lines().nth(f.line - 1).expect("line");
    assert!(line.contains("\"token\""), "line {} is `{line}`", f.line);
}
