//! The expression mini-language of policy parameter values.
//!
//! * `@connectionParameters('name'[, 'default'])` — a connection value;
//! * `@headers('h'[, 'default'])` / `@header('h')`, `@queryParameters('q'[, 'default'])`,
//!   `@parameters('p')` — the request's header, query or path parameter;
//! * `@body()`, `@item()`, `@triggerBody()` followed by `.name`, `['key']`, `[0]` —
//!   JSON paths (request or response body, the current collection element, the last
//!   polled body); `body()` without `@` is accepted too;
//! * `@Request.OriginalHTTPMethod` — the request's method.
//!
//! Expressions embed in literal text in three styles: `…@fn(…)…`, `{@fn(…)}` and
//! `@{fn(…)}`; `{name}` refers to a path parameter where the template allows it.
//! Function names compare case-insensitively. `@@` is a literal `@`; any `@` not
//! followed by a known function is literal text (e-mail addresses stay intact).

mod json_path;
mod template;

use serde_json::Value;

use super::ConnectionValues;
use crate::error::Error;
use crate::request::Request;

pub(crate) use json_path::{get, set, take};
pub(crate) use template::TextTemplate;

/// Where an expression reads from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Root {
    Connection(String, Option<String>),
    Header(String, Option<String>),
    Query(String, Option<String>),
    PathParam(String),
    Body,
    Item,
    TriggerBody,
    Method,
}

/// One accessor of a JSON path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expr {
    pub(crate) root: Root,
    pub(crate) steps: Vec<Step>,
}

/// What expressions are evaluated against.
pub(crate) struct Scope<'a> {
    pub(crate) connection: &'a ConnectionValues,
    pub(crate) request: Option<&'a Request>,
    pub(crate) path_params: &'a [(String, String)],
    pub(crate) body: Option<&'a Value>,
    pub(crate) item: Option<&'a Value>,
    pub(crate) trigger_body: Option<&'a Value>,
}

impl<'a> Scope<'a> {
    /// A scope with only connection values.
    pub(crate) fn connection_only(connection: &'a ConnectionValues) -> Self {
        Scope {
            connection,
            request: None,
            path_params: &[],
            body: None,
            item: None,
            trigger_body: None,
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '@' | ':')
}

/// Parses a single-quoted (or double-quoted) string at the start of `s`; returns the
/// value and the bytes consumed.
fn quoted(s: &str) -> Option<(String, usize)> {
    let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            // '' is an escaped quote.
            if let Some((_, n)) = chars.peek()
                && *n == quote
            {
                out.push(quote);
                chars.next();
                continue;
            }
            return Some((out, i + c.len_utf8()));
        }
        out.push(c);
    }
    None
}

/// Parses an expression at the start of `s` (after the `@`, if any). Returns the
/// expression and the bytes consumed, or `None` when `s` does not start with a known
/// function.
pub(crate) fn parse_expr(s: &str) -> Option<(Expr, usize)> {
    let name_len = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    let name = s[..name_len].to_ascii_lowercase();
    if name == "request.originalhttpmethod" {
        return Some((
            Expr {
                root: Root::Method,
                steps: Vec::new(),
            },
            name_len,
        ));
    }
    if !s[name_len..].starts_with('(') {
        return None;
    }
    // Arguments: quoted strings separated by commas.
    let mut pos = name_len + 1;
    let mut args = Vec::new();
    loop {
        let rest = &s[pos..];
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        if trimmed.starts_with(')') {
            pos += 1;
            break;
        }
        if trimmed.starts_with(',') {
            pos += 1;
            continue;
        }
        let (arg, used) = quoted(trimmed)?;
        args.push(arg);
        pos += used;
    }
    let first = args.first().cloned();
    let second = args.get(1).cloned();
    let root = match name.as_str() {
        "connectionparameters" | "connectionparameter" => Root::Connection(first?, second),
        "headers" | "header" => Root::Header(first?, second),
        "queryparameters" | "queryparameter" | "queryparamters" => Root::Query(first?, second),
        "parameters" | "parameter" => Root::PathParam(first?),
        "body" => Root::Body,
        "item" => Root::Item,
        "triggerbody" => Root::TriggerBody,
        _ => return None,
    };
    let mut steps = Vec::new();
    if matches!(root, Root::Body | Root::Item | Root::TriggerBody) {
        loop {
            let rest = &s[pos..];
            if let Some(after) = rest.strip_prefix('.') {
                let len = after.find(|c: char| !is_key_char(c)).unwrap_or(after.len());
                if len == 0 {
                    break;
                }
                steps.push(Step::Key(after[..len].to_owned()));
                pos += 1 + len;
            } else if let Some(after) = rest.strip_prefix('[') {
                let inner = after.trim_start();
                let lead = after.len() - inner.len();
                if let Some((key, used)) = quoted(inner) {
                    let tail = &inner[used..];
                    let t = tail.trim_start();
                    if !t.starts_with(']') {
                        break;
                    }
                    steps.push(Step::Key(key));
                    pos += 1 + lead + used + (tail.len() - t.len()) + 1;
                } else {
                    let len = inner
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(inner.len());
                    let Ok(index) = inner[..len].parse::<usize>() else {
                        break;
                    };
                    if !inner[len..].starts_with(']') {
                        break;
                    }
                    steps.push(Step::Index(index));
                    pos += 1 + lead + len + 1;
                }
            } else {
                break;
            }
        }
    }
    Some((Expr { root, steps }, pos))
}

