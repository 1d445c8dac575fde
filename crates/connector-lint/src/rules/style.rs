//! Seed 000's style rules about operations: documentation, errors, throttling, paging,
//! examples.

use connector_spec::{Method, PagingOrigin, Schema, SchemaKind};
use serde_json::Value;

use super::Emit;
use crate::context::Subject;

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

pub(crate) fn summary_missing(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        if blank(op.summary.as_deref()) {
            out.at(ctx.op(i), format!("`{}` has no summary", op.id));
        }
    }
}

pub(crate) fn description_missing(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        if blank(op.description.as_deref()) {
            out.at(ctx.op(i), format!("`{}` has no description", op.id));
        }
    }
}

/// Property names of an object schema and of its object properties (one level), lower
/// case.
fn property_names(ctx: &Subject<'_>, s: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if let SchemaKind::Object(obj) = &ctx.resolve(s).kind {
        for p in &obj.properties {
            out.push(p.name.to_ascii_lowercase());
            if let SchemaKind::Object(inner) = &ctx.resolve(&p.schema).kind {
                out.extend(inner.properties.iter().map(|q| q.name.to_ascii_lowercase()));
            }
        }
    }
    out
}

pub(crate) fn error_response_schema(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let Some(schema) = op.error_response().and_then(|r| r.schema.as_ref()) else {
            out.at(
                format!("{}/responses", ctx.op(i)),
                format!("`{}` declares no error response with a schema", op.id),
            );
            continue;
        };
        let names = property_names(ctx, schema);
        let has = |f: &dyn Fn(&str) -> bool| names.iter().any(|n| f(n));
        let mut missing = Vec::new();
        if !has(&|n| n == "code" || n.ends_with("code")) {
            missing.push("code");
        }
        if !has(&|n| n == "message" || n.contains("message")) {
            missing.push("message");
        }
        if !has(&|n| n.contains("correlation") || n.contains("requestid") || n.contains("traceid"))
        {
            missing.push("correlation id");
        }
        if !missing.is_empty() {
            out.at(
                format!("{}/responses", ctx.op(i)),
                format!(
                    "the error schema of `{}` has no {}",
                    op.id,
                    missing.join(", ")
                ),
            );
        }
    }
}

pub(crate) fn retry_after(ctx: &Subject<'_>, out: &mut Emit) {
    for i in 0..ctx.c.operations.len() {
        let Some(r) = ctx.raw_op(i).pointer("/responses/429") else {
            continue;
        };
        let r = ctx.deref(r);
        let declared = r
            .get("headers")
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("retry-after")));
        if !declared {
            out.at(
                format!("{}/responses/429", ctx.op(i)),
                "the 429 response does not declare a Retry-After header",
            );
        }
    }
}

fn is_list(ctx: &Subject<'_>, s: &Schema) -> bool {
    match &ctx.resolve(s).kind {
        SchemaKind::Array(_) => true,
        SchemaKind::Object(obj) => obj.properties.iter().any(|p| {
            p.name == "value" && matches!(ctx.resolve(&p.schema).kind, SchemaKind::Array(_))
        }),
        _ => false,
    }
}

pub(crate) fn list_paginated(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        // Paging the generator infers does not count: the rule is about the declaration.
        let declared = op
            .pageable
            .as_ref()
            .is_some_and(|p| p.origin == PagingOrigin::Declared("x-ms-pageable".to_owned()));
        if op.method != Method::Get || declared || op.trigger.is_some() {
            continue;
        }
        let list = op
            .success_response()
            .and_then(|r| r.schema.as_ref())
            .is_some_and(|s| is_list(ctx, s));
        if list {
            out.at(
                ctx.op(i),
                format!("`{}` returns a list but has no x-ms-pageable", op.id),
            );
        }
    }
}

/// Whether `v` holds an example anywhere (bounded depth).
pub(crate) fn has_example(v: &Value, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match v {
        Value::Object(m) => m.iter().any(|(k, x)| {
            matches!(
                k.as_str(),
                "example" | "examples" | "x-example" | "x-ms-test-value"
            ) || has_example(x, depth + 1)
        }),
        Value::Array(a) => a.iter().any(|x| has_example(x, depth + 1)),
        _ => false,
    }
}

pub(crate) fn examples_missing(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let raw = ctx.raw_op(i);
        if !raw.is_null() && !has_example(raw, 0) {
            out.at(ctx.op(i), format!("`{}` has no example", op.id));
        }
    }
}
