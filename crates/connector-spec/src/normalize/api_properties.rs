//! `apiProperties.json` → typed model data: connection parameters (and parameter sets),
//! OAuth settings, policy template instances, capabilities and custom-code declarations.
//!
//! Lenient like the platform: stray keys are ignored, odd shapes are skipped with a
//! located warning, and unknown policy template ids produce a warning (they stay in the
//! model as [`PolicyTemplate::Unknown`] so later layers can fail clearly at run time).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::{
    AllowedValue, Connection, ConnectionParameter, ConnectionParameterKind, IdentityProvider,
    OAuthSetting, ParameterSet,
};
use crate::pointer::escape;
use crate::policy_template::{PolicyInstance, PolicySection, PolicyTemplate};
use crate::report::Reporter;

const OPERATION_NAME: &str = "x-ms-apimTemplate-operationName";
const POLICY_SECTION: &str = "x-ms-apimTemplate-policySection";
const PARAMETER_PREFIX: &str = "x-ms-apimTemplateParameter.";

/// Default AAD login base when `loginUri` is absent.
const AAD_LOGIN: &str = "https://login.microsoftonline.com";

/// What `apiProperties.json` says, interpreted.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ApiProperties {
    pub(crate) connection: Option<Connection>,
    pub(crate) policies: Vec<PolicyInstance>,
    pub(crate) capabilities: Vec<String>,
    /// `scriptOperations` when the key is present.
    pub(crate) script_operations: Option<Vec<String>>,
}

/// Interprets a parsed `apiProperties.json`; warnings go to `rep` (pointers into the file).
pub(crate) fn interpret(doc: &Value, rep: &mut Reporter<'_>) -> ApiProperties {
    let mut out = ApiProperties::default();
    let Some(props) = doc.get("properties").and_then(Value::as_object) else {
        if doc.get("properties").is_some() {
            rep.warn("/properties", "`properties` is not an object; ignored");
        }
        return out;
    };
    out.capabilities = strings(props.get("capabilities"));
    out.script_operations = props
        .get("scriptOperations")
        .map(|v| strings(Some(v)))
        .filter(|_| props.get("scriptOperations").is_some());

    let parameters = match props.get("connectionParameters") {
        Some(Value::Object(m)) => parameters(m, "/properties/connectionParameters", rep),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => {
            rep.warn(
                "/properties/connectionParameters",
                "`connectionParameters` is not an object; ignored",
            );
            Vec::new()
        }
    };
    let (parameter_sets, sets_name) = match props.get("connectionParameterSets") {
        Some(v) => parameter_sets(v, rep),
        None => (Vec::new(), None),
    };
    if !parameters.is_empty() || !parameter_sets.is_empty() {
        out.connection = Some(Connection {
            parameters,
            parameter_sets,
            parameter_sets_display_name: sets_name,
        });
    }

    match props.get("policyTemplateInstances") {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("/properties/policyTemplateInstances/{i}");
                if let Some(p) = policy(item, &at, rep) {
                    out.policies.push(p);
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => rep.warn(
            "/properties/policyTemplateInstances",
            "`policyTemplateInstances` is not an array; ignored",
        ),
    }
    out
}

/// Strings of an array (non-strings skipped); a single string is a one-element list.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A scalar as text (`"true"`, `true`, `401` → text).
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    text(v).is_some_and(|t| t.trim().eq_ignore_ascii_case("true"))
}

/// A key looked up case-insensitively (exact match first).
fn get_ci<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn parameter_sets(v: &Value, rep: &mut Reporter<'_>) -> (Vec<ParameterSet>, Option<String>) {
    let base = "/properties/connectionParameterSets";
    let Some(m) = v.as_object() else {
        rep.warn(base, "`connectionParameterSets` is not an object; ignored");
        return (Vec::new(), None);
    };
    let name = m
        .get("uiDefinition")
        .and_then(|u| text(u.get("displayName")));
    let mut sets = Vec::new();
    let values = m.get("values").and_then(Value::as_array);
    for (i, set) in values.into_iter().flatten().enumerate() {
        let at = format!("{base}/values/{i}");
        let Some(set) = set.as_object() else {
            rep.warn(&at, "parameter set is not an object; ignored");
            continue;
        };
        let Some(set_name) = text(set.get("name")) else {
            rep.warn(&at, "parameter set has no `name`; ignored");
            continue;
        };
        let ui = set.get("uiDefinition");
        let params = match set.get("parameters") {
            Some(Value::Object(p)) => parameters(p, &format!("{at}/parameters"), rep),
            _ => Vec::new(),
        };
        sets.push(ParameterSet {
            name: set_name,
            display_name: ui.and_then(|u| text(u.get("displayName"))),
            description: ui.and_then(|u| text(u.get("description"))),
            parameters: params,
        });
    }
    (sets, name)
}

