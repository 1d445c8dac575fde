//! JSON body templates: `setproperty`, `stringreplace`, `convertobjecttoarray`,
//! `convertarraytoobject`, `stringtoarray`, `moveproperties`, `encodepropertyvalue`.
//!
//! Paths are expressions (`@body().a`, `@item().b`), parsed at build. When a parent path
//! selects an array, the template applies to every element, and `@item()` targets are
//! relative to that element.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use super::expr::{
    self, Expr, Root, Step, TextTemplate, get, parse_path, parse_sub_path, set, take,
};
use super::params::{invalid, required};
use super::{PolicyInputs, PolicyKind, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::{Body, Request};

/// Left as-is by `encodepropertyvalue`: RFC 3986 unreserved.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A compiled body template.
#[derive(Debug, Clone)]
pub(crate) enum BodyTransform {
    /// `setproperty`.
    SetProperty {
        parent: Expr,
        sub: Vec<Step>,
        value: TextTemplate,
    },
    /// `moveproperties`.
    Move {
        src: Vec<Step>,
        dst: Vec<Step>,
        only_children: bool,
    },
    /// The templates that rewrite each value at `parent[sub]` (into `new_path`, default
    /// in place).
    Each {
        parent: Expr,
        sub: Vec<Step>,
        new_path: Option<Expr>,
        rewrite: Rewrite,
    },
}

/// What [`BodyTransform::Each`] does to each value.
#[derive(Debug, Clone)]
pub(crate) enum Rewrite {
    /// `stringreplace`.
    Replace {
        from: &'static str,
        to: &'static str,
    },
    /// `convertobjecttoarray`.
    ObjectToArray {
        key: &'static str,
        value: &'static str,
    },
    /// `convertarraytoobject`.
    ArrayToObject { key_path: Vec<Step>, retain: bool },
    /// `stringtoarray`.
    StringToArray {
        delimiters: Vec<char>,
        child: &'static str,
    },
    /// `encodepropertyvalue`.
    Encode,
}

fn path(spec: &PolicySpec, name: &str) -> Result<Expr, Error> {
    let text = required(spec, name)?;
    parse_path(text).ok_or_else(|| invalid(spec, name, format!("is {text:?}, not a body path")))
}

fn optional_path(spec: &PolicySpec, name: &str) -> Result<Option<Expr>, Error> {
    match spec.param(name) {
        None => Ok(None),
        Some(t) if t.trim().is_empty() || t.trim().eq_ignore_ascii_case("null") => Ok(None),
        Some(_) => path(spec, name).map(Some),
    }
}

fn flag(spec: &PolicySpec, name: &str, value: &str) -> bool {
    spec.param(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
}

impl BodyTransform {
    /// Compiles a body template; `None` when `spec` is not one.
    pub(crate) fn compile(spec: &PolicySpec) -> Option<Result<Self, Error>> {
        let rewrite = match spec.kind {
            PolicyKind::SetProperty => return Some(Self::set_property(spec)),
            PolicyKind::MoveProperties => return Some(Self::move_properties(spec)),
            PolicyKind::StringReplace => {
                required(spec, "sourceString").map(|from| Rewrite::Replace {
                    from,
                    to: spec.param("replacementString").unwrap_or(""),
                })
            }
            PolicyKind::ConvertObjectToArray => Ok(Rewrite::ObjectToArray {
                key: spec.param("keyName").unwrap_or("key"),
                value: spec.param("valueName").unwrap_or("value"),
            }),
            PolicyKind::ConvertArrayToObject => {
                required(spec, "keyWithinCollectionPath").map(|k| Rewrite::ArrayToObject {
                    key_path: parse_sub_path(k),
                    retain: !flag(spec, "retainKey", "false"),
                })
            }
            PolicyKind::StringToArray => {
                required(spec, "childPropertyName").map(|child| Rewrite::StringToArray {
                    delimiters: spec.param("delimiterList").unwrap_or(";").chars().collect(),
                    child,
                })
            }
            PolicyKind::EncodePropertyValue => Ok(Rewrite::Encode),
            _ => return None,
        };
        Some(rewrite.and_then(|rewrite| {
            Ok(BodyTransform::Each {
                parent: path(spec, "propertyParentPath")?,
                sub: parse_sub_path(spec.param("propertySubPath").unwrap_or("")),
                new_path: optional_path(spec, "newPropertyPath")?,
                rewrite,
            })
        }))
    }

    fn set_property(spec: &PolicySpec) -> Result<Self, Error> {
        Ok(BodyTransform::SetProperty {
            parent: path(spec, "newPropertyParentPathTemplate")?,
            sub: parse_sub_path(required(spec, "newPropertySubPathTemplate")?),
            value: TextTemplate::parse(
                spec.param("propertyValuePathTemplate").unwrap_or(""),
                false,
            ),
        })
    }

    fn move_properties(spec: &PolicySpec) -> Result<Self, Error> {
        Ok(BodyTransform::Move {
            src: joined(
                &path(spec, "srcParentPath")?.steps,
                &parse_sub_path(spec.param("srcSubPath").unwrap_or("")),
            ),
            dst: joined(
                &path(spec, "dstParentPath")?.steps,
                &parse_sub_path(spec.param("dstSubPath").unwrap_or("")),
            ),
            only_children: flag(spec, "copyOnlySubProperties", "true"),
        })
    }

    /// Applies it to the request's JSON body (skipped, logged, when the body is empty or
    /// not JSON).
    pub(crate) fn apply_to_request(
        &self,
        kind: PolicyKind,
        request: &mut Request,
        inputs: &PolicyInputs<'_>,
    ) -> Result<(), Error> {
        let Body::Bytes { content_type, data } = &request.body else {
            tracing::debug!(
                policy = kind.id(),
                "request has no JSON body; body policy skipped"
            );
            return Ok(());
        };
        let Ok(mut json) = serde_json::from_slice::<Value>(data) else {
            tracing::warn!(
                policy = kind.id(),
                "request body is not JSON; body policy skipped"
            );
            return Ok(());
        };
        let content_type = content_type.clone();
        self.apply(&mut json, request, inputs)?;
        let data = serde_json::to_vec(&json)
            .map_err(|e| policy_error(format!("policy output could not be serialized: {e}")))?;
        request.body = Body::Bytes {
            content_type,
            data: data.into(),
        };
        Ok(())
    }

    /// Applies it to `json` (request or response body).
    pub(crate) fn apply(
        &self,
        json: &mut Value,
        request: &Request,
        inputs: &PolicyInputs<'_>,
    ) -> Result<(), Error> {
        match self {
            BodyTransform::SetProperty { parent, sub, value } => {
                set_property(parent, sub, value, json, request, inputs)
            }
            BodyTransform::Move {
                src,
                dst,
                only_children,
            } => {
                move_properties(src, dst, *only_children, json);
                Ok(())
            }
            BodyTransform::Each {
                parent,
                sub,
                new_path,
                rewrite,
            } => {
                each_source(json, parent, sub, new_path.as_ref(), |v| rewrite.apply(v));
                Ok(())
            }
        }
    }
}

impl Rewrite {
    /// The rewritten value, or `None` when `v` is not of the shape the template reads.
    fn apply(&self, v: &Value) -> Option<Value> {
        match self {
            Rewrite::Replace { from, to } => v
                .as_str()
                .filter(|_| !from.is_empty())
                .map(|s| Value::String(s.replace(from, to))),
            Rewrite::ObjectToArray { key, value } => v.as_object().map(|m| {
                Value::Array(
                    m.iter()
                        .map(|(k, v)| {
                            let mut o = Map::new();
                            o.insert((*key).to_owned(), Value::String(k.clone()));
                            o.insert((*value).to_owned(), v.clone());
                            Value::Object(o)
                        })
                        .collect(),
                )
            }),
            Rewrite::ArrayToObject { key_path, retain } => {
                let items = v.as_array()?;
                let mut out = Map::new();
                for item in items {
                    let Some(k) = get(item, key_path).map(expr::to_text) else {
                        continue;
                    };
                    let mut item = item.clone();
                    if !retain {
                        take(&mut item, key_path);
                    }
                    out.insert(k, item);
                }
                Some(Value::Object(out))
            }
            Rewrite::StringToArray { delimiters, child } => v.as_str().map(|s| {
                Value::Array(
                    s.split(|c| delimiters.contains(&c))
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            let mut o = Map::new();
                            o.insert((*child).to_owned(), Value::String(p.to_owned()));
                            Value::Object(o)
                        })
                        .collect(),
                )
            }),
            Rewrite::Encode => v
                .as_str()
                .map(|s| Value::String(utf8_percent_encode(s, UNRESERVED).to_string())),
        }
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
    f: impl Fn(&Value) -> Option<Value>,
) {
    let bases: Vec<Vec<Step>> = match get(root, &parent.steps) {
        Some(Value::Array(a)) => (0..a.len())
            .map(|i| joined(&parent.steps, &[Step::Index(i)]))
            .collect(),
        Some(_) => vec![parent.steps.clone()],
        None => return,
    };
    for base in bases {
        let src = joined(&base, sub);
        let Some(value) = get(root, &src).cloned() else {
            continue;
        };
        let Some(out) = f(&value) else { continue };
        let target = match new_path {
            None => src,
            Some(e) if e.root == Root::Item => joined(&base, &e.steps),
            Some(e) => e.steps.clone(),
        };
        set(root, &target, out);
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
    parent: &Expr,
    sub: &[Step],
    value: &TextTemplate,
    json: &mut Value,
    request: &Request,
    inputs: &PolicyInputs<'_>,
) -> Result<(), Error> {
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
        let mut scope = inputs.scope(request, Some(&snapshot));
        scope.item = item.as_ref();
        let v = reparse(value.eval(&scope)?);
        set(json, &joined(&base, sub), v);
    }
    Ok(())
}

fn move_properties(src: &[Step], dst: &[Step], only_children: bool, json: &mut Value) {
    let moved = if src.is_empty() {
        Some(std::mem::take(json))
    } else {
        take(json, src)
    };
    let Some(moved) = moved else { return };
    match moved {
        Value::Object(m) if only_children => {
            for (k, v) in m {
                set(json, &joined(dst, &[Step::Key(k)]), v);
            }
        }
        other => {
            set(json, dst, other);
        }
    }
}
