//! Operations: matched by operationId, else by method and path (a renamed operationId);
//! then their lifecycle, parameters, body and responses.

use connector_spec::{Operation, Pageable, PagingOrigin, Response, Status, Visibility};

use crate::parameters::{self, OpPointers};
use crate::pointers::status_text;
use crate::schemas::{self, Direction, Pair};
use crate::{At, Bump, ChangeKind, Differ, Severity};

/// Compares every operation of both sides.
pub fn compare(d: &mut Differ<'_>) {
    let (old_ops, new_ops) = (&d.old.connector.operations, &d.new.connector.operations);
    let mut old_matched = vec![false; old_ops.len()];
    let mut pairs: Vec<(Option<usize>, usize)> = Vec::new();
    for (ni, n) in new_ops.iter().enumerate() {
        let by_id = old_ops.iter().position(|o| o.id == n.id);
        if let Some(oi) = by_id {
            old_matched[oi] = true;
        }
        pairs.push((by_id, ni));
    }
    // Unmatched on both sides with the same method and path: a renamed operationId.
    for pair in pairs.iter_mut().filter(|p| p.0.is_none()) {
        let n = &new_ops[pair.1];
        let same_route = old_ops
            .iter()
            .enumerate()
            .position(|(i, o)| !old_matched[i] && o.method == n.method && o.path == n.path);
        if let Some(oi) = same_route {
            old_matched[oi] = true;
            pair.0 = Some(oi);
        }
    }
    for (oi, o) in old_ops.iter().enumerate() {
        if !old_matched[oi] {
            let at = at_op(&o.id);
            let ptr = d.old.dialect.operation(&o.path, o.method);
            let msg = format!(
                "operation `{}` ({} {}) removed",
                o.id,
                o.method.as_str(),
                o.path
            );
            d.push(ChangeKind::OperationRemoved, &at, Some(ptr), None, msg);
        }
    }
    for (oi, ni) in pairs {
        let n = &new_ops[ni];
        match oi {
            None => {
                let at = at_op(&n.id);
                let ptr = d.new.dialect.operation(&n.path, n.method);
                let msg = format!(
                    "operation `{}` ({} {}) added",
                    n.id,
                    n.method.as_str(),
                    n.path
                );
                d.push(ChangeKind::OperationAdded, &at, None, Some(ptr), msg);
            }
            Some(oi) => compare_one(d, &old_ops[oi], n),
        }
    }
}

fn at_op(id: &str) -> At {
    At {
        operation: Some(id.to_string()),
        schema: None,
    }
}

fn compare_one(d: &mut Differ<'_>, o: &Operation, n: &Operation) {
    d.visited.clear();
    let at = at_op(&n.id);
    let p = OpPointers {
        old: d.old.dialect.operation(&o.path, o.method),
        new: d.new.dialect.operation(&n.path, n.method),
    };
    let both = |d: &mut Differ<'_>, kind, msg: String| {
        d.push(kind, &at, Some(p.old.clone()), Some(p.new.clone()), msg);
    };
    if o.id != n.id {
        both(
            d,
            ChangeKind::OperationIdChanged,
            format!(
                "operationId `{}` renamed to `{}` (the generated method is renamed)",
                o.id, n.id
            ),
        );
    }
    if o.path != n.path {
        both(
            d,
            ChangeKind::PathChanged,
            format!("`{}` path changed from {} to {}", n.id, o.path, n.path),
        );
    }
    if o.method != n.method {
        both(
            d,
            ChangeKind::MethodChanged,
            format!(
                "`{}` method changed from {} to {}",
                n.id,
                o.method.as_str(),
                n.method.as_str()
            ),
        );
    }
    compare_lifecycle(d, &at, &p, o, n);
    if o.summary != n.summary || o.description != n.description {
        both(
            d,
            ChangeKind::DocsChanged,
            format!("`{}` summary or description changed", n.id),
        );
    }
    if o.pageable != n.pageable {
        both(
            d,
            ChangeKind::PagingChanged,
            paging_change(&n.id, o.pageable.as_ref(), n.pageable.as_ref()),
        );
    }
    if o.trigger != n.trigger
        || o.trigger_hint != n.trigger_hint
        || o.notification != n.notification
    {
        both(
            d,
            ChangeKind::TriggerChanged,
            format!(
                "`{}` trigger semantics (x-ms-trigger, hint or notification content) changed",
                n.id
            ),
        );
    }
    if o.security != n.security {
        both(
            d,
            ChangeKind::SecuritySchemeChanged,
            format!("`{}` security requirements changed", n.id),
        );
    }
    parameters::compare(d, &at, &p, o, n);
    parameters::compare_body(d, &at, &p, o, n);
    compare_responses(d, &at, &p, o, n);
}

