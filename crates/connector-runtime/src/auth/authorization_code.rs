//! OAuth 2.0 authorization-code sign-in: the authorization URL with PKCE (S256) and
//! state, the code-for-token exchange, and refreshing [`Auth`] from the refresh token.
//! The interactive consent (opening the URL, receiving the redirect) is the caller's.

use std::fmt;
use std::time::Duration;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::oauth2::OAuth2Config;
use super::{Auth, Token};
use crate::error::{Error, ErrorCode, ErrorSource};

/// Endpoints and client registration of an authorization-code sign-in (generated from
/// a connector's OAuth setting).
#[derive(Clone, Default)]
pub struct AuthorizationCodeConfig {
    /// Authorization endpoint.
    pub authorization_url: String,
    /// Token endpoint.
    pub token_url: String,
    /// Refresh endpoint, when it differs from the token endpoint.
    pub refresh_url: Option<String>,
    /// Client id.
    pub client_id: String,
    /// Client secret (confidential clients).
    pub client_secret: Option<SecretString>,
    /// Redirect URI registered for the client.
    pub redirect_url: String,
    /// Scopes requested.
    pub scopes: Vec<String>,
    /// Separator joining scopes (default a space).
    pub scope_delimiter: Option<String>,
    /// AAD v1 `resource`, sent on authorization and token requests.
    pub resource: Option<String>,
    /// Extra authorization-URL query parameters (e.g. `prompt=consent`).
    pub extra_parameters: Vec<(String, String)>,
}

impl fmt::Debug for AuthorizationCodeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCodeConfig")
            .field("authorization_url", &self.authorization_url)
            .field("token_url", &self.token_url)
            .field("refresh_url", &self.refresh_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

/// An authorization URL to send the user to, and what to keep until the redirect.
pub struct AuthorizationRequest {
    /// The URL (with `response_type=code`, `state`, `code_challenge`, S256).
    pub url: String,
    /// The `state` to compare with the redirect's.
    pub state: String,
    /// The PKCE verifier for [`AuthorizationCodeConfig::exchange_code`].
    pub pkce_verifier: SecretString,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url)
            .field("state", &self.state)
            .field("pkce_verifier", &"[redacted]")
            .finish()
    }
}

/// Tokens from an exchange.
#[derive(Clone)]
pub struct TokenSet {
    /// The access token (and its expiry).
    pub access: Token,
    /// The refresh token, when issued.
    pub refresh_token: Option<SecretString>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access", &self.access)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
}

fn auth_error(message: impl Into<String>) -> Error {
    let mut e = Error::new(ErrorCode::AuthFailed, message).with_source(ErrorSource::Auth);
    e.retryable = false;
    e
}

