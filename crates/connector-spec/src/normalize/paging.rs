//! Paging beyond `x-ms-pageable`: a vendor paging extension ([`super::paging_ext`]),
//! else the common patterns recognised from an operation's parameters and response —
//! a next URL at any depth, a cursor echoed into a query parameter, offset or page
//! number with a page size, a declared `Link` header.
//!
//! Inference is conservative: both sides must match (the parameter exists and the
//! response field exists, with the right types) and the items array must be
//! identifiable; only `GET` operations are inferred. Paging overrides
//! ([`crate::Loader::paging_override`]) are applied last, by operationId.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};

use super::Norm;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Severity};
use crate::model::{
    Connector, Method, Operation, Pageable, PagingOrigin, PagingOverride, PagingPattern,
    ParamLocation, Schema, SchemaKind, StringFormat,
};

/// `x-fern-pagination` (Fern's paging extension; read in `paging_ext.rs`, its
/// document-wide default here).
pub(crate) const FERN: &str = "x-fern-pagination";

/// How deep into a response object fields are looked for (`links.pages.next` is 3).
const MAX_FIELD_DEPTH: usize = 3;
/// `$ref` hops followed before giving up (cycles).
const MAX_REF_HOPS: usize = 16;

/// Names (normalized: lower case, letters and digits only) of a next page's URL.
const NEXT_LINK_NAMES: [&str; 9] = [
    "nextlink",
    "odatanextlink",
    "nextpageurl",
    "nextpagelink",
    "nexturl",
    "nextpageuri",
    "nexturi",
    "nextlinkurl",
    "nextpagehref",
];
/// Containers in which a bare `next` is a link.
const LINK_CONTAINERS: [&str; 6] = ["links", "pages", "paging", "pagination", "meta", "page"];
/// Preferred item array names when a response has several arrays.
const ITEM_NAMES: [&str; 8] = [
    "value", "items", "data", "results", "entries", "records", "elements", "list",
];
/// Booleans that are false on the last page.
const HAS_MORE: [&str; 4] = ["hasmore", "hasnextpage", "hasnext", "moreresults"];
/// Totals of items.
const TOTALS: [&str; 7] = [
    "total",
    "totalcount",
    "totalresults",
    "totalitems",
    "totalsize",
    "odatacount",
    "totalrecords",
];
/// Totals of pages.
const TOTAL_PAGES: [&str; 3] = ["totalpages", "pagecount", "numpages"];
const OFFSET_PARAMS: [&str; 3] = ["offset", "skip", "startindex"];
const PAGE_PARAMS: [&str; 3] = ["page", "pagenumber", "pageno"];
const SIZE_PARAMS: [&str; 7] = [
    "limit",
    "pagesize",
    "perpage",
    "top",
    "maxresults",
    "size",
    "pagelimit",
];

/// Lower case, letters and digits only: `page_size`, `pageSize` and `$top` compare
/// as `pagesize`, `pagesize` and `top`.
pub(crate) fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The response fields a cursor query parameter reads its next value from, in order of
/// preference; `None` when the parameter is not a known cursor.
fn cursor_sources(param: &str) -> Option<&'static [&'static str]> {
    Some(match param {
        "continuationtoken" => &["continuationtoken", "nextcontinuationtoken"],
        "pagetoken" => &["nextpagetoken", "pagetoken"],
        "nextpagetoken" => &["nextpagetoken"],
        "cursor" => &["nextcursor", "cursor", "endcursor"],
        "nextcursor" => &["nextcursor"],
        "pagecursor" => &["nextpagecursor", "nextcursor"],
        "nexttoken" => &["nexttoken"],
        "skiptoken" => &["skiptoken", "nextskiptoken"],
        "after" => &["lastid", "after", "nextcursor", "endcursor"],
        "startingafter" => &[],
        "marker" => &["nextmarker"],
        _ => return None,
    })
}

/// One property of a response body, found by walking its objects.
pub(crate) struct Field<'s> {
    /// Dot-separated path from the body.
    pub(crate) path: String,
    /// Normalized name.
    pub(crate) name: String,
    /// Normalized name of the containing property (`""` at the top).
    pub(crate) parent: String,
    /// Normalized name of the container's container.
    pub(crate) grandparent: String,
    /// A sibling is named `prev`/`previous` (a bare `next` beside it is a link).
    pub(crate) beside_previous: bool,
    /// The resolved schema.
    pub(crate) schema: &'s Schema,
}

/// Named schemas, to resolve references in response bodies.
#[derive(Clone, Copy)]
pub(crate) struct Shapes<'s> {
    pub(crate) schemas: &'s BTreeMap<String, Schema>,
}

