//! Reads the OpenAPI 3 JSON value with `openapiv3`. A part it cannot read (one schema,
//! parameter, response, operation, security scheme, …) is neutralized or dropped with a
//! located warning, and reading is retried (a bounded number of rounds).

use openapiv3::{
    Components, Header, MediaType, OpenAPI, Operation, Parameter, PathItem, Paths, ReferenceOr,
    RequestBody, Response, Responses, Schema, SecurityScheme,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::diagnostics::DiagnosticKind;
use crate::pointer::{escape, join};
use crate::report::Reporter;
use crate::source::MAX_DEPTH;

/// Marks a parameter neutralized in place (array indices stay stable).
pub(crate) const X_DROPPED: &str = "x-cg-dropped";

const MAX_ROUNDS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Doc,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Header,
    Schema,
    Components,
    SecurityScheme,
    Callbacks,
    Other,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Doc => "document",
            Part::Paths => "paths",
            Part::PathItem => "path item",
            Part::Operation => "operation",
            Part::Parameter => "parameter",
            Part::RequestBody => "request body",
            Part::Responses => "responses",
            Part::Response => "response",
            Part::MediaType => "media type",
            Part::Header => "header",
            Part::Schema => "schema",
            Part::Components => "components",
            Part::SecurityScheme => "security scheme",
            Part::Callbacks => "callbacks",
            Part::Other => "component",
        }
    }
}

fn check(kind: Part, v: &Value) -> Result<(), String> {
    let r = match kind {
        Part::Doc => OpenAPI::deserialize(v).map(drop),
        Part::Paths => Paths::deserialize(v).map(drop),
        Part::PathItem => ReferenceOr::<PathItem>::deserialize(v).map(drop),
        Part::Operation => Operation::deserialize(v).map(drop),
        Part::Parameter => ReferenceOr::<Parameter>::deserialize(v).map(drop),
        Part::RequestBody => ReferenceOr::<RequestBody>::deserialize(v).map(drop),
        Part::Responses => Responses::deserialize(v).map(drop),
        Part::Response => ReferenceOr::<Response>::deserialize(v).map(drop),
        Part::MediaType => MediaType::deserialize(v).map(drop),
        Part::Header => ReferenceOr::<Header>::deserialize(v).map(drop),
        Part::Schema => {
            // A `$ref` object is fine; otherwise read it as a schema for a precise reason.
            if v.get("$ref").is_some_and(Value::is_string) {
                Ok(())
            } else {
                Schema::deserialize(v).map(drop)
            }
        }
        Part::Components => Components::deserialize(v).map(drop),
        Part::SecurityScheme => ReferenceOr::<SecurityScheme>::deserialize(v).map(drop),
        Part::Callbacks => {
            indexmap::IndexMap::<String, openapiv3::Callback>::deserialize(v).map(drop)
        }
        Part::Other => Ok(()),
    };
    r.map_err(|e| e.to_string())
}

