//! JSON body templates: `setproperty`, `stringreplace`, `convertobjecttoarray`,
//! `convertarraytoobject`, `stringtoarray`, `moveproperties`, `encodepropertyvalue`.
//!
//! Paths are expressions (`@body().a`, `@item().b`). When a parent path selects an
//! array, the template applies to every element, and `@item()` targets are relative to
//! that element.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use super::expr::{
    self, Expr, Root, Step, eval_template, get, parse_path, parse_sub_path, set, take,
};
use super::{Ctx, PolicySpec, Template, policy_error};
use crate::error::Error;
use crate::request::{Body, Request};

/// Left as-is by `encodepropertyvalue`: RFC 3986 unreserved.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Applies a body template to the request's JSON body (skipped, logged, when the body is
/// empty or not JSON).
pub(crate) fn transform_request(
    template: Template,
    spec: &PolicySpec,
    request: &mut Request,
    ctx: &Ctx<'_>,
) -> Result<(), Error> {
    let Body::Bytes { content_type, data } = &request.body else {
        tracing::debug!(
            policy = spec.template,
            "request has no JSON body; body policy skipped"
        );
        return Ok(());
    };
    let Ok(mut json) = serde_json::from_slice::<Value>(data) else {
        tracing::warn!(
            policy = spec.template,
            "request body is not JSON; body policy skipped"
        );
        return Ok(());
    };
    let content_type = content_type.clone();
    transform(template, spec, &mut json, request, ctx)?;
    let data = serde_json::to_vec(&json)
        .map_err(|e| policy_error(format!("policy output could not be serialized: {e}")))?;
    request.body = Body::Bytes {
        content_type,
        data: data.into(),
    };
    Ok(())
}

fn path(spec: &PolicySpec, name: &str) -> Result<Expr, Error> {
    let text = spec.required(name)?;
    parse_path(text).ok_or_else(|| {
        policy_error(format!(
            "policy {:?}: parameter {name:?} is not a body path ({text:?})",
            spec.template
        ))
    })
}

fn optional_path(spec: &PolicySpec, name: &str) -> Result<Option<Expr>, Error> {
    match spec.param(name) {
        None => Ok(None),
        Some(t) if t.trim().is_empty() || t.trim().eq_ignore_ascii_case("null") => Ok(None),
        Some(_) => path(spec, name).map(Some),
    }
}

fn joined(a: &[Step], b: &[Step]) -> Vec<Step> {
    a.iter().chain(b).cloned().collect()
}

/// For `parent[sub]` (or each element's `[sub]` when the parent is an array), computes
/// `f(value)` and writes it to `new_path` (default: in place).
fn each_source(
    root: &mut Value,
    parent: &Expr,
    sub: &[Step],
    new_path: Option<&Expr>,
    mut f: impl FnMut(&Value) -> Result<Option<Value>, Error>,
) -> Result<(), Error> {
    let bases: Vec<Vec<Step>> = match get(root, &parent.steps) {
        Some(Value::Array(a)) => (0..a.len())
            .map(|i| joined(&parent.steps, &[Step::Index(i)]))
            .collect(),
        Some(_) => vec![parent.steps.clone()],
        None => return Ok(()),
    };
    for base in bases {
        let src = joined(&base, sub);
        let Some(value) = get(root, &src).cloned() else {
            continue;
        };
        let Some(out) = f(&value)? else { continue };
        let target = match new_path {
            None => src,
            Some(e) if e.root == Root::Item => joined(&base, &e.steps),
            Some(e) => e.steps.clone(),
        };
        set(root, &target, out);
    }
    Ok(())
}

