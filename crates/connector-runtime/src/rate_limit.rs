//! Client-side rate limiting: token buckets per second / minute / hour (`governor`),
//! a concurrency cap ([`ConcurrencyGate`]), and an adaptive pause learned from
//! `X-RateLimit-*` / `RateLimit-*` / `Retry-After` response headers.
//!
//! The adaptive part is hand-written: governor quotas are fixed at construction, and
//! what servers report is a window state ("0 left until T"), not a new steady rate, so
//! it is modelled as a shared "no request before T" gate.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter as Governor};
use http::HeaderMap;
use tokio::sync::Notify;

use crate::config::RateLimitConfig;
use crate::response::RateLimitStatus;

/// The client's rate limiter.
#[derive(Debug)]
pub struct RateLimiter {
    buckets: Vec<DefaultDirectRateLimiter>,
    concurrency: Arc<ConcurrencyGate>,
    adaptive: bool,
    epoch: Instant,
    /// Milliseconds since `epoch` before which no request may start (0 = none).
    blocked_until_ms: AtomicU64,
    status: Mutex<Option<RateLimitStatus>>,
    /// Whether `status` was ever set: most servers send no rate-limit headers, and then
    /// reading the status takes no lock.
    status_known: AtomicBool,
}

/// A held concurrency slot; released on drop.
#[derive(Debug)]
pub struct Slot {
    gate: Arc<ConcurrencyGate>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.gate.release();
    }
}

/// The concurrency cap: a counter of calls in flight, and a [`Notify`] for the calls
/// waiting for a slot.
///
/// Hand-written rather than a `tokio::sync::Semaphore` because this is on every call's
/// path while the cap almost never binds: the semaphore takes its waiter-list mutex on
/// every release (tokio 1.54 `batch_semaphore::release`), which all workers contend for
/// at 64 and more calls in flight. Here taking and releasing a free slot is one atomic
/// operation each, and the notifier is touched only when a call is waiting. Waiters are
/// not served in FIFO order (a free slot goes to whoever takes it first).
#[derive(Debug)]
struct ConcurrencyGate {
    max: usize,
    in_flight: AtomicUsize,
    /// Calls waiting in [`Self::acquire`]; releases notify only when it is non-zero.
    waiting: AtomicUsize,
    freed: Notify,
}

impl ConcurrencyGate {
    fn new(max: usize) -> Self {
        ConcurrencyGate {
            max: max.max(1),
            in_flight: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            freed: Notify::new(),
        }
    }

    fn available(&self) -> usize {
        self.max
            .saturating_sub(self.in_flight.load(Ordering::SeqCst))
    }

    /// Take a slot if one is free.
    fn try_take(&self) -> bool {
        self.in_flight
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.max).then_some(n + 1)
            })
            .is_ok()
    }

    /// A slot, waiting for one to be released when none is free.
    async fn acquire(self: &Arc<Self>) -> Slot {
        if self.try_take() {
            return Slot { gate: self.clone() };
        }
        // Registered as waiting before looking again (both `SeqCst`): a release either
        // sees the registration and notifies, or happened before the look and is seen.
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let _unregister = Unregister(&self.waiting);
        loop {
            let notified = self.freed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.try_take() {
                return Slot { gate: self.clone() };
            }
            notified.await;
        }
    }

    fn release(&self) {
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) > 0 {
            // Stores a permit when the waiter is between its look and its await.
            self.freed.notify_one();
        }
    }
}

/// Decrements the waiting count when a waiter leaves (served, or its future dropped).
struct Unregister<'a>(&'a AtomicUsize);

