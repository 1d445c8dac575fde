//! The request pipeline (seed 004 "Middleware Pipeline"):
//!
//! 1. build (defaults → per-call options → correlation id → idempotency key)
//! 2. rate limiter `wait_for_slot` (concurrency, token buckets, server pause) and
//!    circuit breaker
//! 3. `before_request` hooks, then auth (refreshing tokens, signers)
//! 4. execute with per-attempt timeout and the caller's cancellation token
//! 5. `after_response` hooks
//! 6. `on_error` hooks, `should_retry` → `on_retry` hooks → backoff
//! 7. metrics and spans at each stage
//!
//! Hand-written as one non-generic async loop rather than a tower / reqwest-middleware
//! stack: the stages share per-operation state (attempt number, idempotency key,
//! correlation id, token generation, retry budget) that layered services would have to
//! thread through request extensions, and this keeps the hot path free of boxed
//! futures per layer.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use tracing::{Instrument, field};

use crate::auth::Auth;
use crate::circuit_breaker::CircuitBreaker;
use crate::client::{CORRELATION_HEADER, Client, host_key};
use crate::error::{Error, ErrorCode, ErrorSource, MAX_ERROR_BODY};
use crate::hooks::HookKind;
use crate::policy::{PolicyResponse, SideSender};
use crate::rate_limit::Slot;
use crate::request::{Body, Request};
use crate::response::{RawResponse, ResponseMeta};
use crate::retry::{RetryDecision, parse_retry_after};

/// Produces a fresh request body for each attempt (uploads from files or streams).
pub type BodyFactory = Arc<dyn Fn() -> Result<reqwest::Body, Error> + Send + Sync>;

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

/// How the response body is consumed.
#[derive(Clone)]
pub(crate) enum Mode {
    /// Read the whole body inside the attempt (so mid-body failures are retried).
    Buffered,
    /// Return after the headers; the caller streams the body.
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

struct AttemptOk {
    status: u16,
    headers: http::HeaderMap,
    body: OutcomeBody,
    from_cache: bool,
}

struct AttemptErr {
    error: Error,
    retry_after: Option<Duration>,
    headers: Option<http::HeaderMap>,
}

impl From<Error> for AttemptErr {
    fn from(error: Error) -> Self {
        AttemptErr {
            error,
            retry_after: None,
            headers: None,
        }
    }
}

impl AttemptErr {
    /// A failed attempt from `error`, boxed (errors are rare; see `send_attempt`).
    fn boxed(error: Error) -> Box<Self> {
        Box::new(error.into())
    }
}

/// The pipeline's own header names, built at compile time.
const CORRELATION_NAME: http::HeaderName = http::HeaderName::from_static(CORRELATION_HEADER);
const IDEMPOTENCY_KEY_NAME: http::HeaderName = http::HeaderName::from_static("idempotency-key");

/// 128 random bits as 32 hex characters.
pub(crate) fn random_id() -> String {
    // Hex digits of a random u128 written into a buffer (the formatting machinery costs
    // more than the random number on every call).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let n: u128 = rand::random();
    let digits: Vec<u8> = (0..32)
        .map(|i| HEX[((n >> ((31 - i) * 4)) & 0xf) as usize])
        .collect();
    // ASCII by construction, so the conversion cannot fail.
    String::from_utf8(digits).unwrap_or_default()
}

/// The server's request id: the first of the usual headers present, in this order of
/// preference. One pass over the (few) response headers, with no name parsing or hashing.
fn server_request_id(headers: &http::HeaderMap) -> Option<String> {
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

/// The URL of `request`: its absolute URL, else the client's base URL with the request's
/// path (already percent-encoded) appended. The common case reuses the parsed base and
/// only sets the path, so the host is not parsed again on every call.
fn request_url(
    base: &reqwest::Url,
    base_text: &str,
    request: &Request,
) -> Result<reqwest::Url, Error> {
    let parse = |text: &str| {
        reqwest::Url::parse(text)
            .map_err(|e| Error::validation(format!("invalid request URL: {e}")).with_cause(e))
    };
    if let Some(absolute) = &request.absolute_url {
        return parse(absolute);
    }
    let path = request.path.as_str();
    if path.starts_with('/') && !path.contains(['?', '#']) && base.query().is_none() {
        let mut url = base.clone();
        let prefix = base.path().trim_end_matches('/');
        if prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&format!("{prefix}{path}"));
        }
        return Ok(url);
    }
    parse(&format!("{base_text}{path}"))
}

