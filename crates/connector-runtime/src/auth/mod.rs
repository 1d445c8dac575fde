//! Credentials and how they are applied to a request: API key, bearer (static or
//! refreshing), basic, OAuth 2.0 and custom signers.

pub mod authorization_code;
pub mod oauth2;
pub mod refresh;
pub mod signer;

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;
use crate::request::Request;

pub use self::oauth2::{Grant, OAuth2Config, OAuth2Source};
pub use authorization_code::{
    AuthorizationCodeConfig, AuthorizationRequest, OAuthSession, TokenSet, pkce_challenge,
};
pub use refresh::{RefreshingToken, Token, TokenSource};
pub use signer::{HmacSigner, RequestSigner};

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Credentials for a client. Secrets are held in [`SecretString`] and never printed.
#[derive(Clone)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials.
    None,
    /// An API key under `name` in a header, query parameter or cookie.
    ApiKey {
        /// Header / parameter / cookie name.
        name: String,
        /// Where it goes.
        location: ApiKeyLocation,
        /// The key.
        key: SecretString,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// `Authorization: Basic base64(user:password)`.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: SecretString,
    },
    /// `Authorization: Bearer <token>` from a refreshing source (OAuth 2.0 or custom):
    /// refreshed before expiry, one refresh shared by concurrent requests, and one
    /// refresh-and-retry after a 401.
    Refreshing(Arc<RefreshingToken>),
    /// A custom signer (HMAC or any scheme) applied to the final request.
    Signer(Arc<dyn RequestSigner>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::ApiKey { name, location, .. } => f
                .debug_struct("Auth::ApiKey")
                .field("name", name)
                .field("location", location)
                .field("key", &"[redacted]")
                .finish(),
            Auth::Bearer(_) => f.write_str("Auth::Bearer([redacted])"),
            Auth::Basic { username, .. } => f
                .debug_struct("Auth::Basic")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
            Auth::Refreshing(t) => f.debug_tuple("Auth::Refreshing").field(t).finish(),
            Auth::Signer(_) => f.write_str("Auth::Signer([redacted])"),
        }
    }
}

impl Auth {
    /// An API key in the header `name`.
    pub fn api_key_header(name: impl Into<String>, key: impl Into<String>) -> Self {
        Auth::ApiKey {
            name: name.into(),
            location: ApiKeyLocation::Header,
            key: SecretString::from(key.into()),
        }
    }

    /// An API key in the query parameter `name`.
    pub fn api_key_query(name: impl Into<String>, key: impl Into<String>) -> Self {
        Auth::ApiKey {
            name: name.into(),
            location: ApiKeyLocation::Query,
            key: SecretString::from(key.into()),
        }
    }

    /// A static bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth::Bearer(SecretString::from(token.into()))
    }

    /// HTTP basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Auth::Basic {
            username: username.into(),
            password: SecretString::from(password.into()),
        }
    }

    /// A bearer token from a refreshing `source`, refreshed 30 s before expiry.
    pub fn bearer_refreshing(source: impl TokenSource + 'static) -> Self {
        Auth::Refreshing(Arc::new(RefreshingToken::with_default_margin(Arc::new(
            source,
        ))))
    }

    /// OAuth 2.0 (client-credentials or refresh-token grant).
    pub fn oauth2(config: OAuth2Config) -> Result<Self, Error> {
        Ok(Auth::bearer_refreshing(OAuth2Source::new(config)?))
    }

    /// A custom request signer.
    pub fn signer(signer: impl RequestSigner + 'static) -> Self {
        Auth::Signer(Arc::new(signer))
    }

    /// HMAC-SHA256 request signing.
    pub fn hmac(signer: HmacSigner) -> Self {
        Auth::signer(signer)
    }

    /// Whether the credentials are usable without a refresh.
    pub fn is_valid(&self) -> bool {
        match self {
            Auth::Refreshing(t) => t.is_valid(),
            _ => true,
        }
    }

    /// Name of the header or query parameter carrying an API key (for redaction).
    pub fn secret_param_name(&self) -> Option<&str> {
        match self {
            Auth::ApiKey { name, .. } => Some(name),
            _ => None,
        }
    }

    pub(crate) fn bind_transport(&self, http: &reqwest::Client) {
        if let Auth::Refreshing(t) = self {
            t.bind_transport(http);
        }
    }

    /// Apply the credentials to the outgoing request, refreshing a token first when
    /// needed. Returns the token generation used (for refresh-after-401).
    pub async fn authenticate(&self, request: &mut reqwest::Request) -> Result<Option<u64>, Error> {
        match self {
            Auth::None => Ok(None),
            Auth::ApiKey {
                name,
                location,
                key,
            } => {
                match location {
                    ApiKeyLocation::Header => insert_secret(request, name, key.expose_secret())?,
                    ApiKeyLocation::Query => {
                        request
                            .url_mut()
                            .query_pairs_mut()
                            .append_pair(name, key.expose_secret());
                    }
                    ApiKeyLocation::Cookie => insert_secret(
                        request,
                        "cookie",
                        &format!("{name}={}", key.expose_secret()),
                    )?,
                }
                Ok(None)
            }
            Auth::Bearer(token) => {
                insert_secret(
                    request,
                    "authorization",
                    &format!("Bearer {}", token.expose_secret()),
                )?;
                Ok(None)
            }
            Auth::Basic { username, password } => {
                let raw = format!("{username}:{}", password.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                insert_secret(request, "authorization", &format!("Basic {encoded}"))?;
                Ok(None)
            }
            Auth::Refreshing(source) => {
                let (generation, token) = source.token().await?;
                insert_secret(
                    request,
                    "authorization",
                    &format!("Bearer {}", token.value.expose_secret()),
                )?;
                Ok(Some(generation))
            }
            Auth::Signer(signer) => {
                signer.sign(request)?;
                Ok(None)
            }
        }
    }

    /// Apply the credentials to `request` (static credentials only; refreshing tokens
    /// and signers are applied by the pipeline on every attempt).
    pub fn apply(&self, request: &mut Request) {
        match self {
            Auth::None | Auth::Refreshing(_) | Auth::Signer(_) => {}
            Auth::ApiKey {
                name,
                location,
                key,
            } => match location {
                ApiKeyLocation::Header => {
                    request.header(name, key.expose_secret());
                }
                ApiKeyLocation::Query => {
                    request.query(name, key.expose_secret());
                }
                ApiKeyLocation::Cookie => {
                    request.header("Cookie", format!("{name}={}", key.expose_secret()));
                }
            },
            Auth::Bearer(token) => {
                request.header("Authorization", format!("Bearer {}", token.expose_secret()));
            }
            Auth::Basic { username, password } => {
                let raw = format!("{username}:{}", password.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                request.header("Authorization", format!("Basic {encoded}"));
            }
        }
    }
}

fn insert_secret(request: &mut reqwest::Request, name: &str, value: &str) -> Result<(), Error> {
    let name = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| Error::validation("invalid credential header name").with_cause(e))?;
    // The message deliberately omits the value: it is a secret.
    let mut value = http::HeaderValue::from_str(value)
        .map_err(|_| Error::validation("credential is not a valid header value"))?;
    value.set_sensitive(true);
    request.headers_mut().insert(name, value);
    Ok(())
}
