//! Parameters (matched by location and name, then by name to see a move) and the request
//! body (schema, form fields or raw bytes).

use connector_spec::{BodyContent, Operation, ParamLocation, Parameter};

use crate::schemas::{self, Direction, Pair};
use crate::{At, Bump, ChangeKind, Differ, Severity};

/// Pointers to one operation on both sides.
pub struct OpPointers {
    /// Old side.
    pub old: String,
    /// New side.
    pub new: String,
}

fn loc(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Compares the non-body parameters of a matched operation.
pub fn compare(d: &mut Differ<'_>, at: &At, p: &OpPointers, o: &Operation, n: &Operation) {
    let po = d.old.dialect.parameters(&p.old);
    let pn = d.new.dialect.parameters(&p.new);
    let id = &n.id;
    let mut new_matched = vec![false; n.parameters.len()];
    let mut pairs: Vec<(&Parameter, Option<usize>)> = Vec::new();
    for a in &o.parameters {
        let i = n
            .parameters
            .iter()
            .position(|b| b.location == a.location && b.name == a.name);
        if let Some(i) = i {
            new_matched[i] = true;
        }
        pairs.push((a, i));
    }
    for (a, slot) in pairs.iter_mut().filter(|p| p.1.is_none()) {
        let moved =
            (0..n.parameters.len()).find(|&i| !new_matched[i] && n.parameters[i].name == a.name);
        if let Some(i) = moved {
            new_matched[i] = true;
            *slot = Some(i);
        }
    }
    for (a, i) in pairs {
        let Some(i) = i else {
            let msg = format!(
                "`{id}` parameter `{}` ({}) removed",
                a.name,
                loc(a.location)
            );
            d.push(
                ChangeKind::ParameterRemoved,
                at,
                Some(po.clone()),
                None,
                msg,
            );
            continue;
        };
        let b = &n.parameters[i];
        let both = (Some(po.clone()), Some(pn.clone()));
        if a.location != b.location {
            let msg = format!(
                "`{id}` parameter `{}` moved from {} to {}",
                a.name,
                loc(a.location),
                loc(b.location)
            );
            d.push(
                ChangeKind::ParameterLocationChanged,
                at,
                both.0.clone(),
                both.1.clone(),
                msg,
            );
        }
        compare_required(
            d,
            at,
            &both,
            &format!("`{id}` parameter `{}`", a.name),
            a.required,
            b.required,
        );
        if a.collection_format != b.collection_format || a.double_encoded != b.double_encoded {
            let msg = format!(
                "`{id}` parameter `{}` serialization (collection format or URL encoding) changed",
                a.name
            );
            d.push_as(
                ChangeKind::FormatChanged,
                Severity::Breaking,
                Bump::Patch,
                at,
                both.clone(),
                msg,
            );
        }
        if a.visibility != b.visibility {
            let msg = format!(
                "`{id}` parameter `{}` visibility changed from {:?} to {:?}",
                a.name, a.visibility, b.visibility
            );
            d.push(
                ChangeKind::VisibilityChanged,
                at,
                both.0.clone(),
                both.1.clone(),
                msg,
            );
        }
        if a.dynamic_values != b.dynamic_values || a.dynamic_tree != b.dynamic_tree {
            let msg = format!("`{id}` parameter `{}` dynamic values changed", a.name);
            d.push(
                ChangeKind::DynamicValuesChanged,
                at,
                both.0.clone(),
                both.1.clone(),
                msg,
            );
        }
        if a.description != b.description || a.summary != b.summary {
            let msg = format!("`{id}` parameter `{}` description changed", a.name);
            d.push(
                ChangeKind::DocsChanged,
                at,
                both.0.clone(),
                both.1.clone(),
                msg,
            );
        }
        let pair = Pair {
            old: po.clone(),
            new: pn.clone(),
            label: format!("`{id}` parameter `{}`", a.name),
        };
        schemas::compare(d, at, Direction::Request, &pair, &a.schema, &b.schema, 0);
    }
    for (i, b) in n.parameters.iter().enumerate() {
        if !new_matched[i] {
            let kind = if b.required {
                ChangeKind::ParameterAddedRequired
            } else {
                ChangeKind::ParameterAddedOptional
            };
            let how = if b.required { "required" } else { "optional" };
            let msg = format!(
                "`{id}` gained {how} parameter `{}` ({})",
                b.name,
                loc(b.location)
            );
            d.push(kind, at, None, Some(pn.clone()), msg);
        }
    }
}

fn compare_required(
    d: &mut Differ<'_>,
    at: &At,
    ptrs: &(Option<String>, Option<String>),
    what: &str,
    a: bool,
    b: bool,
) {
    if a == b {
        return;
    }
    let (kind, msg) = if b {
        (
            ChangeKind::ParameterMadeRequired,
            format!("{what} became required"),
        )
    } else {
        (
            ChangeKind::ParameterMadeOptional,
            format!("{what} became optional"),
        )
    };
    d.push(kind, at, ptrs.0.clone(), ptrs.1.clone(), msg);
}

/// Compares the request bodies of a matched operation.
pub fn compare_body(d: &mut Differ<'_>, at: &At, p: &OpPointers, o: &Operation, n: &Operation) {
    let id = &n.id;
    match (&o.body, &n.body) {
        (None, None) => {}
        (Some(a), None) => {
            let po = d.old.dialect.body(&p.old, &a.media_type);
            d.push(
                ChangeKind::RequestBodyRemoved,
                at,
                Some(po),
                None,
                format!("`{id}` no longer takes a request body"),
            );
        }
        (None, Some(b)) => {
            let pn = d.new.dialect.body(&p.new, &b.media_type);
            let (kind, how) = if b.required {
                (ChangeKind::RequestBodyAddedRequired, "required")
            } else {
                (ChangeKind::RequestBodyAddedOptional, "optional")
            };
            d.push(
                kind,
                at,
                None,
                Some(pn),
                format!("`{id}` takes a new {how} request body"),
            );
        }
        (Some(a), Some(b)) => {
            let po = d.old.dialect.body(&p.old, &a.media_type);
            let pn = d.new.dialect.body(&p.new, &b.media_type);
            let both = (Some(po.clone()), Some(pn.clone()));
            if a.media_type != b.media_type {
                let msg = format!(
                    "`{id}` request media type changed from {} to {}",
                    a.media_type, b.media_type
                );
                d.push(
                    ChangeKind::MediaTypeChanged,
                    at,
                    both.0.clone(),
                    both.1.clone(),
                    msg,
                );
            }
            if a.required != b.required {
                if b.required {
                    d.push(
                        ChangeKind::RequestBodyMadeRequired,
                        at,
                        both.0.clone(),
                        both.1.clone(),
                        format!("`{id}` request body became required"),
                    );
                } else {
                    d.push(
                        ChangeKind::ParameterMadeOptional,
                        at,
                        both.0.clone(),
                        both.1.clone(),
                        format!("`{id}` request body became optional"),
                    );
                }
            }
            if a.description != b.description {
                d.push(
                    ChangeKind::DocsChanged,
                    at,
                    both.0.clone(),
                    both.1.clone(),
                    format!("`{id}` request body description changed"),
                );
            }
            compare_content(d, at, &both, id, &a.content, &b.content);
        }
    }
}

fn compare_content(
    d: &mut Differ<'_>,
    at: &At,
    both: &(Option<String>, Option<String>),
    id: &str,
    a: &BodyContent,
    b: &BodyContent,
) {
    let (po, pn) = (
        both.0.clone().unwrap_or_default(),
        both.1.clone().unwrap_or_default(),
    );
    match (a, b) {
        (BodyContent::Schema(x), BodyContent::Schema(y)) => {
            let pair = Pair {
                old: po,
                new: pn,
                label: format!("`{id}` request body"),
            };
            schemas::compare(d, at, Direction::Request, &pair, x, y, 0);
        }
        (BodyContent::Binary, BodyContent::Binary) => {}
        (
            BodyContent::Form {
                multipart: ma,
                fields: fa,
            },
            BodyContent::Form {
                multipart: mb,
                fields: fb,
            },
        ) => {
            if ma != mb {
                d.push(
                    ChangeKind::MediaTypeChanged,
                    at,
                    Some(po.clone()),
                    Some(pn.clone()),
                    format!("`{id}` form encoding changed (multipart {ma} -> {mb})"),
                );
            }
            let ptrs = (Some(po.clone()), Some(pn.clone()));
            for x in fa {
                match fb.iter().find(|y| y.name == x.name) {
                    None => d.push(
                        ChangeKind::ParameterRemoved,
                        at,
                        Some(po.clone()),
                        None,
                        format!("`{id}` form field `{}` removed", x.name),
                    ),
                    Some(y) => {
                        compare_required(
                            d,
                            at,
                            &ptrs,
                            &format!("`{id}` form field `{}`", x.name),
                            x.required,
                            y.required,
                        );
                        if x.is_file != y.is_file {
                            d.push(
                                ChangeKind::TypeChanged,
                                at,
                                ptrs.0.clone(),
                                ptrs.1.clone(),
                                format!(
                                    "`{id}` form field `{}` changed between file and value",
                                    x.name
                                ),
                            );
                        }
                        let pair = Pair {
                            old: po.clone(),
                            new: pn.clone(),
                            label: format!("`{id}` form field `{}`", x.name),
                        };
                        schemas::compare(d, at, Direction::Request, &pair, &x.schema, &y.schema, 0);
                    }
                }
            }
            for y in fb.iter().filter(|y| !fa.iter().any(|x| x.name == y.name)) {
                let kind = if y.required {
                    ChangeKind::ParameterAddedRequired
                } else {
                    ChangeKind::ParameterAddedOptional
                };
                d.push(
                    kind,
                    at,
                    None,
                    Some(pn.clone()),
                    format!("`{id}` gained form field `{}`", y.name),
                );
            }
        }
        _ => {
            let msg = format!(
                "`{id}` request body changed between {} and {}",
                content_name(a),
                content_name(b)
            );
            d.push(ChangeKind::TypeChanged, at, Some(po), Some(pn), msg);
        }
    }
}

fn content_name(c: &BodyContent) -> &'static str {
    match c {
        BodyContent::Schema(_) => "structured",
        BodyContent::Form { .. } => "form",
        BodyContent::Binary => "binary",
    }
}
