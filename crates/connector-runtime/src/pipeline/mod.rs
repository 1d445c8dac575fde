//! The request pipeline (seed 004 "Middleware Pipeline"), split by stage:
//!
//! - [`operation`]: one logical operation: policies, correlation id, idempotency key,
//!   the retry loop (replay rule, retry budget, server-requested pauses), `on_error`
//!   and `on_retry` hooks, metrics and the operation span;
//! - [`attempt`]: one attempt: concurrency slot and server pause (bounded by the
//!   caller's deadline), circuit-breaker permit (released on drop), `before_request`
//!   and `after_response` hooks, the per-attempt timeout;
//! - [`wire`]: the bytes: build the HTTP request, attach credentials only for trusted
//!   origins, send, follow redirects ([`redirect`]), read the body under the size cap.
//!
//! Hand-written as non-generic async functions rather than a tower / reqwest-middleware
//! stack: the stages share per-operation state (attempt number, idempotency key,
//! correlation id, token generation, retry budget) that layered services would have to
//! thread through request extensions, and this keeps the hot path free of boxed
//! futures per layer.

mod attempt;
mod operation;
mod policy_seam;
pub(crate) mod redirect;
mod wire;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::client::{CORRELATION_HEADER, Client};
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::rate_limit::Slot;
use crate::request::Request;
use crate::response::{RawResponse, ResponseMeta};

pub(crate) use crate::error::transport_error;

/// Produces a fresh request body for each attempt (uploads from files or streams).
pub type BodyFactory = Arc<dyn Fn() -> Result<reqwest::Body, Error> + Send + Sync>;

/// How the response body is consumed.
#[derive(Clone)]
pub(crate) enum Mode {
    /// Read the whole body inside the attempt (so mid-body failures are retried),
    /// under the client's body size cap.
    Buffered,
    /// Return after the headers; the caller streams the body (no size cap).
    Streaming,
}

/// What a successful run produced.
pub(crate) struct Outcome {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub meta: ResponseMeta,
    pub body: OutcomeBody,
}

pub(crate) enum OutcomeBody {
    Buffered(Bytes),
    Streaming(reqwest::Response, Slot),
}

impl Outcome {
    /// The response, when its body is already buffered; the outcome back otherwise.
    pub(crate) fn into_buffered(self) -> Result<RawResponse, Outcome> {
        match self.body {
            OutcomeBody::Buffered(body) => Ok(RawResponse {
                status: self.status,
                headers: self.headers,
                body,
                meta: self.meta,
            }),
            body => Err(Outcome { body, ..self }),
        }
    }

    /// The response with its whole body, reading a streamed body to the end.
    pub(crate) async fn into_raw(self) -> Result<RawResponse, Error> {
        let body = match self.body {
            OutcomeBody::Buffered(b) => b,
            OutcomeBody::Streaming(r, _slot) => r.bytes().await.map_err(transport_error)?,
        };
        Ok(RawResponse {
            status: self.status,
            headers: self.headers,
            body,
            meta: self.meta,
        })
    }
}

/// A failed attempt: the error, the server's requested pause and headers, and whether
/// the request may have reached the server (which decides whether it may be replayed).
pub(crate) struct AttemptErr {
    pub(crate) error: Error,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) headers: Option<http::HeaderMap>,
    /// `false` only when the failure happened before the request was written (connect,
    /// DNS, TLS, building the request): such attempts are retried for every method.
    pub(crate) may_have_reached: bool,
}

impl AttemptErr {
    /// The response this failure is (status, headers and the body as read), for the
    /// `on_error` hooks to observe; `None` when no response arrived (connection,
    /// timeout, a failure before sending).
    pub(crate) fn response(
        &self,
        started: std::time::Instant,
        attempt: u32,
        correlation_id: crate::correlation::CorrelationId,
        rate_limit: Option<crate::response::RateLimitStatus>,
    ) -> Option<RawResponse> {
        Some(RawResponse {
            status: self.error.status?,
            headers: self.headers.clone()?,
            body: self.error.body.clone().unwrap_or_default(),
            meta: ResponseMeta {
                timestamp: std::time::SystemTime::now(),
                duration: started.elapsed(),
                retry_count: attempt.saturating_sub(1),
                request_id: Some(crate::correlation::RequestId::Sent(correlation_id)),
                rate_limit,
                correlation_id: Some(correlation_id),
                from_cache: false,
            },
        })
    }
}

