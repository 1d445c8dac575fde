//! OAuth 2.0 token sources (client-credentials and refresh-token grants) on the
//! `oauth2` crate, sending token requests through the client's own reqwest transport.

use std::fmt;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use futures::future::BoxFuture;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RefreshToken, Scope,
    TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};

use super::refresh::{Token, TokenSource};
use crate::error::{Error, ErrorCode, ErrorSource};

type TokenClient =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// The grant used to obtain tokens.
#[derive(Clone)]
pub enum Grant {
    /// `grant_type=client_credentials`.
    ClientCredentials,
    /// `grant_type=refresh_token` with an initial refresh token (rotated when the
    /// server returns a new one).
    RefreshToken(SecretString),
}

/// OAuth 2.0 client configuration.
#[derive(Clone)]
pub struct OAuth2Config {
    /// Token endpoint URL.
    pub token_url: String,
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: Option<SecretString>,
    /// Scopes requested.
    pub scopes: Vec<String>,
    /// The grant.
    pub grant: Grant,
    /// Send client credentials in the form body instead of HTTP Basic.
    pub credentials_in_body: bool,
}

impl fmt::Debug for OAuth2Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Config")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl OAuth2Config {
    /// Client-credentials grant.
    pub fn client_credentials(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        OAuth2Config {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Some(SecretString::from(client_secret.into())),
            scopes: Vec::new(),
            grant: Grant::ClientCredentials,
            credentials_in_body: false,
        }
    }

    /// Refresh-token grant.
    pub fn refresh_token(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        OAuth2Config {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.map(SecretString::from),
            scopes: Vec::new(),
            grant: Grant::RefreshToken(SecretString::from(refresh_token.into())),
            credentials_in_body: false,
        }
    }

    /// Add a scope.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
}

/// A [`TokenSource`] for an OAuth 2.0 token endpoint.
pub struct OAuth2Source {
    client: TokenClient,
    scopes: Vec<Scope>,
    refresh_token: Mutex<Option<SecretString>>,
    http: OnceLock<reqwest::Client>,
}

impl fmt::Debug for OAuth2Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Source").finish_non_exhaustive()
    }
}

fn auth_error(message: impl Into<String>) -> Error {
    let mut e = Error::new(ErrorCode::AuthFailed, message).with_source(ErrorSource::Auth);
    e.retryable = false;
    e
}

impl OAuth2Source {
    /// A source from `config`; fails on an invalid token URL.
    pub fn new(config: OAuth2Config) -> Result<Self, Error> {
        let token_url = TokenUrl::new(config.token_url.clone())
            .map_err(|e| Error::validation(format!("invalid OAuth2 token URL: {e}")))?;
        let mut client = BasicClient::new(ClientId::new(config.client_id)).set_token_uri(token_url);
        if let Some(secret) = &config.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
        }
        if config.credentials_in_body {
            client = client.set_auth_type(AuthType::RequestBody);
        }
        let refresh_token = match config.grant {
            Grant::ClientCredentials => None,
            Grant::RefreshToken(t) => Some(t),
        };
        Ok(OAuth2Source {
            client,
            scopes: config.scopes.into_iter().map(Scope::new).collect(),
            refresh_token: Mutex::new(refresh_token),
            http: OnceLock::new(),
        })
    }

    async fn fetch_token(&self) -> Result<Token, Error> {
        let http = match self.http.get() {
            Some(h) => h.clone(),
            None => reqwest::Client::new(),
        };
        let refresh = self
            .refresh_token
            .lock()
            .ok()
            .and_then(|r| r.as_ref().map(|s| s.expose_secret().to_owned()));
        let result = match refresh {
            Some(rt) => {
                let rt = RefreshToken::new(rt);
                self.client
                    .exchange_refresh_token(&rt)
                    .add_scopes(self.scopes.iter().cloned())
                    .request_async(&http)
                    .await
            }
            None => {
                self.client
                    .exchange_client_credentials()
                    .add_scopes(self.scopes.iter().cloned())
                    .request_async(&http)
                    .await
            }
        };
        // The error's Display never includes the client secret or tokens.
        let response =
            result.map_err(|e| auth_error(format!("OAuth2 token request failed: {e}")))?;
        if let Some(new_rt) = response.refresh_token()
            && let Ok(mut slot) = self.refresh_token.lock()
            && slot.is_some()
        {
            *slot = Some(SecretString::from(new_rt.secret().to_owned()));
        }
        let ttl = response.expires_in().map(|d| d.max(Duration::from_secs(1)));
        Ok(Token::new(response.access_token().secret().to_owned(), ttl))
    }
}

impl TokenSource for OAuth2Source {
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
        Box::pin(self.fetch_token())
    }

    fn bind_transport(&self, http: &reqwest::Client) {
        let _ = self.http.set(http.clone());
    }
}
