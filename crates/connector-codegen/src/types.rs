//! Schemas to Rust types: a type per named schema and per inline object or enum.
//!
//! [`TypeSpace`] hands out type expressions for schemas and collects the item
//! definitions they need. Names are claimed in a fixed order (named schemas sorted by
//! name first, then inline types as they are met), so output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use connector_spec::{
    Connector, EnumBase, EnumSchema, IntegerFormat, NumberFormat, ObjectSchema, Schema, SchemaKind,
    StringFormat, TaggedSchema,
};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{self, Namespace, ident};
use crate::runtime_paths as rt;
use crate::text;

/// Deepest schema nesting followed; deeper parts become `serde_json::Value`.
const MAX_DEPTH: usize = 64;

/// Where a type expression is used.
#[derive(Debug, Clone, Copy)]
struct Ctx<'s> {
    /// The named schema whose definition is being emitted, for recursion boxing.
    owner: Option<&'s str>,
    /// Already behind an indirection (`Vec`, map), so no `Box` is needed.
    indirect: bool,
    depth: usize,
    /// Used outside `types.rs`: named types need the `types::` prefix.
    qualify: bool,
}

/// The types of one generated crate.
pub struct TypeSpace<'c> {
    connector: &'c Connector,
    names: Namespace,
    /// Named schema -> Rust type name.
    named: BTreeMap<String, String>,
    /// Named schemas in a reference cycle with each key.
    cycles: BTreeMap<String, BTreeSet<String>>,
    /// Enums already emitted: (name hint, values) -> type name.
    enums: BTreeMap<(String, String), String>,
    /// Named enum schemas by their values: an inline enum with the same values (same
    /// order) reuses the named type instead of duplicating it.
    component_enums: BTreeMap<String, String>,
    items: Vec<TokenStream>,
    /// Imports `types.rs` needs.
    pub imports: Imports,
    /// Imports needed where `type_for` expressions are used (outside `types.rs`).
    outer_imports: Vec<&'static str>,
    /// Named schemas whose definitions are not built yet.
    unbuilt: std::collections::btree_map::Iter<'c, String, Schema>,
}

/// Type items per batch [`TypeSpace::next_named_batch`] hands out.
const ITEM_BATCH: usize = 32;

impl<'c> TypeSpace<'c> {
    /// Claim names for every named schema; their definitions are built by
    /// [`TypeSpace::next_named_batch`].
    pub fn new(connector: &'c Connector) -> Self {
        let mut names = Namespace::with_reserved(names::RESERVED_TYPE_NAMES);
        let named = connector
            .schemas
            .keys()
            .map(|k| {
                let wanted = names::crate_root_safe(names::camel(k, "Model"));
                (k.clone(), names.claim(&wanted))
            })
            .collect();
        let mut space = TypeSpace {
            connector,
            names,
            named,
            cycles: cycles(connector),
            enums: BTreeMap::new(),
            component_enums: BTreeMap::new(),
            items: Vec::new(),
            imports: Imports::default(),
            outer_imports: Vec::new(),
            unbuilt: connector.schemas.iter(),
        };
        // Inline enums that repeat a component enum reuse it.
        for (name, schema) in &connector.schemas {
            if let (SchemaKind::Enum(e), Some(type_name)) = (&schema.kind, space.named.get(name))
                && matches!(e.base, EnumBase::String | EnumBase::Integer)
            {
                let type_name = type_name.clone();
                space
                    .component_enums
                    .entry(enum_key(e))
                    .or_insert(type_name);
            }
        }
        space
    }

    /// The next batch of the named schemas' type items (about [`ITEM_BATCH`]), in
    /// schema order; `None` once every named schema is built. Types built later (inline
    /// schemas of operations) are collected until [`TypeSpace::take_items`].
    pub fn next_named_batch(&mut self) -> Option<Vec<TokenStream>> {
        while let Some((name, schema)) = self.unbuilt.next() {
            self.emit_named(name, schema);
            if self.items.len() >= ITEM_BATCH {
                return Some(self.take_items());
            }
        }
        (!self.items.is_empty()).then(|| self.take_items())
    }

