//! The generated `Connection` type: one field per connection parameter (one variant per
//! parameter set when there are several), with the docs the definition gives.

use connector_spec::{
    Connection, ConnectionParameter, ConnectionParameterKind, Connector, OAuthSetting,
};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::names::{self, Namespace, ident};

/// Local names the generated methods use; fields never take them.
const LOCALS: &[&str] = &["values", "missing", "session", "key", "user", "self_"];

/// How a field is typed.
pub(super) enum Kind {
    Secret,
    Text,
    Int,
    Bool,
    OAuth(Box<OAuthSetting>),
}

pub(super) struct Field {
    pub(super) wire: String,
    /// How validation errors name it.
    pub(super) label: String,
    pub(super) id: String,
    pub(super) kind: Kind,
    pub(super) required: bool,
    pub(super) default: Option<String>,
    pub(super) doc: Doc,
}

pub(super) struct Variant {
    pub(super) id: String,
    pub(super) doc: Doc,
    pub(super) fields: Vec<Field>,
}

fn fields(params: &[ConnectionParameter]) -> Vec<Field> {
    let mut ns = Namespace::with_reserved(LOCALS);
    let mut out = Vec::new();
    for p in params {
        let kind = match &p.kind {
            ConnectionParameterKind::SecureString => Kind::Secret,
            ConnectionParameterKind::String | ConnectionParameterKind::Other(_) => Kind::Text,
            ConnectionParameterKind::Int => Kind::Int,
            ConnectionParameterKind::Bool => Kind::Bool,
            ConnectionParameterKind::OAuth(o) => Kind::OAuth(o.clone()),
            // An on-premises data gateway cannot be used by a direct client.
            ConnectionParameterKind::Gateway => continue,
        };
        let mut doc = Doc::new();
        let title = p.display_name.as_deref().unwrap_or(&p.name);
        doc.line(format!(
            "{} ({}).",
            crate::docs::clean(title),
            code(&p.name)
        ));
        doc.text(p.description.as_deref().or(p.tooltip.as_deref()));
        if matches!(kind, Kind::OAuth(_)) {
            doc.line(
                "The signed-in session: build its configuration with the `oauth_config` \
                 function of [`Connection`], sign in, and keep the tokens.",
            );
        }
        if !p.allowed_values.is_empty() {
            let list: Vec<String> = p
                .allowed_values
                .iter()
                .map(|a| match &a.text {
                    Some(t) if t != &a.value => format!("{} ({})", code(&a.value), code(t)),
                    _ => code(&a.value),
                })
                .collect();
            doc.line(format!("Allowed values: {}.", list.join(", ")));
        }
        if let Some(d) = &p.default {
            doc.line(format!("Default: {}.", code(d)));
        }
        let required = p.required && !p.hidden && p.default.is_none();
        if required {
            doc.line("Required.");
        }
        let label = match p.display_name.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() && d != p.name => format!("{} ({d})", code(&p.name)),
            _ => code(&p.name),
        };
        out.push(Field {
            label: label.chars().filter(|c| !c.is_control()).collect(),
            wire: p.name.clone(),
            id: ns.claim(&names::snake(&p.name, "value")),
            kind,
            required,
            default: p.default.clone(),
            doc,
        });
    }
    out
}

/// The shape of `Connection`: its variants (one, unnamed, for a struct).
pub(super) struct Shape {
    pub(super) variants: Vec<Variant>,
    pub(super) is_enum: bool,
}