fn compare_lifecycle(d: &mut Differ<'_>, at: &At, p: &OpPointers, o: &Operation, n: &Operation) {
    let (lo, ln) = (&o.lifecycle, &n.lifecycle);
    let ptrs = || (Some(p.old.clone()), Some(p.new.clone()));
    if lo.status != ln.status {
        // A Preview operation compiles only with the `preview` feature.
        let bump = if ln.status == Status::Preview {
            Bump::Major
        } else {
            Bump::Minor
        };
        let msg = format!(
            "`{}` status changed from {:?} to {:?}",
            n.id, lo.status, ln.status
        );
        d.push_as(
            ChangeKind::StatusChanged,
            Severity::Patch,
            bump,
            at,
            ptrs(),
            msg,
        );
    }
    if lo.visibility != ln.visibility {
        // An Internal operation is `#[doc(hidden)]`: out of the public API.
        let bump = match (lo.visibility, ln.visibility) {
            (_, Visibility::Internal) => Bump::Major,
            (Visibility::Internal, _) => Bump::Minor,
            _ => Bump::Patch,
        };
        let msg = format!(
            "`{}` visibility changed from {:?} to {:?}",
            n.id, lo.visibility, ln.visibility
        );
        d.push_as(
            ChangeKind::VisibilityChanged,
            Severity::Patch,
            bump,
            at,
            ptrs(),
            msg,
        );
    }
    if lo.deprecated != ln.deprecated || lo.expires != ln.expires {
        let msg = format!(
            "`{}` deprecation changed (deprecated {} -> {}, expires {} -> {})",
            n.id,
            lo.deprecated,
            ln.deprecated,
            lo.expires.as_deref().unwrap_or("none"),
            ln.expires.as_deref().unwrap_or("none")
        );
        let (po, pn) = ptrs();
        d.push(ChangeKind::DeprecationChanged, at, po, pn, msg);
    }
    if lo.family != ln.family || lo.revision != ln.revision {
        let msg = format!(
            "`{}` moved from family {} revision {} to family {} revision {}",
            n.id, lo.family, lo.revision, ln.family, ln.revision
        );
        let (po, pn) = ptrs();
        d.push(ChangeKind::RevisionChanged, at, po, pn, msg);
    }
}

/// Whether the generated API depends on this response: success responses shape the
/// return type, the error response with a schema shapes the error type.
fn shapes_api(r: &Response) -> bool {
    r.status.is_success() || r.schema.is_some()
}

