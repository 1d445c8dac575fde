//! [`Client`]: a configured client, its lifecycle and run-time settings; built by
//! [`ClientBuilder`] (`builder.rs`). The request pipeline lives in `crate::pipeline`.

use std::fmt;
use std::sync::Arc;

use arc_swap::ArcSwap;
use std::time::Duration;

use crate::auth::Auth;
use crate::cache::ResponseCache;
use crate::circuit_breaker::{BreakerState, Breakers};
use crate::config::{RedirectPolicy, RetryConfig};
use crate::error::Error;
use crate::hooks::Hooks;
use crate::lifecycle::Lifecycle;
use crate::observability::redact::REDACTED;
use crate::observability::{Metrics, MetricsSnapshot, Redactor};
use crate::origin::TrustedOrigins;
use crate::policy::{ConnectionValues, PolicyLayer, PollingTrigger};
use crate::rate_limit::RateLimiter;
use crate::response::RateLimitStatus;

mod builder;

pub use builder::ClientBuilder;

/// Default per-request timeout (seed 004).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default `User-Agent`: this runtime's name and version.
pub const DEFAULT_USER_AGENT: &str = concat!("connector-runtime/", env!("CARGO_PKG_VERSION"));

/// The header carrying the client's correlation id.
pub const CORRELATION_HEADER: &str = "x-correlation-id";

/// Default largest buffered response body: 64 MiB (see [`ClientBuilder::max_body_size`]).
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// `(name, value)` pairs for `Debug`, values of secret names replaced.
fn redacted_pairs<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
    secret: impl Fn(&str) -> bool,
) -> Vec<(&'a str, &'a str)> {
    pairs
        .map(|(n, v)| (n, if secret(n) { REDACTED } else { v }))
        .collect()
}

/// A configured connector client. Cheap to clone: clones share one connection pool,
/// rate limiter, breakers, metrics and lifecycle.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let r = &inner.redactor;
        f.debug_struct("Client")
            .field("base_url", &r.url(&inner.base))
            .field("timeout", &inner.timeout)
            .field("auth", &format!("{:?}", inner.auth.load()))
            .field(
                "default_headers",
                &redacted_pairs(
                    inner
                        .default_headers
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or("<binary>"))),
                    |n| r.is_sensitive_header(n),
                ),
            )
            .field(
                "default_query",
                &redacted_pairs(
                    inner
                        .default_query
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_str())),
                    |n| r.is_sensitive_field(n),
                ),
            )
            .field("redirect", &inner.redirect)
            .field("max_body_size", &inner.max_body_size)
            .finish_non_exhaustive()
    }
}

/// The client's shared state. Aligned to 128 bytes (two cache lines, the span
/// of the adjacent-line prefetcher) so the `Arc`'s reference counts, which every call's
/// `Client` clone writes, sit on lines of their own instead of on the line holding the
/// read-mostly fields that follow them (false sharing between cores at high
/// concurrency).
#[repr(align(128))]
pub(crate) struct Inner {
    pub(crate) base_url: String,
    /// `base_url` parsed once; request URLs are built from it without re-parsing the host.
    pub(crate) base: reqwest::Url,
    pub(crate) http: reqwest::Client,
    /// The credentials. Read on every call without a lock or a reference count (an
    /// `ArcSwap` load only writes a slot of the reading thread's own); replaced by
    /// [`Client::set_auth`].
    pub(crate) auth: ArcSwap<Auth>,
    pub(crate) default_headers: http::HeaderMap,
    pub(crate) default_query: Vec<(String, String)>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryConfig,
    pub(crate) limiter: RateLimiter,
    pub(crate) breakers: Breakers,
    pub(crate) hooks: Hooks,
    pub(crate) cache: Option<ResponseCache>,
    pub(crate) metrics: Metrics,
    pub(crate) redactor: Redactor,
    pub(crate) lifecycle: Arc<Lifecycle>,
    /// The policies, compiled at build; they run around the core pipeline.
    pub(crate) policies: PolicyLayer,
    /// Origins that may receive credentials.
    pub(crate) origins: TrustedOrigins,
    pub(crate) redirect: RedirectPolicy,
    pub(crate) max_body_size: usize,
    pub(crate) max_server_pause: Duration,
}

