//! Schemas compared structurally: named schemas once each, inline schemas where they are
//! used, references resolved with a cycle guard and a depth limit.

use std::collections::{BTreeSet, HashSet};

use connector_spec::{BodyContent, Connector, Schema, SchemaKind, StringFormat, TaggedSchema};

mod members;

use crate::{At, Bump, ChangeKind, Differ, Severity};
use members::{compare_enum, compare_meta, compare_object};

/// Deeper than this, schemas are not compared (a guard against pathological nesting).
const MAX_DEPTH: usize = 48;

/// Which way values of a schema travel: it decides whether a new property breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client.
    Request,
    /// Received by the client.
    Response,
}

/// Where the compared schemas sit on both sides, and a label for messages.
pub struct Pair {
    /// Pointer on the old side.
    pub old: String,
    /// Pointer on the new side.
    pub new: String,
    /// What the schema is (e.g. `response 200 body.items`).
    pub label: String,
}

impl Pair {
    /// The pair one member deeper: `token` appended to both pointers, `label` to the label.
    pub fn child(&self, token: &str, label: &str) -> Pair {
        Pair {
            old: format!("{}/{token}", self.old),
            new: format!("{}/{token}", self.new),
            label: format!("{}{label}", self.label),
        }
    }
}

fn ptrs(p: &Pair) -> (Option<String>, Option<String>) {
    (Some(p.old.clone()), Some(p.new.clone()))
}

/// Records a change of the schema pair `p`, located at both its pointers.
fn push_pair(d: &mut Differ<'_>, kind: ChangeKind, at: &At, p: &Pair, message: String) {
    d.push(kind, at, Some(p.old.clone()), Some(p.new.clone()), message);
}

/// Compares every named schema present on either side.
pub fn compare_named(d: &mut Differ<'_>) {
    let (old, new) = (&d.old.connector, &d.new.connector);
    let requests = request_schemas(new);
    let names: BTreeSet<&String> = old.schemas.keys().chain(new.schemas.keys()).collect();
    for name in names {
        let at = At {
            operation: None,
            schema: Some(name.clone()),
        };
        let po = d.old.dialect.schema(name);
        let pn = d.new.dialect.schema(name);
        match (old.schemas.get(name), new.schemas.get(name)) {
            (Some(_), None) => d.push(
                ChangeKind::SchemaRemoved,
                &at,
                Some(po),
                None,
                format!("schema `{name}` removed"),
            ),
            (None, Some(_)) => d.push(
                ChangeKind::SchemaAdded,
                &at,
                None,
                Some(pn),
                format!("schema `{name}` added"),
            ),
            (Some(a), Some(b)) => {
                d.visited.clear();
                d.visited.insert((name.clone(), name.clone()));
                let dir = if requests.contains(name.as_str()) {
                    Direction::Request
                } else {
                    Direction::Response
                };
                let pair = Pair {
                    old: po,
                    new: pn,
                    label: format!("schema `{name}`"),
                };
                compare(d, &at, dir, &pair, a, b, 0);
            }
            (None, None) => {}
        }
    }
}

