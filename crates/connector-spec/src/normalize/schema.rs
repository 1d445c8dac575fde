//! openapiv3 schemas → model schemas: enums (`x-ms-enum`,
//! `x-ms-enum-values`), maps, unions, nullability and formats.

use std::borrow::Cow;
use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, Discriminator, ReferenceOr, SchemaKind as OKind, Type,
};
use serde_json::Value;

use super::Norm;
use super::bare_parts::{nullable_annotation, only_requires};
use super::scalars::{
    constraints, enum_kind, integer_format_str, number_format, number_format_str, string_format,
    string_format_str, value_fits, wide_enough,
};
use crate::diagnostics::DiagnosticKind;
use crate::downgrade::{X_MEDIA_TYPE, X_TUPLE, X_VALIDATION};
use crate::model::{EnumBase, MAX_TUPLE_POSITIONS, ObjectSchema, Property, Schema, SchemaKind};
use crate::source::MAX_DEPTH;
use crate::swagger2::X_INTERNAL;
use crate::versioning::visibility;

pub(super) type Props = IndexMap<String, ReferenceOr<Box<openapiv3::Schema>>>;
/// The object parts of a schema: properties, required, additionalProperties, allOf parts.
pub(super) type ObjectParts<'a> = (
    Option<&'a Props>,
    &'a [String],
    Option<&'a AdditionalProperties>,
    &'a [ReferenceOr<openapiv3::Schema>],
);

