//! How each named type is emitted: structs (one `de::object!` each, for `Deserialize` and
//! `Serialize`), string and integer enums with a catch-all, untagged unions and tagged
//! unions.

use std::collections::BTreeSet;

use connector_spec::{EnumBase, EnumSchema, ObjectSchema, Schema, SchemaKind, TaggedSchema};
use quote::quote;

use super::{TypeSpace, UseSite, variant_label};
use crate::docs::{Doc, code};
use crate::names::{self, Namespace, ident};
use crate::runtime_paths as rt;
use crate::text;

impl TypeSpace<'_> {
    pub(super) fn emit_struct(
        &mut self,
        type_name: &str,
        mut doc: Doc,
        obj: &ObjectSchema,
        ctx: UseSite<'_>,
    ) {
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
            let inner = UseSite {
                depth: ctx.depth + 1,
                ..ctx
            };
            let ty = self.type_ref(&prop.schema, &hint, inner);
            let optional = !prop.required || prop.schema.nullable;
            all_optional &= optional;
            let id = ident(&field_name);
            let t = ty.tokens;
            let wire = text::literal(&prop.name);
            // `field?: "key"`: left out when absent (`de::object!` writes `Serialize`).
            keys.push(if prop.required {
                quote!(#id: #wire)
            } else {
                quote!(#id?: #wire)
            });
            // Optional and nullable: absent, `null` and a value are three states.
            let ty_tokens = if !prop.required && prop.schema.nullable {
                self.imports.add(rt::NULLABLE.path());
                quote!(Nullable<#t>)
            } else if optional {
                quote!(Option<#t>)
            } else {
                t
            };
            let mut fdoc = Doc::new();
            fdoc.text(prop.schema.doc());
            fdoc.schema_notes(&prop.schema);
            if prop.schema.read_only {
                fdoc.line("Read-only: set by the server.");
            }
            if prop.schema.deprecated {
                fdoc.line("Deprecated.");
            }
            let fd = fdoc.tokens();
            fields.push(quote! {
                #fd
                pub #id: #ty_tokens,
            });
        }
        if let Some(additional) = &obj.additional {
            let field_name = fields_ns.claim("additional_properties");
            let id = ident(&field_name);
            let inner = UseSite {
                indirect: true,
                depth: ctx.depth + 1,
                ..ctx
            };
            let value = self.type_ref(additional, &format!("{type_name}Value"), inner);
            let t = value.tokens;
            self.imports.add("std::collections::BTreeMap");
            fields.push(quote! {
                /// Properties not declared by the definition.
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

    pub(super) fn emit_enum(&mut self, type_name: &str, mut doc: Doc, e: &EnumSchema) {
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
        // `PartialEq`, `Eq` and `Hash` come from `string_enum!` (by wire value): derived,
        // each matches on every variant, which costs `cargo check` memory on clients with
        // hundreds of these enums.
        self.items.push(quote! {
            #d
            #[derive(Debug, Clone)]
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

    pub(super) fn emit_one_of(
        &mut self,
        type_name: &str,
        doc: Doc,
        variants: &[Schema],
        ctx: UseSite<'_>,
    ) {
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
            let inner = UseSite {
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
            // Properties the variant fixes to one value must match (or, when optional,
            // be absent): an open enum would otherwise accept any other variant's tag.
            let checks: Vec<_> = self
                .fixed_properties(v)
                .into_iter()
                .map(|(key, wire, required)| quote!((#key, #wire, #required)))
                .collect();
            let attempt = quote! {
                if let Ok(v) = #path::deserialize(&value) {
                    return Ok(Self::#vid(v));
                }
            };
            tries.push(if checks.is_empty() {
                attempt
            } else {
                self.imports.add(rt::DE.path());
                quote! {
                    if de::fixed(&value, &[#(#checks),*]) {
                        #attempt
                    }
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

    /// The string properties a union variant fixes to one value (`const` or a
    /// single-value `enum`): (key, value, required).
    fn fixed_properties(&self, variant: &Schema) -> Vec<(String, String, bool)> {
        let SchemaKind::Object(obj) = &self.resolve(variant).kind else {
            return Vec::new();
        };
        obj.properties
            .iter()
            .filter_map(|p| match &self.resolve(&p.schema).kind {
                SchemaKind::Enum(e) if e.values.len() == 1 => {
                    let wire = e.values[0].value.as_str()?;
                    Some((p.name.clone(), wire.to_owned(), p.required))
                }
                _ => None,
            })
            .collect()
    }

    pub(super) fn emit_tagged(&mut self, type_name: &str, mut doc: Doc, tagged: &TaggedSchema) {
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
