//! The operation stage: request policies, correlation id, idempotency key, the retry
//! loop (replay rule, retry budget, server-requested pauses), `on_error` / `on_retry`
//! hooks, response policies, metrics and the operation span.
//!
//! Replay rule: a failed attempt is retried when its error is retryable and either it
//! never reached the server (connect, DNS, TLS: any method), or the request is safe to
//! replay — an idempotent method (GET, HEAD, PUT, DELETE, OPTIONS, TRACE), or an
//! idempotency key the API honours (the caller's [`Request::idempotency_key`], an
//! `Idempotency-Key` / `X-Idempotency-Key` header, or the client-wide opt-in
//! [`crate::RetryConfig::idempotency`]).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use tracing::{Instrument, field};

use super::attempt::{AttemptCtx, AttemptFailure, pause_limit, pause_too_long};
use super::{BodyFactory, Mode, Outcome, cancelled_error, hook_aborted, random_id};
use crate::auth::Auth;
use crate::circuit_breaker::CircuitBreaker;
use crate::client::{CORRELATION_HEADER, Client, host_key};
use crate::correlation::CorrelationId;
use crate::error::{Error, ErrorSource};
use crate::hooks::HookKind;
use crate::request::Request;
use crate::retry::RetryDecision;

/// Header names that carry an idempotency key.
fn is_idempotency_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("idempotency-key") || name.eq_ignore_ascii_case("x-idempotency-key")
}

