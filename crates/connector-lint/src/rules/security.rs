//! Security rules: secrets in examples, https, declared authentication, apiProperties
//! agreeing with the security definitions.

use connector_spec::raw::pointer_join;
use connector_spec::{ConnectionParameterKind, SecurityScheme};
use serde_json::Value;

use super::Emit;
use crate::context::Subject;

const EXAMPLE_KEYS: &[&str] = &["example", "examples", "x-example", "x-ms-test-value"];
/// Field names (lower case, without `-` and `_`) whose values are secrets.
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "clientsecret",
    "apikey",
    "xapikey",
    "token",
    "accesstoken",
    "refreshtoken",
    "authtoken",
    "bearertoken",
    "authorization",
    "privatekey",
    "subscriptionkey",
    "ocpapimsubscriptionkey",
];
/// Prefixes of well-known credential formats (the value must also be long enough).
const SECRET_PREFIXES: &[(&str, usize)] = &[
    ("sk-", 20),
    ("sk_live_", 20),
    ("AKIA", 20),
    ("ghp_", 30),
    ("gho_", 30),
    ("github_pat_", 30),
    ("xoxb-", 20),
    ("xoxp-", 20),
    ("AIza", 35),
    ("-----BEGIN", 20),
];

/// Whether a value is a placeholder rather than a credential.
fn placeholder(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let first = s.chars().next();
    [
        "<",
        "{",
        "xxx",
        "***",
        "your",
        "example",
        "placeholder",
        "...",
        "redacted",
        "sample",
    ]
    .iter()
    .any(|p| lower.contains(p))
        || s.chars().all(|c| Some(c) == first)
}

/// Why `s` (under key `key`) looks like a secret, if it does. Hand-written prefix and
/// shape checks: a regex engine would be a heavy dependency for these few patterns.
fn looks_secret(key: &str, s: &str) -> Option<&'static str> {
    let s = s.trim();
    if placeholder(s) {
        return None;
    }
    for (prefix, min) in SECRET_PREFIXES {
        if s.starts_with(prefix) && s.len() >= *min {
            return Some("a known credential format");
        }
    }
    let token = s.strip_prefix("Bearer ").unwrap_or(s);
    if token.starts_with("eyJ") && token.matches('.').count() == 2 && token.len() > 30 {
        return Some("a JSON Web Token");
    }
    if s.starts_with("Bearer ") && token.len() >= 20 {
        return Some("a bearer token");
    }
    let key: String = key
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let identifier = is_guid(s) || s.chars().all(|c| c.is_ascii_digit());
    if SECRET_KEYS.contains(&key.as_str()) && s.len() >= 8 && !s.contains(' ') && !identifier {
        return Some("a value of a secret-named field");
    }
    None
}

/// `8-4-4-4-12` hexadecimal: an identifier, not a secret.
fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn scan_example(v: &Value, key: &str, pointer: &str, depth: usize, out: &mut Emit) {
    if depth > 32 {
        return;
    }
    match v {
        Value::String(s) => {
            if let Some(why) = looks_secret(key, s) {
                out.at(pointer, format!("example value looks like {why}"));
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                scan_example(x, k, &pointer_join(pointer, k), depth + 1, out);
            }
        }
        Value::Array(a) => {
            for (n, x) in a.iter().enumerate() {
                scan_example(x, key, &format!("{pointer}/{n}"), depth + 1, out);
            }
        }
        _ => {}
    }
}

/// Walks the document for example keys; `owner` is the name of the enclosing parameter
/// or property, when known.
fn walk(v: &Value, owner: &str, pointer: &str, depth: usize, out: &mut Emit) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(m) => {
            let name = m.get("name").and_then(Value::as_str).unwrap_or(owner);
            for (k, x) in m {
                let p = pointer_join(pointer, k);
                if EXAMPLE_KEYS.contains(&k.as_str()) {
                    scan_example(x, name, &p, 0, out);
                } else {
                    walk(x, k, &p, depth + 1, out);
                }
            }
        }
        Value::Array(a) => {
            for (n, x) in a.iter().enumerate() {
                walk(x, owner, &format!("{pointer}/{n}"), depth + 1, out);
            }
        }
        _ => {}
    }
}

