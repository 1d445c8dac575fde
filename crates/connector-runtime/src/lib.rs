//! The runtime every generated connector client links against.
//!
//! Generated code builds an [`Request`] describing one call (operation id, method, path
//! template, parameters, body) and hands it to [`Client::execute`]; everything that
//! touches the network — transport, auth, retries, rate limits, circuit breaking,
//! paging, hooks, caching, streaming, transfers, tracing — lives here, so generated
//! crates hold no HTTP logic of their own. See the crate README for configuration.
//!
//! Generated types spell presence and nullability as the definition does: a required
//! property is `T`; an optional one, or a required one that may be `null`, is
//! `Option<T>` (an optional one is left out when `None`, a required nullable one is
//! sent as `null`); a property that is both optional and nullable (typically in PATCH
//! bodies, where leaving a key out keeps the stored value and `null` clears it) is a
//! [`Nullable<T>`]: `Absent`, `Null` or `Value(T)`.

// `Error` is a flat struct with public fields that generated code reads directly
// (code, status, body, …); boxing it would change that surface, so the large-Err lint
// is accepted crate-wide.
#![allow(clippy::result_large_err)]

pub mod auth;
mod cache;
mod call;
mod circuit_breaker;
mod client;
mod config;
mod correlation;
#[doc(hidden)]
pub mod de;
mod dynamic;
mod error;
mod hooks;
mod lifecycle;
pub mod metadata;
mod methods;
#[cfg(feature = "mock")]
pub mod mock;
mod observability;
mod origin;
pub mod paging;
mod pipeline;
pub mod policy;
mod rate_limit;
mod request;
mod response;
mod retry;
pub mod ser;
mod stream;
#[doc(hidden)]
pub mod support;
mod transfer;
pub mod triggers;
mod types;

pub use auth::{
    ApiKeyLocation, Auth, AuthorizationCodeConfig, HmacSigner, OAuth2Config, OAuthSession,
    RequestSigner, Token, TokenSet, TokenSource,
};
pub use call::{BodyFuture, ResponseFuture};
pub use circuit_breaker::BreakerState;
pub use client::{Client, ClientBuilder};
pub use client::{DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};
pub use config::{
    CacheConfig, CircuitBreakerConfig, PoolConfig, ProxyConfig, RateLimitConfig, RedactionConfig,
    RedirectMode, RedirectPolicy, RetryConfig, TlsConfig, TlsVersion,
};
pub use correlation::{CorrelationId, RequestId};
pub use de::Nullable;
pub use dynamic::Choice;
pub use error::{Error, ErrorCode, ErrorSource, MAX_ERROR_BODY};
pub use hooks::{FnHook, Hook, HookContext, HookKind};
/// HTTP methods, for [`Request::new`].
pub use http::Method;
pub use methods::BatchResult;
pub use observability::{LATENCY_BUCKETS_MS, MetricsSnapshot, Redactor};
pub use paging::{NextLink, Page, Paging};
pub use policy::{ConnectionValues, PolicyKind, PolicySection, PolicySpec, PollingTrigger};
pub use request::{Body, FilePart, Form, Request};
pub use response::{RateLimitStatus, RawResponse, Response, ResponseMeta};
pub use retry::RetryDecision;
pub use stream::{ByteStream, SseEvent};
pub use transfer::{Progress, TransferReport, UploadSource};
pub use triggers::{PollBatch, PollItems, PollState, Poller};
pub use types::{Date, DateTime};

/// Re-exported so generated crates need no direct dependency on these.
pub use {bytes, futures, reqwest, secrecy, serde, serde_json, tokio_util};

/// The result type of every runtime call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
