//! The attempt stage: a concurrency slot and the end of any server-requested pause
//! (never waited for beyond the caller's deadline), a circuit-breaker permit (released
//! when the attempt is dropped), `before_request` hooks, the wire stage raced against
//! the per-attempt timeout, and `after_response` hooks.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use tracing::{Instrument, field};

use super::{
    AttemptErr, BodyFactory, Mode, Outcome, OutcomeBody, hook_aborted, is_host_failure,
    server_request_id, timeout_error,
};
use crate::auth::Auth;
use crate::circuit_breaker::CircuitBreaker;
use crate::client::Client;
use crate::correlation::{CorrelationId, RequestId};
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::hooks::HookKind;
use crate::request::Request;
use crate::response::{RawResponse, ResponseMeta};

/// The wire stage raced against the attempt's deadline, both polled by reference:
/// `Some` with the stage's result, `None` once the deadline passed. The stage is polled
/// first, so a response that is ready wins over a deadline that passed meanwhile.
/// Hand-written rather than `tokio::select!` inside an `async` block: that is one more
/// state machine (and a `PollFn`) to poll through on every wake-up of every call.
struct Deadline<'a, F> {
    send: Pin<&'a mut F>,
    timer: Pin<&'a mut tokio::time::Sleep>,
}

impl<F: Future> Future for Deadline<'_, F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Poll::Ready(r) = self.send.as_mut().poll(cx) {
            return Poll::Ready(Some(r));
        }
        self.timer.as_mut().poll(cx).map(|()| None)
    }
}

/// What an attempt needs from its operation.
pub(super) struct AttemptCtx<'a> {
    pub(super) breaker: &'a CircuitBreaker,
    pub(super) auth: &'a Auth,
    pub(super) mode: &'a Mode,
    pub(super) body_factory: Option<&'a BodyFactory>,
    /// Borrowed from the operation's state: one copy of the id per call, not one per
    /// level.
    pub(super) correlation_id: &'a CorrelationId,
    pub(super) sends_own_id: bool,
    pub(super) timeout: Duration,
    pub(super) started: Instant,
    pub(super) op_span: &'a tracing::Span,
}

/// Why an attempt did not produce a response.
pub(super) enum AttemptFailure {
    /// The operation ends with this error (breaker open, hook abort, pause too long).
    Stop(Error),
    /// The attempt failed; the retry loop decides. Carries the token generation sent.
    Failed(Box<AttemptErr>, Option<u64>),
}

/// The longest server-requested pause a call may wait for, and what sets it: the cap
/// (`RateLimitConfig::max_server_pause`), the call's timeout, or its retry budget.
pub(super) fn pause_limit(
    client: &Client,
    timeout: Duration,
    started: Instant,
) -> (Duration, &'static str) {
    let inner = &client.inner;
    let mut limit = (inner.max_server_pause, "the client's pause cap");
    if timeout < limit.0 {
        limit = (timeout, "the call's timeout");
    }
    if let Some(budget) = inner.retry.retry_budget {
        let left = budget.saturating_sub(started.elapsed());
        if left < limit.0 {
            limit = (left, "the call's remaining retry budget");
        }
    }
    limit
}

/// The error when the server asked for a pause of `requested` that `limit` cannot fit.
pub(super) fn pause_too_long(requested: Duration, (limit, what): (Duration, &str)) -> Error {
    let mut e = Error::new(
        ErrorCode::RateLimit,
        format!(
            "the server asked to pause for {} ms, longer than {what} ({} ms); failing at once instead of waiting",
            requested.as_millis(),
            limit.as_millis()
        ),
    )
    .with_source(ErrorSource::RateLimit);
    e.retry_after = Some(requested);
    e
}

