//! The retry strategy: `should_retry`, `calculate_delay` and `Retry-After` parsing.
//!
//! Hand-written rather than `tower::retry` / `reqwest-retry`: the seed fixes the exact
//! delay formula and jitter, and the decision needs facts those policies do not see
//! (per-operation budget, idempotency key, `Retry-After` as an HTTP date, hooks).

use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::config::RetryConfig;
use crate::error::Error;

/// Why a retry was or was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Retry after the delay.
    Retry(Duration),
    /// Do not retry: the error is not retryable.
    NotRetryable,
    /// Do not retry: attempts used up.
    AttemptsExhausted,
    /// Do not retry: the per-operation budget would be exceeded.
    BudgetExhausted,
    /// Do not retry: an unsafe method without an idempotency key.
    UnsafeWithoutKey,
}

impl RetryConfig {
    /// Backoff before retry number `attempt` (0-based), without jitter:
    /// `min(initial * multiplier^attempt, max)`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = self
            .backoff_multiplier
            .max(1.0)
            .powi(attempt.min(64) as i32);
        let secs = self.initial_delay.as_secs_f64() * factor;
        let max = self.max_delay.as_secs_f64();
        Duration::from_secs_f64(if secs.is_finite() { secs.min(max) } else { max })
    }

    /// The delay before retry number `attempt` (0-based), with jitter
    /// `delay * (0.5 + rand[0, 0.5))` when enabled.
    pub fn calculate_delay(&self, attempt: u32) -> Duration {
        let base = self.backoff(attempt);
        if self.jitter {
            let r: f64 = rand::random::<f64>() * 0.5;
            base.mul_f64(0.5 + r)
        } else {
            base
        }
    }

    /// Whether `error` is of a kind that may be retried (status or error code).
    pub fn is_retryable(&self, error: &Error) -> bool {
        match error.status {
            Some(status) => self.retryable_status_codes.contains(&status),
            None => error.retryable && self.retryable_errors.contains(&error.code),
        }
    }

    /// Decide whether to retry after `error` on attempt `attempt` (1-based), given the
    /// time already spent and whether the request may be replayed safely.
    pub fn should_retry(
        &self,
        error: &Error,
        attempt: u32,
        elapsed: Duration,
        replay_safe: bool,
        retry_after: Option<Duration>,
    ) -> RetryDecision {
        if !self.is_retryable(error) {
            return RetryDecision::NotRetryable;
        }
        if !replay_safe {
            return RetryDecision::UnsafeWithoutKey;
        }
        if attempt >= self.max_attempts {
            return RetryDecision::AttemptsExhausted;
        }
        let delay = match retry_after {
            Some(hint) if self.respect_retry_after => hint,
            _ => self.calculate_delay(attempt - 1),
        };
        if let Some(budget) = self.retry_budget
            && elapsed + delay > budget
        {
            return RetryDecision::BudgetExhausted;
        }
        RetryDecision::Retry(delay)
    }
}

/// `Retry-After` as a delay: delta-seconds or an HTTP date.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    parse_retry_after_value(value, SystemTime::now())
}

/// Parse a `Retry-After` value relative to `now`.
pub fn parse_retry_after_value(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>()
        && secs.is_finite()
        && secs >= 0.0
    {
        return Some(Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_follows_the_seed_formula() {
        let c = RetryConfig {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryConfig::default()
        };
        assert_eq!(c.backoff(0), Duration::from_millis(100));
        assert_eq!(c.backoff(1), Duration::from_millis(200));
        assert_eq!(c.backoff(3), Duration::from_millis(800));
        assert_eq!(c.backoff(4), Duration::from_millis(1000));
        for n in 0..50 {
            let d = c.calculate_delay(2);
            assert!(
                d >= Duration::from_millis(200) && d < Duration::from_millis(400),
                "{n}: {d:?}"
            );
        }
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after_value("7", now),
            Some(Duration::from_secs(7))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(
            parse_retry_after_value(&date, now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(parse_retry_after_value("garbage", now), None);
    }
}
