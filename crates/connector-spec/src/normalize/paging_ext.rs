//! Vendor paging extensions, as their generators document them:
//!
//! - `x-speakeasy-pagination`: `type: offsetLimit | cursor | url`, `inputs` (`name`,
//!   `in: parameters`, `type: offset | page | limit | cursor`) and `outputs` (`results`,
//!   `nextCursor`, `nextUrl`, `numPages`) as JSONPath (`$.data.resultArray`,
//!   `$.data[-1:].id` for the last item's field);
//! - `x-fern-pagination`: `cursor` + `next_cursor`, `offset` (+ `step`: an offset, else
//!   a page number), `next_uri`, `results`, `has-next-page`, with `$request.<param>` and
//!   `$response.<path>`; `true` on an operation means the document's own
//!   `x-fern-pagination`;
//! - `x-pagination`, which has no single owner: a style (`cursor`, `offset`, `page`,
//!   `next-link`, `link-header`) alone or as `style`/`type`, with optional parameter and
//!   field names (`cursor`, `nextCursor`, `offset`, `limit`, `page`, `pageSize`, `next`,
//!   `items`/`results`, `hasMore`, `total`); what it leaves out is inferred.
//!
//! Request values the extension reads from the body, and JSONPath beyond plain
//! properties and the last item, are warned about and the extension is ignored.

use serde_json::{Map, Value};

use super::Norm;
use super::paging::{FERN, Shapes, Style, infer_pattern};
use crate::diagnostics::DiagnosticKind;
use crate::model::{BodyContent, Operation, Pageable, PagingOrigin, PagingPattern, ParamLocation};

const SPEAKEASY: &str = "x-speakeasy-pagination";
const GENERIC: &str = "x-pagination";

/// A response location an extension names.
#[derive(Debug, PartialEq, Eq)]
enum Out {
    /// A dot path into the body.
    Path(String),
    /// A field of the last item of the array at a path.
    LastItem { field: String },
}

/// `$.a.b`, `$response.a.b`, `$['a']['b']`, `a.b` → `a.b`; `$.data[-1:].id` → the
/// last item's `id`. `None` for any other JSONPath.
fn out_path(text: &str) -> Option<Out> {
    let t = text.trim();
    let t = t
        .strip_prefix("$response")
        .or_else(|| t.strip_prefix('$'))
        .unwrap_or(t);
    let mut segments: Vec<String> = Vec::new();
    let mut rest = t;
    let mut last_item = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = r[..end].trim();
            rest = &r[end + 1..];
            if matches!(inner, "-1" | "-1:" | "(@.length-1)") && !last_item {
                last_item = true;
                segments.push("\u{0}".to_owned());
                continue;
            }
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))?;
            segments.push(quoted.to_owned());
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let seg = &rest[..end];
        if seg.contains(['*', '?', '@', '(']) {
            return None;
        }
        segments.push(seg.to_owned());
        rest = &rest[end..];
    }
    if last_item {
        let at = segments.iter().position(|s| s == "\u{0}")?;
        let field = segments[at + 1..].join(".");
        return (!field.is_empty()).then_some(Out::LastItem { field });
    }
    Some(Out::Path(segments.join(".")))
}

/// `$request.name` or `name` → a query parameter of `op`.
fn in_param(op: &Operation, text: &str) -> Option<String> {
    let t = text.trim();
    let name = t.strip_prefix("$request.").unwrap_or(t);
    op.parameters
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == name)
        .map(|p| p.name.clone())
}

/// `name` (`$request.` / `$.` prefixes allowed) as a property of the operation's JSON
/// request body, as a dot path.
fn in_json_body(op: &Operation, shapes: Shapes<'_>, name: &str) -> Option<String> {
    let t = name.trim();
    let t = t.strip_prefix("$request.").unwrap_or(t);
    let t = t.strip_prefix("$.").unwrap_or(t);
    let body = op.body.as_ref()?;
    if !body.media_type.contains("json") {
        return None;
    }
    let BodyContent::Schema(schema) = &body.content else {
        return None;
    };
    let fields = shapes.fields(schema);
    fields.iter().any(|f| f.path == t).then(|| t.to_owned())
}