/// A JSON path written as an expression (`@body().a`, `body()['x']`, `@item().y`).
pub(crate) fn parse_path(s: &str) -> Option<Expr> {
    let s = s.trim();
    let s = s.strip_prefix('@').unwrap_or(s);
    let (expr, used) = parse_expr(s)?;
    (used == s.len() && matches!(expr.root, Root::Body | Root::Item | Root::TriggerBody))
        .then_some(expr)
}

/// A sub-path: `"null"`/empty = none, `['key']` / `[0]` / `.a` accessors, or a bare
/// (possibly dotted) property name.
pub(crate) fn parse_sub_path(s: &str) -> Vec<Step> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("null") {
        return Vec::new();
    }
    if s.starts_with('[') || s.starts_with('.') {
        if let Some((e, used)) = parse_expr(&format!("body(){s}"))
            && used == s.len() + "body()".len()
        {
            return e.steps;
        }
        return vec![Step::Key(s.to_owned())];
    }
    s.split('.').map(|k| Step::Key(k.to_owned())).collect()
}

/// Text of a value: strings raw, `null` empty, other JSON as JSON text.
pub(crate) fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn missing_connection_value(name: &str) -> Error {
    Error::validation(format!(
        "connection parameter {name:?} is required by a policy but was not supplied (ClientBuilder::connection_values)"
    ))
}

/// Evaluates one expression; `Ok(None)` when the value is absent (and optional).
pub(crate) fn eval(e: &Expr, scope: &Scope<'_>) -> Result<Option<Value>, Error> {
    let find = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| Value::String(v.clone()))
    };
    let base: Option<Value> = match &e.root {
        Root::Connection(name, default) => match scope.connection.get(name) {
            Some(v) => Some(Value::String(v.to_owned())),
            None => match default {
                Some(d) => Some(Value::String(d.clone())),
                None => return Err(missing_connection_value(name)),
            },
        },
        Root::Header(name, default) => scope
            .request
            .and_then(|r| find(&r.headers, name))
            .or_else(|| default.clone().map(Value::String)),
        Root::Query(name, default) => scope
            .request
            .and_then(|r| find(&r.query, name))
            .or_else(|| default.clone().map(Value::String)),
        Root::PathParam(name) => scope
            .path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Value::String(v.clone())),
        Root::Method => scope
            .request
            .map(|r| Value::String(r.method.as_str().to_owned())),
        Root::Body => return Ok(scope.body.and_then(|b| get(b, &e.steps)).cloned()),
        Root::Item => return Ok(scope.item.and_then(|b| get(b, &e.steps)).cloned()),
        Root::TriggerBody => {
            return Ok(scope.trigger_body.and_then(|b| get(b, &e.steps)).cloned());
        }
    };
    Ok(base)
}

