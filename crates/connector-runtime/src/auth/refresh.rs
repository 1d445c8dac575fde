//! Refreshing tokens: a cache in front of a [`TokenSource`] that refreshes before
//! expiry and shares one refresh among all concurrent requests (single flight).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use secrecy::SecretString;

use crate::error::Error;

/// An access token and when it expires.
#[derive(Clone)]
pub struct Token {
    /// The token.
    pub value: SecretString,
    /// Expiry, when the issuer said.
    pub expires_at: Option<Instant>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("value", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Token {
    /// A token valid for `ttl` (or without expiry).
    pub fn new(value: impl Into<String>, ttl: Option<Duration>) -> Self {
        Token {
            value: SecretString::from(value.into()),
            expires_at: ttl.map(|t| Instant::now() + t),
        }
    }

    fn valid_with_margin(&self, margin: Duration) -> bool {
        match self.expires_at {
            Some(at) => Instant::now() + margin < at,
            None => true,
        }
    }
}

/// Something that can obtain a fresh token (an OAuth 2.0 token endpoint, a login call,
/// a closure).
pub trait TokenSource: Send + Sync {
    /// Obtain a fresh token.
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>>;
    /// Called once when the client is built, with the client's HTTP transport, so token
    /// requests share its pool, proxy and TLS settings.
    fn bind_transport(&self, http: &reqwest::Client) {
        let _ = http;
    }
}

impl<F> TokenSource for F
where
    F: Fn() -> BoxFuture<'static, Result<Token, Error>> + Send + Sync,
{
    fn fetch(&self) -> BoxFuture<'_, Result<Token, Error>> {
        self()
    }
}

/// A token cache with single-flight refresh.
pub struct RefreshingToken {
    source: Arc<dyn TokenSource>,
    current: RwLock<Option<(u64, Token)>>,
    generation: AtomicU64,
    refresh_lock: tokio::sync::Mutex<()>,
    margin: Duration,
    refreshes: AtomicU64,
}

impl fmt::Debug for RefreshingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingToken")
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl RefreshingToken {
    /// A cache over `source` that refreshes `margin` before expiry (default 30 s via
    /// [`Self::with_default_margin`]).
    pub fn new(source: Arc<dyn TokenSource>, margin: Duration) -> Self {
        RefreshingToken {
            source,
            current: RwLock::new(None),
            generation: AtomicU64::new(0),
            refresh_lock: tokio::sync::Mutex::new(()),
            margin,
            refreshes: AtomicU64::new(0),
        }
    }

    /// A cache refreshing 30 s before expiry.
    pub fn with_default_margin(source: Arc<dyn TokenSource>) -> Self {
        Self::new(source, Duration::from_secs(30))
    }

    pub(crate) fn bind_transport(&self, http: &reqwest::Client) {
        self.source.bind_transport(http);
    }

    /// How many times the source was asked for a token.
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    fn cached(&self) -> Option<(u64, Token)> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// Whether a cached token is present and not about to expire.
    pub fn is_valid(&self) -> bool {
        self.cached()
            .is_some_and(|(_, t)| t.valid_with_margin(self.margin))
    }

    /// Install a token obtained elsewhere (e.g. the access token of a sign-in), used
    /// until it expires or the server rejects it.
    pub fn seed(&self, token: Token) {
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        if let Ok(mut c) = self.current.write() {
            *c = Some((generation, token));
        }
    }

    /// A valid token and its generation, refreshing first when missing or expiring.
    pub async fn token(&self) -> Result<(u64, Token), Error> {
        if let Some((g, t)) = self.cached()
            && t.valid_with_margin(self.margin)
        {
            return Ok((g, t));
        }
        let _guard = self.refresh_lock.lock().await;
        // Another request may have refreshed while this one waited.
        if let Some((g, t)) = self.cached()
            && t.valid_with_margin(self.margin)
        {
            return Ok((g, t));
        }
        self.refresh_locked().await
    }

    /// Refresh after the server rejected generation `stale`; when another request
    /// already replaced it, that newer token is returned without a second refresh.
    pub async fn refresh_after_rejection(&self, stale: u64) -> Result<(u64, Token), Error> {
        let _guard = self.refresh_lock.lock().await;
        if let Some((g, t)) = self.cached()
            && g != stale
        {
            return Ok((g, t));
        }
        self.refresh_locked().await
    }

    async fn refresh_locked(&self) -> Result<(u64, Token), Error> {
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        tracing::debug!("auth: refreshing token");
        let token = self.source.fetch().await?;
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        if let Ok(mut c) = self.current.write() {
            *c = Some((generation, token.clone()));
        }
        Ok((generation, token))
    }
}