impl Drop for Unregister<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl RateLimiter {
    /// A limiter from `config`.
    pub fn new(config: &RateLimitConfig) -> Self {
        let mut buckets = Vec::new();
        let quotas = [
            config.requests_per_second.map(|n| Quota::per_second(nz(n))),
            config.requests_per_minute.map(|n| Quota::per_minute(nz(n))),
            config.requests_per_hour.map(|n| Quota::per_hour(nz(n))),
        ];
        for quota in quotas.into_iter().flatten() {
            let quota = match config.burst_capacity {
                Some(b) => quota.allow_burst(nz(b)),
                None => quota,
            };
            buckets.push(Governor::direct(quota));
        }
        RateLimiter {
            buckets,
            concurrency: Arc::new(ConcurrencyGate::new(config.concurrent_requests)),

            adaptive: config.adaptive_from_headers,
            epoch: Instant::now(),
            blocked_until_ms: AtomicU64::new(0),
            status: Mutex::new(None),
            status_known: AtomicBool::new(false),
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// What is left of the server-requested pause, if any.
    pub fn pause_remaining(&self) -> Option<Duration> {
        let until = self.blocked_until_ms.load(Ordering::Acquire);
        if until == 0 {
            // No server-imposed pause yet: no need to read the clock.
            return None;
        }
        let now = self.now_ms();
        (until > now).then(|| Duration::from_millis(until - now))
    }

    /// Whether a request could start now without waiting for a concurrency slot or a
    /// server-imposed pause. (Token buckets are consulted in [`Self::wait_for_slot`];
    /// peeking would spend a token.)
    pub fn can_proceed(&self) -> bool {
        self.concurrency.available() > 0 && self.pause_remaining().is_none()
    }

    /// A slot at once, without waiting, when nothing limits the request but the
    /// concurrency cap and a slot is free (no token buckets, no pause): the common case,
    /// which then needs no future at all. `None` means: call [`Self::wait_for_slot`].
    pub fn try_slot(&self) -> Option<Slot> {
        if !self.buckets.is_empty() || self.pause_remaining().is_some() {
            return None;
        }
        self.concurrency.try_take().then(|| Slot {
            gate: self.concurrency.clone(),
        })
    }

    /// Wait for a concurrency slot, a token in every bucket, and the end of any pause
    /// the server asked for — but never for a pause that would end after `deadline`:
    /// then `Err` carries the remaining pause at once, without sleeping. The pause is
    /// checked again after every wait (another call's 429 may have extended it).
    pub async fn wait_for_slot(&self, deadline: Instant) -> Result<Slot, Duration> {
        self.check_pause(deadline)?;
        let slot = self.concurrency.acquire().await;
        for bucket in &self.buckets {
            bucket.until_ready().await;
        }
        while let Some(wait) = self.check_pause(deadline)? {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "rate limit: waiting for server window"
            );
            tokio::time::sleep(wait).await;
        }
        Ok(slot)
    }

    /// The pause left, when it ends by `deadline`; `Err` with it when it does not.
    fn check_pause(&self, deadline: Instant) -> Result<Option<Duration>, Duration> {
        match self.pause_remaining() {
            Some(wait) if Instant::now() + wait > deadline => Err(wait),
            other => Ok(other),
        }
    }

    /// Learn from response headers; returns the status when any rate-limit header was
    /// present.
    pub fn update_from_response(
        &self,
        status: u16,
        headers: &HeaderMap,
    ) -> Option<RateLimitStatus> {
        let parsed = parse_rate_limit_headers(headers)?;
        if self.adaptive {
            let mut pause = None;
            if let Some(ra) = parsed.retry_after
                && matches!(status, 429 | 503)
            {
                pause = Some(ra);
            } else if parsed.remaining == Some(0)
                && let Some(reset) = parsed.reset
            {
                pause = Some(reset.duration_since(SystemTime::now()).unwrap_or_default());
            }
            if let Some(p) = pause {
                let until = self.now_ms() + p.as_millis() as u64;
                self.blocked_until_ms.fetch_max(until, Ordering::AcqRel);
            }
        }
        if let Ok(mut s) = self.status.lock() {
            *s = Some(parsed.clone());
            self.status_known.store(true, Ordering::Release);
        }
        Some(parsed)
    }

    /// The rate-limit status last reported by the server.
    pub fn status(&self) -> Option<RateLimitStatus> {
        if !self.status_known.load(Ordering::Acquire) {
            return None;
        }
        self.status.lock().ok().and_then(|s| s.clone())
    }
}

fn header_u64(headers: &HeaderMap, names: &[&str]) -> Option<u64> {
    names.iter().find_map(|n| {
        headers
            .get(*n)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.split([',', ';']).next())
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f as u64)
    })
}

/// Parse `X-RateLimit-*`, `RateLimit-*` and `Retry-After`; `None` when none is present.
pub fn parse_rate_limit_headers(headers: &HeaderMap) -> Option<RateLimitStatus> {
    // Most responses carry none of these: one pass over the names decides, without
    // parsing or hashing the candidate names.
    let relevant = headers.keys().any(|name| {
        let n = name.as_str();
        n == "retry-after" || n.starts_with("x-ratelimit-") || n.starts_with("ratelimit-")
    });
    if !relevant {
        return None;
    }
    let limit = header_u64(headers, &["x-ratelimit-limit", "ratelimit-limit"]);
    let remaining = header_u64(headers, &["x-ratelimit-remaining", "ratelimit-remaining"]);
    let reset_raw = header_u64(headers, &["x-ratelimit-reset", "ratelimit-reset"]);
    let retry_after = crate::retry::parse_retry_after(headers);
    if limit.is_none() && remaining.is_none() && reset_raw.is_none() && retry_after.is_none() {
        return None;
    }
    // Values above ~2001-09-09 in seconds are epoch timestamps; smaller ones are deltas.
    let reset = reset_raw.map(|r| {
        if r >= 1_000_000_000 {
            UNIX_EPOCH + Duration::from_secs(r)
        } else {
            SystemTime::now() + Duration::from_secs(r)
        }
    });
    Some(RateLimitStatus {
        limit,
        remaining,
        reset,
        retry_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_gate_never_exceeds_its_cap_and_every_waiter_is_served() {
        let gate = Arc::new(ConcurrencyGate::new(3));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let (gate, peak) = (gate.clone(), peak.clone());
                tokio::spawn(async move {
                    for _ in 0..20 {
                        let _slot = gate.acquire().await;
                        let now = gate.in_flight.load(Ordering::SeqCst);
                        peak.fetch_max(now, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("task completes");
        }
        assert!(peak.load(Ordering::SeqCst) <= 3);
        assert_eq!(gate.available(), 3);
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_released_slot_wakes_a_waiter_and_a_dropped_waiter_unregisters() {
        let gate = Arc::new(ConcurrencyGate::new(1));
        let held = gate.acquire().await;
        assert!(!gate.try_take());
        let waiter = tokio::spawn({
            let gate = gate.clone();
            async move { drop(gate.acquire().await) }
        });
        tokio::task::yield_now().await;
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 1);
        drop(held);
        waiter.await.expect("the waiter is served");
        assert_eq!(gate.available(), 1);
        // A waiter whose future is dropped leaves no registration behind.
        let held = gate.acquire().await;
        let mut pending = Box::pin(gate.acquire());
        assert!(futures::poll!(pending.as_mut()).is_pending());
        drop(pending);
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 0);
        drop(held);
        assert_eq!(gate.available(), 1);
    }
}
