//! [`ClientBuilder`]: the client's configuration, validated and assembled by `build`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{
    Client, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, Inner, host_key,
    redacted_pairs,
};
use crate::auth::Auth;
use crate::cache::ResponseCache;
use crate::circuit_breaker::Breakers;
use crate::config::{
    CacheConfig, CircuitBreakerConfig, PoolConfig, ProxyConfig, RateLimitConfig, RedactionConfig,
    RedirectPolicy, RetryConfig, TlsConfig, TlsVersion,
};
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::hooks::{Hook, Hooks};
use crate::lifecycle::Lifecycle;
use crate::observability::{Metrics, Redactor};
use crate::origin::{TrustedOrigins, parse_origin};
use crate::policy::{ConnectionValues, Policies, PolicyLayer, PolicySpec};
use crate::rate_limit::RateLimiter;

/// Builder for [`Client`]. `Debug` redacts secret default values and URL userinfo.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    user_agent: String,
    auth: Auth,
    default_headers: Vec<(String, String)>,
    default_query: Vec<(String, String)>,
    retry: RetryConfig,
    rate_limit: RateLimitConfig,
    circuit_breaker: CircuitBreakerConfig,
    hooks: Hooks,
    tls: TlsConfig,
    proxy: Option<ProxyConfig>,
    pool: PoolConfig,
    cache: Option<CacheConfig>,
    redaction: RedactionConfig,
    policies: Policies,
    trusted_origins: Vec<String>,
    redirect: RedirectPolicy,
    max_body_size: usize,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The redaction list and the auth scheme's secret parameter; the names policies
        // fill are known once they are compiled at build (compiling here would log).
        let r = self.redactor((Vec::new(), Vec::new()));
        fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
            v.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
        }
        f.debug_struct("ClientBuilder")
            .field("base_url", &r.url_text(&self.base_url))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("auth", &self.auth)
            .field(
                "default_headers",
                &redacted_pairs(pairs(&self.default_headers).into_iter(), |n| {
                    r.is_sensitive_header(n)
                }),
            )
            .field(
                "default_query",
                &redacted_pairs(pairs(&self.default_query).into_iter(), |n| {
                    r.is_sensitive_field(n)
                }),
            )
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("circuit_breaker", &self.circuit_breaker)
            .field("hooks", &self.hooks)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .field("pool", &self.pool)
            .field("cache", &self.cache)
            .field("redaction", &self.redaction)
            .field("policies", &self.policies)
            .field("trusted_origins", &self.trusted_origins)
            .field("redirect", &self.redirect)
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder for a client calling `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            auth: Auth::None,
            default_headers: Vec::new(),
            default_query: Vec::new(),
            retry: RetryConfig::default(),
            rate_limit: RateLimitConfig::default(),
            circuit_breaker: CircuitBreakerConfig::default(),
            hooks: Hooks::default(),
            tls: TlsConfig::default(),
            proxy: None,
            pool: PoolConfig::default(),
            cache: None,
            redaction: RedactionConfig::default(),
            policies: Policies::default(),
            trusted_origins: Vec::new(),
            redirect: RedirectPolicy::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }

    /// Trust `origin` (scheme, host and port of a URL, e.g. `https://files.example.com`)
    /// to receive the client's credentials, besides the base URL's origin and origins
    /// the definition routes to. Requests to any other origin are sent bare.
    pub fn trust_origin(mut self, origin: impl Into<String>) -> Self {
        self.trusted_origins.push(origin.into());
        self
    }

    /// How redirects are followed (default: follow, cross-origin hops bare, https →
    /// http refused, at most 10 hops).
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirect = policy;
        self
    }

    /// Largest buffered response body in bytes (default [`DEFAULT_MAX_BODY_SIZE`],
    /// 64 MiB). Checked against `Content-Length` first and enforced while reading;
    /// over it a call fails with `RESPONSE_TOO_LARGE`. Streaming calls
    /// ([`Client::stream`], downloads) are not limited.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The redactor for this configuration: the redaction lists, the names policies
    /// fill from connection parameters, and the API key's name.
    /// The redactor for this configuration, with the header and query names the
    /// policies fill from connection values (`sensitive`).
    fn redactor(&self, sensitive: (Vec<String>, Vec<String>)) -> Redactor {
        let mut redaction = self.redaction.clone();
        let (secret_headers, secret_fields) = sensitive;
        redaction
            .headers
            .extend(secret_headers.iter().map(|h| h.to_ascii_lowercase()));
        redaction
            .fields
            .extend(secret_fields.iter().map(|f| f.to_ascii_lowercase()));
        Redactor::new(&redaction, self.auth.secret_param_name())
    }

    /// Replace the base URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Per-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `connector-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Credentials.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// A query parameter sent with every request.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_query.push((name.into(), value.into()));
        self
    }

    /// Retry configuration.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Rate-limit and concurrency configuration.
    pub fn rate_limit(mut self, rate_limit: RateLimitConfig) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Circuit-breaker configuration.
    pub fn circuit_breaker(mut self, config: CircuitBreakerConfig) -> Self {
        self.circuit_breaker = config;
        self
    }

    /// Register a hook.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// TLS options.
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = tls;
        self
    }

    /// An outbound proxy.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Connection pooling / keep-alive.
    pub fn pool(mut self, pool: PoolConfig) -> Self {
        self.pool = pool;
        self
    }

    /// Enable the ETag / Last-Modified revalidation cache for GET.
    pub fn cache(mut self, cache: CacheConfig) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Never log the value of header `name`.
    pub fn redact_header(mut self, name: impl Into<String>) -> Self {
        self.redaction
            .headers
            .insert(name.into().to_ascii_lowercase());
        self
    }

    /// Never log the value of query parameter / JSON field `name`.
    pub fn redact_field(mut self, name: impl Into<String>) -> Self {
        self.redaction
            .fields
            .insert(name.into().to_ascii_lowercase());
        self
    }

    /// Policy template instances (generated from `apiProperties.json`), run in order
    /// for the operations they name; see [`crate::policy`].
    pub fn policies(mut self, policies: &[PolicySpec]) -> Self {
        self.policies.specs.extend_from_slice(policies);
        self
    }

    /// Connection parameter values read by policies (`@connectionParameters('name')`).
    pub fn connection_values(mut self, values: ConnectionValues) -> Self {
        self.policies.connection = values;
        self
    }

    fn http_client(&self) -> Result<reqwest::Client, Error> {
        let config_error = |what: &str, e: reqwest::Error| {
            Error::new(
                ErrorCode::ValidationError,
                format!("invalid {what} configuration"),
            )
            .with_source(ErrorSource::Transport)
            .with_cause(e)
        };
        // Redirects are followed by the pipeline (`pipeline::redirect`), which knows the
        // credentials it attached; reqwest never adds a `Referer`.
        let mut b = reqwest::Client::builder()
            .user_agent(header_safe_user_agent(&self.user_agent).into_owned())
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            // Retries are the pipeline's (`pipeline::operation`). reqwest's own layer
            // only ever retries HTTP/2 and HTTP/3 protocol NACKs (neither is enabled
            // here), yet by default it clones every request's headers and extensions
            // up front in case it retries; with no retries allowed it clones nothing.
            .retry(reqwest::retry::never().max_retries_per_request(0));
        if let Some(t) = self.pool.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(n) = self.pool.max_idle_per_host {
            b = b.pool_max_idle_per_host(n);
        }
        b = b.pool_idle_timeout(self.pool.idle_timeout);
        b = b.tcp_keepalive(self.pool.tcp_keepalive);
        // TLS
        for pem in &self.tls.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| config_error("TLS CA bundle", e))?;
            if certs.is_empty() {
                return Err(Error::validation("TLS CA bundle holds no certificate"));
            }
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        if self.tls.only_custom_roots {
            b = b.tls_built_in_root_certs(false);
        }
        if let Some(v) = self.tls.min_version {
            b = b.min_tls_version(match v {
                TlsVersion::Tls12 => reqwest::tls::Version::TLS_1_2,
                TlsVersion::Tls13 => reqwest::tls::Version::TLS_1_3,
            });
        }
        if let Some(identity) = &self.tls.identity_pem {
            use secrecy::ExposeSecret;
            let id = reqwest::Identity::from_pem(identity.expose_secret().as_bytes())
                .map_err(|e| config_error("TLS client identity", e))?;
            b = b.identity(id);
        }
        if self.tls.danger_accept_invalid_certs {
            tracing::warn!("TLS certificate verification is disabled");
            b = b.danger_accept_invalid_certs(true);
        }
        // Proxy
        if let Some(p) = &self.proxy {
            use secrecy::ExposeSecret;
            let mut proxy = reqwest::Proxy::all(&p.url).map_err(|e| config_error("proxy", e))?;
            if let Some((user, pass)) = &p.credentials {
                proxy = proxy.basic_auth(user, pass.expose_secret());
            }
            if let Some(np) = &p.no_proxy {
                proxy = proxy.no_proxy(reqwest::NoProxy::from_string(np));
            }
            b = b.proxy(proxy);
        }
        b.build().map_err(|e| config_error("HTTP client", e))
    }

    /// Validate the configuration and build the client (seed: `initialize`).
    pub fn build(mut self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let parsed = parse_base_url(&base_url)?;
        if self.retry.max_attempts == 0 {
            return Err(Error::validation("retry.max_attempts must be at least 1"));
        }
        if self.retry.backoff_multiplier < 1.0 || !self.retry.backoff_multiplier.is_finite() {
            return Err(Error::validation("retry.backoff_multiplier must be >= 1"));
        }
        let mut default_headers = http::HeaderMap::new();
        for (name, value) in &self.default_headers {
            let n = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
                Error::validation(format!("invalid default header name {name:?}")).with_cause(e)
            })?;
            let v = http::HeaderValue::from_str(value).map_err(|e| {
                Error::validation(format!("invalid value for default header {name:?}"))
                    .with_cause(e)
            })?;
            default_headers.append(n, v);
        }
        let http = self.http_client()?;
        self.auth.bind_transport(&http);
        let policies = PolicyLayer::new(std::mem::take(&mut self.policies));
        let redactor = self.redactor(policies.sensitive_names());
        let mut trusted = Vec::with_capacity(self.trusted_origins.len());
        for text in &self.trusted_origins {
            let origin = parse_origin(text).ok_or_else(|| {
                Error::validation(format!(
                    "trusted origin {:?} is not an http(s) URL",
                    redactor.url_text(text)
                ))
            })?;
            trusted.push(origin);
        }
        let origins = TrustedOrigins::new(&parsed, trusted);
        Ok(Client {
            inner: Arc::new(Inner {
                breakers: Breakers::new(self.circuit_breaker.clone(), host_key(&parsed)),
                base_url,
                base: parsed,
                http,
                auth: arc_swap::ArcSwap::from_pointee(self.auth),
                default_headers,
                default_query: self.default_query,
                timeout: self.timeout,
                limiter: RateLimiter::new(&self.rate_limit),
                retry: self.retry,
                hooks: self.hooks,
                cache: self.cache.map(ResponseCache::new),
                metrics: Metrics::default(),
                redactor,
                lifecycle: Arc::new(Lifecycle::default()),
                policies,
                origins,
                redirect: self.redirect,
                max_body_size: self.max_body_size,
                max_server_pause: self.rate_limit.max_server_pause,
            }),
        })
    }
}

