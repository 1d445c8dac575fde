//! Credentials and how they are applied to a request.

use std::fmt;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};

use crate::request::Request;

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

    /// Apply the credentials to `request`.
    pub fn apply(&self, request: &mut Request) {
        match self {
            Auth::None => {}
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
