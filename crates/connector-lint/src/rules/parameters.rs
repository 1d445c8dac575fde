//! Parameter and body-property rules.

use connector_spec::{BodyContent, ParamLocation, SchemaKind, Visibility};

use super::Emit;
use crate::context::Subject;

pub(crate) fn url_encoding(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        for p in &op.parameters {
            if p.location == ParamLocation::Path && !p.extensions.contains_key("x-ms-url-encoding")
            {
                out.at(
                    ctx.param(i, p),
                    format!("path parameter `{}` has no x-ms-url-encoding", p.name),
                );
            }
        }
    }
}

/// A URI template variable name: RFC 6570 `varname` (letters, digits, `_`, `.`,
/// percent-encoded octets); `-` too, which OpenAPI tools accept widely.
fn valid_template_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '%'))
}

pub(crate) fn path_template_name_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        for p in &op.parameters {
            if p.location == ParamLocation::Path && !valid_template_name(&p.name) {
                out.at(
                    ctx.param(i, p),
                    format!(
                        "{} {}: the path template variable `{{{}}}` is not a URI template name",
                        op.method.as_str(),
                        op.path,
                        p.name
                    ),
                );
            }
        }
    }
}

pub(crate) fn internal_required_without_default(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        for p in &op.parameters {
            if p.visibility == Visibility::Internal && p.required && p.schema.default.is_none() {
                out.at(
                    ctx.param(i, p),
                    format!(
                        "parameter `{}` is required and internal but has no default",
                        p.name
                    ),
                );
            }
        }
    }
}

pub(crate) fn summary_missing(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        for p in &op.parameters {
            let blank = p.summary.as_deref().is_none_or(|s| s.trim().is_empty());
            if blank && p.visibility != Visibility::Internal {
                out.at(
                    ctx.param(i, p),
                    format!("parameter `{}` has no x-ms-summary", p.name),
                );
            }
        }
    }
}

pub(crate) fn property_summary_missing(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let Some(BodyContent::Schema(schema)) = op.body.as_ref().map(|b| &b.content) else {
            continue;
        };
        let SchemaKind::Object(obj) = &ctx.resolve(schema).kind else {
            continue;
        };
        for prop in &obj.properties {
            let s = &prop.schema;
            let blank = s.summary.as_deref().is_none_or(|t| t.trim().is_empty());
            if blank && s.visibility != Visibility::Internal && !s.read_only {
                out.at(
                    ctx.op(i),
                    format!(
                        "body property `{}` of `{}` has no x-ms-summary",
                        prop.name, op.id
                    ),
                );
            }
        }
    }
}