impl<'s> Shapes<'s> {
    /// `schema` with references followed.
    pub(crate) fn resolve(self, mut schema: &'s Schema) -> &'s Schema {
        for _ in 0..MAX_REF_HOPS {
            match &schema.kind {
                SchemaKind::Ref(name) => match self.schemas.get(name) {
                    Some(s) => schema = s,
                    None => return schema,
                },
                _ => return schema,
            }
        }
        schema
    }

    /// Every property of `body` down to [`MAX_FIELD_DEPTH`], shallowest first.
    pub(crate) fn fields(self, body: &'s Schema) -> Vec<Field<'s>> {
        let mut out = Vec::new();
        let mut level: Vec<(String, String, String, &'s Schema)> =
            vec![(String::new(), String::new(), String::new(), body)];
        for _ in 0..MAX_FIELD_DEPTH {
            let mut next_level = Vec::new();
            for (prefix, parent, grand, schema) in level {
                let SchemaKind::Object(obj) = &self.resolve(schema).kind else {
                    continue;
                };
                let beside_previous = obj
                    .properties
                    .iter()
                    .any(|p| matches!(norm(&p.name).as_str(), "prev" | "previous"));
                for p in &obj.properties {
                    let path = if prefix.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{prefix}.{}", p.name)
                    };
                    let name = norm(&p.name);
                    let resolved = self.resolve(&p.schema);
                    out.push(Field {
                        path: path.clone(),
                        name: name.clone(),
                        parent: parent.clone(),
                        grandparent: grand.clone(),
                        beside_previous,
                        schema: resolved,
                    });
                    next_level.push((path, name, parent.clone(), resolved));
                }
            }
            level = next_level;
        }
        out
    }

    /// The path of the items array in `body`: the body itself, or its only array
    /// property, or among several the one with a usual name.
    pub(crate) fn items_path(self, body: &'s Schema) -> Option<String> {
        match &self.resolve(body).kind {
            SchemaKind::Array(_) => Some(String::new()),
            SchemaKind::Object(obj) => {
                let arrays: Vec<&str> = obj
                    .properties
                    .iter()
                    .filter(|p| matches!(self.resolve(&p.schema).kind, SchemaKind::Array(_)))
                    .map(|p| p.name.as_str())
                    .collect();
                match arrays.as_slice() {
                    [] => None,
                    [one] => Some((*one).to_owned()),
                    several => ITEM_NAMES.iter().find_map(|want| {
                        several
                            .iter()
                            .find(|n| norm(n) == *want)
                            .map(|n| (*n).to_owned())
                    }),
                }
            }
            _ => None,
        }
    }

    /// Whether the items at `items` (a path into `body`) are objects with a property
    /// named `field`.
    fn items_have(self, body: &'s Schema, items: &str, field: &str) -> bool {
        let array = if items.is_empty() {
            Some(self.resolve(body))
        } else {
            self.fields(body)
                .into_iter()
                .find(|f| f.path == items)
                .map(|f| f.schema)
        };
        let Some(SchemaKind::Array(item)) = array.map(|a| &a.kind) else {
            return false;
        };
        matches!(&self.resolve(item).kind, SchemaKind::Object(o) if o.properties.iter().any(|p| p.name == field))
    }
}

fn is_scalar(schema: &Schema) -> bool {
    matches!(
        schema.kind,
        SchemaKind::String(_) | SchemaKind::Integer(_) | SchemaKind::Number(_)
    )
}

fn is_count(schema: &Schema) -> bool {
    matches!(schema.kind, SchemaKind::Integer(_) | SchemaKind::Number(_))
}

/// The first field named one of `names` (normalized) that `accept`s its schema.
fn find<'f>(
    fields: &'f [Field<'_>],
    names: &[&str],
    accept: fn(&Schema) -> bool,
) -> Option<&'f Field<'f>> {
    names
        .iter()
        .find_map(|want| fields.iter().find(|f| f.name == *want && accept(f.schema)))
}