fn compare_responses(d: &mut Differ<'_>, at: &At, p: &OpPointers, o: &Operation, n: &Operation) {
    let id = &n.id;
    for ro in &o.responses {
        let po = d.old.dialect.response(&p.old, ro.status);
        match n.responses.iter().find(|r| r.status == ro.status) {
            None => {
                let msg = format!(
                    "`{id}` no longer declares response {}",
                    status_text(ro.status)
                );
                let bump = if shapes_api(ro) {
                    Bump::Major
                } else {
                    Bump::Patch
                };
                d.push_as(
                    ChangeKind::StatusCodeRemoved,
                    Severity::Breaking,
                    bump,
                    at,
                    (Some(po), None),
                    msg,
                );
            }
            Some(rn) => {
                let pn = d.new.dialect.response(&p.new, rn.status);
                if ro.description != rn.description {
                    let msg = format!(
                        "`{id}` response {} description changed",
                        status_text(ro.status)
                    );
                    d.push(
                        ChangeKind::DocsChanged,
                        at,
                        Some(po.clone()),
                        Some(pn.clone()),
                        msg,
                    );
                }
                if let (Some(mo), Some(mn)) = (&ro.media_type, &rn.media_type)
                    && mo != mn
                {
                    let msg = format!(
                        "`{id}` response {} media type changed from {mo} to {mn}",
                        status_text(ro.status)
                    );
                    d.push(
                        ChangeKind::MediaTypeChanged,
                        at,
                        Some(po.clone()),
                        Some(pn.clone()),
                        msg,
                    );
                }
                let so = d.old.dialect.response_schema(&po, ro.media_type.as_deref());
                let sn = d.new.dialect.response_schema(&pn, rn.media_type.as_deref());
                match (&ro.schema, &rn.schema) {
                    (Some(a), Some(b)) => {
                        let pair = Pair {
                            old: so,
                            new: sn,
                            label: format!("`{id}` response {} body", status_text(ro.status)),
                        };
                        schemas::compare(d, at, Direction::Response, &pair, a, b, 0);
                    }
                    (None, None) => {}
                    _ => {
                        let msg = format!(
                            "`{id}` response {} body schema added or removed",
                            status_text(ro.status)
                        );
                        d.push(ChangeKind::TypeChanged, at, Some(so), Some(sn), msg);
                    }
                }
            }
        }
    }
    for rn in &n.responses {
        if !o.responses.iter().any(|r| r.status == rn.status) {
            let pn = d.new.dialect.response(&p.new, rn.status);
            let msg = format!("`{id}` declares a new response {}", status_text(rn.status));
            let bump = if shapes_api(rn) {
                Bump::Major
            } else {
                Bump::Patch
            };
            d.push_as(
                ChangeKind::StatusCodeAdded,
                Severity::Additive,
                bump,
                at,
                (None, Some(pn)),
                msg,
            );
        }
    }
}

/// What changed in an operation's paging, naming where each side's paging came from
/// (declared by an extension, inferred, or overridden) and how it pages.
fn paging_change(id: &str, old: Option<&Pageable>, new: Option<&Pageable>) -> String {
    let origin = |p: &Pageable| match &p.origin {
        PagingOrigin::Declared(ext) => format!("declared (`{ext}`)"),
        PagingOrigin::Inferred => "inferred".to_owned(),
        PagingOrigin::Override => "overridden".to_owned(),
    };
    match (old, new) {
        (None, Some(n)) => format!("`{id}` now pages: {}", n.describe()),
        (Some(o), None) => format!(
            "`{id}` no longer pages (was {}: {})",
            origin(o),
            o.pattern.describe()
        ),
        (Some(o), Some(n)) => {
            let mut parts = Vec::new();
            if o.origin != n.origin {
                parts.push(format!("{} paging is now {}", origin(o), origin(n)));
            }
            if o.pattern != n.pattern {
                parts.push(format!(
                    "pattern was {}, now {}",
                    o.pattern.describe(),
                    n.pattern.describe()
                ));
            }
            if o.items != n.items {
                let at = |i: &str| {
                    if i.is_empty() {
                        "the body".to_owned()
                    } else {
                        format!("`{i}`")
                    }
                };
                parts.push(format!(
                    "items were at {}, now at {}",
                    at(&o.items),
                    at(&n.items)
                ));
            }
            format!("`{id}` {} paging changed: {}", origin(n), parts.join("; "))
        }
        (None, None) => format!("`{id}` paging changed"),
    }
}
