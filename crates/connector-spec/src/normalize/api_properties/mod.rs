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
mod tests;