/// Names of the schemas reachable from any request parameter or body.
fn request_schemas(c: &Connector) -> HashSet<&str> {
    let mut out = HashSet::new();
    let mut stack: Vec<&Schema> = Vec::new();
    for op in &c.operations {
        stack.extend(op.parameters.iter().map(|p| &p.schema));
        match op.body.as_ref().map(|b| &b.content) {
            Some(BodyContent::Schema(s)) => stack.push(s),
            Some(BodyContent::Form { fields, .. }) => {
                stack.extend(fields.iter().map(|f| &f.schema))
            }
            _ => {}
        }
    }
    while let Some(s) = stack.pop() {
        match &s.kind {
            SchemaKind::Ref(name) => {
                if out.insert(name.as_str())
                    && let Some(t) = c.schemas.get(name)
                {
                    stack.push(t);
                }
            }
            SchemaKind::Array(i) | SchemaKind::Map(i) => stack.push(i),
            SchemaKind::Object(o) => {
                stack.extend(o.properties.iter().map(|p| &p.schema));
                stack.extend(o.additional.as_deref());
            }
            SchemaKind::OneOf(v) | SchemaKind::Tuple(v) => stack.extend(v.iter()),
            SchemaKind::Tagged(t) => {
                for v in &t.variants {
                    if out.insert(v.schema.as_str())
                        && let Some(s) = c.schemas.get(&v.schema)
                    {
                        stack.push(s);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn category(k: &SchemaKind) -> &'static str {
    match k {
        SchemaKind::Any => "any",
        SchemaKind::Ref(_) => "reference",
        SchemaKind::Boolean => "boolean",
        SchemaKind::Integer(_) => "integer",
        SchemaKind::Number(_) => "number",
        SchemaKind::String(_) => "string",
        SchemaKind::Array(_) => "array",
        SchemaKind::Tuple(_) => "tuple",
        SchemaKind::Object(_) => "object",
        SchemaKind::Map(_) => "map",
        SchemaKind::Enum(_) => "enum",
        SchemaKind::OneOf(_) => "oneOf",
        SchemaKind::Tagged(_) => "discriminated union",
    }
}

/// Plain and unknown string formats map to the same Rust type.
fn string_class(f: &StringFormat) -> Option<&StringFormat> {
    match f {
        StringFormat::Plain | StringFormat::Other(_) => None,
        other => Some(other),
    }
}

/// Compares two schemas in place, recording every difference.
pub fn compare(
    d: &mut Differ<'_>,
    at: &At,
    dir: Direction,
    p: &Pair,
    a: &Schema,
    b: &Schema,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    compare_meta(d, at, p, a, b);
    if compare_refs(d, at, dir, p, a, b, depth) {
        return;
    }
    let (ka, kb) = (&a.kind, &b.kind);
    if category(ka) != category(kb) {
        let msg = format!(
            "{} changed type from {} to {}",
            p.label,
            category(ka),
            category(kb)
        );
        push_pair(d, ChangeKind::TypeChanged, at, p, msg);
        return;
    }
    match (ka, kb) {
        (SchemaKind::Integer(x), SchemaKind::Integer(y)) if x != y => {
            format_changed(d, at, p, &format!("{x:?}"), &format!("{y:?}"))
        }
        (SchemaKind::Number(x), SchemaKind::Number(y)) if x != y => {
            format_changed(d, at, p, &format!("{x:?}"), &format!("{y:?}"))
        }
        (SchemaKind::String(x), SchemaKind::String(y)) if string_class(x) != string_class(y) => {
            format_changed(d, at, p, &format!("{x:?}"), &format!("{y:?}"))
        }
        (SchemaKind::Array(x), SchemaKind::Array(y)) => {
            compare(d, at, dir, &p.child("items", "[]"), x, y, depth + 1)
        }
        (SchemaKind::Map(x), SchemaKind::Map(y)) => compare(
            d,
            at,
            dir,
            &p.child("additionalProperties", "{}"),
            x,
            y,
            depth + 1,
        ),
        (SchemaKind::Object(x), SchemaKind::Object(y)) => {
            compare_object(d, at, dir, p, x, y, depth)
        }
        (SchemaKind::Enum(x), SchemaKind::Enum(y)) => compare_enum(d, at, p, x, y),
        (SchemaKind::OneOf(x), SchemaKind::OneOf(y)) => compare_one_of(d, at, dir, p, x, y, depth),
        (SchemaKind::Tagged(x), SchemaKind::Tagged(y)) => compare_tagged(d, at, p, x, y),
        _ => {}
    }
}

/// `$ref` on either side: the same named schema (compared once, by name), another named
/// schema, or an inline schema moved to a named one (compared structurally). True when
/// handled here.
fn compare_refs(
    d: &mut Differ<'_>,
    at: &At,
    dir: Direction,
    p: &Pair,
    a: &Schema,
    b: &Schema,
    depth: usize,
) -> bool {
    let (old_c, new_c) = (&d.old.connector, &d.new.connector);
    match (&a.kind, &b.kind) {
        // Same named schema: compared once by `compare_named` when both sides have it.
        (SchemaKind::Ref(x), SchemaKind::Ref(y))
            if x == y && old_c.schemas.contains_key(x) && new_c.schemas.contains_key(y) =>
        {
            true
        }
        (SchemaKind::Ref(x), SchemaKind::Ref(y)) if x != y => {
            let msg = format!("{} now refers to schema `{y}` instead of `{x}`", p.label);
            push_pair(d, ChangeKind::TypeChanged, at, p, msg);
            true
        }
        (SchemaKind::Ref(_), _) | (_, SchemaKind::Ref(_)) => {
            let ra = resolve(old_c, a);
            let rb = resolve(new_c, b);
            if named_type(&ra.kind) || named_type(&rb.kind) {
                let msg = format!(
                    "{} moved between an inline schema and a named one (the Rust type is renamed)",
                    p.label
                );
                d.push_as(
                    ChangeKind::TypeChanged,
                    Severity::Patch,
                    Bump::Major,
                    at,
                    ptrs(p),
                    msg,
                );
            }
            let key = (ref_name(a), ref_name(b));
            if d.visited.insert(key) {
                let (ra, rb) = (ra.clone(), rb.clone());
                compare(d, at, dir, p, &ra, &rb, depth + 1);
            }
            true
        }
        _ => false,
    }
}

/// Untagged unions: the number of alternatives, their titles (variant names), each
/// alternative in turn.
fn compare_one_of(
    d: &mut Differ<'_>,
    at: &At,
    dir: Direction,
    p: &Pair,
    x: &[Schema],
    y: &[Schema],
    depth: usize,
) {
    if x.len() != y.len() {
        let msg = format!(
            "{} has {} alternatives instead of {}",
            p.label,
            y.len(),
            x.len()
        );
        push_pair(d, ChangeKind::TypeChanged, at, p, msg);
    } else {
        if x.iter().zip(y).any(|(s, t)| s.title != t.title) {
            // Untyped alternatives are variants named after their titles.
            let msg = format!("{} alternatives were renamed (title)", p.label);
            push_pair(d, ChangeKind::TypeChanged, at, p, msg);
        }
        for (i, (s, t)) in x.iter().zip(y).enumerate() {
            compare(
                d,
                at,
                dir,
                &p.child(&format!("oneOf/{i}"), &format!("|{i}")),
                s,
                t,
                depth + 1,
            );
        }
    }
}

/// Discriminated unions: variants by tag, and the discriminator itself.
fn compare_tagged(d: &mut Differ<'_>, at: &At, p: &Pair, x: &TaggedSchema, y: &TaggedSchema) {
    for v in x
        .variants
        .iter()
        .filter(|v| !y.variants.iter().any(|w| w.tag == v.tag))
    {
        let msg = format!("{} lost variant `{}`", p.label, v.tag);
        push_pair(d, ChangeKind::EnumValueRemoved, at, p, msg);
    }
    for v in y
        .variants
        .iter()
        .filter(|v| !x.variants.iter().any(|w| w.tag == v.tag))
    {
        let msg = format!("{} gained variant `{}`", p.label, v.tag);
        push_pair(d, ChangeKind::EnumValueAdded, at, p, msg);
    }
    if x.property != y.property || x.base != y.base {
        let msg = format!("{} discriminator changed", p.label);
        push_pair(d, ChangeKind::TypeChanged, at, p, msg);
    }
}

fn named_type(k: &SchemaKind) -> bool {
    matches!(
        k,
        SchemaKind::Object(_) | SchemaKind::Enum(_) | SchemaKind::Tagged(_) | SchemaKind::OneOf(_)
    )
}

fn ref_name(s: &Schema) -> String {
    match &s.kind {
        SchemaKind::Ref(n) => n.clone(),
        _ => String::new(),
    }
}

/// The named schema a reference points to (itself otherwise, or `Any` when dangling).
fn resolve<'c>(c: &'c Connector, s: &'c Schema) -> std::borrow::Cow<'c, Schema> {
    let mut cur = s;
    for _ in 0..16 {
        match &cur.kind {
            SchemaKind::Ref(n) => match c.schemas.get(n) {
                Some(t) => cur = t,
                None => return std::borrow::Cow::Owned(Schema::default()),
            },
            _ => return std::borrow::Cow::Borrowed(cur),
        }
    }
    std::borrow::Cow::Owned(Schema::default())
}

fn format_changed(d: &mut Differ<'_>, at: &At, p: &Pair, x: &str, y: &str) {
    let msg = format!("{} changed format from {x} to {y}", p.label);
    push_pair(d, ChangeKind::FormatChanged, at, p, msg);
}