fn parameters(
    m: &Map<String, Value>,
    at: &str,
    rep: &mut Reporter<'_>,
) -> Vec<ConnectionParameter> {
    let mut out = Vec::new();
    for (name, def) in m {
        let here = format!("{at}/{}", escape(name));
        let Some(def) = def.as_object() else {
            rep.warn(&here, "connection parameter is not an object; ignored");
            continue;
        };
        out.push(parameter(name, def, &here, rep));
    }
    out
}

fn parameter(
    name: &str,
    def: &Map<String, Value>,
    at: &str,
    rep: &mut Reporter<'_>,
) -> ConnectionParameter {
    let ty = text(def.get("type")).unwrap_or_default();
    let kind = match ty.to_ascii_lowercase().as_str() {
        "securestring" => ConnectionParameterKind::SecureString,
        "string" => ConnectionParameterKind::String,
        "int" => ConnectionParameterKind::Int,
        "bool" => ConnectionParameterKind::Bool,
        "gatewaysetting" => ConnectionParameterKind::Gateway,
        "oauthsetting" => {
            let settings = def
                .get("oAuthSettings")
                .or_else(|| def.get("oauthSettings"))
                .and_then(Value::as_object);
            match settings {
                Some(s) => ConnectionParameterKind::OAuth(Box::new(oauth(s))),
                None => {
                    rep.warn(at, "oauthSetting parameter without `oAuthSettings`");
                    ConnectionParameterKind::OAuth(Box::new(oauth(&Map::new())))
                }
            }
        }
        _ => ConnectionParameterKind::Other(ty),
    };
    let ui = def.get("uiDefinition").and_then(Value::as_object);
    let constraints = ui
        .and_then(|u| u.get("constraints"))
        .and_then(Value::as_object);
    let mut allowed_values = Vec::new();
    let allowed = constraints
        .and_then(|c| c.get("allowedValues"))
        .or_else(|| def.get("allowedValues"));
    for v in allowed.and_then(Value::as_array).into_iter().flatten() {
        let Some(value) = text(v.get("value")) else {
            continue;
        };
        let shown = text(v.get("text")).or_else(|| {
            v.get("uiDefinition")
                .and_then(|u| text(u.get("displayName")))
        });
        allowed_values.push(AllowedValue { value, text: shown });
    }
    ConnectionParameter {
        name: name.to_owned(),
        kind,
        required: constraints.is_some_and(|c| truthy(c.get("required"))),
        hidden: constraints.is_some_and(|c| truthy(c.get("hidden"))),
        display_name: ui.and_then(|u| text(u.get("displayName"))),
        description: ui.and_then(|u| text(u.get("description"))),
        tooltip: ui.and_then(|u| text(u.get("tooltip"))),
        default: text(def.get("defaultValue")),
        allowed_values,
    }
}

