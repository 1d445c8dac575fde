//! Configuration records with the seed's defaults (seed 004, "Configuration Structure").

use std::time::Duration;

use secrecy::SecretString;

use crate::error::ErrorCode;

/// Retry configuration (seed 004 "Retry Configuration").
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// Total attempts including the first (default 3).
    pub max_attempts: u32,
    /// Delay before the first retry (default 1 s).
    pub initial_delay: Duration,
    /// Largest backoff delay (default 30 s).
    pub max_delay: Duration,
    /// Exponential multiplier (default 2).
    pub backoff_multiplier: f64,
    /// Statuses that trigger a retry (default 429, 500, 502, 503, 504).
    pub retryable_status_codes: Vec<u16>,
    /// Error codes (for errors without a status) that trigger a retry
    /// (default `NETWORK_ERROR`, `TIMEOUT`).
    pub retryable_errors: Vec<ErrorCode>,
    /// Hard cap on the time one logical operation may spend, retries included (default none).
    pub retry_budget: Option<Duration>,
    /// Honour `Retry-After` (default true).
    pub respect_retry_after: bool,
    /// The API honours `Idempotency-Key` on every unsafe operation: generate one per
    /// logical operation for unsafe methods and replay them like idempotent ones
    /// (default false: an unsafe request that may have reached the server is not
    /// replayed unless it carries its own key, see [`crate::Request::idempotency_key`]).
    pub idempotency: bool,
    /// Apply jitter `delay * (0.5 + rand[0, 0.5))` (default true; off only for tests).
    pub jitter: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_delay: Duration::from_millis(1000),
            max_delay: Duration::from_millis(30_000),
            backoff_multiplier: 2.0,
            retryable_status_codes: vec![429, 500, 502, 503, 504],
            retryable_errors: vec![ErrorCode::NetworkError, ErrorCode::Timeout],
            retry_budget: None,
            respect_retry_after: true,
            idempotency: false,
            jitter: true,
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }
}

/// Rate-limit configuration (seed 004 "Rate Limiting Configuration").
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    /// Steady requests per second.
    pub requests_per_second: Option<u32>,
    /// Steady requests per minute.
    pub requests_per_minute: Option<u32>,
    /// Steady requests per hour.
    pub requests_per_hour: Option<u32>,
    /// Token-bucket burst capacity (default: the steady rate of each window).
    pub burst_capacity: Option<u32>,
    /// Maximum requests in flight at once (default 10).
    pub concurrent_requests: usize,
    /// Pause when the server reports the window exhausted or sends `Retry-After`
    /// (default true).
    pub adaptive_from_headers: bool,
    /// The longest server-requested pause (`Retry-After`, rate-limit reset) a call
    /// waits for (default 60 s). A longer one, or one that does not fit the call's
    /// timeout or retry budget, fails the call at once with `RATE_LIMIT` carrying the
    /// requested delay in [`crate::Error::retry_after`].
    pub max_server_pause: Duration,
}

/// Default for [`RateLimitConfig::max_server_pause`].
pub const DEFAULT_MAX_SERVER_PAUSE: Duration = Duration::from_secs(60);

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            requests_per_second: None,
            requests_per_minute: None,
            requests_per_hour: None,
            burst_capacity: None,
            concurrent_requests: 10,
            adaptive_from_headers: true,
            max_server_pause: DEFAULT_MAX_SERVER_PAUSE,
        }
    }
}

/// Circuit-breaker configuration (one breaker per host).
#[derive(Debug, Clone)]
pub struct CircuitBreakerConfig {
    /// Consecutive failures (5xx, transport, timeout) that open the breaker (default 5).
    pub failure_threshold: u32,
    /// How long the breaker stays open before letting one probe through (default 30 s).
    pub open_duration: Duration,
    /// `false` disables the breaker.
    pub enabled: bool,
}

impl Default for CircuitBreakerConfig {
    fn default() -> Self {
        CircuitBreakerConfig {
            failure_threshold: 5,
            open_duration: Duration::from_secs(30),
            enabled: true,
        }
    }
}

