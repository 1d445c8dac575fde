//! Unions: `oneOf` / `anyOf` (discriminated, or untagged with the most specific variant
//! first), the tag values of discriminated variants, polymorphic bases (`allOf`
//! inheritance, several levels deep) and nullability of named schemas.
//!
//! A variant's tag is, in order: `x-ms-discriminator-value` (inheritance only), the
//! `discriminator.mapping` keys that name it, the `const` or `enum` values (each one a
//! tag) of the discriminator property in the variant (also inherited through `allOf`, and the
//! values of every member when the variant is itself a union), else the schema name.

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{Discriminator, ReferenceOr, SchemaKind as OKind, Type};
use serde_json::Value;

use super::Norm;
use super::schema::{scalar_text, schema_ref_name};
use crate::model::{Schema, SchemaKind, TaggedSchema, TaggedVariant};

type RawSchema = openapiv3::Schema;
type Props = indexmap::IndexMap<String, ReferenceOr<Box<RawSchema>>>;

/// How deep references and `allOf` chains are followed when looking for tags.
const TAG_DEPTH: usize = 16;

/// `{type: "null"}` (or an otherwise empty `nullable` schema) in a union.
pub(super) fn is_null_member(s: &ReferenceOr<RawSchema>) -> bool {
    match s {
        ReferenceOr::Item(s) => match &s.schema_kind {
            OKind::Any(a) => {
                a.typ.as_deref() == Some("null")
                    || (a.typ.is_none()
                        && a.properties.is_empty()
                        && a.items.is_none()
                        && a.enumeration.iter().all(Value::is_null)
                        && a.all_of.is_empty()
                        && a.one_of.is_empty()
                        && a.any_of.is_empty()
                        && a.additional_properties.is_none()
                        && s.schema_data.nullable)
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// The properties and `required` list a raw schema declares itself.
fn own_props(s: &RawSchema) -> Option<(&Props, &[String])> {
    match &s.schema_kind {
        OKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        OKind::Any(a) => Some((&a.properties, &a.required)),
        _ => None,
    }
}

/// The `allOf` parts of a raw schema.
fn all_of_parts(s: &RawSchema) -> &[ReferenceOr<RawSchema>] {
    match &s.schema_kind {
        OKind::AllOf { all_of } => all_of,
        OKind::Any(a) => &a.all_of,
        _ => &[],
    }
}

/// The `oneOf` / `anyOf` members of a raw schema.
fn union_members(s: &RawSchema) -> &[ReferenceOr<RawSchema>] {
    match &s.schema_kind {
        OKind::OneOf { one_of } => one_of,
        OKind::AnyOf { any_of } => any_of,
        OKind::Any(a) if !a.one_of.is_empty() => &a.one_of,
        OKind::Any(a) => &a.any_of,
        _ => &[],
    }
}

/// How specific a variant is: untagged unions try the highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Specificity {
    /// Objects, then arrays, integers, numbers and booleans, enums, strings; any last.
    rank: u8,
    /// Properties fixed to one value.
    consts: usize,
    /// Required properties.
    required: usize,
    /// Declared properties.
    properties: usize,
}

impl<'a> Norm<'a, '_> {
    /// A raw schema with references followed (bounded).
    fn follow(&self, mut s: &'a ReferenceOr<RawSchema>) -> Option<&'a RawSchema> {
        for _ in 0..TAG_DEPTH {
            match s {
                ReferenceOr::Item(item) => return Some(item),
                ReferenceOr::Reference { reference } => {
                    s = self.schema_named(&schema_ref_name(reference)?)?;
                }
            }
        }
        None
    }

    /// A boxed raw schema with references followed.
    fn follow_boxed(&self, s: &'a ReferenceOr<Box<RawSchema>>) -> Option<&'a RawSchema> {
        match s {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                self.follow(self.schema_named(&schema_ref_name(reference)?)?)
            }
        }
    }

    /// Whether the named schema accepts `null` however it spells it, so a reference to
    /// it does too.
    pub(super) fn named_nullable(&self, name: &str) -> bool {
        self.schema_named(name)
            .is_some_and(|s| self.raw_nullable(s, 0))
    }

    fn raw_nullable(&self, s: &'a ReferenceOr<RawSchema>, depth: usize) -> bool {
        if depth > TAG_DEPTH {
            return false;
        }
        let s = match s {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                return schema_ref_name(reference)
                    .and_then(|n| self.schema_named(&n))
                    .is_some_and(|t| self.raw_nullable(t, depth + 1));
            }
        };
        let d = &s.schema_data;
        if d.nullable || d.extensions.get("x-nullable") == Some(&Value::Bool(true)) {
            return true;
        }
        if union_members(s).iter().any(is_null_member) {
            return true;
        }
        if let [only] = all_of_parts(s) {
            return self.raw_nullable(only, depth + 1);
        }
        match &s.schema_kind {
            OKind::Type(Type::String(t)) => t.enumeration.iter().any(Option::is_none),
            OKind::Any(a) => {
                a.typ.as_deref() == Some("null") || a.enumeration.iter().any(Value::is_null)
            }
            _ => false,
        }
    }

    /// The values a property's schema allows (`const` or `enum`), as text.
    fn enum_values(&self, p: &'a ReferenceOr<Box<RawSchema>>) -> Vec<String> {
        let Some(s) = self.follow_boxed(p) else {
            return Vec::new();
        };
        match &s.schema_kind {
            OKind::Type(Type::String(t)) => t.enumeration.iter().flatten().cloned().collect(),
            OKind::Any(a) => a.enumeration.iter().filter_map(scalar_value).collect(),
            OKind::Type(Type::Integer(t)) => {
                t.enumeration.iter().flatten().map(i64::to_string).collect()
            }
            OKind::Type(Type::Boolean(t)) => t
                .enumeration
                .iter()
                .flatten()
                .map(bool::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The one value a property's schema allows (`const` or a single-value `enum`).
    fn single_value(&self, p: &'a ReferenceOr<Box<RawSchema>>) -> Option<String> {
        match self.enum_values(p).as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// The values the discriminator property `prop` takes in a variant: its own
    /// single value, else one inherited through `allOf`, else those of every member
    /// when the variant is a union.
    fn discriminator_values(&self, s: &'a RawSchema, prop: &str, depth: usize) -> Vec<String> {
        if depth > TAG_DEPTH {
            return Vec::new();
        }
        // Every value of an `enum` selects the variant (`web_search` and its dated
        // alias both select `WebSearchTool`).
        let own = own_props(s)
            .and_then(|(props, _)| props.get(prop))
            .map(|p| self.enum_values(p))
            .unwrap_or_default();
        if !own.is_empty() {
            return own;
        }
        for part in all_of_parts(s) {
            if let Some(part) = self.follow(part) {
                let found = self.discriminator_values(part, prop, depth + 1);
                if !found.is_empty() {
                    return found;
                }
            }
        }
        let members = union_members(s);
        let mut out: Vec<String> = Vec::new();
        for m in members.iter().filter(|m| !is_null_member(m)) {
            let Some(m) = self.follow(m) else {
                return Vec::new();
            };
            let found = self.discriminator_values(m, prop, depth + 1);
            if found.is_empty() {
                return Vec::new();
            }
            for v in found {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// The tags that select the named schema `name` under `disc`.
    fn variant_tags(&self, disc: &Discriminator, name: &str) -> Vec<String> {
        let mapped: Vec<String> = disc
            .mapping
            .iter()
            .filter(|(_, target)| {
                schema_ref_name(target).as_deref() == Some(name) || target.as_str() == name
            })
            .map(|(k, _)| k.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        let found = self
            .schema_named(name)
            .and_then(|s| self.follow(s))
            .map(|s| self.discriminator_values(s, &disc.property_name, 0))
            .unwrap_or_default();
        if found.is_empty() {
            vec![name.to_owned()]
        } else {
            found
        }
    }

    fn specificity(&self, m: &'a ReferenceOr<RawSchema>) -> Specificity {
        let mut out = Specificity {
            rank: 0,
            consts: 0,
            required: 0,
            properties: 0,
        };
        let Some(s) = self.follow(m) else {
            return out;
        };
        self.count_fields(s, &mut out, 0);
        out.rank = match &s.schema_kind {
            _ if out.properties > 0 || !all_of_parts(s).is_empty() => 7,
            OKind::Type(Type::Object(_)) => 6,
            OKind::Type(Type::Array(_)) => 6,
            OKind::Any(a) if a.typ.as_deref() == Some("object") => 6,
            OKind::Any(a) if a.typ.as_deref() == Some("array") || a.items.is_some() => 6,
            OKind::Type(Type::Integer(_)) => 5,
            OKind::Any(a) if a.typ.as_deref() == Some("integer") => 5,
            OKind::Type(Type::Number(_) | Type::Boolean(_)) => 4,
            OKind::Any(a) if matches!(a.typ.as_deref(), Some("number" | "boolean")) => 4,
            OKind::Type(Type::String(t)) if !t.enumeration.is_empty() => 3,
            OKind::Any(a) if !a.enumeration.is_empty() => 3,
            OKind::Type(Type::String(_)) => 2,
            OKind::Any(a) if a.typ.as_deref() == Some("string") => 2,
            OKind::OneOf { .. } | OKind::AnyOf { .. } => 1,
            _ => 0,
        };
        out
    }

    fn count_fields(&self, s: &'a RawSchema, out: &mut Specificity, depth: usize) {
        if depth > TAG_DEPTH {
            return;
        }
        if let Some((props, required)) = own_props(s) {
            out.properties += props.len();
            out.required += required.len();
            out.consts += props
                .values()
                .filter(|p| self.single_value(p).is_some())
                .count();
        }
        for part in all_of_parts(s) {
            if let Some(part) = self.follow(part) {
                self.count_fields(part, out, depth + 1);
            }
        }
    }

    /// `oneOf` / `anyOf`: `null` members make the schema nullable; one other member is
    /// that member; several are a discriminated union when a discriminator names the
    /// property and every member is a named schema, else an untagged union whose most
    /// specific members come first.
    pub(super) fn union(
        &mut self,
        members: &'a [ReferenceOr<RawSchema>],
        key: &'static str,
        disc: Option<&Discriminator>,
        out: &mut Schema,
        depth: usize,
    ) -> SchemaKind {
        let mut non_null: Vec<(usize, &'a ReferenceOr<RawSchema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_null_member(m))
            .collect();
        if non_null.len() < members.len() {
            out.nullable = true;
        }
        self.path.push(Cow::Borrowed(key));
        let kind = match non_null.as_slice() {
            [] => SchemaKind::Any,
            [(i, m)] => {
                let s = self.at(i.to_string(), |n| n.schema_or_ref(m, depth + 1));
                out.nullable |= s.nullable;
                if out.description.is_none() {
                    out.description = s.description;
                }
                s.kind
            }
            many => {
                let all_refs: Option<Vec<String>> = many
                    .iter()
                    .map(|(_, m)| match m {
                        ReferenceOr::Reference { reference } => schema_ref_name(reference),
                        ReferenceOr::Item(_) => None,
                    })
                    .collect();
                match (disc, all_refs) {
                    (Some(d), Some(names)) => {
                        // Validate the references (warns on unknown ones).
                        for (i, m) in many.iter() {
                            if let ReferenceOr::Reference { reference } = m {
                                self.at(i.to_string(), |n| n.reference(reference));
                            }
                        }
                        let variants = names
                            .into_iter()
                            .filter(|name| self.schema_named(name).is_some())
                            .flat_map(|name| {
                                self.variant_tags(d, &name).into_iter().map(move |tag| {
                                    TaggedVariant {
                                        tag,
                                        schema: name.clone(),
                                    }
                                })
                            })
                            .collect();
                        SchemaKind::Tagged(TaggedSchema {
                            property: d.property_name.clone(),
                            variants,
                            base: None,
                        })
                    }
                    _ => {
                        // Stable: equally specific members keep the document's order.
                        non_null.sort_by_key(|(_, m)| std::cmp::Reverse(self.specificity(m)));
                        SchemaKind::OneOf(
                            non_null
                                .iter()
                                .map(|(i, m)| {
                                    self.at(i.to_string(), |n| n.schema_or_ref(m, depth + 1))
                                })
                                .collect(),
                        )
                    }
                }
            }
        };
        self.path.pop();
        kind
    }
}

fn scalar_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The named schemas whose `allOf` references `base` directly.
fn children<'a>(
    components: &'a indexmap::IndexMap<String, ReferenceOr<RawSchema>>,
    base: &str,
) -> Vec<(&'a String, &'a RawSchema)> {
    components
        .iter()
        .filter_map(|(name, s)| match s {
            ReferenceOr::Item(s) => Some((name, s)),
            ReferenceOr::Reference { .. } => None,
        })
        .filter(|(_, s)| {
            all_of_parts(s).iter().any(|p| match p {
                ReferenceOr::Reference { reference } => {
                    schema_ref_name(reference).as_deref() == Some(base)
                }
                ReferenceOr::Item(_) => false,
            })
        })
        .collect()
}

/// Named schemas with a discriminator and subtypes (schemas whose `allOf` references
/// them) become `Tagged`; their own fields move to a `<Name>Base` schema. Subtypes of a
/// subtype that keeps the same discriminator property are variants of the top base too
/// (multi-level hierarchies), and such an intermediate base lists itself (its `Base`
/// schema) for its own tag.
pub(super) fn tag_bases(n: &Norm<'_, '_>, schemas: &mut BTreeMap<String, Schema>) {
    let Some(components) = &n.api.components else {
        return;
    };
    let all = &components.schemas;
    let mut updates = Vec::new();
    for (name, s) in all {
        let ReferenceOr::Item(base) = s else { continue };
        let Some(disc) = &base.schema_data.discriminator else {
            continue;
        };
        // A discriminated `oneOf` / `anyOf` is read by `Norm::union`.
        if !union_members(base).is_empty() {
            continue;
        }
        let mut variants: Vec<TaggedVariant> = Vec::new();
        // Breadth-first over descendants sharing the discriminator property.
        let mut frontier = vec![name.clone()];
        let mut seen = vec![name.clone()];
        let mut rounds = 0;
        while let Some(parent) = frontier.pop() {
            rounds += 1;
            if rounds > 4 * TAG_DEPTH {
                break;
            }
            for (sub_name, sub) in children(all, &parent) {
                if seen.contains(sub_name) {
                    continue;
                }
                seen.push(sub_name.clone());
                for tag in subtype_tags(n, disc, sub_name, sub) {
                    variants.push(TaggedVariant {
                        tag,
                        schema: sub_name.clone(),
                    });
                }
                let same_property = sub
                    .schema_data
                    .discriminator
                    .as_ref()
                    .is_none_or(|d| d.property_name == disc.property_name);
                if same_property {
                    frontier.push(sub_name.clone());
                }
            }
        }
        for (tag, target) in &disc.mapping {
            let target = schema_ref_name(target).unwrap_or_else(|| target.clone());
            if target != *name
                && schemas.contains_key(&target)
                && !variants.iter().any(|v| v.schema == target)
            {
                variants.push(TaggedVariant {
                    tag: tag.clone(),
                    schema: target,
                });
            }
        }
        if variants.is_empty() {
            continue;
        }
        // An intermediate level (itself a subtype of a tagged base) keeps its own tag.
        let own_tag = all_of_parts(base)
            .iter()
            .any(|p| match p {
                ReferenceOr::Reference { reference } => schema_ref_name(reference)
                    .and_then(|b| n.schema_named(&b))
                    .and_then(|b| n.follow(b))
                    .is_some_and(|b| b.schema_data.discriminator.is_some()),
                ReferenceOr::Item(_) => false,
            })
            .then(|| subtype_tags(n, disc, name, base));
        updates.push((name.clone(), disc.property_name.clone(), variants, own_tag));
    }
    for (name, property, mut variants, own_tag) in updates {
        let Some(own) = schemas.get(&name).cloned() else {
            continue;
        };
        let has_fields = match &own.kind {
            SchemaKind::Object(o) => {
                o.additional.is_some() || o.properties.iter().any(|p| p.name != property)
            }
            _ => false,
        };
        let base = if has_fields || own_tag.is_some() {
            let mut base_name = format!("{name}Base");
            let mut i = 2;
            while schemas.contains_key(&base_name) {
                base_name = format!("{name}Base{i}");
                i += 1;
            }
            schemas.insert(base_name.clone(), own.clone());
            Some(base_name)
        } else {
            None
        };
        if let (Some(tags), Some(base)) = (own_tag, &base) {
            for tag in tags.into_iter().rev() {
                if !variants.iter().any(|v| v.tag == tag) {
                    variants.insert(
                        0,
                        TaggedVariant {
                            tag,
                            schema: base.clone(),
                        },
                    );
                }
            }
        }
        let tagged = Schema {
            kind: SchemaKind::Tagged(TaggedSchema {
                property,
                variants,
                base,
            }),
            ..own
        };
        schemas.insert(name, tagged);
    }
}

/// The tags of a subtype in an `allOf` hierarchy: `x-ms-discriminator-value`, else the
/// mapping / const / name rules of [`Norm::variant_tags`].
fn subtype_tags(n: &Norm<'_, '_>, disc: &Discriminator, name: &str, s: &RawSchema) -> Vec<String> {
    match scalar_text(s.schema_data.extensions.get("x-ms-discriminator-value")) {
        Some(tag) => vec![tag],
        None => n.variant_tags(disc, name),
    }
}