impl Client {
    /// Run attempt number `attempt` of `request`.
    pub(super) async fn attempt(
        &self,
        request: &mut Request,
        ctx: &AttemptCtx<'_>,
        attempt: u32,
        metadata: &mut BTreeMap<String, String>,
    ) -> Result<Outcome, AttemptFailure> {
        let inner = &self.inner;
        let slot = match inner.limiter.try_slot() {
            Some(slot) => slot,
            // Waiting is the rare case; boxed so its future does not size every call.
            None => {
                let limit = pause_limit(self, ctx.timeout, ctx.started);
                Box::pin(inner.limiter.wait_for_slot(Instant::now() + limit.0))
                    .await
                    .map_err(|requested| {
                        let mut e = pause_too_long(requested, limit);
                        e.attempt = attempt;
                        e.operation = Some(request.operation);
                        AttemptFailure::Stop(e)
                    })?
            }
        };
        // Released when dropped: a cancelled, timed-out or dropped attempt never leaves
        // the breaker half-open.
        let Some(permit) = ctx.breaker.try_acquire() else {
            let mut e = Error::new(
                ErrorCode::ServerError,
                "circuit breaker is open for this host; failing fast",
            )
            .with_source(ErrorSource::RateLimit);
            e.retryable = true;
            e.attempt = attempt;
            e.operation = Some(request.operation);
            return Err(AttemptFailure::Stop(e));
        };
        inner
            .hooks
            .run(
                HookKind::BeforeRequest,
                request,
                None,
                None,
                attempt,
                metadata,
            )
            .map_err(|h| AttemptFailure::Stop(hook_aborted(h, attempt, request.operation)))?;
        inner.metrics.attempt();
        let attempt_span = tracing::info_span!(
            "connector.attempt",
            method = %request.method,
            path = request.template,
            attempt,
            retry_count = attempt - 1,
            status = field::Empty,
        );
        ctx.op_span.record("attempt", attempt);
        ctx.op_span.record("retry_count", attempt - 1);
        // The wire stage is pinned in the attempt's own state (no box per level) and
        // raced against its deadline by reference: no `Timeout` or `Instrumented`
        // wrapper moves it, and the span is entered only when a subscriber listens.
        let result = {
            let send = std::pin::pin!(self.send_attempt(
                request,
                ctx.auth,
                ctx.mode,
                ctx.body_factory,
                ctx.sends_own_id.then_some(ctx.correlation_id.as_str()),
                slot,
            ));
            let racing = Deadline {
                send,
                timer: std::pin::pin!(tokio::time::sleep(ctx.timeout)),
            };
            let raced = if attempt_span.is_disabled() {
                racing.await
            } else {
                racing.instrument(attempt_span.clone()).await
            };
            raced.unwrap_or_else(|| Err((AttemptErr::boxed(timeout_error(ctx.timeout)), None)))
        };
        match result {
            Ok((ok, _generation)) => {
                permit.record(false);
                attempt_span.record("status", ok.status);
                ctx.op_span.record("status", ok.status);
                let rate_limit = inner.limiter.update_from_response(ok.status, &ok.headers);
                let meta = ResponseMeta {
                    timestamp: SystemTime::now(),
                    duration: ctx.started.elapsed(),
                    retry_count: attempt - 1,
                    request_id: Some(
                        server_request_id(&ok.headers)
                            .map_or(RequestId::Sent(*ctx.correlation_id), RequestId::Server),
                    ),
                    rate_limit: rate_limit.or_else(|| inner.limiter.status()),
                    correlation_id: Some(*ctx.correlation_id),
                    from_cache: ok.from_cache,
                };
                let outcome = Outcome {
                    status: ok.status,
                    headers: ok.headers,
                    meta,
                    body: ok.body,
                };
                if inner.hooks.is_empty() {
                    return Ok(outcome);
                }
                self.after_response_hooks(request, outcome, attempt, metadata)
                    .map_err(AttemptFailure::Stop)
            }
            Err((failed, generation)) => {
                permit.record(is_host_failure(&failed.error));
                if let Some(h) = &failed.headers {
                    inner
                        .limiter
                        .update_from_response(failed.error.status.unwrap_or(0), h);
                }
                if failed.error.status == Some(429) {
                    inner.metrics.rate_limited();
                }
                if let Some(s) = failed.error.status {
                    attempt_span.record("status", s);
                    ctx.op_span.record("status", s);
                }
                Err(AttemptFailure::Failed(failed, generation))
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
                if let Err(h) = self.inner.hooks.run(
                    HookKind::AfterResponse,
                    request,
                    Some(&mut raw),
                    None,
                    attempt,
                    metadata,
                ) {
                    let mut e = hook_aborted(h, attempt, request.operation);
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
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A stage that is ready wins even when the deadline has passed as well (the
    /// response arrived; failing it as a timeout would throw it away).
    #[tokio::test(start_paused = true)]
    async fn a_ready_stage_wins_over_a_passed_deadline() {
        let send = std::pin::pin!(std::future::ready(7));
        let timer = std::pin::pin!(tokio::time::sleep(Duration::from_millis(1)));
        tokio::time::advance(Duration::from_millis(5)).await;
        assert_eq!(Deadline { send, timer }.await, Some(7));
    }

    /// A stage still pending when the deadline passes resolves to `None` (the timeout),
    /// at the deadline and not before.
    #[tokio::test(start_paused = true)]
    async fn a_pending_stage_times_out_at_the_deadline() {
        let started = tokio::time::Instant::now();
        let send = std::pin::pin!(std::future::pending::<u8>());
        let timer = std::pin::pin!(tokio::time::sleep(Duration::from_secs(30)));
        assert_eq!(Deadline { send, timer }.await, None);
        assert_eq!(started.elapsed(), Duration::from_secs(30));
    }
}