/// 256 random bits, base64url without padding (43 characters).
fn random_token() -> String {
    let a: u128 = rand::random();
    let b: u128 = rand::random();
    let mut bytes = a.to_le_bytes().to_vec();
    bytes.extend_from_slice(&b.to_le_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The S256 PKCE challenge of `verifier`.
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl AuthorizationCodeConfig {
    fn scope(&self) -> Option<String> {
        (!self.scopes.is_empty()).then(|| {
            self.scopes
                .join(self.scope_delimiter.as_deref().unwrap_or(" "))
        })
    }

    /// Builds the authorization URL with a fresh PKCE verifier (S256) and state.
    pub fn authorization_request(&self) -> Result<AuthorizationRequest, Error> {
        let mut url = reqwest::Url::parse(&self.authorization_url).map_err(|e| {
            Error::validation(format!("invalid OAuth authorization URL: {e}")).with_cause(e)
        })?;
        let verifier = random_token();
        let state = random_token();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &self.client_id)
                .append_pair("redirect_uri", &self.redirect_url);
            if let Some(scope) = self.scope() {
                q.append_pair("scope", &scope);
            }
            if let Some(resource) = &self.resource {
                q.append_pair("resource", resource);
            }
            q.append_pair("state", &state)
                .append_pair("code_challenge", &pkce_challenge(&verifier))
                .append_pair("code_challenge_method", "S256");
            for (k, v) in &self.extra_parameters {
                q.append_pair(k, v);
            }
        }
        Ok(AuthorizationRequest {
            url: url.into(),
            state,
            pkce_verifier: SecretString::from(verifier),
        })
    }

    /// Exchanges the redirect's `code` (with the PKCE verifier) for tokens.
    pub async fn exchange_code(
        &self,
        http: &reqwest::Client,
        code: &str,
        pkce_verifier: &SecretString,
    ) -> Result<TokenSet, Error> {
        let mut form: Vec<(&str, String)> = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", self.redirect_url.clone()),
            ("client_id", self.client_id.clone()),
            ("code_verifier", pkce_verifier.expose_secret().to_owned()),
        ];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose_secret().to_owned()));
        }
        if let Some(resource) = &self.resource {
            form.push(("resource", resource.clone()));
        }
        let response = http
            .post(&self.token_url)
            .header(http::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(crate::error::transport_error)?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(crate::error::transport_error)?;
        if !(200..300).contains(&status) {
            // The body is the server's error; it never holds our secrets.
            let mut e = auth_error(format!("OAuth code exchange failed with HTTP {status}"));
            e.status = Some(status);
            e.body = Some(body);
            return Err(e);
        }
        let t: TokenResponse = serde_json::from_slice(&body)
            .map_err(|_| auth_error("OAuth token response is not the expected JSON"))?;
        let ttl = t
            .expires_in
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
            .map(|s| Duration::from_secs(s.max(1)));
        Ok(TokenSet {
            access: Token::new(t.access_token, ttl),
            refresh_token: t.refresh_token.map(SecretString::from),
        })
    }

    /// Refreshing credentials from a refresh token (refresh URL, else token URL),
    /// with the runtime's single-flight refresh and 401 refresh-and-retry.
    pub fn refreshing_auth(&self, refresh_token: &SecretString) -> Result<Auth, Error> {
        let mut config = OAuth2Config::refresh_token(
            self.refresh_url
                .clone()
                .unwrap_or_else(|| self.token_url.clone()),
            self.client_id.clone(),
            self.client_secret
                .as_ref()
                .map(|s| s.expose_secret().to_owned()),
            refresh_token.expose_secret().to_owned(),
        );
        config.scopes = self.scopes.clone();
        config.credentials_in_body = true;
        Auth::oauth2(config)
    }

    /// Credentials for a signed-in session: `tokens.access` is used until it expires or
    /// the server answers 401, then the refresh token is exchanged (refresh URL, else
    /// token URL) and the call retried once. Without a refresh token, a static bearer.
    pub fn session_auth(&self, tokens: &TokenSet) -> Result<Auth, Error> {
        let Some(refresh) = &tokens.refresh_token else {
            return Ok(Auth::Bearer(tokens.access.value.clone()));
        };
        let auth = self.refreshing_auth(refresh)?;
        if let Auth::Refreshing(t) = &auth {
            t.seed(tokens.access.clone());
        }
        Ok(auth)
    }
}

/// A signed-in OAuth connection: the sign-in configuration and the tokens it gave.
/// Generated `Connection` types hold one per OAuth connection parameter.
#[derive(Debug, Clone)]
pub struct OAuthSession {
    /// Endpoints and client registration (used to refresh).
    pub config: AuthorizationCodeConfig,
    /// The tokens from [`AuthorizationCodeConfig::exchange_code`] (or stored earlier).
    pub tokens: TokenSet,
}

impl OAuthSession {
    /// A session from a configuration and its tokens.
    pub fn new(config: AuthorizationCodeConfig, tokens: TokenSet) -> Self {
        OAuthSession { config, tokens }
    }

    /// A session from an access token and optional refresh token already held.
    pub fn from_tokens(
        config: AuthorizationCodeConfig,
        access_token: impl Into<String>,
        refresh_token: Option<String>,
    ) -> Self {
        OAuthSession {
            config,
            tokens: TokenSet {
                access: Token::new(access_token, None),
                refresh_token: refresh_token.map(SecretString::from),
            },
        }
    }

    /// The credentials for a client; see [`AuthorizationCodeConfig::session_auth`].
    pub fn auth(&self) -> Result<Auth, Error> {
        self.config.session_auth(&self.tokens)
    }
}