fn path_of(fields: &[Field<'_>], names: &[&str], accept: fn(&Schema) -> bool) -> Option<String> {
    find(fields, names, accept).map(|f| f.path.clone())
}

/// A next page's URL in the body: a field with a link's name, or a bare `next` inside
/// a links container, beside a `previous`, or declared as a URI.
fn next_link(fields: &[Field<'_>]) -> Option<String> {
    fields
        .iter()
        .find(|f| {
            let SchemaKind::String(format) = &f.schema.kind else {
                return false;
            };
            if NEXT_LINK_NAMES.contains(&f.name.as_str()) {
                return true;
            }
            let uri =
                matches!(format, StringFormat::Other(o) if o.contains("uri") || o.contains("url"));
            match f.name.as_str() {
                "next" => uri || f.beside_previous || LINK_CONTAINERS.contains(&f.parent.as_str()),
                "href" => f.parent == "next" && LINK_CONTAINERS.contains(&f.grandparent.as_str()),
                _ => false,
            }
        })
        .map(|f| f.path.clone())
}

/// Whether `param`'s schema is a number.
fn numeric_param(op: &Operation, shapes: Shapes<'_>, name: &str) -> bool {
    op.parameters
        .iter()
        .find(|p| p.name == name)
        .is_some_and(|p| is_count(shapes.resolve(&p.schema)))
}

/// The first page's number when the page parameter's schema says it is not 1: its
/// `minimum` (a whole number of 0 or more), else a `default` of 0.
fn first_page(op: &Operation, shapes: Shapes<'_>, pattern: &PagingPattern) -> Option<u64> {
    let PagingPattern::Page { param, .. } = pattern else {
        return None;
    };
    let p = op.parameters.iter().find(|p| &p.name == param)?;
    let own = &p.schema;
    let schema = shapes.resolve(own);
    let minimum = own.constraints.minimum.or(schema.constraints.minimum);
    if let Some(m) = minimum
        && m >= 0.0
        && m.fract() == 0.0
        && m <= u32::MAX as f64
    {
        return Some(m as u64);
    }
    let default = own.default.as_ref().or(schema.default.as_ref());
    (default.and_then(serde_json::Value::as_u64) == Some(0)).then_some(0)
}

/// The first query parameter whose normalized name is one of `names`.
fn query_param<'o>(op: &'o Operation, names: &[&str]) -> Option<&'o str> {
    names.iter().find_map(|want| {
        op.parameters
            .iter()
            .find(|p| p.location == ParamLocation::Query && norm(&p.name) == *want)
            .map(|p| p.name.as_str())
    })
}

/// What the response and parameters of `op` say about paging, if anything.
pub(crate) fn infer(op: &Operation, shapes: Shapes<'_>, link_header: bool) -> Option<Pageable> {
    if op.method != Method::Get {
        return None;
    }
    let body = op.success_response()?.schema.as_ref()?;
    let items = shapes.items_path(body)?;
    let pattern = infer_pattern(op, shapes, body, &items, link_header, None)?;
    Some(Pageable {
        items,
        pattern,
        origin: PagingOrigin::Inferred,
    })
}

/// The paging style a partial declaration asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    NextLink,
    Cursor,
    Offset,
    Page,
    LinkHeader,
}

/// The pattern of `op` (of `style` only, when given), items at `items` of `body`.
pub(crate) fn infer_pattern(
    op: &Operation,
    shapes: Shapes<'_>,
    body: &Schema,
    items: &str,
    link_header: bool,
    style: Option<Style>,
) -> Option<PagingPattern> {
    let fields = shapes.fields(body);
    let wants = |s: Style| style.is_none_or(|w| w == s);
    let has_more = path_of(&fields, &HAS_MORE, |s| {
        matches!(s.kind, SchemaKind::Boolean)
    });
    if wants(Style::NextLink)
        && let Some(path) = next_link(&fields)
    {
        return Some(PagingPattern::NextLink { path: Some(path) });
    }
    if wants(Style::LinkHeader) && link_header {
        return Some(PagingPattern::LinkHeader);
    }
    if wants(Style::Cursor) {
        for p in op
            .parameters
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
        {
            let n = norm(&p.name);
            let Some(sources) = cursor_sources(&n) else {
                continue;
            };
            let next = path_of(&fields, sources, is_scalar);
            let by_id = matches!(n.as_str(), "after" | "startingafter")
                && has_more.is_some()
                && shapes.items_have(body, items, "id");
            if next.is_some() || by_id {
                return Some(PagingPattern::Cursor {
                    param: p.name.clone(),
                    in_body: false,
                    next,
                    last_item_field: by_id.then(|| "id".to_owned()),
                    has_more: has_more.clone(),
                });
            }
        }
    }
    let total = path_of(&fields, &TOTALS, is_count);
    if wants(Style::Offset)
        && let Some(offset) = query_param(op, &OFFSET_PARAMS)
        && let Some(limit) = query_param(op, &SIZE_PARAMS)
        && numeric_param(op, shapes, offset)
    {
        return Some(PagingPattern::Offset {
            param: offset.to_owned(),
            limit_param: Some(limit.to_owned()),
            total,
            has_more,
        });
    }
    if wants(Style::Page)
        && let Some(page) = query_param(op, &PAGE_PARAMS)
        && let Some(size) = query_param(op, &SIZE_PARAMS)
        && numeric_param(op, shapes, page)
    {
        return Some(PagingPattern::Page {
            param: page.to_owned(),
            size_param: Some(size.to_owned()),
            first_page: 1,
            total_pages: path_of(&fields, &TOTAL_PAGES, is_count),
            total,
            has_more,
        });
    }
    None
}

