//! The generated `connection.rs`: the connector's policy table (`POLICIES`, installed by
//! `Client::builder`) and a typed `Connection` (one variant per parameter set) that
//! validates required values and feeds the runtime's `ConnectionValues` and `Auth`.

mod auth;
mod methods;
mod params;
mod policies;

use connector_spec::Connector;
use proc_macro2::TokenStream;
use quote::quote;

use crate::imports::Imports;
use crate::runtime_paths as rt;
use params::{Kind, Shape};

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
    let policies = policies::table(connector, &mut imports);
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
        pub fn connection(mut self, connection: Connection) -> Result<Self, Error> {
            connection.validate()?;
            let auth = connection.auth()?;
            let values = connection.values();
            let mut runtime = self.runtime.connection_values(values);
            if let Some(auth) = auth {
                runtime = runtime.auth(auth);
            }
            self.runtime = runtime;
            Ok(self)
        }
    }
}

/// The `Connection` type and its methods, or `None` when no connection parameter
/// becomes a field.
fn connection(connector: &Connector, imports: &mut Imports) -> Option<TokenStream> {
    let conn = connector.connection.as_ref()?;
    let shape = Shape::of(conn)?;
    imports.add(rt::CONNECTION_VALUES.path());
    imports.add(rt::ERROR.path());
    if shape.fields().any(|f| matches!(f.kind, Kind::Secret)) {
        imports.add(rt::EXPOSE_SECRET.path());
        imports.add(rt::SECRET_STRING.path());
    }
    if shape.fields().any(|f| matches!(f.kind, Kind::OAuth(_))) {
        imports.add(rt::OAUTH_SESSION.path());
    }
    let ty = shape.declaration(connector, conn);
    let validate_body = methods::validate_body(&shape);
    let values_body = methods::values_body(&shape);
    let (auth_ret, auth_body) = auth::auth_fn(connector, &shape, imports);
    let oauth_fns = auth::oauth_fns(&shape, imports);

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
        assert!(text.contains("let name = \"X-Key\";"), "{text}");
        assert!(
            text.contains("Auth::api_key_header(name, key.expose_secret())"),
            "{text}"
        );
        assert!(text.contains("Auth::basic(user.as_str()"), "{text}");
        assert!(text.contains("missing.push(\"`api_key` (Key)\")"), "{text}");
    }

    #[test]
    fn unknown_templates_are_kept_and_documented_as_unsupported() {
        let text = crate::render::rust_file("connection.rs", module().tokens).unwrap();
        assert!(
            text.contains(
                "POLICIES: &[PolicySpec] = &[PolicySpec::new(\n    \
                 PolicyKind::Unknown(\"teleport\"),\n    &[\"A\"],\n    &[],\n)];"
            ),
            "{text}"
        );
        assert!(
            text.contains("Not supported by the runtime: `teleport`"),
            "{text}"
        );
    }
}