fn text<'v>(m: &'v Map<String, Value>, keys: &[&str]) -> Option<&'v str> {
    keys.iter().find_map(|k| m.get(*k).and_then(Value::as_str))
}

/// Why an extension could not be read.
type Failure = String;

impl Norm<'_, '_> {
    /// The paging a vendor extension of `op` declares: `None` when it has none, else
    /// the paging read (a malformed extension warns and reads as no declaration).
    pub(crate) fn declared_paging(
        &mut self,
        op: &Operation,
        shapes: Shapes<'_>,
        link_header: bool,
        fern_default: Option<&Value>,
    ) -> Option<Option<Pageable>> {
        let (key, read): (&str, Result<Option<Pageable>, Failure>) =
            if let Some(v) = op.extensions.get(SPEAKEASY) {
                (SPEAKEASY, speakeasy(op, shapes, v))
            } else if let Some(v) = op.extensions.get(FERN) {
                let v = match (v, fern_default) {
                    (Value::Bool(true), Some(d)) => d,
                    _ => v,
                };
                (FERN, fern(op, shapes, v))
            } else if let Some(v) = op.extensions.get(GENERIC) {
                (GENERIC, generic(op, shapes, v, link_header))
            } else {
                return None;
            };
        match read {
            Ok(found) => Some(found.map(|p| Pageable {
                origin: PagingOrigin::Declared(key.to_owned()),
                ..p
            })),
            Err(why) => {
                let message = format!("`{key}`: {why}; no paging generated from it");
                self.path.push(key.into());
                self.warn_kind(DiagnosticKind::SkippedConstruct, message);
                self.path.pop();
                None
            }
        }
    }
}

/// The items path: the extension's, else the response's only array.
fn items_or_found(
    op: &Operation,
    shapes: Shapes<'_>,
    given: Option<&str>,
) -> Result<String, Failure> {
    if let Some(g) = given {
        return match out_path(g) {
            Some(Out::Path(p)) => Ok(p),
            _ => Err(format!("results path `{g}` is not supported")),
        };
    }
    op.success_response()
        .and_then(|r| r.schema.as_ref())
        .and_then(|b| shapes.items_path(b))
        .ok_or_else(|| "no results path, and no items array in the response".to_owned())
}

fn pageable(items: String, pattern: PagingPattern) -> Option<Pageable> {
    Some(Pageable {
        items,
        pattern,
        origin: PagingOrigin::Inferred,
    })
}

/// A cursor pattern from `param` and the response location `next`.
fn cursor(param: String, next: &str, has_more: Option<String>) -> Result<PagingPattern, Failure> {
    let (next, last_item_field) = match out_path(next) {
        Some(Out::Path(p)) => (Some(p), None),
        Some(Out::LastItem { field }) => (None, Some(field)),
        None => return Err(format!("cursor path `{next}` is not supported")),
    };
    Ok(PagingPattern::Cursor {
        param,
        in_body: false,
        next,
        last_item_field,
        has_more,
    })
}

fn plain_path(text: Option<&str>) -> Result<Option<String>, Failure> {
    match text.map(|t| (t, out_path(t))) {
        None => Ok(None),
        Some((_, Some(Out::Path(p)))) => Ok(Some(p)),
        Some((t, _)) => Err(format!("path `{t}` is not supported")),
    }
}