/// Parse and check a base URL: it must be absolute, `http` or `https`, and name a host.
/// `localhost:8765` parses as a URL with scheme `localhost`, so parsing alone would let
/// it through to fail at the first call; the error says what to write instead. The
/// message names the scheme only, never the URL (which may carry credentials).
fn parse_base_url(text: &str) -> Result<reqwest::Url, Error> {
    const EXAMPLE: &str = "e.g. \"https://api.example.com\" or \"http://localhost:8765\"";
    let parsed = reqwest::Url::parse(text).map_err(|e| {
        Error::new(
            ErrorCode::ValidationError,
            format!("invalid base URL ({e}): it needs a scheme and a host, {EXAMPLE}"),
        )
        .with_cause(e)
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::validation(format!(
            "invalid base URL: the scheme must be http or https, not {:?} ({EXAMPLE})",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::validation(format!(
            "invalid base URL: it names no host ({EXAMPLE})"
        )));
    }
    Ok(parsed)
}

/// `user_agent` as a valid header value: control characters (CR, LF, tab, DEL, …) and
/// non-ASCII are percent-encoded, so a connector title or version holding them can
/// neither inject a header nor make the client fail to build.
fn header_safe_user_agent(user_agent: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(user_agent, percent_encoding::CONTROLS).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_error(base_url: &str) -> Error {
        match ClientBuilder::new(base_url).build() {
            Ok(_) => panic!("{base_url:?} must be refused by build()"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_base_url_without_scheme_is_refused_at_build() {
        // `localhost:8765` parses as scheme `localhost`: only the scheme check stops it.
        let e = build_error("localhost:8765");
        assert_eq!(e.code, ErrorCode::ValidationError);
        assert!(e.message.contains("http or https"), "{}", e.message);
        assert!(e.message.contains("\"localhost\""), "{}", e.message);
    }

    #[test]
    fn other_schemes_relative_and_hostless_urls_are_refused() {
        assert!(
            build_error("ftp://files.example.com")
                .message
                .contains("\"ftp\"")
        );
        assert!(build_error("/api/v1").message.contains("needs a scheme"));
        assert!(build_error("").message.contains("needs a scheme"));
        let e = build_error("http://");
        assert_eq!(e.code, ErrorCode::ValidationError);
    }

    #[test]
    fn refused_urls_are_not_echoed() {
        let e = build_error("mailto:user:hunter2@example.com");
        assert!(!e.message.contains("hunter2"), "{}", e.message);
    }

    #[test]
    fn http_and_https_urls_with_a_host_build() {
        for url in [
            "http://localhost:8765",
            "https://api.example.com/v1/",
            "http://127.0.0.1",
        ] {
            assert!(ClientBuilder::new(url).build().is_ok(), "{url}");
        }
    }
}
