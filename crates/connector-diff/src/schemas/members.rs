//! The members of a schema node: its metadata, an object's properties, an enum's values.

use connector_spec::{EnumSchema, ObjectSchema, Schema};

use super::{Direction, Pair, compare, push_pair};
use crate::pointers::escape;
use crate::{At, ChangeKind, Differ};

/// Metadata of one schema node: nullability, docs, deprecation, visibility, dynamic values.
pub fn compare_meta(d: &mut Differ<'_>, at: &At, p: &Pair, a: &Schema, b: &Schema) {
    let both = || (Some(p.old.clone()), Some(p.new.clone()));
    if a.nullable != b.nullable {
        let msg = format!(
            "{} nullable changed from {} to {}",
            p.label, a.nullable, b.nullable
        );
        let (o, n) = both();
        d.push(ChangeKind::NullableChanged, at, o, n, msg);
    }
    if a.description != b.description
        || a.title != b.title
        || a.summary != b.summary
        || a.default != b.default
        || a.read_only != b.read_only
    {
        let (o, n) = both();
        d.push(
            ChangeKind::DocsChanged,
            at,
            o,
            n,
            format!("{} docs, default or readOnly changed", p.label),
        );
    }
    if a.deprecated != b.deprecated {
        let (o, n) = both();
        d.push(
            ChangeKind::DeprecationChanged,
            at,
            o,
            n,
            format!("{} deprecated changed to {}", p.label, b.deprecated),
        );
    }
    if a.visibility != b.visibility {
        let (o, n) = both();
        d.push(
            ChangeKind::VisibilityChanged,
            at,
            o,
            n,
            format!(
                "{} visibility changed from {:?} to {:?}",
                p.label, a.visibility, b.visibility
            ),
        );
    }
    if a.dynamic_values != b.dynamic_values || a.dynamic_schema != b.dynamic_schema {
        let (o, n) = both();
        d.push(
            ChangeKind::DynamicValuesChanged,
            at,
            o,
            n,
            format!("{} dynamic values or dynamic schema changed", p.label),
        );
    }
}

/// Properties of two object schemas, judged by the direction their values travel.
pub fn compare_object(
    d: &mut Differ<'_>,
    at: &At,
    dir: Direction,
    p: &Pair,
    x: &ObjectSchema,
    y: &ObjectSchema,
    depth: usize,
) {
    use ChangeKind::*;
    for a in &x.properties {
        let child = p.child(
            &format!("properties/{}", escape(&a.name)),
            &format!(".{}", a.name),
        );
        let Some(b) = y.properties.iter().find(|b| b.name == a.name) else {
            let kind = if dir == Direction::Request {
                RequestPropertyRemoved
            } else {
                ResponsePropertyRemoved
            };
            d.push(
                kind,
                at,
                Some(child.old),
                Some(p.new.clone()),
                format!("{} removed", child.label),
            );
            continue;
        };
        if a.required != b.required {
            let kind = match (dir, b.required) {
                (Direction::Request, true) => RequestPropertyMadeRequired,
                (Direction::Request, false) => RequestPropertyMadeOptional,
                (Direction::Response, true) => ResponsePropertyMadeRequired,
                (Direction::Response, false) => ResponsePropertyMadeOptional,
            };
            let how = if b.required { "required" } else { "optional" };
            d.push(
                kind,
                at,
                Some(child.old.clone()),
                Some(child.new.clone()),
                format!("{} became {how}", child.label),
            );
        }
        compare(d, at, dir, &child, &a.schema, &b.schema, depth + 1);
    }
    for b in y
        .properties
        .iter()
        .filter(|b| !x.properties.iter().any(|a| a.name == b.name))
    {
        let child = p.child(
            &format!("properties/{}", escape(&b.name)),
            &format!(".{}", b.name),
        );
        let kind = match (dir, b.required) {
            (Direction::Request, true) => RequestPropertyAddedRequired,
            (Direction::Request, false) => RequestPropertyAddedOptional,
            (Direction::Response, _) => ResponsePropertyAdded,
        };
        let how = if b.required { "required" } else { "optional" };
        d.push(
            kind,
            at,
            Some(p.old.clone()),
            Some(child.new),
            format!("{} added ({how})", child.label),
        );
    }
    match (&x.additional, &y.additional) {
        (Some(s), Some(t)) => compare(
            d,
            at,
            dir,
            &p.child("additionalProperties", "{}"),
            s,
            t,
            depth + 1,
        ),
        (None, None) => {}
        _ => {
            let msg = format!("{} additionalProperties added or removed", p.label);
            push_pair(d, TypeChanged, at, p, msg);
        }
    }
    if x.discriminator != y.discriminator {
        let msg = format!("{} discriminator changed", p.label);
        push_pair(d, TypeChanged, at, p, msg);
    }
}

/// Values, name and openness of two enums.
pub fn compare_enum(d: &mut Differ<'_>, at: &At, p: &Pair, x: &EnumSchema, y: &EnumSchema) {
    if x.base != y.base || x.name != y.name || x.open != y.open {
        let msg = format!("{} enum type, name or openness changed", p.label);
        push_pair(d, ChangeKind::TypeChanged, at, p, msg);
    }
    for v in x
        .values
        .iter()
        .filter(|v| !y.values.iter().any(|w| w.value == v.value))
    {
        let msg = format!("{} lost enum value {}", p.label, v.value);
        push_pair(d, ChangeKind::EnumValueRemoved, at, p, msg);
    }
    for v in y
        .values
        .iter()
        .filter(|v| !x.values.iter().any(|w| w.value == v.value))
    {
        let msg = format!("{} gained enum value {}", p.label, v.value);
        push_pair(d, ChangeKind::EnumValueAdded, at, p, msg);
    }
    let names = |e: &EnumSchema| {
        e.values
            .iter()
            .map(|v| (v.value.clone(), v.name.clone()))
            .collect::<Vec<_>>()
    };
    if names(x) != names(y) && x.values.len() == y.values.len() {
        // Variant names come from `x-ms-enum` names: a rename is a changed variant.
        let msg = format!("{} enum value names changed", p.label);
        push_pair(d, ChangeKind::TypeChanged, at, p, msg);
    }
}
