//! Operation-level certification rules: ids, summaries, paging, responses, media types.

use std::collections::BTreeSet;

use connector_spec::PagingOrigin;
use serde_json::Value;

use super::Emit;
use crate::context::Subject;

/// Longest operationId accepted (our threshold; the validator publishes none).
const MAX_OPERATION_ID: usize = 80;
/// Longest operation summary certification accepts.
const MAX_SUMMARY: usize = 120;
/// Characters certification rejects in summaries (besides control characters).
pub(crate) const RESTRICTED: &[char] = &['<', '>'];

pub(crate) fn id_missing(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        if op
            .declared_id
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            out.at(
                ctx.op(i),
                format!("{} {} has no operationId", op.method.as_str(), op.path),
            );
        }
    }
}

pub(crate) fn id_duplicate(ctx: &Subject<'_>, out: &mut Emit) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let Some(id) = &op.declared_id else { continue };
        if !seen.insert(id.to_ascii_lowercase()) {
            out.at(
                format!("{}/operationId", ctx.op(i)),
                format!("operationId `{id}` is used by another operation"),
            );
        }
    }
}

pub(crate) fn id_too_long(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let Some(id) = &op.declared_id else { continue };
        let n = id.chars().count();
        if n > MAX_OPERATION_ID {
            out.at(
                format!("{}/operationId", ctx.op(i)),
                format!("operationId is {n} characters (at most {MAX_OPERATION_ID})"),
            );
        }
    }
}

pub(crate) fn summary_too_long(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let Some(s) = &op.summary else { continue };
        let n = s.chars().count();
        if n > MAX_SUMMARY {
            out.at(
                format!("{}/summary", ctx.op(i)),
                format!("summary is {n} characters (at most {MAX_SUMMARY})"),
            );
        }
    }
}

/// The first restricted character of `s`.
pub(crate) fn restricted_char(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control() || RESTRICTED.contains(c))
}

pub(crate) fn summary_restricted(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        if let Some(c) = op.summary.as_deref().and_then(restricted_char) {
            out.at(
                format!("{}/summary", ctx.op(i)),
                format!(
                    "summary of `{}` contains the restricted character {c:?}",
                    op.id
                ),
            );
        }
        for p in &op.parameters {
            if let Some(c) = p.summary.as_deref().and_then(restricted_char) {
                out.at(
                    format!("{}/x-ms-summary", ctx.param(i, p)),
                    format!(
                        "x-ms-summary of parameter `{}` contains the restricted character {c:?}",
                        p.name
                    ),
                );
            }
        }
    }
}

pub(crate) fn next_link_name(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        // Only `x-ms-pageable` names a `nextLinkName`; inferred paging is not linted.
        let Some(name) = op
            .pageable
            .as_ref()
            .filter(|p| p.origin == PagingOrigin::Declared("x-ms-pageable".to_owned()))
            .and_then(|p| p.next_link())
        else {
            continue;
        };
        if name != "nextLink" && name != "@odata.nextLink" {
            out.at(
                format!("{}/x-ms-pageable/nextLinkName", ctx.op(i)),
                format!("nextLinkName `{name}` is neither `nextLink` nor `@odata.nextLink`"),
            );
        }
    }
}

pub(crate) fn multiple_success_schemas(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let n = op
            .responses
            .iter()
            .filter(|r| r.status.is_success() && r.schema.is_some())
            .count();
        if n > 1 {
            out.at(
                format!("{}/responses", ctx.op(i)),
                format!("`{}` has {n} success responses with a schema", op.id),
            );
        }
    }
}

/// Whether `m` is `type/subtype` with token characters and optional `; parameters`.
pub(crate) fn valid_mime(m: &str) -> bool {
    let essence = m.split(';').next().unwrap_or("").trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+*".contains(c))
    };
    match essence.split_once('/') {
        Some((t, s)) => token(t) && token(s),
        None => false,
    }
}

fn check_list(v: Option<&Value>, pointer: &str, out: &mut Emit) {
    let Some(Value::Array(items)) = v else { return };
    for (n, item) in items.iter().enumerate() {
        let text = item.as_str().unwrap_or_default();
        if !valid_mime(text) {
            out.at(
                format!("{pointer}/{n}"),
                format!("`{item}` is not a valid MIME type"),
            );
        }
    }
}

pub(crate) fn mime_type_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    for key in ["consumes", "produces"] {
        check_list(ctx.doc.get(key), &format!("/{key}"), out);
    }
    for i in 0..ctx.c.operations.len() {
        let raw = ctx.raw_op(i);
        for key in ["consumes", "produces"] {
            check_list(raw.get(key), &format!("{}/{key}", ctx.op(i)), out);
        }
        // OpenAPI 3: content maps of the body and the responses.
        let mut contents = vec![(
            format!("{}/requestBody/content", ctx.op(i)),
            raw.pointer("/requestBody/content"),
        )];
        if let Some(Value::Object(rs)) = raw.get("responses") {
            for (code, r) in rs {
                contents.push((
                    format!("{}/responses/{code}/content", ctx.op(i)),
                    r.get("content"),
                ));
            }
        }
        for (pointer, content) in contents {
            let Some(Value::Object(map)) = content else {
                continue;
            };
            for media in map.keys() {
                if !valid_mime(media) {
                    out.at(
                        connector_spec::raw::pointer_join(&pointer, media),
                        format!("`{media}` is not a valid MIME type"),
                    );
                }
            }
        }
    }
}