/// Whether a success response of the raw operation at `path`/`method` declares a
/// `Link` header.
pub(crate) fn declares_link_header(api: &OpenAPI, path: &str, method: Method) -> bool {
    let Some(ReferenceOr::Item(item)) = api.paths.paths.get(path) else {
        return false;
    };
    let op = match method {
        Method::Get => &item.get,
        Method::Put => &item.put,
        Method::Post => &item.post,
        Method::Delete => &item.delete,
        Method::Options => &item.options,
        Method::Head => &item.head,
        Method::Patch => &item.patch,
        Method::Trace => &item.trace,
    };
    let Some(op) = op else { return false };
    op.responses
        .responses
        .iter()
        .filter(|(status, _)| match status {
            openapiv3::StatusCode::Code(c) => (200..300).contains(c),
            openapiv3::StatusCode::Range(r) => *r == 2,
        })
        .filter_map(|(_, r)| match r {
            ReferenceOr::Item(r) => Some(r),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/")?;
                match api.components.as_ref()?.responses.get(name)? {
                    ReferenceOr::Item(r) => Some(r),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        })
        .any(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
}

impl Norm<'_, '_> {
    /// Fills the paging of every operation without `x-ms-pageable`: a vendor extension,
    /// else inference.
    pub(crate) fn paging(&mut self, ops: &mut [Operation], schemas: &BTreeMap<String, Schema>) {
        let shapes = Shapes { schemas };
        let api = self.api;
        let fern_default = api.extensions.get(FERN).cloned();
        for op in ops.iter_mut().filter(|o| o.pageable.is_none()) {
            let link_header = declares_link_header(api, &op.path, op.method);
            let method = op.method.as_str().to_ascii_lowercase();
            self.path.clear();
            self.path.push("paths".into());
            self.path.push(op.path.clone().into());
            self.path.push(method.into());
            let declared = self.declared_paging(op, shapes, link_header, fern_default.as_ref());
            op.pageable = match declared {
                Some(found) => found,
                None => infer(op, shapes, link_header),
            };
            let start = op
                .pageable
                .as_ref()
                .and_then(|p| first_page(op, shapes, &p.pattern));
            if let (
                Some(start),
                Some(Pageable {
                    pattern: PagingPattern::Page { first_page, .. },
                    ..
                }),
            ) = (start, op.pageable.as_mut())
            {
                *first_page = start;
            }
            self.path.clear();
        }
    }
}

/// Applies `overrides` (by operationId, as declared or as named in the model) to
/// `connector`; an override naming no operation, or whose items cannot be found, is a
/// warning in `diagnostics`.
pub(crate) fn apply_overrides(
    connector: &mut Connector,
    overrides: &BTreeMap<String, PagingOverride>,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let shapes = Shapes {
        schemas: &connector.schemas,
    };
    let mut warn = |message: String| {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            file: file.to_path_buf(),
            pointer: String::new(),
            location: None,
            message,
            kind: DiagnosticKind::General,
        });
    };
    for (id, over) in overrides {
        let Some(op) = connector
            .operations
            .iter_mut()
            .find(|o| o.id == *id || o.declared_id.as_deref() == Some(id.as_str()))
        else {
            warn(format!(
                "paging override `{id}={over}`: no operation has this operationId; ignored"
            ));
            continue;
        };
        let (pattern, items) = match over {
            PagingOverride::None => {
                op.pageable = None;
                continue;
            }
            PagingOverride::Pattern { pattern, items } => (pattern, items),
        };
        let found = items
            .clone()
            .or_else(|| op.pageable.as_ref().map(|p| p.items.clone()))
            .or_else(|| {
                let body = op.success_response()?.schema.as_ref()?;
                shapes.items_path(body)
            });
        let Some(items) = found else {
            warn(format!(
                "paging override `{id}={over}`: no items array found in the response; add `;items=<path>`; ignored"
            ));
            continue;
        };
        op.pageable = Some(Pageable {
            items,
            pattern: pattern.clone(),
            origin: PagingOrigin::Override,
        });
    }
}
