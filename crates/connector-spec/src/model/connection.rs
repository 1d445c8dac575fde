//! How a user connects: the connection's parameters and parameter sets, OAuth
//! settings and identity providers, and the security schemes of the definition.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::ParamLocation;

/// The connection a user makes to use the connector.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Connection {
    /// `connectionParameters`, in document order.
    pub parameters: Vec<ConnectionParameter>,
    /// `connectionParameterSets.values`: alternative ways to sign in (authoritative when
    /// present), in document order.
    pub parameter_sets: Vec<ParameterSet>,
    /// `connectionParameterSets.uiDefinition.displayName` (e.g. "Authentication type").
    pub parameter_sets_display_name: Option<String>,
}

impl Connection {
    /// Every parameter of the top level and of every set, first occurrence of each name.
    pub fn all_parameters(&self) -> Vec<&ConnectionParameter> {
        let mut out: Vec<&ConnectionParameter> = Vec::new();
        let sets = self.parameter_sets.iter().flat_map(|s| s.parameters.iter());
        for p in self.parameters.iter().chain(sets) {
            if !out.iter().any(|o| o.name == p.name) {
                out.push(p);
            }
        }
        out
    }
}

/// One alternative way to sign in (`connectionParameterSets.values[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterSet {
    /// `name`.
    pub name: String,
    /// `uiDefinition.displayName`.
    pub display_name: Option<String>,
    /// `uiDefinition.description`.
    pub description: Option<String>,
    /// The set's parameters, in document order.
    pub parameters: Vec<ConnectionParameter>,
}

/// One connection parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectionParameter {
    /// Name as written (`api_key`, `token`, `token:TenantId`, …); what
    /// `@connectionParameters('name')` refers to.
    pub name: String,
    /// Type.
    pub kind: ConnectionParameterKind,
    /// `uiDefinition.constraints.required == "true"` (string or bool).
    pub required: bool,
    /// `uiDefinition.constraints.hidden == "true"`.
    pub hidden: bool,
    /// `uiDefinition.displayName`.
    pub display_name: Option<String>,
    /// `uiDefinition.description`.
    pub description: Option<String>,
    /// `uiDefinition.tooltip`.
    pub tooltip: Option<String>,
    /// `defaultValue` (as text).
    pub default: Option<String>,
    /// `uiDefinition.constraints.allowedValues` or `allowedValues`, in order.
    pub allowed_values: Vec<AllowedValue>,
}

impl ConnectionParameter {
    /// Whether the value is a secret (secure string, or OAuth token).
    pub fn is_secret(&self) -> bool {
        matches!(
            self.kind,
            ConnectionParameterKind::SecureString | ConnectionParameterKind::OAuth(_)
        )
    }
}

/// One allowed value of a connection parameter (a dropdown entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowedValue {
    /// The value.
    pub value: String,
    /// Display text, when given.
    pub text: Option<String>,
}

/// Type of a connection parameter (`type`, compared case-insensitively).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ConnectionParameterKind {
    /// `securestring`: a secret.
    SecureString,
    /// `string`.
    String,
    /// `int`.
    Int,
    /// `bool`.
    Bool,
    /// `oauthSetting`: an OAuth sign-in.
    OAuth(Box<OAuthSetting>),
    /// `gatewaySetting`: an on-premises data gateway (not usable by a direct client).
    Gateway,
    /// Any other type, as written.
    Other(String),
}

/// Identity provider of an OAuth setting (`identityProvider`, case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum IdentityProvider {
    /// `oauth2`: standard authorization code with refresh.
    OAuth2,
    /// `aad`: Azure AD v1 (`{loginUri}/{tenantId}/oauth2/authorize` with `resource`).
    Aad,
    /// `oauth2generic`: templated URLs and bodies.
    OAuth2Generic,
    /// `aadcertificate`: first-party AAD with a certificate credential.
    AadCertificate,
    /// Anything else (`facebook`, `DocuSign`, …), as written.
    Other(String),
}

/// `oAuthSettings` of an `oauthSetting` parameter, with the URLs resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OAuthSetting {
    /// `identityProvider`.
    pub identity_provider: IdentityProvider,
    /// `clientId` (often a placeholder such as `{{ client id }}`).
    pub client_id: Option<String>,
    /// `scopes`.
    pub scopes: Vec<String>,
    /// `customParameters.scopeListDelimiter`, when given.
    pub scope_delimiter: Option<String>,
    /// `redirectUrl`.
    pub redirect_url: Option<String>,
    /// `redirectMode`, as written.
    pub redirect_mode: Option<String>,
    /// Authorization endpoint: `authorizationUrl` (oauth2), derived from `loginUri` and
    /// `tenantId` (aad), or `authorizationUrlTemplate` (+ query template) for oauth2generic.
    pub authorization_url: Option<String>,
    /// Token endpoint, resolved the same way.
    pub token_url: Option<String>,
    /// Refresh endpoint, resolved the same way (defaults to the token URL for aad).
    pub refresh_url: Option<String>,
    /// AAD resource (`resourceUri`).
    pub resource: Option<String>,
    /// AAD tenant (`tenantId`).
    pub tenant: Option<String>,
    /// AAD login base (`loginUri`).
    pub login_uri: Option<String>,
    /// Every `customParameters` entry's `value`, by name (as written).
    pub custom_parameters: BTreeMap<String, String>,
    /// `properties`, raw.
    pub properties: BTreeMap<String, Value>,
}

/// Scheme of a security definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SecurityScheme {
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Header / parameter name.
        name: String,
        /// Where it goes.
        location: ParamLocation,
    },
    /// HTTP basic.
    Basic,
    /// HTTP bearer token.
    Bearer,
    /// OAuth 2.0.
    OAuth2 {
        /// Flow name: `authorizationCode`, `clientCredentials`, `implicit`, `password`
        /// (Swagger 2.0 `accessCode` / `application` are mapped to these).
        flow: String,
        /// Authorization URL, when the flow has one.
        authorization_url: Option<String>,
        /// Token URL, when the flow has one.
        token_url: Option<String>,
        /// Refresh URL, when given.
        refresh_url: Option<String>,
        /// Scopes, sorted.
        scopes: Vec<String>,
    },
    /// Something this model does not interpret (OpenID Connect, unknown types).
    Other {
        /// The declared type.
        kind: String,
    },
}