fn speakeasy(op: &Operation, shapes: Shapes<'_>, v: &Value) -> Result<Option<Pageable>, Failure> {
    let m = v.as_object().ok_or("should be an object")?;
    let kind = text(m, &["type"]).ok_or("has no `type`")?;
    let outputs = m.get("outputs").and_then(Value::as_object);
    let out = |k: &str| outputs.and_then(|o| o.get(k)).and_then(Value::as_str);
    // (type, parameter or body member, in the body)
    let mut inputs: Vec<(String, String, bool)> = Vec::new();
    for input in m
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(i) = input.as_object() else { continue };
        let (Some(name), Some(ty)) = (text(i, &["name"]), text(i, &["type"])) else {
            return Err("an input lacks `name` or `type`".to_owned());
        };
        if text(i, &["in"]).is_some_and(|w| w != "parameters") {
            // Only a cursor can travel in the body (a JSON member the runtime sets).
            if ty != "cursor" {
                return Err(format!(
                    "input `{name}` ({ty}) is in the request body, which is supported only for a cursor"
                ));
            }
            let member = in_json_body(op, shapes, name).ok_or_else(|| {
                format!("input `{name}` is not a property of the operation's JSON request body")
            })?;
            inputs.push((ty.to_owned(), member, true));
            continue;
        }
        let param = in_param(op, name)
            .ok_or_else(|| format!("input `{name}` is not a query parameter of the operation"))?;
        inputs.push((ty.to_owned(), param, false));
    }
    let input = |t: &str| {
        inputs
            .iter()
            .find(|(ty, _, body)| ty == t && !body)
            .map(|(_, p, _)| p.clone())
    };
    let body_cursor = inputs
        .iter()
        .find(|(ty, _, body)| ty == "cursor" && *body)
        .map(|(_, p, _)| p.clone());
    let items = items_or_found(op, shapes, out("results"))?;
    let pattern = match kind {
        "url" => PagingPattern::NextLink {
            path: Some(plain_path(out("nextUrl"))?.ok_or("`url` paging needs `outputs.nextUrl`")?),
        },
        "cursor" => {
            let next = out("nextCursor").ok_or("`cursor` paging needs `outputs.nextCursor`")?;
            match body_cursor {
                Some(member) => match cursor(member, next, None)? {
                    PagingPattern::Cursor {
                        param,
                        next,
                        last_item_field,
                        has_more,
                        ..
                    } => PagingPattern::Cursor {
                        param,
                        in_body: true,
                        next,
                        last_item_field,
                        has_more,
                    },
                    other => other,
                },
                None => {
                    let param = input("cursor").ok_or("`cursor` paging needs a cursor input")?;
                    cursor(param, next, None)?
                }
            }
        }
        "offsetLimit" => {
            let limit = input("limit");
            if let Some(page) = input("page") {
                PagingPattern::Page {
                    param: page,
                    size_param: limit,
                    first_page: 1,
                    total_pages: plain_path(out("numPages"))?,
                    total: None,
                    has_more: None,
                }
            } else if let Some(offset) = input("offset") {
                PagingPattern::Offset {
                    param: offset,
                    limit_param: limit,
                    total: None,
                    has_more: None,
                }
            } else {
                return Err("`offsetLimit` paging needs an offset or page input".to_owned());
            }
        }
        other => return Err(format!("unknown type `{other}`")),
    };
    Ok(pageable(items, pattern))
}

fn fern(op: &Operation, shapes: Shapes<'_>, v: &Value) -> Result<Option<Pageable>, Failure> {
    let m = match v {
        Value::Bool(false) => return Ok(None),
        Value::Object(m) => m,
        Value::Bool(true) => {
            return Err("`true` but the document has no `x-fern-pagination`".to_owned());
        }
        _ => return Err("should be an object".to_owned()),
    };
    let items = items_or_found(op, shapes, text(m, &["results"]))?;
    let has_more = plain_path(text(m, &["has-next-page", "has_next_page"]))?;
    let request = |k: &str| -> Result<Option<String>, Failure> {
        match text(m, &[k]) {
            None => Ok(None),
            Some(t) => in_param(op, t)
                .map(Some)
                .ok_or_else(|| format!("`{k}: {t}` is not a query parameter of the operation")),
        }
    };
    let pattern = if let Some(uri) = text(m, &["next_uri", "next_path"]) {
        PagingPattern::NextLink {
            path: plain_path(Some(uri))?,
        }
    } else if let Some(param) = request("cursor")? {
        let next = text(m, &["next_cursor"]).ok_or("`cursor` needs `next_cursor`")?;
        cursor(param, next, has_more)?
    } else if let Some(param) = request("offset")? {
        match request("step")? {
            Some(step) => PagingPattern::Offset {
                param,
                limit_param: Some(step),
                total: None,
                has_more,
            },
            None => PagingPattern::Page {
                param,
                size_param: None,
                first_page: 1,
                total_pages: None,
                total: None,
                has_more,
            },
        }
    } else {
        return Err("needs `cursor`, `offset` or `next_uri`".to_owned());
    };
    Ok(pageable(items, pattern))
}

