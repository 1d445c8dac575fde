//! The generated `connection.rs`: the connector's policy table (`POLICIES`, installed by
//! `Client::builder`) and a typed `Connection` (one variant per parameter set) that
//! validates required values and feeds the runtime's `ConnectionValues` and `Auth`.

use connector_spec::{
    ConnectionParameter, ConnectionParameterKind, Connector, IdentityProvider, OAuthSetting,
    ParamLocation, PolicySection, SecurityScheme,
};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{self, Namespace, ident};

/// Local names the generated methods use; fields never take them.
const LOCALS: &[&str] = &["values", "missing", "session", "key", "user", "self_"];

/// What the rest of the crate needs to know about `connection.rs`.
pub struct ConnectionModule {
    /// The module's items (with its imports).
    pub tokens: TokenStream,
    /// Whether `POLICIES` exists.
    pub policies: bool,
    /// Whether `Connection` exists.
    pub connection: bool,
}

/// Emit `connection.rs`, or `None` when the connector has neither policies nor connection
/// parameters.
pub fn generate(connector: &Connector) -> Option<ConnectionModule> {
    let mut imports = Imports::default();
    let policies = policies(connector, &mut imports);
    let connection = connection(connector, &mut imports);
    if policies.is_none() && connection.is_none() {
        return None;
    }
    let (has_p, has_c) = (policies.is_some(), connection.is_some());
    let imports = imports.tokens();
    Some(ConnectionModule {
        tokens: quote! {
            //! How a connection is made: the definition's connection parameters and policy templates.
            #imports
            #policies
            #connection
        },
        policies: has_p,
        connection: has_c,
    })
}

/// The `ClientBuilder::connection` setter, when `Connection` exists.
pub fn builder_setter(module: Option<&ConnectionModule>) -> TokenStream {
    if !module.is_some_and(|m| m.connection) {
        return quote!();
    }
    quote! {
        /// Connects with `connection`: checks its required values ([`Connection::validate`]),
        /// gives every value to the policies (`@connectionParameters(..)`) and sets the
        /// credentials the definition implies (API key, basic or OAuth).
        pub fn connection(self, connection: Connection) -> Result<Self, Error> {
            connection.validate()?;
            let auth = connection.auth()?;
            let values = connection.values();
            Ok(self.configure(|b| {
                let b = b.connection_values(values);
                match auth {
                    Some(auth) => b.auth(auth),
                    None => b,
                }
            }))
        }
    }
}