impl Shape {
    /// The shape of `conn`; `None` when no parameter becomes a field.
    pub(super) fn of(conn: &Connection) -> Option<Shape> {
        let variants: Vec<Variant> = if conn.parameter_sets.len() >= 2 {
            let mut ns = Namespace::with_reserved(&["Self"]);
            conn.parameter_sets
                .iter()
                .map(|s| {
                    let mut doc = Doc::new();
                    doc.text(s.display_name.as_deref());
                    doc.text(s.description.as_deref());
                    doc.line(format!("Parameter set {}.", code(&s.name)));
                    Variant {
                        id: ns.claim(&names::camel(&s.name, "Set")),
                        doc,
                        fields: fields(&s.parameters),
                    }
                })
                .collect()
        } else {
            let params: Vec<ConnectionParameter> =
                conn.all_parameters().into_iter().cloned().collect();
            vec![Variant {
                id: String::new(),
                doc: Doc::new(),
                fields: fields(&params),
            }]
        };
        if variants.iter().all(|v| v.fields.is_empty()) {
            return None;
        }
        let is_enum = variants.len() > 1;
        Some(Shape { variants, is_enum })
    }

    /// Every field of every variant.
    pub(super) fn fields(&self) -> impl Iterator<Item = &Field> {
        self.variants.iter().flat_map(|v| &v.fields)
    }

    /// `match self` (enum) or `let field = &self.field;` (struct) around per-variant code
    /// that reads the bound fields (`body` returns the field ids it binds and its code).
    pub(super) fn per_variant(
        &self,
        body: &dyn Fn(&Variant) -> (Vec<String>, TokenStream),
    ) -> TokenStream {
        if self.is_enum {
            let arms = self.variants.iter().map(|v| {
                let id = ident(&v.id);
                let (bound, code) = body(v);
                let b = bound.iter().map(|b| ident(b));
                quote!(Self::#id { #(#b,)* .. } => { #code })
            });
            return quote!(match self { #(#arms)* });
        }
        let Some(only) = self.variants.first() else {
            return quote!();
        };
        let (bound, code) = body(only);
        if bound.is_empty() {
            return code;
        }
        // A statement per field rather than one `let Self { .. } = self;` pattern,
        // which rustfmt breaks over lines once it holds two fields.
        let b = bound.iter().map(|b| ident(b));
        quote! {
            #(let #b = &self.#b;)*
            #code
        }
    }

    /// The type's declaration, with its docs.
    pub(super) fn declaration(&self, connector: &Connector, conn: &Connection) -> TokenStream {
        let mut doc = Doc::new();
        doc.line(format!(
            "The values a connection to {} needs (`apiProperties.json` connection parameters).",
            code(&connector.title)
        ));
        if self.is_enum {
            doc.line(format!(
                "One variant per way to sign in{}.",
                conn.parameter_sets_display_name
                    .as_deref()
                    .map(|d| format!(" ({})", code(d)))
                    .unwrap_or_default()
            ));
        }
        doc.line(
            "Hand it to [`ClientBuilder::connection`](super::ClientBuilder::connection). Secrets are \
             never printed by `Debug`.",
        );
        let d = doc.tokens();
        if self.is_enum {
            let vs = self.variants.iter().map(|v| {
                let id = ident(&v.id);
                let vd = v.doc.tokens();
                let fs = field_decls(v, false);
                quote!(#vd #id { #(#fs)* },)
            });
            quote! {
                #d
                #[derive(Debug, Clone)]
                pub enum Connection {
                    #(#vs)*
                }
            }
        } else {
            let fs = self.variants.first().map(|v| field_decls(v, true));
            let fs = fs.unwrap_or_default();
            quote! {
                #d
                #[derive(Debug, Clone, Default)]
                pub struct Connection {
                    #(#fs)*
                }
            }
        }
    }
}

/// A variant's field declarations (`pub` in the struct).
fn field_decls(v: &Variant, public: bool) -> Vec<TokenStream> {
    v.fields
        .iter()
        .map(|f| {
            let id = ident(&f.id);
            let d = f.doc.tokens();
            let t = match f.kind {
                Kind::Secret => quote!(SecretString),
                Kind::Text => quote!(String),
                Kind::Int => quote!(i64),
                Kind::Bool => quote!(bool),
                Kind::OAuth(_) => quote!(OAuthSession),
            };
            let vis = if public { quote!(pub) } else { quote!() };
            quote!(#d #vis #id: Option<#t>,)
        })
        .collect()
}