fn style_of(text: &str) -> Option<Style> {
    Some(match super::paging::norm(text).as_str() {
        "cursor" | "token" | "continuationtoken" => Style::Cursor,
        "offset" | "offsetlimit" | "limitoffset" => Style::Offset,
        "page" | "pagenumber" | "pages" => Style::Page,
        "nextlink" | "url" | "nexturl" | "uri" => Style::NextLink,
        "linkheader" | "link" | "header" => Style::LinkHeader,
        _ => return None,
    })
}

fn generic(
    op: &Operation,
    shapes: Shapes<'_>,
    v: &Value,
    link_header: bool,
) -> Result<Option<Pageable>, Failure> {
    let empty = Map::new();
    let (style, m) = match v {
        Value::Bool(false) | Value::Null => return Ok(None),
        Value::String(s) => (
            Some(style_of(s).ok_or_else(|| format!("unknown style `{s}`"))?),
            &empty,
        ),
        Value::Object(m) => {
            let style = match text(m, &["style", "type", "kind"]) {
                Some(s) => Some(style_of(s).ok_or_else(|| format!("unknown style `{s}`"))?),
                None => None,
            };
            (style, m)
        }
        _ => return Err("should be a style or an object".to_owned()),
    };
    let items = items_or_found(op, shapes, text(m, &["items", "results", "itemsPath"]))?;
    let param = |keys: &[&str]| text(m, keys).and_then(|t| in_param(op, t));
    let has_more = plain_path(text(m, &["hasMore", "has_more"]))?;
    let total = plain_path(text(m, &["total", "totalCount", "total_count"]))?;
    let explicit =
        if let Some(next) = text(m, &["next", "nextLink", "next_link", "nextUrl", "next_url"]) {
            Some(PagingPattern::NextLink {
                path: plain_path(Some(next))?,
            })
        } else if let (Some(p), Some(next)) = (
            param(&["cursor", "cursorParam", "cursor_param"]),
            text(m, &["nextCursor", "next_cursor", "cursorPath"]),
        ) {
            Some(cursor(p, next, has_more.clone())?)
        } else if let Some(p) = param(&["offset", "offsetParam", "offset_param"]) {
            Some(PagingPattern::Offset {
                param: p,
                limit_param: param(&[
                    "limit",
                    "limitParam",
                    "limit_param",
                    "pageSize",
                    "page_size",
                ]),
                total: total.clone(),
                has_more: has_more.clone(),
            })
        } else if let Some(p) = param(&["page", "pageParam", "page_param"]) {
            Some(PagingPattern::Page {
                param: p,
                size_param: param(&["pageSize", "page_size", "perPage", "per_page", "limit"]),
                first_page: 1,
                total_pages: plain_path(text(m, &["totalPages", "total_pages"]))?,
                total: total.clone(),
                has_more: has_more.clone(),
            })
        } else if style == Some(Style::LinkHeader) {
            Some(PagingPattern::LinkHeader)
        } else {
            None
        };
    if let Some(pattern) = explicit {
        return Ok(pageable(items, pattern));
    }
    // Only a style (or names that do not match the operation): the rest is inferred.
    let body = op
        .success_response()
        .and_then(|r| r.schema.as_ref())
        .ok_or("no response body to page through")?;
    infer_pattern(op, shapes, body, &items, link_header, style)
        .map(|pattern| pageable(items, pattern))
        .ok_or_else(|| "the parameters and response do not show how to page".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_read_as_dot_paths_or_the_last_items_field() {
        let p = |s: &str| Some(Out::Path(s.to_owned()));
        assert_eq!(out_path("$.data.resultArray"), p("data.resultArray"));
        assert_eq!(out_path("$response.meta.next"), p("meta.next"));
        assert_eq!(out_path("$['links']['next']"), p("links.next"));
        assert_eq!(out_path("$"), p(""));
        assert_eq!(out_path("next_cursor"), p("next_cursor"));
        assert_eq!(
            out_path("$.data[-1:].id"),
            Some(Out::LastItem { field: "id".into() })
        );
        assert_eq!(
            out_path("$.resultArray[(@.length-1)].created_at"),
            Some(Out::LastItem {
                field: "created_at".into()
            })
        );
        assert_eq!(out_path("$.data[*].id"), None);
    }
}