/// Applies a body template to `json` (request or response body).
pub(crate) fn transform(
    template: Template,
    spec: &PolicySpec,
    json: &mut Value,
    request: &Request,
    ctx: &Ctx<'_>,
) -> Result<(), Error> {
    match template {
        Template::SetProperty => set_property(spec, json, request, ctx),
        Template::MoveProperties => move_properties(spec, json),
        _ => {
            let parent = path(spec, "propertyParentPath")?;
            let sub = parse_sub_path(spec.param("propertySubPath").unwrap_or(""));
            let new_path = optional_path(spec, "newPropertyPath")?;
            match template {
                Template::StringReplace => {
                    let from = spec.required("sourceString")?;
                    let to = spec.param("replacementString").unwrap_or("");
                    each_source(json, &parent, &sub, new_path.as_ref(), |v| {
                        Ok(v.as_str()
                            .filter(|_| !from.is_empty())
                            .map(|s| Value::String(s.replace(from, to))))
                    })
                }
                Template::ConvertObjectToArray => {
                    let key = spec.param("keyName").unwrap_or("key");
                    let value = spec.param("valueName").unwrap_or("value");
                    each_source(json, &parent, &sub, new_path.as_ref(), |v| {
                        Ok(v.as_object().map(|m| {
                            Value::Array(
                                m.iter()
                                    .map(|(k, v)| {
                                        let mut o = Map::new();
                                        o.insert(key.to_owned(), Value::String(k.clone()));
                                        o.insert(value.to_owned(), v.clone());
                                        Value::Object(o)
                                    })
                                    .collect(),
                            )
                        }))
                    })
                }
                Template::ConvertArrayToObject => {
                    let key_path = parse_sub_path(spec.required("keyWithinCollectionPath")?);
                    let retain = !spec
                        .param("retainKey")
                        .is_some_and(|r| r.trim().eq_ignore_ascii_case("false"));
                    each_source(json, &parent, &sub, new_path.as_ref(), |v| {
                        let Some(items) = v.as_array() else {
                            return Ok(None);
                        };
                        let mut out = Map::new();
                        for item in items {
                            let Some(k) = get(item, &key_path).map(expr::to_text) else {
                                continue;
                            };
                            let mut item = item.clone();
                            if !retain {
                                take(&mut item, &key_path);
                            }
                            out.insert(k, item);
                        }
                        Ok(Some(Value::Object(out)))
                    })
                }
                Template::StringToArray => {
                    let delimiters: Vec<char> =
                        spec.param("delimiterList").unwrap_or(";").chars().collect();
                    let child = spec.required("childPropertyName")?;
                    each_source(json, &parent, &sub, new_path.as_ref(), |v| {
                        Ok(v.as_str().map(|s| {
                            Value::Array(
                                s.split(|c| delimiters.contains(&c))
                                    .map(str::trim)
                                    .filter(|p| !p.is_empty())
                                    .map(|p| {
                                        let mut o = Map::new();
                                        o.insert(child.to_owned(), Value::String(p.to_owned()));
                                        Value::Object(o)
                                    })
                                    .collect(),
                            )
                        }))
                    })
                }
                Template::EncodePropertyValue => {
                    each_source(json, &parent, &sub, new_path.as_ref(), |v| {
                        Ok(v.as_str()
                            .map(|s| Value::String(utf8_percent_encode(s, UNRESERVED).to_string())))
                    })
                }
                _ => Ok(()),
            }
        }
    }
}

/// JSON-looking text results (`[{…}]`) are parsed, as the platform does.
fn reparse(v: Value) -> Value {
    match &v {
        Value::String(s) => {
            let t = s.trim();
            if (t.starts_with('[') || t.starts_with('{'))
                && let Ok(parsed) = serde_json::from_str::<Value>(t)
            {
                return parsed;
            }
            v
        }
        _ => v,
    }
}

fn set_property(
    spec: &PolicySpec,
    json: &mut Value,
    request: &Request,
    ctx: &Ctx<'_>,
) -> Result<(), Error> {
    let parent = path(spec, "newPropertyParentPathTemplate")?;
    let sub = parse_sub_path(spec.required("newPropertySubPathTemplate")?);
    let value_template = spec.param("propertyValuePathTemplate").unwrap_or("");
    let snapshot = json.clone();
    let targets: Vec<(Vec<Step>, Option<Value>)> = match get(&snapshot, &parent.steps) {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, item)| (joined(&parent.steps, &[Step::Index(i)]), Some(item.clone())))
            .collect(),
        _ => vec![(parent.steps.clone(), None)],
    };
    for (base, item) in targets {
        let mut scope = ctx.scope(request, Some(&snapshot));
        scope.item = item.as_ref();
        let value = reparse(eval_template(value_template, &scope, false)?);
        set(json, &joined(&base, &sub), value);
    }
    Ok(())
}

fn move_properties(spec: &PolicySpec, json: &mut Value) -> Result<(), Error> {
    let src = joined(
        &path(spec, "srcParentPath")?.steps,
        &parse_sub_path(spec.param("srcSubPath").unwrap_or("")),
    );
    let dst = joined(
        &path(spec, "dstParentPath")?.steps,
        &parse_sub_path(spec.param("dstSubPath").unwrap_or("")),
    );
    let only_children = spec
        .param("copyOnlySubProperties")
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("true"));
    let moved = if src.is_empty() {
        Some(std::mem::take(json))
    } else {
        take(json, &src)
    };
    let Some(moved) = moved else { return Ok(()) };
    match moved {
        Value::Object(m) if only_children => {
            for (k, v) in m {
                set(json, &joined(&dst, &[Step::Key(k)]), v);
            }
        }
        other => {
            set(json, &dst, other);
        }
    }
    Ok(())
}
