//! `x-ms-dynamic-*` and `x-ms-notification-*` extensions: required fields and the
//! operations they name.

use connector_spec::{BodyContent, DynamicValues, Schema, SchemaKind};

use super::Emit;
use crate::context::Subject;

/// Every schema reachable from an operation's parameters and body (one level of
/// properties), with a label.
fn operation_schemas<'a>(
    ctx: &'a Subject<'_>,
    op: &'a connector_spec::Operation,
) -> Vec<(String, &'a Schema)> {
    let mut out: Vec<(String, &Schema)> = op
        .parameters
        .iter()
        .map(|p| (format!("parameter `{}`", p.name), &p.schema))
        .collect();
    if let Some(BodyContent::Schema(s)) = op.body.as_ref().map(|b| &b.content) {
        out.push(("the body".to_owned(), s));
        if let SchemaKind::Object(obj) = &ctx.resolve(s).kind {
            for p in &obj.properties {
                out.push((format!("body property `{}`", p.name), &p.schema));
            }
        }
    }
    out
}

fn check_values(ctx: &Subject<'_>, dv: &DynamicValues, what: &str, pointer: &str, out: &mut Emit) {
    let ext = dv.source.extension();
    match (&dv.operation_id, &dv.capability) {
        (None, None) => out.at(pointer, format!("{ext} of {what} names no operationId")),
        (Some(id), _) if !ctx.has_operation(id) => out.at(
            pointer,
            format!("{ext} of {what} names `{id}`, which is not an operation"),
        ),
        _ => {}
    }
}

pub(crate) fn dynamic_values_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        for p in &op.parameters {
            let pointer = ctx.param(i, p);
            let what = format!("parameter `{}`", p.name);
            if let Some(dv) = &p.dynamic_values {
                check_values(ctx, dv, &what, &pointer, out);
            }
            if let Some(tree) = &p.dynamic_tree {
                for call in [&tree.open, &tree.browse].into_iter().flatten() {
                    if !ctx.has_operation(&call.operation_id) {
                        out.at(
                            pointer.clone(),
                            format!(
                                "x-ms-dynamic-tree of {what} names `{}`, which is not an operation",
                                call.operation_id
                            ),
                        );
                    }
                }
            }
        }
        for (what, s) in operation_schemas(ctx, op)
            .into_iter()
            .skip(op.parameters.len())
        {
            if let Some(dv) = &s.dynamic_values {
                check_values(ctx, dv, &what, ctx.op(i), out);
            }
        }
    }
}

pub(crate) fn dynamic_schema_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    let mut check = |s: &Schema, what: &str, pointer: &str| {
        let Some(ds) = &s.dynamic_schema else { return };
        let ext = ds.source.extension();
        match &ds.operation_id {
            None => out.at(pointer, format!("{ext} of {what} names no operationId")),
            Some(id) if !ctx.has_operation(id) => out.at(
                pointer,
                format!("{ext} of {what} names `{id}`, which is not an operation"),
            ),
            Some(_) => {}
        }
    };
    for (i, op) in ctx.c.operations.iter().enumerate() {
        for (what, s) in operation_schemas(ctx, op) {
            check(s, &what, ctx.op(i));
        }
        for r in &op.responses {
            if let Some(s) = &r.schema {
                check(s, "a response", ctx.op(i));
            }
        }
    }
    for (name, s) in &ctx.c.schemas {
        check(s, &format!("schema `{name}`"), &ctx.schema_pointer(name));
        if let SchemaKind::Object(obj) = &s.kind {
            for p in &obj.properties {
                let what = format!("property `{}` of `{name}`", p.name);
                check(&p.schema, &what, &ctx.schema_pointer(name));
            }
        }
    }
}

/// Whether `s` or a schema nested in it (properties, items; references followed,
/// bounded depth) carries `x-ms-notification-url`.
fn carries_notification_url(ctx: &Subject<'_>, s: &Schema, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let resolved = ctx.resolve(s);
    if s.notification_url || resolved.notification_url {
        return true;
    }
    match &resolved.kind {
        SchemaKind::Object(obj) => obj
            .properties
            .iter()
            .any(|p| carries_notification_url(ctx, &p.schema, depth + 1)),
        SchemaKind::Array(items) => carries_notification_url(ctx, items, depth + 1),
        _ => false,
    }
}

/// Whether the operation takes a callback URL (`x-ms-notification-url`).
fn has_notification_url(ctx: &Subject<'_>, op: &connector_spec::Operation) -> bool {
    op.parameters
        .iter()
        .any(|p| p.notification_url || p.schema.notification_url)
        || operation_schemas(ctx, op)
            .iter()
            .any(|(_, s)| carries_notification_url(ctx, s, 0))
}

pub(crate) fn notification_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let url = has_notification_url(ctx, op);
        let content = op.notification.is_some();
        if op.trigger.is_some() && url && !content {
            out.at(
                ctx.op(i),
                format!(
                    "webhook trigger `{}` has no x-ms-notification-content on its path",
                    op.id
                ),
            );
        }
        if content && op.trigger.is_some() && !url {
            out.at(
                ctx.op(i),
                format!(
                    "webhook trigger `{}` has no parameter with x-ms-notification-url",
                    op.id
                ),
            );
        }
    }
}