/// Every `x-*` extension except the loader's internal ones, sorted.
pub(crate) fn extensions(ext: &IndexMap<String, Value>) -> BTreeMap<String, Value> {
    ext.iter()
        .filter(|(k, _)| k.starts_with("x-") && !k.starts_with(X_INTERNAL))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A scalar extension as text (`x-ms-summary` is sometimes a number).
pub(crate) fn scalar_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The schema name a `#/components/schemas/…` reference points at.
pub(crate) fn schema_ref_name(r: &str) -> Option<String> {
    let rest = r.strip_prefix("#/components/schemas/")?;
    Some(rest.replace("~1", "/").replace("~0", "~"))
}

impl<'a> Norm<'a, '_> {
    /// A schema or a reference.
    pub(crate) fn schema_or_ref(
        &mut self,
        s: &'a ReferenceOr<openapiv3::Schema>,
        depth: usize,
    ) -> Schema {
        match s {
            ReferenceOr::Reference { reference } => self.referenced(reference),
            ReferenceOr::Item(s) => self.schema(s, depth),
        }
    }

    /// A boxed schema or a reference.
    pub(crate) fn boxed(
        &mut self,
        s: &'a ReferenceOr<Box<openapiv3::Schema>>,
        depth: usize,
    ) -> Schema {
        match s {
            ReferenceOr::Reference { reference } => self.referenced(reference),
            ReferenceOr::Item(s) => self.schema(s, depth),
        }
    }

    /// A `$ref` as a schema: nullable when the named schema is.
    fn referenced(&mut self, reference: &str) -> Schema {
        let kind = self.reference(reference);
        let nullable = matches!(&kind, SchemaKind::Ref(name) if self.named_nullable(name));
        Schema {
            nullable,
            ..Schema::new(kind)
        }
    }

    /// `Ref(name)` for a known component schema; otherwise `Any` with a warning.
    pub(crate) fn reference(&mut self, r: &str) -> SchemaKind {
        match schema_ref_name(r) {
            Some(name) if self.schema_named(&name).is_some() => SchemaKind::Ref(name),
            Some(name) => {
                self.warn_kind(
                    DiagnosticKind::UnresolvedReference,
                    format!("reference to unknown schema `{name}`; read as any value"),
                );
                SchemaKind::Any
            }
            None => {
                self.warn_kind(
                    DiagnosticKind::UnresolvedReference,
                    format!("unsupported schema reference `{r}`; read as any value"),
                );
                SchemaKind::Any
            }
        }
    }

    pub(crate) fn schema_named(&self, name: &str) -> Option<&'a ReferenceOr<openapiv3::Schema>> {
        self.api.components.as_ref()?.schemas.get(name)
    }

    /// An inline schema with its metadata.
    pub(crate) fn schema(&mut self, s: &'a openapiv3::Schema, depth: usize) -> Schema {
        let d = &s.schema_data;
        let mut out = Schema {
            kind: SchemaKind::Any,
            title: d.title.clone(),
            description: d.description.clone(),
            summary: self.summary(&d.extensions),
            nullable: d.nullable || d.extensions.get("x-nullable") == Some(&Value::Bool(true)),
            default: d.default.clone(),
            example: d.example.clone(),
            constraints: constraints(&s.schema_kind),
            read_only: d.read_only,
            deprecated: d.deprecated,
            visibility: visibility(&d.extensions),
            dynamic_values: self.dynamic_values(&d.extensions).map(Box::new),
            dynamic_schema: self.dynamic_schema(&d.extensions).map(Box::new),
            notification_url: self.flag(&d.extensions, "x-ms-notification-url"),
            extensions: extensions(&d.extensions),
            media_type: d
                .extensions
                .get(X_MEDIA_TYPE)
                .and_then(Value::as_str)
                .map(str::to_owned),
            validation: match d.extensions.get(X_VALIDATION) {
                Some(Value::Object(v)) => v.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                _ => BTreeMap::new(),
            },
        };
        if depth > MAX_DEPTH {
            self.warn_kind(
                DiagnosticKind::DegradedSchema,
                "schema nested too deeply; read as any value".to_owned(),
            );
            return out;
        }
        if let Some(disc) = &d.discriminator {
            self.check_mapping(disc);
        }
        let ext = &d.extensions;
        out.kind = match &s.schema_kind {
            OKind::Type(Type::String(t)) => {
                let fmt = string_format(&t.format);
                if t.enumeration.is_empty() {
                    SchemaKind::String(fmt)
                } else {
                    let vals = t
                        .enumeration
                        .iter()
                        .map(|v| v.clone().map_or(Value::Null, Value::String));
                    enum_kind(EnumBase::String, vals, ext, &mut out.nullable)
                }
            }
            OKind::Type(Type::Number(t)) => {
                if t.enumeration.is_empty() {
                    SchemaKind::Number(number_format(&t.format))
                } else {
                    let vals = t.enumeration.iter().map(|v| {
                        v.and_then(serde_json::Number::from_f64)
                            .map_or(Value::Null, Value::Number)
                    });
                    enum_kind(EnumBase::Number, vals, ext, &mut out.nullable)
                }
            }
            OKind::Type(Type::Integer(t)) => {
                if t.enumeration.is_empty() {
                    let examples = [d.default.as_ref(), d.example.as_ref()];
                    SchemaKind::Integer(wide_enough(&t.format, examples))
                } else {
                    let vals = t
                        .enumeration
                        .iter()
                        .map(|v| v.map_or(Value::Null, Value::from));
                    enum_kind(EnumBase::Integer, vals, ext, &mut out.nullable)
                }
            }
            OKind::Type(Type::Boolean(t)) => {
                if t.enumeration.is_empty() {
                    SchemaKind::Boolean
                } else {
                    let vals = t
                        .enumeration
                        .iter()
                        .map(|v| v.map_or(Value::Null, Value::Bool));
                    enum_kind(EnumBase::Boolean, vals, ext, &mut out.nullable)
                }
            }
            OKind::Type(Type::Object(o)) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                d.discriminator.as_ref(),
                depth,
            ),
            OKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), ext, depth),
            OKind::OneOf { one_of } => {
                self.union(one_of, "oneOf", d.discriminator.as_ref(), &mut out, depth)
            }
            OKind::AnyOf { any_of } => {
                self.union(any_of, "anyOf", d.discriminator.as_ref(), &mut out, depth)
            }
            OKind::AllOf { all_of } => {
                out.nullable |= nullable_annotation(all_of);
                self.all_of(all_of, None, d.discriminator.as_ref(), depth)
            }
            OKind::Not { .. } => {
                self.warn_kind(
                    DiagnosticKind::DegradedSchema,
                    "`not` is not expressed in types; read as any value".to_owned(),
                );
                SchemaKind::Any
            }
            OKind::Any(a) => self.any_schema(a, d.discriminator.as_ref(), ext, &mut out, depth),
        };
        if let SchemaKind::Ref(name) = &out.kind
            && !out.nullable
        {
            out.nullable = self.named_nullable(name);
        }
        out
    }

    /// Warns about each `discriminator.mapping` value that names no schema (its tag
    /// would otherwise select nothing, silently).
    fn check_mapping(&mut self, disc: &'a Discriminator) {
        for (tag, target) in &disc.mapping {
            let name = schema_ref_name(target).unwrap_or_else(|| target.clone());
            if self.schema_named(&name).is_none() {
                self.at("discriminator", |n| {
                    n.at("mapping", |n| {
                        n.at(tag.as_str(), |n| {
                            n.warn_kind(
                                DiagnosticKind::UnresolvedReference,
                                format!("discriminator mapping `{tag}` names no schema (`{target}`); the tag selects nothing"),
                            );
                        })
                    })
                });
            }
        }
    }

    /// An array; a tuple when the 3.1 rewrite marked its `items.oneOf` as positions.
    fn array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<openapiv3::Schema>>>,
        ext: &IndexMap<String, Value>,
        depth: usize,
    ) -> SchemaKind {
        if ext.get(X_TUPLE) == Some(&Value::Bool(true))
            && let Some(ReferenceOr::Item(items)) = items
            && let OKind::OneOf { one_of } = &items.schema_kind
        {
            if one_of.len() > MAX_TUPLE_POSITIONS {
                self.warn_kind(
                    DiagnosticKind::DegradedSchema,
                    format!(
                        "a tuple of {} positions (more than {MAX_TUPLE_POSITIONS}); read as an array of any values",
                        one_of.len()
                    ),
                );
            }
            return self.at("items", |n| {
                n.at("oneOf", |n| {
                    SchemaKind::Tuple(
                        one_of
                            .iter()
                            .enumerate()
                            .map(|(i, p)| n.at(i.to_string(), |n| n.schema_or_ref(p, depth + 1)))
                            .collect(),
                    )
                })
            });
        }
        SchemaKind::Array(Box::new(match items {
            Some(items) => self.at("items", |n| n.boxed(items, depth + 1)),
            None => Schema::default(),
        }))
    }

    /// Runs `f` with `token` pushed on the pointer path.
    pub(crate) fn at<T>(
        &mut self,
        token: impl Into<Cow<'a, str>>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.path.push(token.into());
        let r = f(self);
        self.path.pop();
        r
    }

    fn any_schema(
        &mut self,
        a: &'a AnySchema,
        disc: Option<&Discriminator>,
        ext: &IndexMap<String, Value>,
        out: &mut Schema,
        depth: usize,
    ) -> SchemaKind {
        if !a.all_of.is_empty() {
            out.nullable |= nullable_annotation(&a.all_of);
            return self.all_of(&a.all_of, Some((&a.properties, &a.required)), disc, depth);
        }
        // `oneOf` / `anyOf` of parts that only name required properties, beside the
        // properties (OpenAI: "file_ids or files"), constrains the object: not a union.
        let is_union =
            |parts: &[_]| !parts.is_empty() && (a.properties.is_empty() || !only_requires(parts));
        if is_union(&a.one_of) {
            return self.union(&a.one_of, "oneOf", disc, out, depth);
        }
        if is_union(&a.any_of) {
            return self.union(&a.any_of, "anyOf", disc, out, depth);
        }
        let typ = a.typ.as_deref();
        match typ {
            Some("object") => {}
            None if !a.properties.is_empty() || a.additional_properties.is_some() => {}
            Some("array") | None if a.items.is_some() || typ == Some("array") => {
                return self.array(a.items.as_ref(), ext, depth);
            }
            Some("null") => {
                out.nullable = true;
                return SchemaKind::Any;
            }
            Some(t @ ("string" | "integer" | "number" | "boolean")) => {
                let base = match t {
                    "string" => EnumBase::String,
                    "integer" => EnumBase::Integer,
                    "number" => EnumBase::Number,
                    _ => EnumBase::Boolean,
                };
                let fmt = a.format.as_deref().unwrap_or("");
                let primitive = match base {
                    EnumBase::String => SchemaKind::String(string_format_str(fmt)),
                    EnumBase::Integer => SchemaKind::Integer(integer_format_str(fmt)),
                    EnumBase::Number => SchemaKind::Number(number_format_str(fmt)),
                    EnumBase::Boolean => SchemaKind::Boolean,
                };
                if a.enumeration.is_empty() {
                    return primitive;
                }
                let fits = a
                    .enumeration
                    .iter()
                    .all(|v| v.is_null() || value_fits(base, v));
                if fits {
                    return enum_kind(base, a.enumeration.iter().cloned(), ext, &mut out.nullable);
                }
                // Values of another type than declared: the declared type wins.
                return primitive;
            }
            None if !a.enumeration.is_empty() => {
                let base = [
                    EnumBase::String,
                    EnumBase::Integer,
                    EnumBase::Number,
                    EnumBase::Boolean,
                ]
                .into_iter()
                .find(|b| {
                    a.enumeration
                        .iter()
                        .all(|v| v.is_null() || value_fits(*b, v))
                });
                return match base {
                    Some(b) => enum_kind(b, a.enumeration.iter().cloned(), ext, &mut out.nullable),
                    None => {
                        self.warn_kind(
                            DiagnosticKind::DegradedSchema,
                            "an enum of values of several types; read as any value".to_owned(),
                        );
                        SchemaKind::Any
                    }
                };
            }
            _ => return SchemaKind::Any,
        }
        self.object(
            &a.properties,
            &a.required,
            a.additional_properties.as_ref(),
            disc,
            depth,
        )
    }

    pub(super) fn additional(
        &mut self,
        add: Option<&'a AdditionalProperties>,
        depth: usize,
    ) -> Option<Schema> {
        match add? {
            AdditionalProperties::Any(true) => Some(Schema::default()),
            AdditionalProperties::Any(false) => None,
            AdditionalProperties::Schema(s) => {
                Some(self.at("additionalProperties", |n| n.schema_or_ref(s, depth + 1)))
            }
        }
    }

    fn object(
        &mut self,
        props: &'a Props,
        required: &[String],
        add: Option<&'a AdditionalProperties>,
        disc: Option<&Discriminator>,
        depth: usize,
    ) -> SchemaKind {
        let additional = self.additional(add, depth);
        if props.is_empty() && disc.is_none() {
            return match additional {
                Some(s) => SchemaKind::Map(Box::new(s)),
                None => SchemaKind::Any,
            };
        }
        let mut obj = ObjectSchema {
            properties: Vec::with_capacity(props.len()),
            additional: additional.map(Box::new),
            all_of: Vec::new(),
            discriminator: disc.map(|d| d.property_name.clone()),
        };
        self.add_properties(&mut obj, props, required, depth);
        SchemaKind::Object(obj)
    }

    pub(super) fn add_properties(
        &mut self,
        obj: &mut ObjectSchema,
        props: &'a Props,
        required: &[String],
        depth: usize,
    ) {
        self.path.push(Cow::Borrowed("properties"));
        for (name, p) in props {
            let schema = self.at(name.as_str(), |n| n.boxed(p, depth + 1));
            let req = required.iter().any(|r| r == name);
            match obj.properties.iter_mut().find(|q| &q.name == name) {
                Some(q) => {
                    q.schema = schema;
                    q.required |= req;
                }
                None => obj.properties.push(Property {
                    name: name.clone(),
                    required: req,
                    schema,
                }),
            }
        }
        self.path.pop();
        // `required` may name properties contributed by another allOf part.
        for q in &mut obj.properties {
            if !q.required && required.iter().any(|r| r == &q.name) {
                q.required = true;
            }
        }
    }
}