pub(crate) fn transport_error(e: reqwest::Error) -> Error {
    let (code, message) = if e.is_timeout() {
        (ErrorCode::Timeout, "request timed out in transport")
    } else if e.is_builder() {
        (ErrorCode::ValidationError, "request could not be built")
    } else if e.is_decode() && !is_interrupted(&e) {
        (
            ErrorCode::ParsingError,
            "response body could not be decoded",
        )
    } else if e.is_decode() {
        (
            ErrorCode::NetworkError,
            "connection lost while reading the body",
        )
    } else if e.is_connect() {
        (ErrorCode::NetworkError, "connection failed")
    } else if e.is_body() {
        (
            ErrorCode::NetworkError,
            "connection failed while transferring the body",
        )
    } else {
        (ErrorCode::NetworkError, "request failed in transport")
    };
    let mut err = Error::new(code, message).with_source(ErrorSource::Transport);
    // reqwest's Display includes the URL, which may carry an API key in the query:
    // keep the cause without the URL.
    err.cause = Some(Box::new(e.without_url()));
    err
}

/// Whether an I/O failure (reset, EOF before the promised length) sits in the chain:
/// reqwest reports those as "decode" errors while reading the body.
fn is_interrupted(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io.kind() != std::io::ErrorKind::InvalidData;
        }
        source = s.source();
    }
    false
}

fn timeout_error(after: Duration) -> Error {
    Error::new(
        ErrorCode::Timeout,
        format!("request exceeded its timeout of {} ms", after.as_millis()),
    )
    .with_source(ErrorSource::Transport)
}

fn cancelled_error(reason: &str, source: ErrorSource) -> Error {
    let mut e = Error::new(ErrorCode::Cancelled, reason.to_owned()).with_source(source);
    e.retryable = false;
    e
}

