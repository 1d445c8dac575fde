//! The generated `Client` and `ClientBuilder`: a thin typed face over the runtime's
//! client, with one credential setter per security scheme the definition declares.

use connector_spec::{Connector, ParamLocation, SecurityScheme};
use proc_macro2::TokenStream;
use quote::quote;

use crate::connection::{self, ConnectionModule};
use crate::docs::{Doc, code};
use crate::names::{self, Namespace, ident};
use crate::runtime_paths as rt;

/// Emit `client.rs` items.
pub fn generate(connector: &Connector, conn: Option<&ConnectionModule>) -> TokenStream {
    let base_url = connector.base_url.clone().unwrap_or_default();
    let title = &connector.title;
    let mut doc = Doc::new();
    doc.line(format!(
        "Client for {} (version {}).",
        code(title),
        code(&connector.version)
    ));
    doc.line(
        "Cheap to clone: clones share one connection pool, rate limiter and credentials. \
         Build one with [`Client::builder`].",
    );
    let d = doc.tokens();

    let base_doc = if base_url.is_empty() {
        " The definition names no host: set one with [`ClientBuilder::base_url`].".to_owned()
    } else {
        " The base URL the definition declares.".to_owned()
    };
    // One literal in a const of its own: the builder chain stays short whatever the
    // crate's name and version.
    let ua = format!(
        "{}/{} connector-runtime",
        names::crate_name(title),
        connector.version
    );

    let setters = credential_setters(connector);
    let auth_import = if setters.is_empty() {
        quote!()
    } else {
        let auth = rt::AUTH;
        quote!(
            use #auth;
        )
    };

    let policies = conn.is_some_and(|c| c.policies);
    let (policies_import, install) = if policies {
        (
            quote!(
                use super::POLICIES;
            ),
            quote!(.policies(POLICIES)),
        )
    } else {
        (quote!(), quote!())
    };
    let connection_import = if conn.is_some_and(|c| c.connection) {
        quote!(
            use super::Connection;
        )
    } else {
        quote!()
    };
    let connection_setter = connection::builder_setter(conn);
    let builder_doc = builder_doc(connector, policies);

    let (error, runtime_client, runtime_builder) = (rt::ERROR, rt::CLIENT, rt::CLIENT_BUILDER);
    quote! {
        #auth_import
        use #error;
        #connection_import
        #policies_import

        /// The `User-Agent` calls send: this crate, its version and the runtime.
        const USER_AGENT: &str = #ua;

        #d
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: #runtime_client,
        }

        impl Client {
            #[doc = #base_doc]
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #[doc = #builder_doc]
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    runtime: #runtime_client::builder(Self::DEFAULT_BASE_URL)
                        .user_agent(USER_AGENT)
                        #install,
                }
            }

            /// Wraps a runtime client configured by hand.
            pub fn from_runtime(runtime: #runtime_client) -> Self {
                Client { runtime }
            }

            /// The runtime client underneath: transport, retries, rate limits, hooks.
            pub fn runtime(&self) -> &#runtime_client {
                &self.runtime
            }
        }

        /// Builder for [`Client`].
        #[derive(Debug, Clone)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct ClientBuilder {
            runtime: #runtime_builder,
        }

        impl ClientBuilder {
            /// Calls `base_url` instead of [`Client::DEFAULT_BASE_URL`].
            pub fn base_url(self, base_url: impl Into<String>) -> Self {
                self.configure(|b| b.base_url(base_url))
            }

            #(#setters)*

            #connection_setter

            /// Adjusts any runtime setting: timeouts, retries, rate limits, hooks, TLS, ….
            pub fn configure(
                mut self,
                f: impl FnOnce(#runtime_builder) -> #runtime_builder,
            ) -> Self {
                self.runtime = f(self.runtime);
                self
            }

            /// Builds the client.
            pub fn build(self) -> Result<Client, Error> {
                Ok(Client {
                    runtime: self.runtime.build()?,
                })
            }
        }
    }
}

/// One `ClientBuilder` setter per kind of credential the definition's security schemes
/// take (API keys each, one bearer token, one basic pair).
fn credential_setters(connector: &Connector) -> Vec<TokenStream> {
    let mut setters = Vec::new();
    let mut ns =
        Namespace::with_reserved(&["base_url", "build", "configure", "connection", "timeout"]);
    let mut bearer_done = false;
    let mut basic_done = false;
    let api_keys = connector
        .security_schemes
        .values()
        .filter(|s| matches!(s, SecurityScheme::ApiKey { .. }))
        .count();
    for (scheme_name, scheme) in &connector.security_schemes {
        match scheme {
            SecurityScheme::ApiKey { name, location } => {
                let wanted = if api_keys == 1 {
                    "api_key".to_owned()
                } else {
                    names::snake(scheme_name, "api_key")
                };
                let method = ident(&ns.claim(&wanted));
                let (ctor, place) = match location {
                    ParamLocation::Query => (quote!(api_key_query), "query parameter"),
                    _ => (quote!(api_key_header), "header"),
                };
                let sdoc = format!(
                    " Authenticates with an API key sent in the {place} {} (scheme {}).",
                    code(name),
                    code(scheme_name)
                );
                setters.push(quote! {
                    #[doc = #sdoc]
                    pub fn #method(self, key: impl Into<String>) -> Self {
                        let name = #name;
                        self.configure(|b| b.auth(Auth::#ctor(name, key)))
                    }
                });
            }
            SecurityScheme::Bearer | SecurityScheme::OAuth2 { .. } if !bearer_done => {
                bearer_done = true;
                let method = ident(&ns.claim("bearer_token"));
                setters.push(quote! {
                    /// Authenticates with a bearer token (`Authorization: Bearer …`), e.g. an
                    /// OAuth 2.0 access token obtained by the caller.
                    pub fn #method(self, token: impl Into<String>) -> Self {
                        self.configure(|b| b.auth(Auth::bearer(token)))
                    }
                });
            }
            SecurityScheme::Basic if !basic_done => {
                basic_done = true;
                let method = ident(&ns.claim("basic_auth"));
                setters.push(quote! {
                    /// Authenticates with HTTP basic credentials.
                    pub fn #method(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                        self.configure(|b| b.auth(Auth::basic(username, password)))
                    }
                });
            }
            _ => {}
        }
    }
    setters
}

/// The doc of `Client::builder`: what it starts from and installs.
fn builder_doc(connector: &Connector, policies: bool) -> &'static str {
    let routed = connector.policies.iter().any(|p| p.template.routes_host());
    match (policies, routed) {
        (true, true) => {
            " A builder starting from [`Client::DEFAULT_BASE_URL`], with the definition's \
             [`POLICIES`] installed: its `dynamichosturl` policy routes calls by the connection's values."
        }
        (true, false) => {
            " A builder starting from [`Client::DEFAULT_BASE_URL`], with the definition's \
             [`POLICIES`] installed."
        }
        _ => " A builder starting from [`Client::DEFAULT_BASE_URL`].",
    }
}
