//! The body of the generated `Connection::auth` (the credentials the definition's
//! security implies) and its `oauth_config` functions (sign-in configuration per OAuth
//! parameter).

use connector_spec::{Connector, IdentityProvider, ParamLocation, SecurityScheme};
use proc_macro2::TokenStream;
use quote::quote;

use super::params::{Field, Kind, Shape};
use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{self, Namespace, ident};
use crate::runtime_paths as rt;

/// `auth()`: its return type and body. An OAuth session wins, then an API key, then
/// HTTP basic.
pub(super) fn auth_fn(
    connector: &Connector,
    shape: &Shape,
    imports: &mut Imports,
) -> (TokenStream, TokenStream) {
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
    let basic = basic_scheme || (shape.is_enum && !password_in_policies);
    let auth_code = shape.per_variant(&|v| {
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
                        let name = #name;
                        let auth = Auth::#ctor(name, key.expose_secret());
                        return Ok(Some(auth));
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
                        let auth = Auth::basic(#user_text, key.expose_secret());
                        return Ok(Some(auth));
                    }
                });
            }
        }
        (bound, quote!(#(#stmts)*))
    });
    let uses_auth = !auth_code.is_empty() && auth_code.to_string().contains("return");
    let auth_body = if uses_auth {
        imports.add(rt::AUTH.path());
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
        {
            let auth = rt::AUTH;
            quote!(Result<Option<#auth>, Error>)
        }
    };
    (auth_ret, auth_body)
}

/// One `oauth_config` function per OAuth parameter.
pub(super) fn oauth_fns(shape: &Shape, imports: &mut Imports) -> Vec<TokenStream> {
    let oauth: Vec<&Field> = shape
        .fields()
        .filter(|f| matches!(f.kind, Kind::OAuth(_)))
        .collect();
    let mut oauth_ns = Namespace::default();
    let oauth_fns = oauth.iter().filter_map(|f| {
        let Kind::OAuth(setting) = &f.kind else {
            return None;
        };
        imports.add(rt::AUTHORIZATION_CODE_CONFIG.path());
        let name = if oauth.len() == 1 {
            oauth_ns.claim("oauth_config")
        } else {
            oauth_ns.claim(&names::snake(&format!("{}_oauth_config", f.id), "oauth_config"))
        };
        let fn_id = ident(&name);
        // Each setting is a statement of its own (no struct literal or `vec![..]` holding
        // the definition's strings), so rustfmt keeps the printed layout.
        let text = |field: TokenStream, value: &str| {
            quote! {
                let value = #value;
                config.#field = value.to_owned();
            }
        };
        let some = |field: TokenStream, value: &str| {
            quote! {
                let value = #value;
                config.#field = Some(value.to_owned());
            }
        };
        let mut settings = Vec::new();
        if let Some(u) = &setting.authorization_url {
            settings.push(text(quote!(authorization_url), u));
        }
        if let Some(u) = &setting.token_url {
            settings.push(text(quote!(token_url), u));
        }
        if let Some(r) = &setting.refresh_url {
            settings.push(some(quote!(refresh_url), r));
        }
        for scope in &setting.scopes {
            settings.push(quote! {
                let value = #scope;
                config.scopes.push(value.to_owned());
            });
        }
        if let Some(r) = &setting.scope_delimiter {
            settings.push(some(quote!(scope_delimiter), r));
        }
        if let Some(r) = &setting.resource {
            settings.push(some(quote!(resource), r));
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
                let mut config = AuthorizationCodeConfig {
                    client_id: client_id.into(),
                    redirect_url: redirect_url.into(),
                    ..AuthorizationCodeConfig::default()
                };
                #(#settings)*
                config
            }
        })
    });
    oauth_fns.collect()
}
