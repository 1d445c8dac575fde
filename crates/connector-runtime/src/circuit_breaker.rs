//! A circuit breaker per host: closed → open → half-open → closed.
//!
//! Hand-written on atomics: the crates that offer one (`failsafe`, `tower` has none) are
//! either unmaintained or lock per call; this is ~80 lines with no lock on the hot path.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::config::CircuitBreakerConfig;

/// A breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Requests flow.
    Closed,
    /// Requests fail fast.
    Open,
    /// One probe request is allowed through.
    HalfOpen,
}

const CLOSED: u8 = 0;
const OPEN: u8 = 1;
const HALF_OPEN: u8 = 2;

/// One host's breaker.
#[derive(Debug)]
pub struct CircuitBreaker {
    config: CircuitBreakerConfig,
    epoch: Instant,
    state: AtomicU8,
    failures: AtomicU32,
    opened_at_ms: AtomicU64,
    probe_in_flight: AtomicBool,
}

/// Permission to send one request; report its outcome with [`Permit::record`].
///
/// A guard: dropped without an outcome (the attempt was cancelled, timed out in a
/// caller's `select!`, or its future was dropped), it releases the half-open probe so
/// the next request may probe again — a breaker never stays half-open forever.
#[derive(Debug)]
#[must_use = "a permit releases its probe when dropped; record the outcome"]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    probe: bool,
}

impl Permit<'_> {
    #[cfg(test)]
    /// Whether this permit is the half-open probe.
    pub fn is_probe(&self) -> bool {
        self.probe
    }

    /// Report the outcome of the request sent under this permit. `failure` means a
    /// 5xx, transport error or timeout; other answers (2xx–4xx) count as the host up.
    pub fn record(self, failure: bool) {
        self.breaker.settle(self.probe, failure);
        // `settle` released the probe; nothing left for `Drop`.
        std::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.probe {
            self.breaker.probe_in_flight.store(false, Ordering::Release);
        }
    }
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(config: CircuitBreakerConfig) -> Self {
        CircuitBreaker {
            config,
            epoch: Instant::now(),
            state: AtomicU8::new(CLOSED),
            failures: AtomicU32::new(0),
            opened_at_ms: AtomicU64::new(0),
            probe_in_flight: AtomicBool::new(false),
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// The current state (an open breaker whose cool-down passed reads as half-open).
    pub fn state(&self) -> BreakerState {
        match self.state.load(Ordering::Acquire) {
            CLOSED => BreakerState::Closed,
            HALF_OPEN => BreakerState::HalfOpen,
            _ => {
                let since = self.now_ms() - self.opened_at_ms.load(Ordering::Acquire);
                if since >= self.config.open_duration.as_millis() as u64 {
                    BreakerState::HalfOpen
                } else {
                    BreakerState::Open
                }
            }
        }
    }

    /// Ask to send a request; `None` means fail fast.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let open = Permit {
            breaker: self,
            probe: false,
        };
        if !self.config.enabled {
            return Some(open);
        }
        match self.state() {
            BreakerState::Closed => Some(open),
            BreakerState::Open => None,
            BreakerState::HalfOpen => {
                // Exactly one probe at a time.
                if self
                    .probe_in_flight
                    .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    self.state.store(HALF_OPEN, Ordering::Release);
                    Some(Permit {
                        breaker: self,
                        probe: true,
                    })
                } else {
                    None
                }
            }
        }
    }

    fn settle(&self, probe: bool, failure: bool) {
        if !self.config.enabled {
            return;
        }
        if failure {
            let n = self.failures.fetch_add(1, Ordering::AcqRel) + 1;
            if probe || n >= self.config.failure_threshold {
                if self.state.swap(OPEN, Ordering::AcqRel) != OPEN {
                    tracing::warn!(failures = n, "circuit breaker opened");
                }
                self.opened_at_ms.store(self.now_ms(), Ordering::Release);
            }
        } else {
            // Writes only when there is something to reset: a success in the closed
            // state with no failures counted (every call while the host is healthy)
            // reads the shared line and leaves it shared, instead of taking it from
            // the other workers on every call.
            if self.failures.load(Ordering::Acquire) != 0 {
                self.failures.store(0, Ordering::Release);
            }
            if self.state.load(Ordering::Acquire) != CLOSED
                && self.state.swap(CLOSED, Ordering::AcqRel) != CLOSED
            {
                tracing::info!("circuit breaker closed");
            }
        }
        if probe {
            self.probe_in_flight.store(false, Ordering::Release);
        }
    }
}

/// Breakers keyed by host. The base URL's host has its own field so the hot path
/// takes no lock; other hosts (absolute next-page links) go through a read-mostly map.
#[derive(Debug)]
pub struct Breakers {
    config: CircuitBreakerConfig,
    base_host: String,
    base: Arc<CircuitBreaker>,
    others: RwLock<HashMap<String, Arc<CircuitBreaker>>>,
}

impl Breakers {
    /// Breakers for a client whose base URL has `base_host`.
    pub fn new(config: CircuitBreakerConfig, base_host: String) -> Self {
        Breakers {
            base: Arc::new(CircuitBreaker::new(config.clone())),
            config,
            base_host,
            others: RwLock::new(HashMap::new()),
        }
    }

    /// The breaker for the base URL's host.
    pub fn base(&self) -> &Arc<CircuitBreaker> {
        &self.base
    }

    /// The breaker for `host`.
    pub fn for_host(&self, host: &str) -> Arc<CircuitBreaker> {
        if host == self.base_host {
            return self.base.clone();
        }
        if let Ok(map) = self.others.read()
            && let Some(b) = map.get(host)
        {
            return b.clone();
        }
        match self.others.write() {
            Ok(mut map) => map
                .entry(host.to_owned())
                .or_insert_with(|| Arc::new(CircuitBreaker::new(self.config.clone())))
                .clone(),
            Err(_) => self.base.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn half_open() -> CircuitBreaker {
        let b = CircuitBreaker::new(CircuitBreakerConfig {
            failure_threshold: 1,
            open_duration: Duration::ZERO,
            enabled: true,
        });
        b.try_acquire().expect("closed").record(true);
        assert_eq!(b.state(), BreakerState::HalfOpen);
        b
    }

    #[test]
    fn a_dropped_probe_lets_the_next_request_probe() {
        let b = half_open();
        let probe = b.try_acquire().expect("probe");
        assert!(probe.is_probe());
        assert!(b.try_acquire().is_none(), "one probe at a time");
        drop(probe);
        let again = b.try_acquire().expect("released on drop");
        again.record(false);
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[test]
    fn a_failed_probe_reopens() {
        let b = CircuitBreaker::new(CircuitBreakerConfig {
            failure_threshold: 1,
            open_duration: Duration::from_secs(3600),
            enabled: true,
        });
        b.try_acquire().expect("closed").record(true);
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.try_acquire().is_none());
    }
}