impl From<Error> for AttemptErr {
    fn from(error: Error) -> Self {
        AttemptErr {
            error,
            retry_after: None,
            headers: None,
            may_have_reached: true,
        }
    }
}

impl AttemptErr {
    /// A failed attempt from `error`, boxed (errors are rare; see `wire`).
    pub(crate) fn boxed(error: Error) -> Box<Self> {
        Box::new(error.into())
    }

    /// A failed attempt that never reached the server.
    pub(crate) fn before_write(error: Error) -> Box<Self> {
        Box::new(AttemptErr {
            may_have_reached: false,
            ..error.into()
        })
    }
}

/// 128 random bits as 32 lowercase hex characters (an idempotency key): the digits of a
/// fresh [`CorrelationId`](crate::correlation::CorrelationId), the one place they are made.
pub(crate) fn random_id() -> String {
    crate::correlation::CorrelationId::random()
        .as_str()
        .to_owned()
}

/// The server's request id: the first of the usual headers present, in this order of
/// preference. One pass over the (few) response headers, with no name parsing or hashing.
pub(crate) fn server_request_id(headers: &http::HeaderMap) -> Option<String> {
    const NAMES: [&str; 5] = [
        "x-request-id",
        "x-ms-request-id",
        "request-id",
        "x-amzn-requestid",
        "x-correlation-id",
    ];
    debug_assert!(NAMES[4].eq_ignore_ascii_case(CORRELATION_HEADER));
    let mut best: Option<(usize, &http::HeaderValue)> = None;
    for (name, value) in headers {
        // Header names are stored lowercase.
        if let Some(rank) = NAMES.iter().position(|n| *n == name.as_str())
            && best.is_none_or(|(r, _)| rank < r)
        {
            best = Some((rank, value));
        }
    }
    best.and_then(|(_, v)| v.to_str().ok()).map(str::to_owned)
}

pub(crate) fn timeout_error(after: Duration) -> Error {
    Error::new(
        ErrorCode::Timeout,
        format!("request exceeded its timeout of {} ms", after.as_millis()),
    )
    .with_source(ErrorSource::Transport)
}

pub(crate) fn cancelled_error(reason: &str, source: ErrorSource) -> Error {
    let mut e = Error::new(ErrorCode::Cancelled, reason.to_owned()).with_source(source);
    e.retryable = false;
    e
}

/// The error when hook `hook` aborted the call with `reason` (every hook stage).
pub(crate) fn hook_aborted(
    (hook, reason): (String, String),
    attempt: u32,
    operation: &'static str,
) -> Error {
    let mut e = cancelled_error(
        &format!("aborted by hook {hook:?}: {reason}"),
        ErrorSource::UserHook,
    );
    e.attempt = attempt;
    e.operation = Some(operation);
    e
}

/// Whether an error counts against the host's circuit breaker.
pub(crate) fn is_host_failure(e: &Error) -> bool {
    match e.status {
        Some(s) => s >= 500,
        None => matches!(e.code, ErrorCode::NetworkError | ErrorCode::Timeout),
    }
}