/// Whether an error counts against the host's circuit breaker.
fn is_host_failure(e: &Error) -> bool {
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

    /// The breaker of another host the request goes to (an absolute URL), if any; the
    /// base URL's breaker is used by reference otherwise.
    fn other_host_breaker(&self, request: &Request) -> Option<Arc<CircuitBreaker>> {
        let url = reqwest::Url::parse(request.absolute_url.as_deref()?).ok()?;
        Some(self.inner.breakers.for_host(&host_key(&url)))
    }

    /// Run the pipeline for one logical operation: the policy layer (when the client has
    /// policies) around the core pipeline.
    pub(crate) async fn run(
        &self,
        request: Box<Request>,
        mode: Mode,
        body_factory: Option<BodyFactory>,
    ) -> Result<Outcome, Error> {
        let policies = &self.inner.policies;
        if policies.is_empty() {
            return self.run_core(request, mode, body_factory).await;
        }
        // Boxed: only clients with policies pay for the layer's state.
        Box::pin(policies.around(request, self, |request| {
            self.run_core(request, mode, body_factory)
        }))
        .await
    }

    /// The core pipeline for one logical operation; it knows nothing of policies.
    async fn run_core(
        &self,
        mut request: Box<Request>,
        mode: Mode,
        body_factory: Option<BodyFactory>,
    ) -> Result<Outcome, Error> {
        let started = Instant::now();
        let inner = &self.inner;
        let _in_flight = inner.lifecycle.enter().map_err(|mut e| {
            e.operation = Some(request.operation);
            e
        })?;
        inner.metrics.request();

        // Correlation id: the caller's header, else a fresh one, reused across attempts.
        // A fresh one is added to the wire request by `build_http_request` (not pushed
        // into `request.headers`, which would cost a name, a vector and a copy per call).
        let callers_id = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(CORRELATION_HEADER))
            .map(|(_, v)| v.clone());
        let sends_own_id = callers_id.is_none();
        let correlation_id = callers_id.unwrap_or_else(random_id);

        // Idempotency key: generated once per logical operation for unsafe methods.
        if !request.idempotent && request.idempotency_key.is_none() {
            let from_header = request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("idempotency-key"))
                .map(|(_, v)| v.clone());
            request.idempotency_key = match from_header {
                Some(k) => Some(k),
                None if inner.retry.idempotency => Some(random_id()),
                None => None,
            };
        }
        if let Some(key) = &request.idempotency_key
            && !request
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("idempotency-key"))
        {
            request
                .headers
                .push(("Idempotency-Key".to_owned(), key.clone()));
        }

        let span = tracing::info_span!(
            "connector.operation",
            operation = request.operation,
            method = %request.method,
            path = request.template,
            correlation_id = %correlation_id,
            status = field::Empty,
            attempt = field::Empty,
            retry_count = field::Empty,
            error_code = field::Empty,
        );
        let cancel = request.cancel.clone();
        let result = {
            // Boxed apart from the call's state (see `run_attempts`) and polled in place.
            let fut = Box::pin(self.run_attempts(
                request,
                mode,
                body_factory,
                started,
                &correlation_id,
                sends_own_id,
            ));
            match (cancel, span.is_disabled()) {
                (None, true) => fut.await,
                (None, false) => fut.instrument(span.clone()).await,
                (Some(token), _) => tokio::select! {
                    biased;
                    _ = token.cancelled() => {
                        Err(cancelled_error("request was cancelled by the caller", ErrorSource::Unknown))
                    }
                    r = fut.instrument(span.clone()) => r,
                },
            }
        };
        let elapsed = started.elapsed();
        inner.metrics.finish(elapsed, result.is_ok());
        result.map_err(|mut e| {
            e.elapsed = elapsed;
            if e.request_id.is_none() {
                e.request_id = Some(correlation_id);
            }
            span.record("error_code", e.code.as_str());
            tracing::debug!(parent: &span, code = e.code.as_str(), status = e.status, attempt = e.attempt, "operation failed");
            e
        })
    }

    async fn run_attempts(
        &self,
        mut request: Box<Request>,
        mode: Mode,
        body_factory: Option<BodyFactory>,
        started: Instant,
        correlation_id: &str,
        sends_own_id: bool,
    ) -> Result<Outcome, Error> {
        let inner = &self.inner;
        let retry = &inner.retry;
        let other_host = self.other_host_breaker(&request);
        let breaker: &CircuitBreaker = other_host
            .as_deref()
            .unwrap_or_else(|| self.inner.breakers.base());
        let auth = self.auth();
        let replay_safe = request.idempotent || request.idempotency_key.is_some();
        let per_call_timeout = request.timeout.unwrap_or(inner.timeout);
        let mut metadata = BTreeMap::new();
        let mut attempt: u32 = 0;
        let mut refreshed_after_401 = false;
        let op_span = tracing::Span::current();
        loop {
            attempt += 1;
            // Waiting is the rare case; boxed so its future does not size every call.
            let slot = match inner.limiter.try_slot() {
                Some(slot) => slot,
                None => Box::pin(inner.limiter.wait_for_slot()).await,
            };
            let Some(permit) = breaker.try_acquire() else {
                let mut e = Error::new(
                    ErrorCode::ServerError,
                    "circuit breaker is open for this host; failing fast",
                )
                .with_source(ErrorSource::RateLimit);
                e.retryable = true;
                e.attempt = attempt;
                e.operation = Some(request.operation);
                return Err(e);
            };
            if let Err((hook, reason)) = inner.hooks.run(
                HookKind::BeforeRequest,
                &mut request,
                None,
                None,
                attempt,
                &mut metadata,
            ) {
                breaker.release(permit);
                let mut e = cancelled_error(
                    &format!("aborted by hook {hook:?}: {reason}"),
                    ErrorSource::UserHook,
                );
                e.attempt = attempt;
                e.operation = Some(request.operation);
                return Err(e);
            }
            inner.metrics.attempt();
            let attempt_span = tracing::info_span!(
                "connector.attempt",
                method = %request.method,
                path = request.template,
                attempt,
                retry_count = attempt - 1,
                status = field::Empty,
            );
            op_span.record("attempt", attempt);
            op_span.record("retry_count", attempt - 1);
            // The attempt is boxed on its own (each pipeline level stays within glibc's
            // per-thread cache, 1032 bytes) and raced against its deadline by reference:
            // no `Timeout` or `Instrumented` wrapper moves it, and the span is entered
            // only when a subscriber listens.
            let result = {
                let mut send = Box::pin(self.send_attempt(
                    &request,
                    &auth,
                    &mode,
                    body_factory.as_ref(),
                    sends_own_id.then_some(correlation_id),
                    slot,
                ));
                let deadline = tokio::time::sleep(per_call_timeout);
                tokio::pin!(deadline);
                let racing = async {
                    tokio::select! {
                        biased;
                        r = &mut send => r,
                        _ = &mut deadline => {
                            Err((AttemptErr::boxed(timeout_error(per_call_timeout)), None))
                        }
                    }
                };
                if attempt_span.is_disabled() {
                    racing.await
                } else {
                    racing.instrument(attempt_span.clone()).await
                }
            };
            match result {
                Ok((ok, _generation)) => {
                    breaker.record(permit, false);
                    attempt_span.record("status", ok.status);
                    op_span.record("status", ok.status);
                    let rate_limit = inner.limiter.update_from_response(ok.status, &ok.headers);
                    let meta = ResponseMeta {
                        timestamp: SystemTime::now(),
                        duration: started.elapsed(),
                        retry_count: attempt - 1,
                        request_id: server_request_id(&ok.headers)
                            .or_else(|| Some(correlation_id.to_owned())),
                        rate_limit: rate_limit.or_else(|| inner.limiter.status()),
                        correlation_id: Some(correlation_id.to_owned()),
                        from_cache: ok.from_cache,
                    };
                    let mut outcome = Outcome {
                        status: ok.status,
                        headers: ok.headers,
                        meta,
                        body: ok.body,
                    };
                    if !inner.hooks.is_empty() {
                        outcome = self.after_response_hooks(
                            &mut request,
                            outcome,
                            attempt,
                            &mut metadata,
                        )?;
                    }
                    return Ok(outcome);
                }
                Err((mut failed, generation)) => {
                    breaker.record(permit, is_host_failure(&failed.error));
                    if let Some(h) = &failed.headers {
                        inner
                            .limiter
                            .update_from_response(failed.error.status.unwrap_or(0), h);
                    }
                    if failed.error.status == Some(429) {
                        inner.metrics.rate_limited();
                    }
                    let err = &mut failed.error;
                    err.attempt = attempt;
                    err.operation = Some(request.operation);
                    err.elapsed = started.elapsed();
                    if err.request_id.is_none() {
                        err.request_id = Some(correlation_id.to_owned());
                    }
                    if let Some(s) = err.status {
                        attempt_span.record("status", s);
                        op_span.record("status", s);
                    }
                    // One refresh-and-retry after a 401 with refreshing credentials.
                    if err.status == Some(401)
                        && !refreshed_after_401
                        && let Auth::Refreshing(source) = &*auth
                    {
                        refreshed_after_401 = true;
                        tracing::info!(
                            attempt,
                            "401 received; refreshing credentials and retrying once"
                        );
                        // Boxed: a refresh is rare, and its future would size every call.
                        Box::pin(source.refresh_after_rejection(generation.unwrap_or(0)))
                            .await
                            .map_err(|mut e| {
                                e.attempt = attempt;
                                e.operation = Some(request.operation);
                                e
                            })?;
                        inner.metrics.retry();
                        continue;
                    }
                    if let Err((hook, reason)) = inner.hooks.run(
                        HookKind::OnError,
                        &mut request,
                        None,
                        Some(err),
                        attempt,
                        &mut metadata,
                    ) {
                        let mut e = cancelled_error(
                            &format!("aborted by hook {hook:?}: {reason}"),
                            ErrorSource::UserHook,
                        );
                        e.attempt = attempt;
                        e.operation = Some(request.operation);
                        return Err(e);
                    }
                    let decision = retry.should_retry(
                        &failed.error,
                        attempt,
                        started.elapsed(),
                        replay_safe,
                        failed.retry_after,
                    );
                    match decision {
                        RetryDecision::Retry(delay) => {
                            if let Err((hook, reason)) = inner.hooks.run(
                                HookKind::OnRetry,
                                &mut request,
                                None,
                                Some(&mut failed.error),
                                attempt,
                                &mut metadata,
                            ) {
                                let mut e = cancelled_error(
                                    &format!("aborted by hook {hook:?}: {reason}"),
                                    ErrorSource::UserHook,
                                );
                                e.attempt = attempt;
                                e.operation = Some(request.operation);
                                return Err(e);
                            }
                            inner.metrics.retry();
                            tracing::warn!(
                                attempt,
                                code = failed.error.code.as_str(),
                                status = failed.error.status,
                                delay_ms = delay.as_millis() as u64,
                                "retrying"
                            );
                            // Boxed: retries are rare, and the timer would size every call.
                            Box::pin(tokio::time::sleep(delay)).await;
                        }
                        RetryDecision::UnsafeWithoutKey => {
                            tracing::warn!(
                                method = %request.method,
                                "not retrying an unsafe request without an idempotency key (no silent replay)"
                            );
                            failed.error.message.push_str(
                                "; not retried: unsafe method without an idempotency key",
                            );
                            return Err(failed.error);
                        }
                        RetryDecision::BudgetExhausted => {
                            failed.error.message.push_str("; retry budget exhausted");
                            return Err(failed.error);
                        }
                        RetryDecision::AttemptsExhausted | RetryDecision::NotRetryable => {
                            return Err(failed.error);
                        }
                    }
                }
            }
        }
    }

    fn after_response_hooks(
        &self,
        request: &mut Request,
        outcome: Outcome,
        attempt: u32,
        metadata: &mut BTreeMap<String, String>,
    ) -> Result<Outcome, Error> {
        let Outcome {
            status,
            headers,
            meta,
            body,
        } = outcome;
        match body {
            OutcomeBody::Buffered(bytes) => {
                let mut raw = RawResponse {
                    status,
                    headers,
                    body: bytes,
                    meta,
                };
                if let Err((hook, reason)) = self.inner.hooks.run(
                    HookKind::AfterResponse,
                    request,
                    Some(&mut raw),
                    None,
                    attempt,
                    metadata,
                ) {
                    let mut e = cancelled_error(
                        &format!("aborted by hook {hook:?}: {reason}"),
                        ErrorSource::UserHook,
                    );
                    e.attempt = attempt;
                    e.status = Some(raw.status);
                    return Err(e);
                }
                Ok(Outcome {
                    status: raw.status,
                    headers: raw.headers,
                    meta: raw.meta,
                    body: OutcomeBody::Buffered(raw.body),
                })
            }
            streaming => Ok(Outcome {
                status,
                headers,
                meta,
                body: streaming,
            }),
        }
    }

    /// The wire request for one attempt; `correlation_id` is the pipeline's own id to
    /// send (`None` when the caller set the header).
    fn build_http_request(
        &self,
        request: &Request,
        body_factory: Option<&BodyFactory>,
        correlation_id: Option<&str>,
    ) -> Result<reqwest::Request, Error> {
        let inner = &self.inner;
        let mut url = request_url(&inner.base, &inner.base_url, request)?;
        if !inner.default_query.is_empty() || !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in inner.default_query.iter().chain(&request.query) {
                pairs.append_pair(k, v);
            }
        }
        let mut builder = inner.http.request(request.method.clone(), url);
        if !inner.default_headers.is_empty() {
            builder = builder.headers(inner.default_headers.clone());
        }
        if let Some(id) = correlation_id {
            let v = http::HeaderValue::from_str(id)
                .map_err(|e| Error::validation("invalid correlation id").with_cause(e))?;
            builder = builder.header(CORRELATION_NAME, v);
        }
        for (name, value) in &request.headers {
            // The pipeline's own headers have static names: no parsing, no allocation.
            let n = if name.eq_ignore_ascii_case(CORRELATION_HEADER) {
                CORRELATION_NAME
            } else if name.eq_ignore_ascii_case("idempotency-key") {
                IDEMPOTENCY_KEY_NAME
            } else {
                http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
                    Error::validation(format!("invalid header name {name:?}")).with_cause(e)
                })?
            };
            let v = http::HeaderValue::from_str(value).map_err(|e| {
                Error::validation(format!("invalid value for header {name:?}")).with_cause(e)
            })?;
            builder = builder.header(n, v);
        }
        if let Some(factory) = body_factory {
            builder = builder.body(factory()?);
        } else {
            builder = match &request.body {
                Body::Empty => builder,
                Body::Bytes { content_type, data } => builder
                    .header(http::header::CONTENT_TYPE, content_type.as_str())
                    .body(data.clone()),
                Body::Form(form) if form.multipart => {
                    let mut mp = reqwest::multipart::Form::new();
                    for (name, value) in &form.fields {
                        mp = mp.text(name.clone(), value.clone());
                    }
                    for (name, file) in &form.files {
                        let mut part = reqwest::multipart::Part::stream(reqwest::Body::from(
                            file.data.clone(),
                        ));
                        if let Some(file_name) = &file.file_name {
                            part = part.file_name(file_name.clone());
                        }
                        let ct = file
                            .content_type
                            .as_deref()
                            .unwrap_or("application/octet-stream");
                        part = part.mime_str(ct).map_err(|e| {
                            Error::validation(format!("invalid content type {ct:?}")).with_cause(e)
                        })?;
                        mp = mp.part(name.clone(), part);
                    }
                    builder.multipart(mp)
                }
                Body::Form(form) => builder.form(&form.fields),
            };
        }
        builder.build().map_err(transport_error)
    }

    async fn send_attempt(
        &self,
        request: &Request,
        auth: &Auth,
        mode: &Mode,
        body_factory: Option<&BodyFactory>,
        correlation_id: Option<&str>,
        slot: Slot,
    ) -> Result<(AttemptOk, Option<u64>), (Box<AttemptErr>, Option<u64>)> {
        let inner = &self.inner;
        // The wire request lives in this block only, so the attempt's state does not
        // keep room for it across the later awaits.
        let (pending, cache_key, generation) = {
            let mut http_request = self
                .build_http_request(request, body_factory, correlation_id)
                .map_err(|e| (AttemptErr::boxed(e), None))?;
            // Conditional request from the revalidation cache.
            let cache_key = match (&inner.cache, &request.method) {
                (Some(cache), &http::Method::GET) => {
                    let key = http_request.url().as_str().to_owned();
                    for (name, value) in cache.validators(&key) {
                        if let Ok(v) = http::HeaderValue::from_str(&value) {
                            http_request.headers_mut().insert(name, v);
                        }
                    }
                    Some(key)
                }
                _ => None,
            };
            let generation = auth
                .authenticate(&mut http_request)
                .await
                .map_err(|e| (AttemptErr::boxed(e), None))?;
            if tracing::enabled!(tracing::Level::DEBUG) {
                tracing::debug!(
                    url = %inner.redactor.url(http_request.url()),
                    headers = %inner.redactor.headers(http_request.headers()),
                    "sending request"
                );
            }
            (inner.http.execute(http_request), cache_key, generation)
        };
        let mut response = pending
            .await
            .map_err(|e| (AttemptErr::boxed(transport_error(e)), generation))?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        tracing::debug!(status, "response headers received");
        if status == 304
            && let (Some(cache), Some(key)) = (&inner.cache, &cache_key)
            && let Some(hit) = cache.get(key)
        {
            drop(slot);
            return Ok((
                AttemptOk {
                    status: hit.status,
                    headers: hit.headers,
                    body: OutcomeBody::Buffered(hit.body),
                    from_cache: true,
                },
                generation,
            ));
        }
        if !(200..300).contains(&status) {
            let retry_after = parse_retry_after(&headers);
            // Boxed: error bodies are rare, and their reader would otherwise size every
            // attempt's state.
            let body = Box::pin(read_capped(response, MAX_ERROR_BODY)).await;
            let mut err = Error::from_status(status, body);
            err.request_id = server_request_id(&headers);
            if status == 401 || status == 403 {
                err.source_kind = ErrorSource::Auth;
            } else if status == 429 {
                err.source_kind = ErrorSource::RateLimit;
            }
            return Err((
                Box::new(AttemptErr {
                    error: err,
                    retry_after,
                    headers: Some(headers),
                }),
                generation,
            ));
        }
        match mode {
            Mode::Streaming => Ok((
                AttemptOk {
                    status,
                    headers,
                    body: OutcomeBody::Streaming(response, slot),
                    from_cache: false,
                },
                generation,
            )),
            Mode::Buffered => {
                let body = response
                    .bytes()
                    .await
                    .map_err(|e| (AttemptErr::boxed(transport_error(e)), generation))?;
                drop(slot);
                inner.metrics.received(body.len());
                if let (Some(cache), Some(key)) = (&inner.cache, &cache_key) {
                    cache.store(key, status, &headers, &body);
                }
                Ok((
                    AttemptOk {
                        status,
                        headers,
                        body: OutcomeBody::Buffered(body),
                        from_cache: false,
                    },
                    generation,
                ))
            }
        }
    }
}