fn entries(v: &Value, skip_ext: bool) -> Vec<String> {
    match v {
        Value::Object(m) => m
            .keys()
            .filter(|k| !(skip_ext && k.starts_with("x-")))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// Children of a part that can be neutralized on their own: (relative tokens, kind).
fn children(kind: Part, v: &Value) -> Vec<(Vec<String>, Part)> {
    let mut out: Vec<(Vec<String>, Part)> = Vec::new();
    let one = |k: &str| vec![k.to_owned()];
    let two = |a: &str, b: &str| vec![a.to_owned(), b.to_owned()];
    let is_ref = v.get("$ref").is_some();
    match kind {
        Part::Doc => {
            out.push((one("paths"), Part::Paths));
            out.push((one("components"), Part::Components));
        }
        Part::Paths => {
            for k in entries(v, true) {
                out.push((one(&k), Part::PathItem));
            }
        }
        Part::PathItem if !is_ref => {
            for m in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if v.get(m).is_some() {
                    out.push((one(m), Part::Operation));
                }
            }
            if let Some(Value::Array(a)) = v.get("parameters") {
                for i in 0..a.len() {
                    out.push((two("parameters", &i.to_string()), Part::Parameter));
                }
            }
        }
        Part::Operation => {
            if let Some(Value::Array(a)) = v.get("parameters") {
                for i in 0..a.len() {
                    out.push((two("parameters", &i.to_string()), Part::Parameter));
                }
            }
            if v.get("requestBody").is_some() {
                out.push((one("requestBody"), Part::RequestBody));
            }
            if v.get("responses").is_some() {
                out.push((one("responses"), Part::Responses));
            }
            if v.get("callbacks").is_some() {
                out.push((one("callbacks"), Part::Callbacks));
            }
        }
        Part::Parameter | Part::Header if !is_ref => {
            if v.get("schema").is_some() {
                out.push((one("schema"), Part::Schema));
            }
            for k in v
                .get("content")
                .map(|c| entries(c, false))
                .unwrap_or_default()
            {
                out.push((two("content", &k), Part::MediaType));
            }
        }
        Part::RequestBody if !is_ref => {
            for k in v
                .get("content")
                .map(|c| entries(c, false))
                .unwrap_or_default()
            {
                out.push((two("content", &k), Part::MediaType));
            }
        }
        Part::Responses => {
            for k in entries(v, true) {
                out.push((one(&k), Part::Response));
            }
        }
        Part::Response if !is_ref => {
            for k in v
                .get("content")
                .map(|c| entries(c, false))
                .unwrap_or_default()
            {
                out.push((two("content", &k), Part::MediaType));
            }
            for k in v
                .get("headers")
                .map(|c| entries(c, false))
                .unwrap_or_default()
            {
                out.push((two("headers", &k), Part::Header));
            }
        }
        Part::MediaType if v.get("schema").is_some() => {
            out.push((one("schema"), Part::Schema));
        }
        Part::Schema if !is_ref => {
            for k in v
                .get("properties")
                .map(|c| entries(c, false))
                .unwrap_or_default()
            {
                out.push((two("properties", &k), Part::Schema));
            }
            for key in ["items", "additionalProperties", "not"] {
                if v.get(key).is_some_and(Value::is_object) {
                    out.push((one(key), Part::Schema));
                }
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(Value::Array(a)) = v.get(key) {
                    for i in 0..a.len() {
                        out.push((two(key, &i.to_string()), Part::Schema));
                    }
                }
            }
        }
        Part::Components => {
            let groups = [
                ("schemas", Part::Schema),
                ("parameters", Part::Parameter),
                ("responses", Part::Response),
                ("requestBodies", Part::RequestBody),
                ("headers", Part::Header),
                ("securitySchemes", Part::SecurityScheme),
                ("examples", Part::Other),
                ("links", Part::Other),
                ("callbacks", Part::Other),
            ];
            for (g, kind) in groups {
                for k in v.get(g).map(|c| entries(c, false)).unwrap_or_default() {
                    out.push((two(g, &k), kind));
                }
            }
        }
        _ => {}
    }
    out
}

fn get<'v>(v: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    let mut cur = v;
    for t in tokens {
        cur = match cur {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn valid_status_key(k: &str) -> bool {
    k == "default"
        || (k.len() == 3
            && (k.bytes().all(|b| b.is_ascii_digit())
                || (k.as_bytes().first().is_some_and(u8::is_ascii_digit)
                    && k.get(1..).is_some_and(|r| r.eq_ignore_ascii_case("xx")))))
}

struct Failure {
    pointer: String,
    kind: Part,
    reason: String,
}

fn find_failures(
    kind: Part,
    v: &Value,
    ptr: &str,
    reason: String,
    depth: usize,
    out: &mut Vec<Failure>,
) {
    let mut child_failed = false;
    if depth < MAX_DEPTH {
        for (tokens, ck) in children(kind, v) {
            let Some(cv) = get(v, &tokens) else { continue };
            let cptr = tokens.iter().fold(ptr.to_owned(), |p, t| join(&p, t));
            if kind == Part::Responses && !valid_status_key(&tokens.concat()) {
                child_failed = true;
                out.push(Failure {
                    pointer: cptr,
                    kind: Part::Response,
                    reason: format!("`{}` is not a status code", tokens.concat()),
                });
                continue;
            }
            if let Err(r) = check(ck, cv) {
                child_failed = true;
                find_failures(ck, cv, &cptr, r, depth + 1, out);
            }
        }
    }
    if !child_failed {
        out.push(Failure {
            pointer: ptr.to_owned(),
            kind,
            reason,
        });
    }
}

fn tokens_of(ptr: &str) -> Vec<String> {
    crate::pointer::split(ptr)
}

/// Applies one neutralization. `false` when the part cannot be neutralized.
fn neutralize(doc: &mut Value, f: &Failure) -> bool {
    let tokens = tokens_of(&f.pointer);
    let Some((last, parent_tokens)) = tokens.split_last() else {
        return false;
    };
    let mut parent = &mut *doc;
    for t in parent_tokens {
        parent = match parent {
            Value::Object(m) => match m.get_mut(t) {
                Some(x) => x,
                None => return false,
            },
            Value::Array(a) => match t.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    match (f.kind, parent) {
        (Part::Doc, _) => false,
        (Part::Paths | Part::Components, Value::Object(m)) => {
            m.insert(last.clone(), Value::Object(Map::new()));
            true
        }
        (Part::Schema, parent) => {
            let slot = match parent {
                Value::Object(m) => m.get_mut(last),
                Value::Array(a) => last.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                _ => None,
            };
            match slot {
                Some(slot) => {
                    let mut any = Map::new();
                    if let Some(Value::String(d)) = slot.get("description") {
                        any.insert("description".into(), Value::String(d.clone()));
                    }
                    *slot = Value::Object(any);
                    true
                }
                None => false,
            }
        }
        (_, Value::Array(a)) => match last.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
            Some(slot) => {
                *slot = json!({ "name": "", "in": "query", "schema": {}, X_DROPPED: true });
                true
            }
            None => false,
        },
        (_, Value::Object(m)) => m.shift_remove(last).is_some(),
        _ => false,
    }
}

/// Makes sure the fields `openapiv3` requires at the root exist (with warnings).
fn ensure_root(doc: &mut Value, rep: &mut Reporter<'_>) -> bool {
    let Value::Object(m) = doc else {
        rep.error("", "the document is not an object");
        return false;
    };
    match m.get("openapi") {
        Some(Value::String(_)) => {}
        Some(Value::Number(n)) => {
            let s = n.to_string();
            m.insert("openapi".into(), Value::String(s));
        }
        _ => {
            rep.error(
                "",
                "neither `swagger: \"2.0\"` nor `openapi: 3.x` is declared",
            );
            return false;
        }
    }
    if !m.get("info").is_some_and(Value::is_object) {
        rep.warn(
            "/info",
            "`info` is missing; using an empty title and version",
        );
        m.insert("info".into(), json!({}));
    }
    if let Some(Value::Object(info)) = m.get_mut("info") {
        for key in ["title", "version"] {
            match info.get(key) {
                Some(Value::String(_)) => {}
                Some(Value::Number(n)) => {
                    let s = n.to_string();
                    info.insert(key.into(), Value::String(s));
                }
                _ => {
                    let p = format!("/info/{key}");
                    rep.warn(&p, format!("`info.{key}` is missing or not a string"));
                    info.insert(key.into(), Value::String(String::new()));
                }
            }
        }
    }
    if !m.get("paths").is_some_and(Value::is_object) {
        if m.contains_key("paths") {
            rep.warn("/paths", "`paths` is not an object; ignored");
        }
        m.insert("paths".into(), json!({}));
    }
    true
}

/// Reads the document, neutralizing what cannot be read. `None` after reporting an error.
pub(crate) fn read_openapi(mut doc: Value, rep: &mut Reporter<'_>) -> Option<OpenAPI> {
    if !ensure_root(&mut doc, rep) {
        return None;
    }
    for _round in 0..MAX_ROUNDS {
        // Path tracking costs a string per map key, so it only runs once the untracked
        // read has failed, to find where.
        if let Ok(api) = OpenAPI::deserialize(&doc) {
            return Some(api);
        }
        let err = match serde_path_to_error::deserialize::<_, OpenAPI>(&doc) {
            Ok(api) => return Some(api),
            Err(e) => e,
        };
        let hint = err.path().to_string();
        tracing::debug!(path = %hint, error = %err.inner(), "openapiv3 could not read the document");
        let mut failures = Vec::new();
        find_failures(
            Part::Doc,
            &doc,
            "",
            err.inner().to_string(),
            0,
            &mut failures,
        );
        let mut fixed = false;
        for f in &failures {
            if neutralize(&mut doc, f) {
                fixed = true;
                let what = match f.kind {
                    Part::Schema => "schema read as any value".to_owned(),
                    Part::Paths | Part::Components => format!("{} ignored", f.kind.noun()),
                    k => format!("{} ignored", k.noun()),
                };
                let kind = match f.kind {
                    Part::Callbacks => DiagnosticKind::SkippedConstruct,
                    Part::Schema => DiagnosticKind::DegradedSchema,
                    _ => DiagnosticKind::SkippedConstruct,
                };
                rep.warn_kind(kind, &f.pointer, format!("{what}: {}", f.reason));
            } else {
                let p = if f.pointer.is_empty() && hint != "." {
                    format!(
                        "/{}",
                        hint.split('.').map(escape).collect::<Vec<_>>().join("/")
                    )
                } else {
                    f.pointer.clone()
                };
                rep.error(
                    &p,
                    format!("cannot read the {}: {}", f.kind.noun(), f.reason),
                );
                return None;
            }
        }
        if !fixed {
            break;
        }
    }
    rep.error(
        "",
        "the document could not be read after repeated recoveries",
    );
    None
}