impl Client {
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
        mut request: Box<Request>,
        mode: Mode,
        body_factory: Option<BodyFactory>,
    ) -> Result<Outcome, Error> {
        self.run_borrowed(&mut request, mode, body_factory).await
    }

    /// [`Self::run`] for a request the caller's future holds inline (`Client::send`):
    /// no box for the request, and every level borrows it instead of moving it.
    pub(crate) async fn run_borrowed(
        &self,
        request: &mut Request,
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

    /// Give an unsafe request its idempotency key: the caller's (field or header), else
    /// a fresh one when the client opted in. The key is sent as `Idempotency-Key`
    /// unless the caller already sends one under either name.
    fn settle_idempotency_key(&self, request: &mut Request) {
        if !request.idempotent && request.idempotency_key.is_none() {
            let from_header = request
                .headers
                .iter()
                .find(|(n, _)| is_idempotency_header(n))
                .map(|(_, v)| v.clone());
            request.idempotency_key = match from_header {
                Some(k) => Some(k),
                None if self.inner.retry.idempotency => Some(random_id()),
                None => None,
            };
        }
        if let Some(key) = &request.idempotency_key
            && !request
                .headers
                .iter()
                .any(|(n, _)| is_idempotency_header(n))
        {
            request
                .headers
                .push(("Idempotency-Key".to_owned(), key.clone()));
        }
    }

    /// The core pipeline for one logical operation; it knows nothing of policies.
    pub(crate) async fn run_core(
        &self,
        request: &mut Request,
        mode: Mode,
        body_factory: Option<BodyFactory>,
    ) -> Result<Outcome, Error> {
        // Correlation id: the caller's header, else a fresh one, reused across attempts.
        // A fresh one is added to the wire request by the wire stage (not pushed into
        // `request.headers`, which would cost a name, a vector and a copy per call).
        // Held inline (`Copy`): the call allocates no string for it. A caller's id that
        // does not fit fails the call before it counts in the metrics.
        // Scoped so that only the id itself (not the caller's copy too) is held in the
        // call's state across the awaits below.
        let (correlation_id, sends_own_id) = {
            let callers_id = request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(CORRELATION_HEADER))
                .map(|(_, v)| {
                    CorrelationId::from_text(v).ok_or_else(|| {
                        let mut e = Error::validation(format!(
                            "the {CORRELATION_HEADER} header is longer than {} bytes",
                            CorrelationId::MAX_LEN
                        ));
                        e.operation = Some(request.operation);
                        e
                    })
                })
                .transpose()?;
            (
                callers_id.unwrap_or_else(CorrelationId::random),
                callers_id.is_none(),
            )
        };
        let started = Instant::now();
        let inner = &self.inner;
        let _in_flight = inner.lifecycle.enter().map_err(|mut e| {
            e.operation = Some(request.operation);
            e
        })?;
        inner.metrics.request();

        self.settle_idempotency_key(request);

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
            // Pinned in the call's own state (one allocation per call, made by
            // `ResponseFuture`) and polled in place: no box per level.
            let fut = std::pin::pin!(self.run_attempts(
                request,
                mode,
                body_factory,
                started,
                (&correlation_id, sends_own_id),
                &span,
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
                e.request_id = Some(correlation_id.to_string());
            }
            span.record("error_code", e.code.as_str());
            tracing::debug!(parent: &span, code = e.code.as_str(), status = e.status, attempt = e.attempt, "operation failed");
            e
        })
    }

    pub(super) async fn run_attempts(
        &self,
        request: &mut Request,
        mode: Mode,
        body_factory: Option<BodyFactory>,
        started: Instant,
        // The id, and whether the pipeline sends it (not the caller's header).
        (correlation_id, sends_own_id): (&CorrelationId, bool),
        op_span: &tracing::Span,
    ) -> Result<Outcome, Error> {
        let inner = &self.inner;
        let retry = &inner.retry;
        let other_host = self.other_host_breaker(request);
        // The credentials current when the call started, for all its attempts. A
        // guard, not a clone: no lock and no shared reference count on the hot path
        // (past a few guards per thread, `arc-swap` falls back to a reference count).
        let auth = self.inner.auth.load();
        let replay_safe = request.idempotent || request.idempotency_key.is_some();
        let ctx = AttemptCtx {
            breaker: other_host
                .as_deref()
                .unwrap_or_else(|| self.inner.breakers.base()),
            auth: &auth,
            mode: &mode,
            body_factory: body_factory.as_ref(),
            correlation_id,
            sends_own_id,
            timeout: request.timeout.unwrap_or(inner.timeout),
            started,
            op_span,
        };
        let mut metadata = BTreeMap::new();
        let mut attempt: u32 = 0;
        let mut refreshed_after_401 = false;
        loop {
            attempt += 1;
            let (mut failed, generation) =
                match self.attempt(request, &ctx, attempt, &mut metadata).await {
                    Ok(outcome) => return Ok(outcome),
                    Err(AttemptFailure::Stop(e)) => return Err(e),
                    Err(AttemptFailure::Failed(failed, generation)) => (failed, generation),
                };
            let err = &mut failed.error;
            err.attempt = attempt;
            err.operation = Some(request.operation);
            err.elapsed = started.elapsed();
            if err.request_id.is_none() {
                err.request_id = Some(correlation_id.to_string());
            }
            // One refresh-and-retry after a 401 with refreshing credentials (only when
            // a token was sent: a bare request to a foreign origin carried none).
            if err.status == Some(401)
                && !refreshed_after_401
                && let (Auth::Refreshing(source), Some(stale)) = (&**auth, generation)
            {
                refreshed_after_401 = true;
                tracing::info!(
                    attempt,
                    "401 received; refreshing credentials and retrying once"
                );
                // Boxed: a refresh is rare, and its future would size every call.
                Box::pin(source.refresh_after_rejection(stale))
                    .await
                    .map_err(|mut e| {
                        e.attempt = attempt;
                        e.operation = Some(request.operation);
                        e
                    })?;
                inner.metrics.retry();
                continue;
            }
            // The hooks see the error response too (read-only: changes are dropped).
            let mut response =
                failed.response(started, attempt, *correlation_id, inner.limiter.status());
            inner
                .hooks
                .run(
                    HookKind::OnError,
                    request,
                    response.as_mut(),
                    Some(&mut failed.error),
                    attempt,
                    &mut metadata,
                )
                .map_err(|h| hook_aborted(h, attempt, request.operation))?;
            // Errors before the request was written never reached the server: those
            // are retried for every method.
            let replayable = replay_safe || !failed.may_have_reached;
            let decision = retry.should_retry(
                &failed.error,
                attempt,
                started.elapsed(),
                replayable,
                failed.retry_after,
            );
            match decision {
                RetryDecision::Retry(delay) => {
                    // A server-requested pause must fit the cap, the call's timeout and
                    // its budget; otherwise the call fails now, carrying the delay.
                    if retry.respect_retry_after
                        && let Some(requested) = failed.retry_after
                    {
                        let limit = pause_limit(self, ctx.timeout, started);
                        if requested > limit.0 {
                            let mut e = pause_too_long(requested, limit);
                            e.status = failed.error.status;
                            e.attempt = attempt;
                            e.operation = Some(request.operation);
                            e.request_id = failed.error.request_id.take();
                            e.body = failed.error.body.take();
                            return Err(e);
                        }
                    }
                    inner
                        .hooks
                        .run(
                            HookKind::OnRetry,
                            request,
                            None,
                            Some(&mut failed.error),
                            attempt,
                            &mut metadata,
                        )
                        .map_err(|h| hook_aborted(h, attempt, request.operation))?;
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
                        "not replaying a request that may have reached the server: unsafe method without an idempotency key"
                    );
                    failed.error.message.push_str(
                        "; not retried: the request may have reached the server and its method is unsafe without an idempotency key",
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