/// Read at most `cap` bytes of an error body; transport failures yield what arrived.
async fn read_capped(response: reqwest::Response, cap: usize) -> Bytes {
    let mut out = BytesMut::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else { break };
        let room = cap - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= cap {
            break;
        }
    }
    out.freeze()
}

/// The policy layer rewrites a successful outcome's headers and buffered body.
impl PolicyResponse for Outcome {
    fn headers_and_body(&mut self) -> (&mut http::HeaderMap, Option<&mut Bytes>) {
        let body = match &mut self.body {
            OutcomeBody::Buffered(bytes) => Some(bytes),
            OutcomeBody::Streaming(..) => None,
        };
        (&mut self.headers, body)
    }
}

/// The capability the policy layer gets for side requests (`setvaluefromurl`): the core
/// pipeline (auth, limits, retries; no policies), not the client.
impl SideSender for Client {
    fn send_side(&self, request: Request) -> futures::future::BoxFuture<'_, Result<Bytes, Error>> {
        Box::pin(async move {
            let outcome = self
                .run_core(Box::new(request), Mode::Buffered, None)
                .await?;
            Ok(outcome.into_raw().await?.body)
        })
    }

    fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_for(base: &str, request: &Request) -> String {
        let base = base.trim_end_matches('/');
        let parsed = reqwest::Url::parse(base).expect("base parses");
        request_url(&parsed, base, request)
            .expect("url builds")
            .to_string()
    }

    #[test]
    fn request_urls_join_the_base_path_and_keep_encoding() {
        let mut r = Request::new("op", http::Method::GET, "/items/{id}");
        r.path_param("id", "a/b c");
        assert_eq!(
            url_for("https://api.example.com", &r),
            "https://api.example.com/items/a%2Fb%20c"
        );
        assert_eq!(
            url_for("https://api.example.com/v2/", &r),
            "https://api.example.com/v2/items/a%2Fb%20c"
        );
        // A template carrying its own query falls back to a full parse.
        let q = Request::new("op", http::Method::GET, "/search?api-version=1");
        assert_eq!(
            url_for("http://127.0.0.1:8080/base", &q),
            "http://127.0.0.1:8080/base/search?api-version=1"
        );
        let mut abs = Request::new("op", http::Method::GET, "/ignored");
        abs.absolute_url = Some("https://other.example/next?page=2".into());
        assert_eq!(
            url_for("https://api.example.com", &abs),
            "https://other.example/next?page=2"
        );
    }

    /// Each pipeline level is boxed separately and must stay within glibc's per-thread
    /// cache (requests up to 1032 bytes): a larger state is allocated under an arena
    /// lock on every call, which costs throughput when many calls are in flight.
    #[test]
    fn pipeline_states_fit_the_allocators_thread_cache() {
        const THREAD_CACHE_MAX: usize = 1032;
        let client = Client::builder("http://127.0.0.1:9")
            .build()
            .expect("client");
        let request = || Box::new(Request::new("op", http::Method::GET, "/x"));
        let run = client.run(request(), Mode::Buffered, None);
        assert!(
            std::mem::size_of_val(&run) <= THREAD_CACHE_MAX,
            "{}",
            std::mem::size_of_val(&run)
        );
        let attempts =
            client.run_attempts(request(), Mode::Buffered, None, Instant::now(), "id", true);
        assert!(
            std::mem::size_of_val(&attempts) <= THREAD_CACHE_MAX,
            "{}",
            std::mem::size_of_val(&attempts)
        );
    }

    #[test]
    fn random_ids_are_32_lowercase_hex_digits_and_differ() {
        let a = random_id();
        let b = random_id();
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
            "{a}"
        );
        assert_ne!(a, b);
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
}
