//! Client-side rate limiting: token buckets per second / minute / hour (`governor`),
//! a concurrency cap (`tokio::sync::Semaphore`), and an adaptive pause learned from
//! `X-RateLimit-*` / `RateLimit-*` / `Retry-After` response headers.
//!
//! The adaptive part is hand-written: governor quotas are fixed at construction, and
//! what servers report is a window state ("0 left until T"), not a new steady rate, so
//! it is modelled as a shared "no request before T" gate.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter as Governor};
use http::HeaderMap;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::RateLimitConfig;
use crate::response::RateLimitStatus;

/// The client's rate limiter.
#[derive(Debug)]
pub struct RateLimiter {
    buckets: Vec<DefaultDirectRateLimiter>,
    concurrency: Arc<Semaphore>,
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
    _permit: Option<OwnedSemaphorePermit>,
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
        let max = config.concurrent_requests.max(1);
        RateLimiter {
            buckets,
            concurrency: Arc::new(Semaphore::new(max)),

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
        self.concurrency.available_permits() > 0 && self.pause_remaining().is_none()
    }

    /// A slot at once, without waiting, when nothing limits the request but the
    /// concurrency cap and a slot is free (no token buckets, no pause): the common case,
    /// which then needs no future at all. `None` means: call [`Self::wait_for_slot`].
    pub fn try_slot(&self) -> Option<Slot> {
        if !self.buckets.is_empty() || self.pause_remaining().is_some() {
            return None;
        }
        let permit = self.concurrency.clone().try_acquire_owned().ok()?;
        Some(Slot {
            _permit: Some(permit),
        })
    }

    /// Wait for a concurrency slot, a token in every bucket, and the end of any pause
    /// the server asked for — but never for a pause that would end after `deadline`:
    /// then `Err` carries the remaining pause at once, without sleeping. The pause is
    /// checked again after every wait (another call's 429 may have extended it).
    pub async fn wait_for_slot(&self, deadline: Instant) -> Result<Slot, Duration> {
        self.check_pause(deadline)?;
        // The semaphore is never closed, so acquiring only fails in theory.
        let permit = self.concurrency.clone().acquire_owned().await.ok();
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
        Ok(Slot { _permit: permit })
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