impl Client {
    /// Execute `request`; a non-2xx status becomes an [`Error`] keeping the body.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        self.run(Box::new(request), Mode::Buffered, None)
            .await?
            .into_raw()
            .await
    }

    /// Alias of [`Self::execute`] (seed: `request(options)`).
    pub async fn request(&self, request: Request) -> Result<RawResponse, Error> {
        self.execute(request).await
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    /// The whole pipeline is one state, allocated once per call by `ResponseFuture` (no
    /// box per level). Its size is what a call allocates and what the executor's task
    /// holds; this bound catches a level that grows it by accident (a large local held
    /// across an await belongs in a box on its rare path, as the retry sleep and the
    /// error-body reader are).
    #[test]
    fn the_pipeline_is_one_state_of_bounded_size() {
        const BUDGET: usize = 3072;
        let client = Client::builder("http://127.0.0.1:9")
            .build()
            .expect("client");
        let mut request = Request::new("op", http::Method::GET, "/x");
        let run = client.run_borrowed(&mut request, Mode::Buffered, None);
        let size = std::mem::size_of_val(&run);
        eprintln!("pipeline state: {size} bytes");
        assert!(size <= BUDGET, "{size}");
    }

    /// The size of what each level of a call moves: its future, and the values handed
    /// up. Printed (`--nocapture`) for the profile in docs/benchmarks.md; bounded so a
    /// level that grows by accident shows up.
    #[test]
    fn what_each_level_moves_is_printed_and_bounded() {
        let client = Client::builder("http://127.0.0.1:9")
            .build()
            .expect("client");
        let mut one = Request::new("op", http::Method::GET, "/x");
        let mut two = one.clone();
        let three = one.clone();
        let send = client.send(Ok(one.clone()), crate::call::decode::json::<()>);
        let sizes = [
            ("ResponseFuture", std::mem::size_of_val(&send)),
            (
                "run_borrowed",
                std::mem::size_of_val(&client.run_borrowed(&mut one, Mode::Buffered, None)),
            ),
            (
                "run_core",
                std::mem::size_of_val(&client.run_core(&mut two, Mode::Buffered, None)),
            ),
            (
                "send_attempt",
                std::mem::size_of_val(&client.send_attempt(
                    &three,
                    &crate::auth::Auth::None,
                    &Mode::Buffered,
                    None,
                    None,
                    client.inner.limiter.try_slot().expect("a free slot"),
                )),
            ),
            (
                "reqwest::Pending",
                std::mem::size_of_val(&client.inner.http.execute(reqwest::Request::new(
                    http::Method::GET,
                    client.inner.base.clone(),
                ))),
            ),
            (
                "tokio::time::Sleep",
                std::mem::size_of::<tokio::time::Sleep>(),
            ),
            ("Outcome", std::mem::size_of::<Outcome>()),
            ("RawResponse", std::mem::size_of::<RawResponse>()),
            ("ResponseMeta", std::mem::size_of::<ResponseMeta>()),
            ("Response<()>", std::mem::size_of::<crate::Response<()>>()),
            ("Error", std::mem::size_of::<Error>()),
            ("Request", std::mem::size_of::<Request>()),
        ];
        for (what, size) in sizes {
            eprintln!("{what}: {size} bytes");
        }
        // The state lives in the box `ResponseFuture` makes; the future is a pointer.
        assert_eq!(sizes[0].1, std::mem::size_of::<usize>() * 2);
        assert!(sizes[6].1 <= 512, "Outcome: {}", sizes[6].1);
    }

    #[test]
    fn the_preferred_request_id_header_wins() {
        let mut h = http::HeaderMap::new();
        assert_eq!(server_request_id(&h), None);
        h.insert("x-correlation-id", http::HeaderValue::from_static("corr"));
        h.insert("request-id", http::HeaderValue::from_static("plain"));
        assert_eq!(server_request_id(&h).as_deref(), Some("plain"));
        h.insert("x-request-id", http::HeaderValue::from_static("best"));
        assert_eq!(server_request_id(&h).as_deref(), Some("best"));
    }

    #[test]
    fn hook_aborts_are_cancelled_non_retryable_and_located() {
        let e = hook_aborted(("audit".into(), "no".into()), 2, "op");
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert_eq!(e.source_kind, ErrorSource::UserHook);
        assert!(!e.retryable);
        assert_eq!((e.attempt, e.operation), (2, Some("op")));
        assert!(e.message.contains("\"audit\": no"), "{}", e.message);
    }
}
