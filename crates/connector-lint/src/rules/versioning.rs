//! Seed 003 operation versioning: families, revisions, statuses, replacements.

use std::collections::BTreeMap;

use connector_spec::Status;
use serde_json::Value;

use super::Emit;
use crate::context::Subject;

pub(crate) fn too_many_active(ctx: &Subject<'_>, out: &mut Emit) {
    let mut live: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, op) in ctx.c.operations.iter().enumerate() {
        if !op.lifecycle.deprecated {
            live.entry(op.lifecycle.family.as_str())
                .or_default()
                .push(i);
        }
    }
    for (family, ops) in live {
        if ops.len() > 2 {
            for &i in &ops[2..] {
                out.at(
                    ctx.op(i),
                    format!(
                        "family `{family}` has {} non-deprecated operations (at most 2)",
                        ops.len()
                    ),
                );
            }
        }
    }
}

pub(crate) fn duplicate_revision(ctx: &Subject<'_>, out: &mut Emit) {
    let mut seen: BTreeMap<(&str, u32), &str> = BTreeMap::new();
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let key = (op.lifecycle.family.as_str(), op.lifecycle.revision);
        match seen.get(&key) {
            Some(first) => out.at(
                ctx.op(i),
                format!(
                    "`{}` has the same family `{}` and revision {} as `{first}`",
                    op.id, key.0, key.1
                ),
            ),
            None => {
                seen.insert(key, op.id.as_str());
            }
        }
    }
}

pub(crate) fn revision_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    for i in 0..ctx.c.operations.len() {
        let Some(rev) = ctx.annotation(i).and_then(|a| a.get("revision")) else {
            continue;
        };
        let ok = match rev {
            Value::Number(n) => n.as_u64().is_some_and(|n| n >= 1),
            Value::String(s) => s.trim().parse::<u64>().is_ok_and(|n| n >= 1),
            _ => false,
        };
        if !ok {
            out.at(
                format!("{}/x-ms-api-annotation/revision", ctx.op(i)),
                format!("revision {rev} is not a positive integer"),
            );
        }
    }
}

pub(crate) fn revision_suffix(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let rev = op.lifecycle.revision;
        let Some(id) = &op.declared_id else { continue };
        let suffix = format!("_v{rev}");
        if rev > 1 && !id.to_ascii_lowercase().ends_with(&suffix) {
            out.at(
                format!("{}/operationId", ctx.op(i)),
                format!("`{id}` is revision {rev} but does not end with `_V{rev}`"),
            );
        }
    }
}

pub(crate) fn status_ahead(ctx: &Subject<'_>, out: &mut Emit) {
    if ctx.c.status != Status::Preview {
        return;
    }
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let declared = ctx
            .annotation(i)
            .and_then(|a| a.get("status"))
            .and_then(Value::as_str);
        if declared.is_some_and(|s| s.eq_ignore_ascii_case("production")) {
            out.at(
                format!("{}/x-ms-api-annotation/status", ctx.op(i)),
                format!("`{}` is Production but the connector is Preview", op.id),
            );
        }
    }
}

pub(crate) fn replacement_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    for (i, op) in ctx.c.operations.iter().enumerate() {
        let Some(rep) = ctx.annotation(i).and_then(|a| a.get("replacement")) else {
            continue;
        };
        let pointer = format!("{}/x-ms-api-annotation/replacement", ctx.op(i));
        if !op.lifecycle.deprecated {
            out.at(
                pointer.clone(),
                format!("`{}` names a replacement but is not deprecated", op.id),
            );
        }
        let has = |k: &str| {
            rep.get(k)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        };
        if has("api") != has("operationId") {
            out.at(
                pointer,
                format!(
                    "the replacement of `{}` names only one of `api` and `operationId`",
                    op.id
                ),
            );
        }
    }
}
