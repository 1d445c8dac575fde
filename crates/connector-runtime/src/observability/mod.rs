//! Observability: metrics (counters, latency histogram, gauges) and redaction. Spans
//! are emitted by the pipeline: `connector.operation` per logical operation and
//! `connector.attempt` per attempt.

pub mod redact;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

pub use redact::{RedactionConfig, Redactor};

/// Upper bounds (ms) of the latency histogram buckets; a final bucket holds the rest.
pub const LATENCY_BUCKETS_MS: [u64; 12] = [
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
];

/// Lock-free counters and a latency histogram, sharded by thread.
///
/// Every operation updates several counters; with one set of atomics, worker threads
/// would pass those cache lines back and forth on every request. Each thread instead
/// updates the shard its index picks, and a snapshot sums the shards. (Hand-written: a
/// fixed array of cache-line-aligned atomics is all it takes; per-thread-storage
/// crates keep allocations per thread and client.)
#[derive(Debug, Default)]
pub struct Metrics {
    shards: [Shard; SHARDS],
}

/// Shards per client: more than the worker threads of a typical runtime.
const SHARDS: usize = 8;

/// One thread's counters, on cache lines of their own.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Shard {
    requests: AtomicU64,
    attempts: AtomicU64,
    errors: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    bytes_received: AtomicU64,
    latency: [AtomicU64; LATENCY_BUCKETS_MS.len() + 1],
    latency_sum_us: AtomicU64,
}

/// The shard index of the current thread: threads take indices in turn.
fn shard_index() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    INDEX.with(|i| *i)
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
    fn shard(&self) -> &Shard {
        &self.shards[shard_index()]
    }

    pub(crate) fn request(&self) {
        self.shard().requests.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn attempt(&self) {
        self.shard().attempts.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn retry(&self) {
        self.shard().retries.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn rate_limited(&self) {
        self.shard().rate_limited.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn received(&self, n: usize) {
        self.shard()
            .bytes_received
            .fetch_add(n as u64, Ordering::Relaxed);
    }
    pub(crate) fn finish(&self, elapsed: Duration, ok: bool) {
        let shard = self.shard();
        if !ok {
            shard.errors.fetch_add(1, Ordering::Relaxed);
        }
        let ms = elapsed.as_millis() as u64;
        let idx = LATENCY_BUCKETS_MS
            .iter()
            .position(|b| ms <= *b)
            .unwrap_or(LATENCY_BUCKETS_MS.len());
        shard.latency[idx].fetch_add(1, Ordering::Relaxed);
        shard
            .latency_sum_us
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// Copy the counters (the sums over all shards).
    pub fn snapshot(&self, in_flight: u64) -> MetricsSnapshot {
        let sum = |f: fn(&Shard) -> &AtomicU64| -> u64 {
            self.shards
                .iter()
                .map(|s| f(s).load(Ordering::Relaxed))
                .sum()
        };
        MetricsSnapshot {
            requests: sum(|s| &s.requests),
            attempts: sum(|s| &s.attempts),
            errors: sum(|s| &s.errors),
            retries: sum(|s| &s.retries),
            rate_limited: sum(|s| &s.rate_limited),
            bytes_received: sum(|s| &s.bytes_received),
            latency_buckets: (0..=LATENCY_BUCKETS_MS.len())
                .map(|i| {
                    self.shards
                        .iter()
                        .map(|s| s.latency[i].load(Ordering::Relaxed))
                        .sum()
                })
                .collect(),
            latency_sum: Duration::from_micros(sum(|s| &s.latency_sum_us)),
            in_flight,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_sum_the_updates_of_every_thread() {
        let metrics = Metrics::default();
        std::thread::scope(|scope| {
            for _ in 0..(SHARDS + 3) {
                scope.spawn(|| {
                    metrics.request();
                    metrics.attempt();
                    metrics.received(10);
                    metrics.finish(Duration::from_millis(7), false);
                });
            }
        });
        metrics.retry();
        metrics.rate_limited();
        let n = (SHARDS + 3) as u64;
        let snap = metrics.snapshot(2);
        assert_eq!(snap.requests, n);
        assert_eq!(snap.attempts, n);
        assert_eq!(snap.errors, n);
        assert_eq!(snap.bytes_received, 10 * n);
        assert_eq!((snap.retries, snap.rate_limited, snap.in_flight), (1, 1, 2));
        // 7 ms falls in the `<= 10 ms` bucket.
        assert_eq!(snap.latency_buckets[1], n);
        assert_eq!(snap.latency_buckets.iter().sum::<u64>(), n);
        assert_eq!(snap.latency_sum, Duration::from_millis(7 * n));
    }
}
