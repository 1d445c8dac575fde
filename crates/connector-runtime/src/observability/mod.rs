//! Observability: metrics (counters, latency histogram, gauges) and redaction. Spans
//! are emitted by the pipeline: `connector.operation` per logical operation and
//! `connector.attempt` per attempt.

pub mod redact;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub use redact::Redactor;

/// Upper bounds (ms) of the latency histogram buckets; a final bucket holds the rest.
pub const LATENCY_BUCKETS_MS: [u64; 12] = [
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
];

/// Lock-free counters and a latency histogram.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: AtomicU64,
    attempts: AtomicU64,
    errors: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    bytes_received: AtomicU64,
    latency: [AtomicU64; LATENCY_BUCKETS_MS.len() + 1],
    latency_sum_us: AtomicU64,
}

/// A point-in-time copy of the metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricsSnapshot {
    /// Logical operations started.
    pub requests: u64,
    /// Attempts sent (requests + retries).
    pub attempts: u64,
    /// Operations that ended in an error.
    pub errors: u64,
    /// Retries made.
    pub retries: u64,
    /// 429 answers seen.
    pub rate_limited: u64,
    /// Response body bytes received (buffered responses).
    pub bytes_received: u64,
    /// Operation latency histogram: counts per bucket of [`LATENCY_BUCKETS_MS`] plus
    /// overflow.
    pub latency_buckets: Vec<u64>,
    /// Sum of operation latencies.
    pub latency_sum: Duration,
    /// Operations in flight now.
    pub in_flight: u64,
}

impl Metrics {
    pub(crate) fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn attempt(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn received(&self, n: usize) {
        self.bytes_received.fetch_add(n as u64, Ordering::Relaxed);
    }
    pub(crate) fn finish(&self, elapsed: Duration, ok: bool) {
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        let ms = elapsed.as_millis() as u64;
        let idx = LATENCY_BUCKETS_MS
            .iter()
            .position(|b| ms <= *b)
            .unwrap_or(LATENCY_BUCKETS_MS.len());
        self.latency[idx].fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// Copy the counters.
    pub fn snapshot(&self, in_flight: u64) -> MetricsSnapshot {
        MetricsSnapshot {
            requests: self.requests.load(Ordering::Relaxed),
            attempts: self.attempts.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            bytes_received: self.bytes_received.load(Ordering::Relaxed),
            latency_buckets: self
                .latency
                .iter()
                .map(|a| a.load(Ordering::Relaxed))
                .collect(),
            latency_sum: Duration::from_micros(self.latency_sum_us.load(Ordering::Relaxed)),
            in_flight,
        }
    }
}
