//! Schemas to Rust types: a type per named schema and per inline object or enum.
//!
//! [`TypeSpace`] hands out type expressions for schemas and collects the item
//! definitions they need. Names are claimed in a fixed order (named schemas sorted by
//! name first, then inline types as they are met), so output is deterministic.
//!
//! Properties: required is `T`; optional, or required and nullable, is `Option<T>`
//! (left out when `None` only if optional, so a required nullable one sends `null`);
//! optional and nullable is `connector_runtime::Nullable<T>` (absent / `null` / value).
//! Identical inline enums (same values, names and descriptions) are one type, named
//! after their first use; an inline enum that repeats a named enum schema uses it.
//! Untagged unions try variants in the order the model gives (most specific first), and
//! a variant whose object fixes a property to one value (`const`) is only tried when
//! the payload carries that value.

use std::collections::{BTreeMap, BTreeSet};

use connector_spec::{
    Connector, EnumBase, EnumSchema, IntegerFormat, MAX_TUPLE_POSITIONS, NumberFormat, Schema,
    SchemaKind, StringFormat,
};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::Doc;
use crate::imports::Imports;
use crate::names::{self, Namespace, ident};
use crate::runtime_paths as rt;

mod items;

/// Deepest schema nesting followed; deeper parts become `serde_json::Value`.
const MAX_DEPTH: usize = 64;

/// Where a type expression is used.
#[derive(Debug, Clone, Copy)]
struct UseSite<'s> {
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
    /// Inline enums already emitted: (`x-ms-enum` name or "", values with their names)
    /// -> type name.
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
        let ctx = UseSite {
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
    fn import(&mut self, ctx: UseSite<'_>, path: &'static str) {
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
        let ctx = UseSite {
            owner: Some(name),
            indirect: false,
            depth: 0,
            qualify: false,
        };
        let mut doc = Doc::new();
        doc.text(schema.doc());
        doc.schema_notes(schema);
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

    fn type_ref(&mut self, schema: &Schema, hint: &str, ctx: UseSite<'_>) -> TypeRef {
        if ctx.depth > MAX_DEPTH {
            return TypeRef::value();
        }
        let inner = UseSite {
            depth: ctx.depth + 1,
            ..ctx
        };
        let behind = UseSite {
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
            // serde reads tuples of up to 16 positions.
            SchemaKind::Tuple(positions)
                if !positions.is_empty() && positions.len() <= MAX_TUPLE_POSITIONS =>
            {
                let mut named = false;
                let parts: Vec<TokenStream> = positions
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let t = self.type_ref(p, &format!("{hint}{}", i + 1), inner);
                        named |= t.named;
                        t.tokens
                    })
                    .collect();
                TypeRef::new(quote!((#(#parts,)*)), false, named)
            }
            SchemaKind::Tuple(_) => TypeRef::new(quote!(Vec<serde_json::Value>), false, false),
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
                    UseSite {
                        qualify: false,
                        ..inner
                    },
                );
                TypeRef::named(&name, ctx.qualify)
            }
            SchemaKind::Enum(e) => self.enum_type(schema, e, hint, ctx),
            SchemaKind::OneOf(variants) => {
                let name = self.names.claim(&names::camel(hint, "Model"));
                let mut doc = Doc::new();
                doc.text(schema.doc());
                self.emit_one_of(
                    &name,
                    doc,
                    variants,
                    UseSite {
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

    /// The type of an enum schema: a component enum it repeats, a shared inline enum, a
    /// new enum named after `hint` (or its `x-ms-enum` name), or the plain number or
    /// boolean type.
    fn enum_type(
        &mut self,
        schema: &Schema,
        e: &EnumSchema,
        hint: &str,
        ctx: UseSite<'_>,
    ) -> TypeRef {
        match e.base {
            EnumBase::String | EnumBase::Integer => {
                let values = enum_key(e);
                if e.name.is_none()
                    && let Some(named) = self.component_enums.get(&values)
                {
                    return TypeRef::named(named, ctx.qualify);
                }
                let wanted = e.name.as_deref().unwrap_or(hint);
                // Identical inline enums share one type (named after the first
                // use); an `x-ms-enum` name keeps its own type.
                let key = (e.name.clone().unwrap_or_default(), enum_key_named(e));
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

/// The values of an enum with their preferred names and descriptions: two inline enums
/// with equal keys generate the same type.
fn enum_key_named(e: &EnumSchema) -> String {
    let parts: Vec<(&serde_json::Value, Option<&str>, Option<&str>)> = e
        .values
        .iter()
        .map(|v| (&v.value, v.name.as_deref(), v.description.as_deref()))
        .collect();
    serde_json::to_string(&(e.base, e.open, parts)).unwrap_or_default()
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
        SchemaKind::OneOf(vs) | SchemaKind::Tuple(vs) => {
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