/// How redirects are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMode {
    /// Never follow: a 3xx answer fails the call with its status.
    None,
    /// Follow redirects within the request's origin; a cross-origin one fails the call.
    SameOriginOnly,
    /// Follow every redirect; a hop to another origin is sent without credentials
    /// (default).
    FollowStripping,
}

/// The redirect policy (see the crate README): the runtime follows redirects itself so
/// that a cross-origin hop can be rebuilt without the credentials it attached; `https`
/// → `http` is always refused and no `Referer` is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectPolicy {
    /// What is followed (default [`RedirectMode::FollowStripping`]).
    pub mode: RedirectMode,
    /// Most redirects followed in one attempt (default 10).
    pub max_hops: u32,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy {
            mode: RedirectMode::FollowStripping,
            max_hops: 10,
        }
    }
}

impl RedirectPolicy {
    /// Never follow redirects.
    pub fn none() -> Self {
        RedirectPolicy {
            mode: RedirectMode::None,
            ..RedirectPolicy::default()
        }
    }

    /// Follow same-origin redirects only.
    pub fn same_origin_only() -> Self {
        RedirectPolicy {
            mode: RedirectMode::SameOriginOnly,
            ..RedirectPolicy::default()
        }
    }

    /// Follow every redirect, sending cross-origin hops bare (the default).
    pub fn follow_stripping() -> Self {
        RedirectPolicy::default()
    }
}

/// Minimum TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

/// TLS options (rustls). Verification is on by default.
#[derive(Clone, Default)]
pub struct TlsConfig {
    /// Extra root certificates (PEM), e.g. a private CA bundle.
    pub ca_pem: Vec<Vec<u8>>,
    /// Trust only `ca_pem`, not the built-in web roots.
    pub only_custom_roots: bool,
    /// Minimum protocol version.
    pub min_version: Option<TlsVersion>,
    /// Client identity for mTLS: PEM with the certificate chain and the private key.
    pub identity_pem: Option<SecretString>,
    /// Skip certificate verification. Never use outside tests.
    pub danger_accept_invalid_certs: bool,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConfig")
            .field("ca_pem", &self.ca_pem.len())
            .field("only_custom_roots", &self.only_custom_roots)
            .field("min_version", &self.min_version)
            .field(
                "identity_pem",
                &self.identity_pem.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .finish()
    }
}

/// An outbound proxy.
#[derive(Clone)]
pub struct ProxyConfig {
    /// Proxy URL, e.g. `http://proxy.local:3128` (protocol, host and port).
    pub url: String,
    /// Proxy credentials (user name, password).
    pub credentials: Option<(String, SecretString)>,
    /// Hosts that bypass the proxy (comma separated, `NO_PROXY` syntax).
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field(
                "url",
                &crate::observability::redact::url_text_without_userinfo(&self.url),
            )
            .field(
                "credentials",
                &self.credentials.as_ref().map(|(u, _)| (u, "[redacted]")),
            )
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// Connection pooling / keep-alive.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    /// Idle connections kept per host (default: reqwest's, unbounded).
    pub max_idle_per_host: Option<usize>,
    /// How long an idle connection is kept (default 90 s).
    pub idle_timeout: Option<Duration>,
    /// TCP keep-alive interval (default 60 s).
    pub tcp_keepalive: Option<Duration>,
    /// Connect timeout (default 10 s).
    pub connect_timeout: Option<Duration>,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            max_idle_per_host: None,
            idle_timeout: Some(Duration::from_secs(90)),
            tcp_keepalive: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
        }
    }
}

/// Opt-in HTTP cache (ETag / Last-Modified revalidation of GET responses).
#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Largest number of cached responses.
    pub max_entries: usize,
    /// Largest body cached, in bytes.
    pub max_body_bytes: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_entries: 256,
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// What is redacted from logs, spans and errors (defined beside the redactor).
pub use crate::observability::RedactionConfig;