pub(crate) fn host_key(url: &reqwest::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Client {
    /// A builder for a client calling `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying reqwest client (shares the pool; for advanced use only). It does
    /// not follow redirects: the pipeline does, so that it can strip credentials.
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    // --- The policy layer's public surface (state lives in `crate::policy`). ---

    /// Whether a `setconnectionstatustounauthenticated` policy marked the connection
    /// unauthenticated; cleared by [`Client::set_auth`] or
    /// [`Client::reset_connection_status`].
    pub fn is_connection_unauthenticated(&self) -> bool {
        self.inner.policies.is_unauthenticated()
    }

    /// Mark the connection authenticated again (after the user signed in again).
    pub fn reset_connection_status(&self) {
        self.inner.policies.reset_unauthenticated();
    }

    /// The `pollingtrigger` policy of `operation`, for a poller; `Ok(None)` when the
    /// operation has none, an error when the policy is malformed.
    pub fn polling_trigger(&self, operation: &str) -> Result<Option<PollingTrigger>, Error> {
        self.inner.policies.polling_trigger(operation)
    }

    /// The connection values the client was built with.
    pub fn connection_values(&self) -> &ConnectionValues {
        self.inner.policies.connection_values()
    }

    // --- End of the policy layer's surface. ---

    /// Replace the credentials at run time (applies to requests started afterwards).
    pub fn set_auth(&self, auth: Auth) {
        auth.bind_transport(&self.inner.http);
        self.reset_connection_status();
        self.inner.auth.store(Arc::new(auth));
    }

    pub(crate) fn auth(&self) -> Arc<Auth> {
        self.inner.auth.load_full()
    }

    /// Establish the connection: validates credentials (fetching a token for
    /// refreshing auth) and marks the client connected.
    pub async fn connect(&self) -> Result<(), Error> {
        if let Auth::Refreshing(t) = &*self.auth() {
            t.token().await?;
        }
        self.inner.lifecycle.set_connected();
        Ok(())
    }

    /// Gracefully disconnect: stop accepting new requests, wait for in-flight ones to
    /// complete, then reject anything new with `CANCELLED`.
    pub async fn disconnect(&self) {
        self.inner.lifecycle.shutdown().await;
    }

    /// [`Self::disconnect`] with a deadline; `false` when in-flight requests were
    /// still running when it passed (new requests are rejected either way).
    pub async fn disconnect_timeout(&self, deadline: Duration) -> bool {
        tokio::time::timeout(deadline, self.disconnect())
            .await
            .is_ok()
    }

    /// Connected and not shut down.
    pub fn is_connected(&self) -> bool {
        self.inner.lifecycle.is_connected()
    }

    /// The rate-limit status last reported by the server.
    pub fn rate_limit_status(&self) -> Option<RateLimitStatus> {
        self.inner.limiter.status()
    }

    /// Whether a request could start now without waiting (concurrency slot free and
    /// no server-imposed pause).
    pub fn can_proceed(&self) -> bool {
        self.inner.limiter.can_proceed()
    }

    /// The circuit-breaker state for the base URL's host.
    pub fn circuit_state(&self) -> BreakerState {
        self.inner.breakers.base().state()
    }

    /// The circuit-breaker state for the host of `url`.
    pub fn circuit_state_for(&self, url: &str) -> Option<BreakerState> {
        let url = reqwest::Url::parse(url).ok()?;
        Some(self.inner.breakers.for_host(&host_key(&url)).state())
    }

    /// A snapshot of the client's metrics.
    pub fn metrics(&self) -> MetricsSnapshot {
        self.inner
            .metrics
            .snapshot(self.inner.lifecycle.in_flight() as u64)
    }

    /// The redactor used for logs.
    pub fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }
}
