//! Unit tests of reading `apiProperties.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::diagnostics::{Diagnostic, Severity};
use crate::report::Syntax;
use crate::source;

fn run(text: &str) -> (ApiProperties, Vec<Diagnostic>) {
    let mut rep = Reporter::new(PathBuf::from("apiProperties.json"), text, Syntax::Json);
    let doc = source::parse(&mut rep).unwrap_or(Value::Null);
    let out = interpret(&doc, &mut rep);
    (out, rep.diagnostics)
}

#[test]
fn connection_parameters_and_oauth() {
    let (p, d) = run(r#"{"properties": {
  "capabilities": ["actions"],
  "connectionParameters": {
"api_key": {"type": "securestring", "uiDefinition": {"displayName": "API Key",
    "description": "The key", "tooltip": "tip", "constraints": {"required": "true", "clearText": false}}},
"region": {"type": "string", "defaultValue": "eu", "uiDefinition": {"constraints": {"required": "false",
    "allowedValues": [{"text": "Europe", "value": "eu"}, {"text": "US", "value": "us"}]}}},
"token": {"type": "oAuthSetting", "oAuthSettings": {"identityProvider": "oauth2", "clientId": "cid",
    "scopes": ["read", "write"], "redirectUrl": "https://global.consent.azure-apim.net/redirect",
    "customParameters": {"AuthorizationUrl": {"value": "https://idp/authorize"},
        "tokenUrl": {"value": "https://idp/token"}, "refreshUrl": {"value": "https://idp/refresh"}}}},
"aadtoken": {"type": "oauthSetting", "oAuthSettings": {"identityProvider": "aad",
    "customParameters": {"loginUri": {"value": "https://login.windows.net"}, "tenantId": {"value": "common"},
        "resourceUri": {"value": "https://graph.microsoft.com"}}}},
"gw": {"type": "gatewaySetting"}
  },
  "scriptOperations": ["A"]
}}"#);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(p.capabilities, ["actions"]);
    assert_eq!(p.script_operations, Some(vec!["A".to_owned()]));
    let c = p.connection.expect("connection");
    assert_eq!(c.parameters.len(), 5);
    let key = &c.parameters[0];
    assert_eq!(key.name, "api_key");
    assert_eq!(key.kind, ConnectionParameterKind::SecureString);
    assert!(key.required && key.is_secret());
    assert_eq!(key.display_name.as_deref(), Some("API Key"));
    assert_eq!(key.tooltip.as_deref(), Some("tip"));
    let region = &c.parameters[1];
    assert!(!region.required);
    assert_eq!(region.default.as_deref(), Some("eu"));
    assert_eq!(region.allowed_values[1].value, "us");
    assert_eq!(region.allowed_values[1].text.as_deref(), Some("US"));
    let ConnectionParameterKind::OAuth(o) = &c.parameters[2].kind else {
        panic!("oauth expected")
    };
    assert_eq!(o.identity_provider, IdentityProvider::OAuth2);
    assert_eq!(o.client_id.as_deref(), Some("cid"));
    assert_eq!(o.scopes, ["read", "write"]);
    assert_eq!(
        o.authorization_url.as_deref(),
        Some("https://idp/authorize")
    );
    assert_eq!(o.token_url.as_deref(), Some("https://idp/token"));
    assert_eq!(o.refresh_url.as_deref(), Some("https://idp/refresh"));
    let ConnectionParameterKind::OAuth(a) = &c.parameters[3].kind else {
        panic!("oauth expected")
    };
    assert_eq!(a.identity_provider, IdentityProvider::Aad);
    assert_eq!(
        a.authorization_url.as_deref(),
        Some("https://login.windows.net/common/oauth2/authorize")
    );
    assert_eq!(
        a.token_url.as_deref(),
        Some("https://login.windows.net/common/oauth2/token")
    );
    assert_eq!(a.resource.as_deref(), Some("https://graph.microsoft.com"));
    assert_eq!(a.tenant.as_deref(), Some("common"));
    assert_eq!(c.parameters[4].kind, ConnectionParameterKind::Gateway);
}

#[test]
fn parameter_sets() {
    let (p, d) = run(r#"{"properties": {"connectionParameterSets": {
  "uiDefinition": {"displayName": "Authentication type"},
  "values": [
{"name": "oauth", "uiDefinition": {"displayName": "OAuth"}, "parameters": {
    "token": {"type": "oauthSetting", "oAuthSettings": {"identityProvider": "oauth2generic",
      "customParameters": {"authorizationUrlTemplate": {"value": "https://x/auth"},
        "authorizationUrlQueryStringTemplate": {"value": "?client_id={ClientId}"}}}}}},
{"name": "basic", "parameters": {
    "username": {"type": "string", "uiDefinition": {"constraints": {"required": "true"}}},
    "password": {"type": "securestring", "uiDefinition": {"constraints": {"required": true}}}}},
{"parameters": {}}
  ]}}}"#);
    let c = p.connection.expect("connection");
    assert!(c.parameters.is_empty());
    assert_eq!(
        c.parameter_sets_display_name.as_deref(),
        Some("Authentication type")
    );
    assert_eq!(c.parameter_sets.len(), 2);
    assert_eq!(c.parameter_sets[0].display_name.as_deref(), Some("OAuth"));
    let ConnectionParameterKind::OAuth(o) = &c.parameter_sets[0].parameters[0].kind else {
        panic!("oauth expected")
    };
    assert_eq!(o.identity_provider, IdentityProvider::OAuth2Generic);
    assert_eq!(
        o.authorization_url.as_deref(),
        Some("https://x/auth?client_id={ClientId}")
    );
    assert!(c.parameter_sets[1].parameters.iter().all(|p| p.required));
    assert_eq!(c.all_parameters().len(), 3);
    // The nameless set is reported, located.
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].pointer, "/properties/connectionParameterSets/values/2");
    assert!(d[0].location.is_some());
}

