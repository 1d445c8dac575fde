//! Lifecycle: connect / disconnect / is_connected, and graceful shutdown that drains
//! in-flight requests and then rejects new ones.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use tokio::sync::Notify;

use crate::error::{Error, ErrorCode};

/// Never connected (the initial state, 0).
#[allow(dead_code)]
const IDLE: u8 = 0;
const CONNECTED: u8 = 1;
const CLOSING: u8 = 2;
const CLOSED: u8 = 3;

/// Shared lifecycle state of one client.
#[derive(Debug, Default)]
pub struct Lifecycle {
    state: AtomicU8,
    in_flight: AtomicUsize,
    drained: Notify,
}

/// Marks one logical operation as in flight until dropped.
#[derive(Debug)]
pub struct InFlight<'a> {
    lifecycle: &'a Lifecycle,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        // Only a shutdown waits for the drain, so the last operation out wakes waiters
        // only once one has begun (`notify_waiters` takes a lock). SeqCst on both
        // sides: either this sees CLOSING, or `shutdown` sees the count at zero.
        if self.lifecycle.in_flight.fetch_sub(1, Ordering::SeqCst) == 1
            && self.lifecycle.state.load(Ordering::SeqCst) >= CLOSING
        {
            self.lifecycle.drained.notify_waiters();
        }
    }
}

impl Lifecycle {
    /// Register a new operation; fails once shutdown has begun.
    pub fn enter(&self) -> Result<InFlight<'_>, Error> {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        let guard = InFlight { lifecycle: self };
        if self.state.load(Ordering::Acquire) >= CLOSING {
            drop(guard);
            let mut e = Error::new(
                ErrorCode::Cancelled,
                "the connector is disconnected (shut down); no new requests are accepted",
            );
            e.retryable = false;
            return Err(e);
        }
        Ok(guard)
    }

    /// Mark connected.
    pub fn set_connected(&self) {
        self.state.store(CONNECTED, Ordering::Release);
    }

    /// Connected and not shutting down.
    pub fn is_connected(&self) -> bool {
        self.state.load(Ordering::Acquire) == CONNECTED
    }

    /// Operations in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Stop accepting requests and wait until in-flight ones finish.
    pub async fn shutdown(&self) {
        self.state.store(CLOSING, Ordering::SeqCst);
        loop {
            let notified = self.drained.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.in_flight.load(Ordering::SeqCst) == 0 {
                break;
            }
            notified.await;
        }
        self.state.store(CLOSED, Ordering::Release);
    }
}