pub(crate) fn example_secret(ctx: &Subject<'_>, out: &mut Emit) {
    walk(ctx.doc, "", "", 0, out);
}

fn http(url: Option<&String>) -> bool {
    url.is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("http://"))
}

fn scheme_pointer(ctx: &Subject<'_>, name: &str) -> String {
    let base = if ctx.is_swagger2() {
        "/securityDefinitions"
    } else {
        "/components/securitySchemes"
    };
    pointer_join(base, name)
}

fn connection_pointer(name: &str) -> String {
    pointer_join("/properties/connectionParameters", name)
}

pub(crate) fn https_only(ctx: &Subject<'_>, out: &mut Emit) {
    if let Some(Value::Array(schemes)) = ctx.doc.get("schemes") {
        for (n, s) in schemes.iter().enumerate() {
            if s.as_str().is_some_and(|s| s.eq_ignore_ascii_case("http")) {
                out.at(format!("/schemes/{n}"), "the scheme list allows http");
            }
        }
    }
    if let Some(Value::Array(servers)) = ctx.doc.get("servers") {
        for (n, s) in servers.iter().enumerate() {
            let url = s.get("url").and_then(Value::as_str).map(str::to_owned);
            if http(url.as_ref()) {
                out.at(format!("/servers/{n}/url"), "the server URL uses http");
            }
        }
    }
    for (name, scheme) in &ctx.c.security_schemes {
        if let SecurityScheme::OAuth2 {
            authorization_url,
            token_url,
            refresh_url,
            ..
        } = scheme
            && [authorization_url, token_url, refresh_url]
                .iter()
                .any(|u| http(u.as_ref()))
        {
            out.at(
                scheme_pointer(ctx, name),
                format!("OAuth scheme `{name}` uses an http URL"),
            );
        }
    }
    for p in ctx.c.connection.iter().flat_map(|c| c.all_parameters()) {
        if let ConnectionParameterKind::OAuth(o) = &p.kind
            && [&o.authorization_url, &o.token_url, &o.refresh_url]
                .iter()
                .any(|u| http(u.as_ref()))
        {
            out.in_props(
                connection_pointer(&p.name),
                format!("OAuth connection parameter `{}` uses an http URL", p.name),
            );
        }
    }
}

pub(crate) fn auth_missing(ctx: &Subject<'_>, out: &mut Emit) {
    let params = ctx
        .c
        .connection
        .as_ref()
        .is_some_and(|c| !c.all_parameters().is_empty());
    if ctx.c.security_schemes.is_empty() && !params {
        out.at("", "no security definition and no connection parameter");
    }
}

pub(crate) fn api_properties_mismatch(ctx: &Subject<'_>, out: &mut Emit) {
    let Some(connection) = &ctx.c.connection else {
        return;
    };
    let params = connection.all_parameters();
    let oauth_param = params
        .iter()
        .find(|p| matches!(p.kind, ConnectionParameterKind::OAuth(_)));
    let secure_param = params
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::SecureString);
    let schemes = &ctx.c.security_schemes;
    let oauth_scheme = schemes
        .iter()
        .find(|(_, s)| matches!(s, SecurityScheme::OAuth2 { .. }));
    match (oauth_scheme, oauth_param) {
        (Some((name, _)), None) => out.at(
            scheme_pointer(ctx, name),
            format!(
                "security scheme `{name}` is OAuth but apiProperties has no oauthSetting parameter"
            ),
        ),
        (None, Some(p)) => out.in_props(
            connection_pointer(&p.name),
            format!(
                "connection parameter `{}` is OAuth but the definition declares no oauth2 scheme",
                p.name
            ),
        ),
        _ => {}
    }
    for (name, s) in schemes {
        if matches!(s, SecurityScheme::ApiKey { .. }) && !secure_param {
            out.at(
                scheme_pointer(ctx, name),
                format!("security scheme `{name}` is an API key but apiProperties has no securestring parameter"),
            );
        }
    }
}