fn policies(connector: &Connector, imports: &mut Imports) -> Option<TokenStream> {
    if connector.policies.is_empty() {
        return None;
    }
    imports.add("connector_runtime::PolicySpec");
    let rows = connector.policies.iter().map(|p| {
        let template = &p.template_id;
        let ops = &p.operations;
        let params = p.parameters.keys().map(|name| {
            let value = p.parameter_text(name).unwrap_or_default();
            quote!((#name, #value))
        });
        let spec = quote!(PolicySpec::new(#template, &[#(#ops),*], &[#(#params),*]));
        match p.section {
            None => quote!(#spec,),
            Some(s) => {
                let s = match s {
                    PolicySection::Request => "Request",
                    PolicySection::Response => "Response",
                    PolicySection::Failure => "Failure",
                };
                quote!(#spec.in_section(#s),)
            }
        }
    });
    let mut doc = Doc::new();
    doc.line(
        "The definition's policy templates (`policyTemplateInstances`), in the order they \
         run; [`Client::builder`](super::Client::builder) installs them.",
    );
    let unknown: Vec<String> = connector
        .policies
        .iter()
        .filter(|p| !p.known)
        .map(|p| code(&p.template_id))
        .collect();
    if !unknown.is_empty() {
        doc.line(format!(
            "Not supported by the runtime: {}. Calls to the operations they apply to fail \
             with `UNSUPPORTED`.",
            unknown.join(", ")
        ));
    }
    let d = doc.tokens();
    Some(quote! {
        #d
        pub const POLICIES: &[PolicySpec] = &[
            #(#rows)*
        ];
    })
}

enum Kind {
    Secret,
    Text,
    Int,
    Bool,
    OAuth(Box<OAuthSetting>),
}

struct Field {
    wire: String,
    /// How validation errors name it.
    label: String,
    id: String,
    kind: Kind,
    required: bool,
    default: Option<String>,
    doc: Doc,
}

struct Variant {
    id: String,
    doc: Doc,
    fields: Vec<Field>,
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

fn connection(connector: &Connector, imports: &mut Imports) -> Option<TokenStream> {
    let conn = connector.connection.as_ref()?;
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
        let params: Vec<ConnectionParameter> = conn.all_parameters().into_iter().cloned().collect();
        vec![Variant {
            id: String::new(),
            doc: Doc::new(),
            fields: fields(&params),
        }]
    };
    if variants.iter().all(|v| v.fields.is_empty()) {
        return None;
    }
    imports.add("connector_runtime::ConnectionValues");
    imports.add("connector_runtime::Error");
    let is_enum = variants.len() > 1;

    let uses_secret = variants
        .iter()
        .flat_map(|v| &v.fields)
        .any(|f| matches!(f.kind, Kind::Secret));
    if uses_secret {
        imports.add("connector_runtime::secrecy::ExposeSecret");
        imports.add("connector_runtime::secrecy::SecretString");
    }
    let oauth: Vec<&Field> = variants
        .iter()
        .flat_map(|v| &v.fields)
        .filter(|f| matches!(f.kind, Kind::OAuth(_)))
        .collect();
    if !oauth.is_empty() {
        imports.add("connector_runtime::OAuthSession");
    }

    // The type.
    let field_decls = |v: &Variant, public: bool| -> Vec<TokenStream> {
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
    };
    let mut doc = Doc::new();
    doc.line(format!(
        "The values a connection to {} needs (`apiProperties.json` connection parameters).",
        code(&connector.title)
    ));
    if is_enum {
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
    let ty = if is_enum {
        let vs = variants.iter().map(|v| {
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
        let fs = field_decls(&variants[0], true);
        quote! {
            #d
            #[derive(Debug, Clone, Default)]
            pub struct Connection {
                #(#fs)*
            }
        }
    };

    // `match self` (enum) or `let Self { .. } = self` (struct) around per-variant code that
    // reads the bound fields.
    let per_variant = |body: &dyn Fn(&Variant) -> (Vec<String>, TokenStream)| -> TokenStream {
        if is_enum {
            let arms = variants.iter().map(|v| {
                let id = ident(&v.id);
                let (bound, code) = body(v);
                let b = bound.iter().map(|b| ident(b));
                quote!(Self::#id { #(#b,)* .. } => { #code })
            });
            quote!(match self { #(#arms)* })
        } else {
            let (bound, code) = body(&variants[0]);
            if bound.is_empty() {
                return code;
            }
            let b = bound.iter().map(|b| ident(b));
            quote! {
                let Self { #(#b,)* .. } = self;
                #code
            }
        }
    };

    // validate()
    let any_required = variants.iter().flat_map(|v| &v.fields).any(|f| f.required);
    let validate_body = if any_required {
        let checks = per_variant(&|v| {
            let req: Vec<&Field> = v.fields.iter().filter(|f| f.required).collect();
            let stmts = req.iter().map(|f| {
                let id = ident(&f.id);
                let name = &f.label;
                quote!(if #id.is_none() { missing.push(#name); })
            });
            (
                req.iter().map(|f| f.id.clone()).collect(),
                quote!(#(#stmts)*),
            )
        });
        quote! {
            let mut missing: Vec<&str> = Vec::new();
            #checks
            if missing.is_empty() {
                Ok(())
            } else {
                Err(Error::validation(format!(
                    "the connection is missing required value(s): {}",
                    missing.join(", ")
                )))
            }
        }
    } else {
        quote!(Ok(()))
    };

    // values()
    let any_value = variants
        .iter()
        .flat_map(|v| &v.fields)
        .any(|f| !matches!(f.kind, Kind::OAuth(_)));
    let values_body = if any_value {
        let fill = per_variant(&|v| {
            let fs: Vec<&Field> = v
                .fields
                .iter()
                .filter(|f| !matches!(f.kind, Kind::OAuth(_)))
                .collect();
            let stmts = fs.iter().map(|f| {
                let id = ident(&f.id);
                let wire = &f.wire;
                let value = match f.kind {
                    Kind::Secret => quote!(value.expose_secret()),
                    Kind::Text => quote!(value.as_str()),
                    _ => quote!(value.to_string()),
                };
                match &f.default {
                    Some(d) => quote! {
                        match #id {
                            Some(value) => values.insert(#wire, #value),
                            None => values.insert(#wire, #d),
                        }
                    },
                    None => quote! {
                        if let Some(value) = #id {
                            values.insert(#wire, #value);
                        }
                    },
                }
            });
            (
                fs.iter().map(|f| f.id.clone()).collect(),
                quote!(#(#stmts)*),
            )
        });
        quote! {
            let mut values = ConnectionValues::new();
            #fill
            values
        }
    } else {
        quote!(ConnectionValues::new())
    };

    // auth()
    let api_key = connector.security_schemes.values().find_map(|s| match s {
        SecurityScheme::ApiKey { name, location } => Some((name.clone(), *location)),
        _ => None,
    });
    // HTTP basic when the definition declares it, or (multi-auth) for a parameter set of
    // `username` + `password` that no policy injects itself.
    let basic_scheme = connector
        .security_schemes
        .values()
        .any(|s| matches!(s, SecurityScheme::Basic));
    let password_in_policies = connector.policies.iter().any(|p| {
        p.parameters.values().any(|v| {
            v.to_string()
                .to_ascii_lowercase()
                .contains("connectionparameters('password'")
        })
    });
    let basic = basic_scheme || (is_enum && !password_in_policies);
    let mut uses_auth = false;
    let auth_code = per_variant(&|v| {
        let mut bound = Vec::new();
        let mut stmts = Vec::new();
        if let Some(f) = v.fields.iter().find(|f| matches!(f.kind, Kind::OAuth(_))) {
            let id = ident(&f.id);
            bound.push(f.id.clone());
            stmts.push(quote! {
                if let Some(session) = #id {
                    return session.auth().map(Some);
                }
            });
        }
        let secret = |f: &&Field| matches!(f.kind, Kind::Secret);
        if let Some((name, location)) = &api_key {
            let key = v
                .fields
                .iter()
                .filter(secret)
                .find(|f| f.wire == "api_key")
                .or_else(|| {
                    v.fields
                        .iter()
                        .filter(secret)
                        .find(|f| !matches!(f.wire.as_str(), "password" | "client_secret"))
                });
            if let Some(f) = key {
                let id = ident(&f.id);
                bound.push(f.id.clone());
                let ctor = match location {
                    ParamLocation::Query => quote!(api_key_query),
                    _ => quote!(api_key_header),
                };
                stmts.push(quote! {
                    if let Some(key) = #id {
                        return Ok(Some(Auth::#ctor(#name, key.expose_secret())));
                    }
                });
            }
        }
        if basic {
            let user = v
                .fields
                .iter()
                .find(|f| f.wire == "username" && matches!(f.kind, Kind::Text | Kind::Secret));
            let pass = v
                .fields
                .iter()
                .find(|f| f.wire == "password" && matches!(f.kind, Kind::Secret));
            if let (Some(u), Some(p)) = (user, pass) {
                let (ui, pi) = (ident(&u.id), ident(&p.id));
                bound.push(u.id.clone());
                bound.push(p.id.clone());
                let user_text = match u.kind {
                    Kind::Secret => quote!(user.expose_secret()),
                    _ => quote!(user.as_str()),
                };
                stmts.push(quote! {
                    if let (Some(user), Some(key)) = (#ui, #pi) {
                        return Ok(Some(Auth::basic(#user_text, key.expose_secret())));
                    }
                });
            }
        }
        (bound, quote!(#(#stmts)*))
    });
    if !auth_code.is_empty() && auth_code.to_string().contains("return") {
        uses_auth = true;
    }
    let auth_body = if uses_auth {
        imports.add("connector_runtime::Auth");
        quote! {
            #auth_code
            Ok(None)
        }
    } else {
        quote!(Ok(None))
    };
    let auth_ret = if uses_auth {
        quote!(Result<Option<Auth>, Error>)
    } else {
        quote!(Result<Option<connector_runtime::Auth>, Error>)
    };

    // oauth_config()
    let mut oauth_ns = Namespace::default();
    let oauth_fns = oauth.iter().filter_map(|f| {
        let Kind::OAuth(setting) = &f.kind else {
            return None;
        };
        imports.add("connector_runtime::AuthorizationCodeConfig");
        let name = if oauth.len() == 1 {
            oauth_ns.claim("oauth_config")
        } else {
            oauth_ns.claim(&names::snake(&format!("{}_oauth_config", f.id), "oauth_config"))
        };
        let fn_id = ident(&name);
        let opt = |v: &Option<String>| v.as_ref().map(|s| quote!(Some(#s.to_owned())));
        let mut inits = Vec::new();
        if let Some(u) = &setting.authorization_url {
            inits.push(quote!(authorization_url: #u.to_owned(),));
        }
        if let Some(u) = &setting.token_url {
            inits.push(quote!(token_url: #u.to_owned(),));
        }
        if let Some(r) = opt(&setting.refresh_url) {
            inits.push(quote!(refresh_url: #r,));
        }
        inits.push(quote!(client_id: client_id.into(),));
        inits.push(quote!(redirect_url: redirect_url.into(),));
        if !setting.scopes.is_empty() {
            let scopes = &setting.scopes;
            inits.push(quote!(scopes: vec![#(#scopes.to_owned()),*],));
        }
        if let Some(r) = opt(&setting.scope_delimiter) {
            inits.push(quote!(scope_delimiter: #r,));
        }
        if let Some(r) = opt(&setting.resource) {
            inits.push(quote!(resource: #r,));
        }
        let provider = match &setting.identity_provider {
            IdentityProvider::OAuth2 => "oauth2".to_owned(),
            IdentityProvider::Aad => "aad".to_owned(),
            IdentityProvider::OAuth2Generic => "oauth2generic".to_owned(),
            IdentityProvider::AadCertificate => "aadcertificate".to_owned(),
            IdentityProvider::Other(o) => o.clone(),
        };
        let mut doc = Doc::new();
        doc.line(format!(
            "Sign-in configuration of the OAuth parameter {} (identity provider {}) for your \
             client registration: `authorization_request()` (PKCE), `exchange_code(..)`, then \
             wrap the tokens in an [`OAuthSession`] for the connection.",
            code(&f.wire),
            code(&provider)
        ));
        if setting
            .client_id
            .as_deref()
            .is_some_and(|c| !c.contains("{{") && !c.trim().is_empty())
        {
            doc.line(format!(
                "The definition's client id is {}.",
                code(setting.client_id.as_deref().unwrap_or_default())
            ));
        }
        if setting.identity_provider == IdentityProvider::OAuth2Generic {
            doc.line(
                "The URLs are the definition's templates: replace their `{..}` placeholders.",
            );
        }
        if setting.authorization_url.is_none() || setting.token_url.is_none() {
            doc.line("The definition names no authorization or token URL: set them.");
        }
        if !setting
            .custom_parameters
            .is_empty()
        {
            let keys: Vec<String> = setting.custom_parameters.keys().map(|k| code(k)).collect();
            doc.line(format!("Other settings in the definition: {}.", keys.join(", ")));
        }
        let d = doc.tokens();
        Some(quote! {
            #d
            pub fn #fn_id(client_id: impl Into<String>, redirect_url: impl Into<String>) -> AuthorizationCodeConfig {
                AuthorizationCodeConfig {
                    #(#inits)*
                    ..AuthorizationCodeConfig::default()
                }
            }
        })
    });
    let oauth_fns: Vec<TokenStream> = oauth_fns.collect();

    Some(quote! {
        #ty

        impl Connection {
            #(#oauth_fns)*

            /// Checks that every required value is present (`VALIDATION_ERROR` naming the
            /// missing ones).
            pub fn validate(&self) -> Result<(), Error> {
                #validate_body
            }

            /// The values policies read as `@connectionParameters('name')`; defaults fill
            /// what is unset.
            pub fn values(&self) -> ConnectionValues {
                #values_body
            }

            /// The credentials the definition's security implies for these values.
            pub(crate) fn auth(&self) -> #auth_ret {
                #auth_body
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFINITION: &str = r#"{
      "swagger": "2.0", "info": {"title": "Multi", "version": "1"},
      "host": "multi.example", "basePath": "/",
      "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
      "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok"}}}}}
    }"#;

    const PROPERTIES: &str = r#"{"properties": {
      "connectionParameterSets": {"values": [
        {"name": "key", "uiDefinition": {"displayName": "API key"}, "parameters": {
          "api_key": {"type": "securestring", "uiDefinition": {"displayName": "Key", "constraints": {"required": "true"}}}}},
        {"name": "basic", "parameters": {
          "username": {"type": "string", "uiDefinition": {"constraints": {"required": "true"}}},
          "password": {"type": "securestring", "uiDefinition": {"constraints": {"required": "true"}}}}}
      ]},
      "policyTemplateInstances": [
        {"templateId": "teleport", "parameters": {"x-ms-apimTemplate-operationName": ["A"]}}
      ]
    }}"#;

    fn module() -> ConnectionModule {
        let loaded = connector_spec::Loader::new()
            .load_bytes(
                "apiDefinition.swagger.json",
                DEFINITION.as_bytes(),
                Some(PROPERTIES.as_bytes()),
            )
            .expect("loads");
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.to_string().contains("unknown policy template `teleport`")),
            "{:?}",
            loaded.diagnostics
        );
        generate(&loaded.connector).expect("a connection module")
    }

    #[test]
    fn parameter_sets_become_variants_with_their_own_auth() {
        let text = crate::render::rust_file("connection.rs", module().tokens).unwrap();
        assert!(text.contains("pub enum Connection {"), "{text}");
        assert!(text.contains("Key {") && text.contains("Basic {"), "{text}");
        assert!(text.contains("Auth::api_key_header(\"X-Key\""), "{text}");
        assert!(text.contains("Auth::basic(user.as_str()"), "{text}");
        assert!(text.contains("missing.push(\"`api_key` (Key)\")"), "{text}");
    }

    #[test]
    fn unknown_templates_are_kept_and_documented_as_unsupported() {
        let text = crate::render::rust_file("connection.rs", module().tokens).unwrap();
        assert!(
            text.contains("PolicySpec::new(\"teleport\", &[\"A\"], &[])"),
            "{text}"
        );
        assert!(
            text.contains("Not supported by the runtime: `teleport`"),
            "{text}"
        );
    }
}
