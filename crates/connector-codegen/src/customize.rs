//! `[types]` customizations applied to the items of `types.rs` after they are built:
//! extra derives, and replacements (a schema's type becomes an alias of the user's own
//! type, and the generated definition and its impls are left out). Renames happen
//! earlier, on the model ([`crate::subset::rename_schemas`]).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::config::TypesConfig;
use crate::names;

/// The customizations, keyed by the Rust type names the schemas get.
#[derive(Clone, Default)]
pub struct TypeCustomizer {
    all_derives: Vec<syn::Path>,
    derives: BTreeMap<String, Vec<syn::Path>>,
    replace: BTreeMap<String, syn::Path>,
}

/// The Rust name a named schema's type is generated under (barring a clash).
fn type_name(schema: &str) -> String {
    names::crate_root_safe(names::camel(schema, "Model"))
}

fn paths(list: &[String]) -> Vec<syn::Path> {
    list.iter()
        .filter_map(|p| syn::parse_str::<syn::Path>(p).ok())
        .collect()
}

impl TypeCustomizer {
    /// `None` when the configuration customizes nothing here.
    pub fn new(config: &TypesConfig) -> Option<Self> {
        if config.derives.is_empty() && config.derive.is_empty() && config.replace.is_empty() {
            return None;
        }
        Some(TypeCustomizer {
            all_derives: paths(&config.derives),
            derives: config
                .derive
                .iter()
                .map(|(schema, list)| (type_name(schema), paths(list)))
                .collect(),
            replace: config
                .replace
                .iter()
                .filter_map(|(schema, path)| {
                    Some((type_name(schema), syn::parse_str::<syn::Path>(path).ok()?))
                })
                .collect(),
        })
    }

    /// Apply to one batch of type items. Tokens that do not parse as items are passed on
    /// unchanged (the renderer reports invalid code).
    pub fn apply(&self, items: Vec<TokenStream>) -> Vec<TokenStream> {
        items.into_iter().map(|t| self.apply_one(t)).collect()
    }

    fn apply_one(&self, tokens: TokenStream) -> TokenStream {
        let Ok(file) = syn::parse2::<syn::File>(tokens.clone()) else {
            return tokens;
        };
        let mut out = TokenStream::new();
        for item in file.items.into_iter().filter_map(|i| self.customize(i)) {
            item.to_tokens(&mut out);
        }
        out
    }

    /// The item as customized; `None` to leave it out.
    fn customize(&self, mut item: syn::Item) -> Option<syn::Item> {
        let (ident, attrs) = match &mut item {
            syn::Item::Struct(s) => (s.ident.to_string(), Some(&mut s.attrs)),
            syn::Item::Enum(e) => (e.ident.to_string(), Some(&mut e.attrs)),
            syn::Item::Type(t) => (t.ident.to_string(), None),
            syn::Item::Impl(i) => {
                let target = impl_target(i)?;
                return (!self.replace.contains_key(&target)).then_some(item);
            }
            // Runtime macros that implement traits for a type (`de::object!(Name { .. })`).
            syn::Item::Macro(m) => {
                let target = m
                    .mac
                    .tokens
                    .clone()
                    .into_iter()
                    .next()
                    .map(|t| t.to_string());
                let replaced = target.is_some_and(|t| self.replace.contains_key(&t));
                return (!replaced).then_some(item);
            }
            _ => return Some(item),
        };
        if let Some(path) = self.replace.get(&ident) {
            let ident = names::ident(&ident);
            let alias = quote! {
                /// Your own type, used in place of the definition's schema (`[types.replace]`).
                pub type #ident = #path;
            };
            return syn::parse2(alias).ok();
        }
        let extra: Vec<&syn::Path> = self
            .all_derives
            .iter()
            .chain(self.derives.get(&ident).into_iter().flatten())
            .collect();
        if let (Some(attrs), false) = (attrs, extra.is_empty()) {
            attrs.push(syn::parse_quote!(#[derive(#(#extra),*)]));
        }
        Some(item)
    }
}

/// The name of the type an `impl` block is for, when it is a plain path.
fn impl_target(item: &syn::ItemImpl) -> Option<String> {
    match item.self_ty.as_ref() {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> TypesConfig {
        crate::config::ConnectorConfig::parse(text, std::path::Path::new("c.toml"))
            .unwrap()
            .types
    }

    #[test]
    fn replaced_types_become_aliases_without_impls() {
        let c = TypeCustomizer::new(&config("[types.replace]\nMoney = \"my::Money\"\n")).unwrap();
        let out = c.apply(vec![quote! {
            pub struct Money { pub amount: f64 }
            impl Default for Money { fn default() -> Self { todo!() } }
            de::object!(Money { amount: "amount" });
            pub struct Other;
        }]);
        let text = out[0].to_string();
        assert!(text.contains("pub type Money = my :: Money"), "{text}");
        assert!(!text.contains("impl Default"), "{text}");
        assert!(!text.contains("object"), "{text}");
        assert!(text.contains("pub struct Other"), "{text}");
    }

    #[test]
    fn extra_derives_are_added() {
        let c = TypeCustomizer::new(&config(
            "[types]\nderives = [\"Eq\"]\n[types.derive]\nUser = [\"Hash\"]\n",
        ))
        .unwrap();
        let out = c.apply(vec![quote! {
            #[derive(Debug)]
            pub struct User;
            #[derive(Debug)]
            pub enum Kind { A }
        }]);
        let text = out[0].to_string();
        assert!(text.contains("derive (Eq , Hash)"), "{text}");
        assert!(text.contains("derive (Eq)"), "{text}");
    }
}