fn oauth(s: &Map<String, Value>) -> OAuthSetting {
    let provider_raw = text(s.get("identityProvider")).unwrap_or_default();
    let identity_provider = match provider_raw.to_ascii_lowercase().as_str() {
        "oauth2" => IdentityProvider::OAuth2,
        "aad" => IdentityProvider::Aad,
        "oauth2generic" => IdentityProvider::OAuth2Generic,
        "aadcertificate" => IdentityProvider::AadCertificate,
        _ => IdentityProvider::Other(provider_raw),
    };
    let mut custom = BTreeMap::new();
    if let Some(c) = s.get("customParameters").and_then(Value::as_object) {
        for (k, v) in c {
            let value = match v {
                Value::Object(o) => text(o.get("value")),
                other => text(Some(other)),
            };
            if let Some(value) = value {
                custom.insert(k.clone(), value);
            }
        }
    }
    let param = |key: &str| -> Option<String> {
        custom
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    };
    let login_uri = param("loginUri");
    let tenant = param("tenantId");
    let resource = param("resourceUri");
    let (authorization_url, token_url, refresh_url) = match identity_provider {
        IdentityProvider::Aad | IdentityProvider::AadCertificate => {
            let login = login_uri.clone().unwrap_or_else(|| AAD_LOGIN.to_owned());
            let login = login.trim_end_matches('/');
            let t = tenant.clone().unwrap_or_else(|| "common".to_owned());
            let token = format!("{login}/{t}/oauth2/token");
            (
                Some(format!("{login}/{t}/oauth2/authorize")),
                Some(token.clone()),
                Some(token),
            )
        }
        IdentityProvider::OAuth2Generic => {
            let join = |base: Option<String>, query: Option<String>| {
                base.map(|b| format!("{b}{}", query.unwrap_or_default()))
            };
            (
                join(
                    param("authorizationUrlTemplate"),
                    param("authorizationUrlQueryStringTemplate"),
                ),
                join(
                    param("tokenUrlTemplate"),
                    param("tokenUrlQueryStringTemplate"),
                ),
                join(
                    param("refreshUrlTemplate"),
                    param("refreshUrlQueryStringTemplate"),
                ),
            )
        }
        _ => (
            param("authorizationUrl"),
            param("tokenUrl"),
            param("refreshUrl").or_else(|| param("tokenUrl")),
        ),
    };
    let properties = s
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    OAuthSetting {
        identity_provider,
        client_id: text(s.get("clientId")).filter(|c| !c.trim().is_empty()),
        scopes: strings(s.get("scopes")),
        scope_delimiter: param("scopeListDelimiter").or_else(|| {
            custom
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("scopeListDelimiter"))
                .map(|(_, v)| v.clone())
        }),
        redirect_url: text(s.get("redirectUrl")).filter(|c| !c.trim().is_empty()),
        redirect_mode: text(s.get("redirectMode")),
        authorization_url,
        token_url,
        refresh_url,
        resource,
        tenant,
        login_uri,
        custom_parameters: custom,
        properties,
    }
}

fn policy(item: &Value, at: &str, rep: &mut Reporter<'_>) -> Option<PolicyInstance> {
    let Some(m) = item.as_object() else {
        rep.warn(at, "policy template instance is not an object; ignored");
        return None;
    };
    let Some(template_id) = get_ci(m, "templateId").and_then(|v| text(Some(v))) else {
        rep.warn(at, "policy template instance has no `templateId`; ignored");
        return None;
    };
    let template = PolicyTemplate::from_id(&template_id);
    if !template.is_known() {
        rep.warn(
            &format!("{at}/templateId"),
            format!(
                "unknown policy template `{template_id}`: it is kept, but calls to the operations it applies to will fail at run time with UNSUPPORTED"
            ),
        );
    }
    let mut operations = Vec::new();
    let mut section = None;
    let mut parameters = BTreeMap::new();
    let params = get_ci(m, "parameters").and_then(Value::as_object);
    for (k, v) in params.into_iter().flatten() {
        if k.eq_ignore_ascii_case(OPERATION_NAME) {
            operations = strings(Some(v));
        } else if k.eq_ignore_ascii_case(POLICY_SECTION) {
            let here = format!("{at}/parameters/{}", escape(k));
            section = match text(Some(v)).map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("request") => Some(PolicySection::Request),
                Some("response") => Some(PolicySection::Response),
                Some("failure") => Some(PolicySection::Failure),
                _ => {
                    rep.warn(
                        &here,
                        "unknown policy section (expected Request, Response or Failure); the template's default is used",
                    );
                    None
                }
            };
        } else if k.len() > PARAMETER_PREFIX.len()
            && k.is_char_boundary(PARAMETER_PREFIX.len())
            && k[..PARAMETER_PREFIX.len()].eq_ignore_ascii_case(PARAMETER_PREFIX)
        {
            parameters.insert(k[PARAMETER_PREFIX.len()..].to_owned(), v.clone());
        } else {
            // Unprefixed names are tolerated as parameters too.
            parameters.insert(k.clone(), v.clone());
        }
    }
    Some(PolicyInstance {
        template,
        title: get_ci(m, "title").and_then(|v| text(Some(v))),
        kind: get_ci(m, "type").and_then(|v| text(Some(v))),
        operations,
        section,
        parameters,
    })
}

#[cfg(test)]
mod tests {
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
}