/// The path parameters of a request, read back by matching its template against its
/// substituted (encoded) path: `/items/{id}` + `/items/a%2Fb` → `id = a%2Fb`.
pub(crate) fn path_params(template: &str, path: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let t_segs: Vec<&str> = template.split('/').collect();
    let p_segs: Vec<&str> = path.split('/').collect();
    if t_segs.len() != p_segs.len() {
        return out;
    }
    for (t, p) in t_segs.iter().zip(&p_segs) {
        let (Some(open), Some(close)) = (t.find('{'), t.rfind('}')) else {
            continue;
        };
        if close < open {
            continue;
        }
        let prefix = &t[..open];
        let suffix = &t[close + 1..];
        let name = &t[open + 1..close];
        if name.contains(['{', '}']) {
            continue;
        }
        if p.len() >= prefix.len() + suffix.len() && p.starts_with(prefix) && p.ends_with(suffix) {
            out.push((
                name.to_owned(),
                p[prefix.len()..p.len() - suffix.len()].to_owned(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn conn() -> ConnectionValues {
        ConnectionValues::new()
            .value("host", "contoso.example")
            .secret("api_key", "k-123")
    }

    #[test]
    fn parses_and_evaluates_the_corpus_forms() {
        let c = conn();
        let mut r = Request::new("op", http::Method::PATCH, "/items/{id}/{name}.json");
        r.path = "/items/42/a%20b.json".into();
        r.headers.push(("X-Tenant".into(), "t1".into()));
        r.query.push(("site".into(), "s1".into()));
        let body = json!({"a": {"b": [10, {"@odata.id": "x"}]}, "first": "Ada", "last": "L"});
        let pp = path_params(r.template, &r.path);
        assert_eq!(
            pp,
            [("id".into(), "42".into()), ("name".into(), "a%20b".into())]
        );
        let scope = Scope {
            connection: &c,
            request: Some(&r),
            path_params: &pp,
            body: Some(&body),
            item: None,
            trigger_body: None,
        };
        let t = |s: &str| TextTemplate::parse(s, true).eval_text(&scope).unwrap();
        assert_eq!(
            t("https://@connectionParameters('host')/api"),
            "https://contoso.example/api"
        );
        assert_eq!(t("@ConnectionParameters('missing','dflt')"), "dflt");
        assert_eq!(t("Basic @connectionParameters('api_key')"), "Basic k-123");
        assert_eq!(t("@headers('x-tenant')-@queryParameters('site')"), "t1-s1");
        assert_eq!(t("@header('none','d')"), "d");
        assert_eq!(t("@queryParamters('site')"), "s1");
        assert_eq!(t("/v2/{id}/x/{name}"), "/v2/42/x/a%20b");
        assert_eq!(t("@parameters('id')"), "42");
        assert_eq!(t("@Request.OriginalHTTPMethod"), "PATCH");
        assert_eq!(t("{@body().first} {@body().last}"), "Ada L");
        assert_eq!(t("@body()['a'].b[1]['@odata.id']"), "x");
        assert_eq!(t("@{body().a.b[0]}"), "10");
        assert_eq!(t("user@example.com @@x"), "user@example.com @x");
        assert_eq!(
            TextTemplate::parse("@body().a.b", false)
                .eval(&scope)
                .unwrap(),
            json!([10, {"@odata.id": "x"}])
        );
        let err = TextTemplate::parse("@connectionParameters('nope')", false)
            .eval_text(&scope)
            .unwrap_err();
        assert!(err.message.contains("\"nope\""));
        assert!(TextTemplate::parse("a @connectionParameters('x') b", false).reads_connection());
        assert!(!TextTemplate::parse("a @headers('x') b", false).reads_connection());
        assert!(TextTemplate::parse("@{triggerBody().a}", false).reads_trigger_body());
    }

    #[test]
    fn paths_and_sub_paths() {
        let p = parse_path("body().gifts").unwrap();
        assert_eq!(p.root, Root::Body);
        assert_eq!(p.steps, [Step::Key("gifts".into())]);
        assert!(parse_path("@item().userId").is_some());
        assert!(parse_path("@connectionParameters('x')").is_none());
        assert_eq!(
            parse_sub_path("['@odata.id']"),
            [Step::Key("@odata.id".into())]
        );
        assert!(parse_sub_path("null").is_empty());
        assert_eq!(parse_sub_path("a"), [Step::Key("a".into())]);
        let mut v = json!({});
        assert!(set(&mut v, &parse_sub_path("a.b"), json!(1)));
        assert_eq!(v, json!({"a": {"b": 1}}));
        assert_eq!(take(&mut v, &parse_sub_path("a.b")), Some(json!(1)));
    }

    #[test]
    fn odd_input_never_panics() {
        let c = conn();
        let scope = Scope::connection_only(&c);
        for t in [
            "@",
            "@(",
            "@body(",
            "@body()[",
            "@body()['x",
            "@body()[x]",
            "{@",
            "@{",
            "{",
            "}",
            "{{}}",
            "é@ü{ß}",
            "@connectionParameters(",
            "@connectionParameters()",
        ] {
            let _ = TextTemplate::parse(t, true).eval(&scope);
            let _ = parse_path(t);
            let _ = parse_sub_path(t);
        }
        assert!(path_params("/a/{", "/a/b").is_empty());
    }
}
