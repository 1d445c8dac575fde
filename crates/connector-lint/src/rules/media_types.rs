//! Swagger 2.0 operations whose effective `consumes` / `produces` is an explicit empty
//! list although they send a body or declare a response schema.
//!
//! Swagger 2.0 lets an empty list clear the global one; the operation then declares no
//! media type at all. The Power Platform (and the generated client) fall back to JSON,
//! but a validator that follows the definition (a mock server such as Prism, an API
//! gateway) accepts no request body and can serve no response body.

use serde_json::Value;

use super::Emit;
use crate::context::Subject;

/// The effective list `key` of the operation at `op` (its own, else the document's),
/// and where it is written; `None` when neither declares it.
fn effective<'a>(
    doc: &'a Value,
    raw: &'a Value,
    key: &str,
    op: &str,
) -> Option<(&'a Value, String)> {
    match raw.get(key) {
        Some(v) => Some((v, format!("{op}/{key}"))),
        None => doc.get(key).map(|v| (v, format!("/{key}"))),
    }
}

fn is_empty_list(v: &Value) -> bool {
    v.as_array().is_some_and(Vec::is_empty)
}

/// `v`, or the document member its local `$ref` names.
fn resolved<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => doc.pointer(pointer).unwrap_or(v),
        None => v,
    }
}

/// Whether the operation at `op` (or its path item) has a `body` or `formData` parameter.
fn takes_body(doc: &Value, raw: &Value, op: &str) -> bool {
    let item = op
        .rsplit_once('/')
        .and_then(|(item, _)| doc.pointer(item))
        .unwrap_or(&Value::Null);
    [raw, item]
        .iter()
        .filter_map(|v| v.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|p| resolved(doc, p))
        .any(|p| {
            matches!(
                p.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            )
        })
}

/// The first response of the operation that declares a schema: its status.
fn response_with_schema<'a>(doc: &'a Value, raw: &'a Value) -> Option<&'a str> {
    raw.get("responses")?
        .as_object()?
        .iter()
        .find(|(code, r)| !code.starts_with("x-") && resolved(doc, r).get("schema").is_some())
        .map(|(code, _)| code.as_str())
}

pub(crate) fn media_type_missing(ctx: &Subject<'_>, out: &mut Emit) {
    if !ctx.is_swagger2() {
        return;
    }
    for (i, operation) in ctx.c.operations.iter().enumerate() {
        let (raw, op) = (ctx.raw_op(i), ctx.op(i));
        let name = format!("{} {}", operation.method.as_str(), operation.path);
        if let Some((list, at)) = effective(ctx.doc, raw, "consumes", op)
            && is_empty_list(list)
            && takes_body(ctx.doc, raw, op)
        {
            out.at(
                at,
                format!(
                    "{name}: `consumes` is empty but the operation takes a body: it declares no media type for it"
                ),
            );
        }
        if let Some((list, at)) = effective(ctx.doc, raw, "produces", op)
            && is_empty_list(list)
            && let Some(status) = response_with_schema(ctx.doc, raw)
        {
            out.at(
                at,
                format!(
                    "{name}: `produces` is empty but the {status} response declares a schema: it declares no media type for the body"
                ),
            );
        }
    }
}