    /// The item definitions built since the last call, in order.
    pub fn take_items(&mut self) -> Vec<TokenStream> {
        std::mem::take(&mut self.items)
    }

    /// The Rust type for a schema used outside `types.rs` (parameters, bodies, responses).
    /// `hint` names hoisted inline types.
    pub fn type_for(&mut self, schema: &Schema, hint: &str) -> TypeRef {
        let ctx = Ctx {
            owner: None,
            indirect: false,
            depth: 0,
            qualify: true,
        };
        self.type_ref(schema, hint, ctx)
    }

    /// Imports that type expressions handed out by [`TypeSpace::type_for`] since the last
    /// call need in the using module.
    pub fn take_outer_imports(&mut self) -> Vec<&'static str> {
        std::mem::take(&mut self.outer_imports)
    }

    /// Record an import for the module the type expression lands in.
    fn import(&mut self, ctx: Ctx<'_>, path: &'static str) {
        if ctx.qualify {
            if !self.outer_imports.contains(&path) {
                self.outer_imports.push(path);
            }
        } else {
            self.imports.add(path);
        }
    }

    /// Resolve references to their named schema (bounded).
    pub fn resolve<'s>(&'s self, mut schema: &'s Schema) -> &'s Schema {
        for _ in 0..MAX_DEPTH {
            match &schema.kind {
                SchemaKind::Ref(name) => match self.connector.schemas.get(name) {
                    Some(s) => schema = s,
                    None => return schema,
                },
                _ => return schema,
            }
        }
        schema
    }

    fn emit_named(&mut self, name: &str, schema: &Schema) {
        let Some(type_name) = self.named.get(name).cloned() else {
            return;
        };
        let ctx = Ctx {
            owner: Some(name),
            indirect: false,
            depth: 0,
            qualify: false,
        };
        let mut doc = Doc::new();
        doc.text(schema.doc());
        let plain = names::camel(name, "Model");
        if names::CRATE_ROOT_NAMES.contains(&plain.as_str()) {
            doc.line(format!(
                "`{plain}` in the definition, renamed so it does not shadow the crate's own `{plain}`."
            ));
            doc.alias(&plain);
        }
        match &schema.kind {
            SchemaKind::Object(obj) if !obj.properties.is_empty() => {
                self.emit_struct(&type_name, doc, obj, ctx);
            }
            SchemaKind::Enum(e) if e.base == EnumBase::String || e.base == EnumBase::Integer => {
                self.emit_enum(&type_name, doc, e);
            }
            SchemaKind::OneOf(variants) => self.emit_one_of(&type_name, doc, variants, ctx),
            SchemaKind::Tagged(tagged) => self.emit_tagged(&type_name, doc, tagged),
            _ => {
                let in_cycle = self.cycles.get(name).is_some_and(|c| c.contains(name));
                let target = self.type_ref(schema, &type_name, ctx);
                let ty = target.tokens;
                let ident = ident(&type_name);
                if in_cycle {
                    // A recursive alias is not allowed; a transparent newtype is.
                    doc.line("A transparent wrapper: the definition refers to itself.");
                    let d = doc.tokens();
                    self.imports.serde();
                    self.items.push(quote! {
                        #d
                        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                        #[serde(transparent)]
                        pub struct #ident(pub #ty);
                    });
                } else {
                    let d = doc.tokens();
                    self.items.push(quote! {
                        #d
                        pub type #ident = #ty;
                    });
                }
            }
        }
    }

    fn type_ref(&mut self, schema: &Schema, hint: &str, ctx: Ctx<'_>) -> TypeRef {
        if ctx.depth > MAX_DEPTH {
            return TypeRef::value();
        }
        let inner = Ctx {
            depth: ctx.depth + 1,
            ..ctx
        };
        let behind = Ctx {
            indirect: true,
            ..inner
        };
        match &schema.kind {
            SchemaKind::Any => TypeRef::value(),
            SchemaKind::Ref(name) => match self.named.get(name) {
                Some(type_name) => {
                    let id = qualified(type_name, ctx.qualify);
                    let target = self.connector.schemas.get(name);
                    let param = target.is_some_and(|s| self.is_param_capable(s, 0));
                    let recursive = ctx.owner.is_some_and(|owner| {
                        self.cycles
                            .get(owner)
                            .is_some_and(|c| c.contains(name.as_str()))
                    });
                    if recursive && !ctx.indirect {
                        TypeRef::new(quote!(Box<#id>), false, true)
                    } else {
                        TypeRef::new(quote!(#id), param, true)
                    }
                }
                None => TypeRef::value(),
            },
            SchemaKind::Boolean => TypeRef::new(quote!(bool), true, false),
            SchemaKind::Integer(f) => TypeRef::new(
                match f {
                    IntegerFormat::Int32 => quote!(i32),
                    IntegerFormat::Int64 => quote!(i64),
                    IntegerFormat::Uint32 => quote!(u32),
                    IntegerFormat::Uint64 => quote!(u64),
                },
                true,
                false,
            ),
            SchemaKind::Number(f) => TypeRef::new(
                match f {
                    NumberFormat::Float => quote!(f32),
                    NumberFormat::Double => quote!(f64),
                },
                true,
                false,
            ),
            SchemaKind::String(StringFormat::DateTime) => {
                self.import(ctx, rt::DATE_TIME.path());
                TypeRef::new(quote!(DateTime), true, false)
            }
            SchemaKind::String(StringFormat::Date) => {
                self.import(ctx, rt::DATE.path());
                TypeRef::new(quote!(Date), true, false)
            }
            SchemaKind::String(_) => TypeRef {
                tokens: quote!(String),
                named: false,
                string: true,
            },
            SchemaKind::Array(items) => {
                let item = self.type_ref(items, &format!("{hint}Item"), behind);
                let t = item.tokens;
                TypeRef::new(quote!(Vec<#t>), false, item.named)
            }
            SchemaKind::Map(values) => {
                let value = self.type_ref(values, &format!("{hint}Value"), behind);
                let t = value.tokens;
                self.import(ctx, "std::collections::BTreeMap");
                TypeRef::new(quote!(BTreeMap<String, #t>), false, value.named)
            }
            SchemaKind::Object(obj) if obj.properties.is_empty() => match &obj.additional {
                Some(values) => {
                    let value = self.type_ref(values, &format!("{hint}Value"), behind);
                    let t = value.tokens;
                    self.import(ctx, "std::collections::BTreeMap");
                    TypeRef::new(quote!(BTreeMap<String, #t>), false, value.named)
                }
                None => TypeRef::value(),
            },
            SchemaKind::Object(obj) => {
                let name = self.names.claim(&names::camel(hint, "Model"));
                let mut doc = Doc::new();
                doc.text(schema.doc());
                self.emit_struct(
                    &name,
                    doc,
                    obj,
                    Ctx {
                        qualify: false,
                        ..inner
                    },
                );
                TypeRef::named(&name, ctx.qualify)
            }
            SchemaKind::Enum(e) => match e.base {
                EnumBase::String | EnumBase::Integer => {
                    let values = enum_key(e);
                    if e.name.is_none()
                        && let Some(named) = self.component_enums.get(&values)
                    {
                        return TypeRef::named(named, ctx.qualify);
                    }
                    let wanted = e.name.as_deref().unwrap_or(hint);
                    let key = (wanted.to_owned(), values);
                    if let Some(existing) = self.enums.get(&key) {
                        return TypeRef::named(existing, ctx.qualify);
                    }
                    let name = self.names.claim(&names::camel(wanted, "Model"));
                    self.enums.insert(key, name.clone());
                    let mut doc = Doc::new();
                    doc.text(schema.doc());
                    self.emit_enum(&name, doc, e);
                    TypeRef::named(&name, ctx.qualify)
                }
                EnumBase::Number => TypeRef::new(quote!(f64), true, false),
                EnumBase::Boolean => TypeRef::new(quote!(bool), true, false),
            },
            SchemaKind::OneOf(variants) => {
                let name = self.names.claim(&names::camel(hint, "Model"));
                let mut doc = Doc::new();
                doc.text(schema.doc());
                self.emit_one_of(
                    &name,
                    doc,
                    variants,
                    Ctx {
                        qualify: false,
                        ..inner
                    },
                );
                TypeRef::named(&name, ctx.qualify)
            }
            SchemaKind::Tagged(tagged) => {
                let name = self.names.claim(&names::camel(hint, "Model"));
                let mut doc = Doc::new();
                doc.text(schema.doc());
                self.emit_tagged(&name, doc, tagged);
                TypeRef::named(&name, ctx.qualify)
            }
        }
    }

    /// Whether values of `schema` can travel as a parameter (strings, numbers, enums).
    pub fn is_param_capable(&self, schema: &Schema, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match &schema.kind {
            SchemaKind::Ref(name) => self
                .connector
                .schemas
                .get(name)
                .is_some_and(|s| self.is_param_capable(s, depth + 1)),
            SchemaKind::Boolean
            | SchemaKind::Integer(_)
            | SchemaKind::Number(_)
            | SchemaKind::String(_)
            | SchemaKind::Enum(_)
            | SchemaKind::Any => true,
            _ => false,
        }
    }

    fn emit_struct(&mut self, type_name: &str, mut doc: Doc, obj: &ObjectSchema, ctx: Ctx<'_>) {
        self.imports.add("serde::Serialize");
        if !obj.all_of.is_empty() {
            let parts: Vec<String> = obj
                .all_of
                .iter()
                .filter_map(|n| self.named.get(n))
                .map(|n| format!("[`{n}`]"))
                .collect();
            if !parts.is_empty() {
                doc.line(format!("Includes the fields of {}.", parts.join(", ")));
            }
        }
        let mut fields_ns = Namespace::default();
        let mut fields = Vec::new();
        // `field: "key"` pairs for `de::object!`.
        let mut keys = Vec::new();
        let mut all_optional = true;
        for prop in &obj.properties {
            let field_name = fields_ns.claim(&names::snake(&prop.name, "field"));
            let hint = format!("{type_name} {}", prop.name);
            let inner = Ctx {
                depth: ctx.depth + 1,
                ..ctx
            };
            let ty = self.type_ref(&prop.schema, &hint, inner);
            let optional = !prop.required || prop.schema.nullable;
            all_optional &= optional;
            let id = ident(&field_name);
            let t = ty.tokens;
            let wire = text::literal(&prop.name);
            let mut attrs = Vec::new();
            if field_name != prop.name {
                attrs.push(quote!(rename = #wire));
            }
            keys.push(quote!(#id: #wire));
            let ty_tokens = if optional {
                if !prop.required {
                    attrs.push(quote!(skip_serializing_if = "Option::is_none"));
                }
                quote!(Option<#t>)
            } else {
                t
            };
            let mut fdoc = Doc::new();
            fdoc.text(prop.schema.doc());
            if prop.schema.read_only {
                fdoc.line("Read-only: set by the server.");
            }
            if prop.schema.deprecated {
                fdoc.line("Deprecated.");
            }
            let fd = fdoc.tokens();
            let serde_attr = if attrs.is_empty() {
                quote!()
            } else {
                quote!(#[serde(#(#attrs),*)])
            };
            fields.push(quote! {
                #fd
                #serde_attr
                pub #id: #ty_tokens,
            });
        }
        if let Some(additional) = &obj.additional {
            let field_name = fields_ns.claim("additional_properties");
            let id = ident(&field_name);
            let inner = Ctx {
                indirect: true,
                depth: ctx.depth + 1,
                ..ctx
            };
            let value = self.type_ref(additional, &format!("{type_name}Value"), inner);
            let t = value.tokens;
            self.imports.add("std::collections::BTreeMap");
            fields.push(quote! {
                /// Properties not declared by the definition.
                #[serde(flatten)]
                pub #id: BTreeMap<String, #t>,
            });
            keys.push(quote!(..#id));
        }
        let id = ident(type_name);
        let d = doc.tokens();
        let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
        if all_optional {
            derives.push(quote!(Default));
        }
        derives.push(quote!(Serialize));
        self.imports.add(rt::DE.path());
        self.items.push(quote! {
            #d
            #[derive(#(#derives),*)]
            pub struct #id {
                #(#fields)*
            }

            de::object!(#id { #(#keys),* });
        });
    }

    fn emit_enum(&mut self, type_name: &str, mut doc: Doc, e: &EnumSchema) {
        let id = ident(type_name);
        if e.base == EnumBase::Integer {
            self.imports.serde();
            // An open set of integers: a transparent newtype with a constant per value.
            let mut consts_ns = Namespace::default();
            let consts = e.values.iter().filter_map(|v| {
                let n = v.value.as_i64()?;
                let label = v.name.clone().unwrap_or_else(|| format!("value {n}"));
                let upper = names::snake(&label, "value").to_uppercase();
                let upper = upper.trim_start_matches('_');
                let upper = if upper.is_empty() || upper.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("V{upper}")
                } else {
                    upper.to_owned()
                };
                let cid = ident(&consts_ns.claim(&upper));
                let mut cdoc = Doc::new();
                cdoc.line(format!("`{n}`"));
                cdoc.text(v.description.as_deref());
                let cd = cdoc.tokens();
                Some(quote! { #cd pub const #cid: Self = Self(#n); })
            });
            let consts: Vec<_> = consts.collect();
            doc.line("Known values are associated constants; any other integer is kept as sent.");
            let d = doc.tokens();
            let param_value = rt::PARAM_VALUE;
            self.items.push(quote! {
                #d
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #id(pub i64);

                impl #id {
                    #(#consts)*
                }

                impl #param_value for #id {
                    fn to_param(&self) -> String {
                        self.0.to_string()
                    }
                }
            });
            return;
        }
        let mut variants_ns = Namespace::with_reserved(&["Other", "Self"]);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        let mut from_arms = Vec::new();
        let mut seen = BTreeSet::new();
        for v in &e.values {
            let Some(wire) = v.value.as_str() else {
                continue;
            };
            // A repeated value would be an unreachable match arm.
            if !seen.insert(wire) {
                continue;
            }
            let label = v.name.as_deref().unwrap_or(wire);
            let vname = variants_ns.claim(&names::camel(label, "Value"));
            let vid = ident(&vname);
            let mut vdoc = Doc::new();
            vdoc.text(v.description.as_deref());
            if vdoc.is_empty() {
                vdoc.line(code(wire));
            }
            let vd = vdoc.tokens();
            variants.push(quote! {
                #vd
                #vid,
            });
            arms.push(quote!(Self::#vid => #wire,));
            from_arms.push(quote!(#wire => Self::#vid,));
        }
        let d = doc.tokens();
        let string_enum = rt::STRING_ENUM;
        self.items.push(quote! {
            #d
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #id {
                #(#variants)*
                /// A value this client does not know yet, kept as sent.
                Other(String),
            }

            impl #id {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#arms)*
                        Self::Other(value) => value,
                    }
                }
            }

            impl From<&str> for #id {
                fn from(value: &str) -> Self {
                    match value {
                        #(#from_arms)*
                        other => Self::Other(other.to_owned()),
                    }
                }
            }

            #string_enum!(#id);
        });
    }

    fn emit_one_of(&mut self, type_name: &str, doc: Doc, variants: &[Schema], ctx: Ctx<'_>) {
        self.imports.serde();
        self.imports.add("serde::Deserializer");
        let mut ns = Namespace::with_reserved(&["Other", "Self"]);
        let mut out = Vec::new();
        let mut tries = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            if matches!(v.kind, SchemaKind::Any) {
                continue;
            }
            let label = variant_label(v, i);
            let vname = ns.claim(&names::camel(&label, "Variant"));
            let inner = Ctx {
                depth: ctx.depth + 1,
                ..ctx
            };
            let ty = self
                .type_ref(v, &format!("{type_name} {vname}"), inner)
                .tokens;
            let vid = ident(&vname);
            let mut vdoc = Doc::new();
            vdoc.text(v.doc());
            let vd = vdoc.tokens();
            out.push(quote!(#vd #vid(#ty),));
            // `Vec<T>::deserialize` needs the `<…>` form; a plain path reads better bare.
            let path = if ty.to_string().contains('<') {
                quote!(<#ty>)
            } else {
                ty.clone()
            };
            tries.push(quote! {
                if let Ok(v) = #path::deserialize(&value) {
                    return Ok(Self::#vid(v));
                }
            });
        }
        let id = ident(type_name);
        let d = doc.tokens();
        self.items.push(quote! {
            #d
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum #id {
                #(#out)*
                /// A value matching none of the declared shapes, kept as sent.
                Other(serde_json::Value),
            }

            impl<'de> Deserialize<'de> for #id {
                /// The first declared shape the value fits, else [`Self::Other`].
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = serde_json::Value::deserialize(deserializer)?;
                    #(#tries)*
                    Ok(Self::Other(value))
                }
            }
        });
    }

    fn emit_tagged(&mut self, type_name: &str, mut doc: Doc, tagged: &TaggedSchema) {
        self.imports.serde();
        self.imports.add(rt::DE.path());
        self.imports.add("serde::Deserializer");
        let mut ns = Namespace::with_reserved(&["Other", "Self"]);
        let property = &tagged.property;
        let mut variants = Vec::new();
        let mut de_arms = Vec::new();
        let mut ser_arms = Vec::new();
        let mut seen = BTreeSet::new();
        for v in &tagged.variants {
            let Some(target) = self.named.get(&v.schema).cloned() else {
                continue;
            };
            if !seen.insert(v.tag.as_str()) {
                continue;
            }
            let vname = ns.claim(&names::camel(&v.tag, "Variant"));
            let vid = ident(&vname);
            let tid = ident(&target);
            let tag = &v.tag;
            let vdoc = format!(" `{property}` is `{}`.", tag.replace('`', "'"));
            variants.push(quote!(#[doc = #vdoc] #vid(Box<#tid>),));
            de_arms.push(quote! {
                Some(#tag) => de::boxed(value, Self::#vid),
            });
            ser_arms.push(quote!(Self::#vid(v) => v.serialize(serializer),));
        }
        doc.line(format!(
            "Chosen by the {} property; an unknown tag is kept as [`{type_name}::Other`].",
            code(property)
        ));
        let id = ident(type_name);
        let d = doc.tokens();
        self.items.push(quote! {
            #d
            #[derive(Debug, Clone, PartialEq)]
            pub enum #id {
                #(#variants)*
                /// A variant this client does not know yet, kept as sent.
                Other(serde_json::Value),
            }

            impl Serialize for #id {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#ser_arms)*
                        Self::Other(v) => v.serialize(serializer),
                    }
                }
            }

            impl<'de> Deserialize<'de> for #id {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = serde_json::Value::deserialize(deserializer)?;
                    let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                    let decoded = match tag.as_deref() {
                        #(#de_arms)*
                        _ => return Ok(Self::Other(value)),
                    };
                    decoded.map_err(serde::de::Error::custom)
                }
            }
        });
    }
}

/// A Rust type expression plus what the caller needs to know about it.
#[derive(Debug, Clone)]
pub struct TypeRef {
    /// The type.
    pub tokens: TokenStream,
    /// Mentions a type from `types.rs`.
    pub named: bool,
    /// Is `String` (so setters can take `impl Into<String>`).
    pub string: bool,
}

impl TypeRef {
    fn new(tokens: TokenStream, _param: bool, named: bool) -> Self {
        TypeRef {
            tokens,
            named,
            string: false,
        }
    }

    fn value() -> Self {
        TypeRef::new(quote!(serde_json::Value), true, false)
    }

    fn named(name: &str, qualify: bool) -> Self {
        let id = qualified(name, qualify);
        TypeRef::new(id, true, true)
    }
}

/// `Name`, or `types::Name` when used outside `types.rs`.
fn qualified(name: &str, qualify: bool) -> TokenStream {
    let id = ident(name);
    if qualify {
        quote!(types::#id)
    } else {
        quote!(#id)
    }
}

fn variant_label(schema: &Schema, index: usize) -> String {
    match &schema.kind {
        SchemaKind::Ref(name) => name.clone(),
        SchemaKind::Boolean => "Boolean".into(),
        SchemaKind::Integer(_) => "Integer".into(),
        SchemaKind::Number(_) => "Number".into(),
        SchemaKind::String(_) => "String".into(),
        SchemaKind::Array(_) => "Array".into(),
        SchemaKind::Map(_) => "Map".into(),
        SchemaKind::Enum(_) => "Enum".into(),
        _ => schema
            .title
            .clone()
            .unwrap_or_else(|| format!("Variant{}", index + 1)),
    }
}

fn enum_key(e: &EnumSchema) -> String {
    serde_json::to_string(&e.values.iter().map(|v| &v.value).collect::<Vec<_>>())
        .unwrap_or_default()
}

/// For each named schema, the named schemas it sits in a reference cycle with
/// (including itself when it reaches itself).
fn cycles(connector: &Connector) -> BTreeMap<String, BTreeSet<String>> {
    let edges: BTreeMap<&str, BTreeSet<&str>> = connector
        .schemas
        .iter()
        .map(|(name, schema)| {
            let mut refs = BTreeSet::new();
            collect_refs(schema, &mut refs, 0);
            (name.as_str(), refs)
        })
        .collect();
    let reach: BTreeMap<&str, BTreeSet<&str>> = edges
        .keys()
        .map(|start| {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<&str> = edges.get(start).into_iter().flatten().copied().collect();
            while let Some(n) = stack.pop() {
                if seen.insert(n) {
                    stack.extend(edges.get(n).into_iter().flatten().copied());
                }
            }
            (*start, seen)
        })
        .collect();
    reach
        .iter()
        .map(|(a, from_a)| {
            let together = from_a
                .iter()
                .filter(|b| reach.get(*b).is_some_and(|from_b| from_b.contains(a)))
                .map(|b| (*b).to_owned())
                .collect();
            ((*a).to_owned(), together)
        })
        .collect()
}

fn collect_refs<'s>(schema: &'s Schema, out: &mut BTreeSet<&'s str>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &schema.kind {
        SchemaKind::Ref(name) => {
            out.insert(name);
        }
        SchemaKind::Array(s) | SchemaKind::Map(s) => collect_refs(s, out, depth + 1),
        SchemaKind::Object(o) => {
            for p in &o.properties {
                collect_refs(&p.schema, out, depth + 1);
            }
            if let Some(a) = &o.additional {
                collect_refs(a, out, depth + 1);
            }
        }
        SchemaKind::OneOf(vs) => {
            for v in vs {
                collect_refs(v, out, depth + 1);
            }
        }
        SchemaKind::Tagged(t) => {
            for v in &t.variants {
                out.insert(&v.schema);
            }
        }
        _ => {}
    }
}