#[test]
fn policies_in_order_with_scope_section_and_parameters() {
    let (p, d) = run(r#"{"properties": {"policyTemplateInstances": [
  {"templateId": "setHeader", "title": "Set key", "parameters": {
 "x-ms-apimTemplateParameter.name": "X-Key",
 "x-ms-apimTemplateParameter.value": "@connectionParameters('api_key')",
 "x-ms-apimTemplateParameter.existsAction": "override",
 "x-ms-apimTemplate-policySection": "Request"}},
  {"templateId": "pollingtrigger", "type": "PollingTrigger", "parameters": {
 "x-ms-apimTemplate-operationName": ["OnNew"],
 "x-ms-apimTemplateParameter.triggerConfig": {"after": "@{triggerBody().value[0].id}"},
 "x-ms-apimTemplateParameter.triggerDataPath": "@triggerBody().value"}},
  {"templateId": "setconnectionstatustounauthenticated", "parameters": {"x-ms-apimTemplateParameter.statusCode": 401}},
  {"templateId": "makecoffee", "parameters": {}},
  {"title": "no id"}
]}}"#);
    assert_eq!(p.policies.len(), 4);
    let h = &p.policies[0];
    assert_eq!(h.template, PolicyTemplate::SetHeader);
    assert!(h.operations.is_empty() && h.applies_to("Anything"));
    assert_eq!(h.section, Some(PolicySection::Request));
    assert_eq!(h.parameter_text("name").as_deref(), Some("X-Key"));
    let t = &p.policies[1];
    assert_eq!(t.kind.as_deref(), Some("PollingTrigger"));
    assert_eq!(t.operations, ["OnNew"]);
    assert!(t.applies_to("OnNew") && !t.applies_to("Other"));
    assert!(t.parameters["triggerConfig"].is_object());
    assert_eq!(
        p.policies[2].parameter_text("statusCode").as_deref(),
        Some("401")
    );
    assert_eq!(
        p.policies[3].template,
        PolicyTemplate::Unknown("makecoffee".into())
    );
    let warnings: Vec<_> = d.iter().map(|d| (d.pointer.as_str(), d.severity)).collect();
    assert_eq!(
        warnings,
        [
            (
                "/properties/policyTemplateInstances/3/templateId",
                Severity::Warning
            ),
            ("/properties/policyTemplateInstances/4", Severity::Warning),
        ]
    );
    assert!(d[0].message.contains("makecoffee"));
    assert!(d[0].location.is_some());
}

#[test]
fn odd_shapes_never_panic() {
    for text in [
        "null",
        "[]",
        r#"{"properties": 3}"#,
        r#"{"properties": {"connectionParameters": [], "policyTemplateInstances": {}}}"#,
        r#"{"properties": {"connectionParameters": {"a": 1, "b": {"type": 5}},
            "connectionParameterSets": {"values": [1, {"name": "x", "parameters": []}]},
            "policyTemplateInstances": [1, {"templateId": 3, "parameters": []},
              {"templateId": "setheader", "parameters": {"x-ms-apimTemplate-policySection": 9,
               "x-ms-apimTemplateParameter.": "x"}}]}}"#,
    ] {
        let _ = run(text);
    }
}

fn corpus_root() -> PathBuf {
    match std::env::var_os("CONNECTOR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    }
}

/// Every corpus `apiProperties.json` interprets without error, and every template id
/// it uses is known.
#[test]
fn corpus_api_properties_interpret() {
    let root = corpus_root().join("power-platform");
    if !root.is_dir() {
        eprintln!("SKIPPED: corpus not found at {}", root.display());
        return;
    }
    let mut files = Vec::new();
    for group in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for conn in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = conn.path().join("apiProperties.json");
            if p.is_file() {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut templates: BTreeMap<String, usize> = BTreeMap::new();
    let (mut connections, mut oauth, mut sets) = (0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let decoded = source::decode(&bytes);
        let mut rep = Reporter::new(f.clone(), &decoded.text, Syntax::Json);
        let Some(doc) = source::parse_api_properties(&mut rep) else {
            // Broken JSON is the reader's concern (already a located warning).
            continue;
        };
        let before = rep.diagnostics.len();
        let out = interpret(&doc, &mut rep);
        for d in &rep.diagnostics[before..] {
            failures.push(d.to_string());
        }
        if let Some(c) = &out.connection {
            connections += 1;
            sets += c.parameter_sets.len();
            oauth += c
                .all_parameters()
                .iter()
                .filter(|p| matches!(p.kind, ConnectionParameterKind::OAuth(_)))
                .count();
        }
        for p in &out.policies {
            *templates.entry(p.template.id().to_owned()).or_default() += 1;
        }
    }
    eprintln!(
        "{} apiProperties.json: {connections} with connection parameters, {oauth} OAuth parameters, {sets} parameter sets",
        files.len()
    );
    eprintln!("policy template ids seen (instances): {templates:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        templates
            .keys()
            .all(|t| PolicyTemplate::from_id(t).is_known())
    );
    assert!(files.len() > 500, "corpus too small: {}", files.len());
}
