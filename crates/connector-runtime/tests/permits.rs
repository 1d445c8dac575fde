//! No state sticks: every permit the pipeline takes (circuit-breaker probe,
//! concurrency slot, single-flight token refresh) is released when the call is
//! cancelled, times out, or its future is dropped.
#![allow(missing_docs)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Action, FaultServer};
use connector_runtime::{
    Auth, BreakerState, CircuitBreakerConfig, Client, RateLimitConfig, Request, RetryConfig, Token,
};
use futures::FutureExt;
use http::Method;
use tokio_util::sync::CancellationToken;

fn get() -> Request {
    Request::new("get", Method::GET, "/items")
}

const OPEN_FOR: Duration = Duration::from_millis(50);

/// A client whose breaker opens after one failure and half-opens after `OPEN_FOR`,
/// against a server that fails once, hangs on the probe, then answers.
async fn half_open_client() -> (FaultServer, Client) {
    let server = FaultServer::scripted(vec![
        Action::status(500),
        Action::Delay(Duration::from_secs(30), Box::new(Action::json(200, "{}"))),
        Action::json(200, "{}"),
    ])
    .await;
    let c = Client::builder(&server.url)
        .retry(RetryConfig::disabled())
        .circuit_breaker(CircuitBreakerConfig {
            failure_threshold: 1,
            open_duration: OPEN_FOR,
            enabled: true,
        })
        .build()
        .unwrap();
    assert!(c.execute(get()).await.is_err());
    assert_eq!(c.circuit_state(), BreakerState::Open);
    tokio::time::sleep(OPEN_FOR * 2).await;
    assert_eq!(c.circuit_state(), BreakerState::HalfOpen);
    (server, c)
}

/// After the probe was abandoned, the next call is let through as a new probe and
/// closes the breaker.
async fn next_probe_closes(server: &FaultServer, c: &Client) {
    let resp = c.execute(get()).await.expect("a new probe is let through");
    assert_eq!(resp.status, 200);
    assert_eq!(c.circuit_state(), BreakerState::Closed);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn half_open_probe_released_on_cancel() {
    let (server, c) = half_open_client().await;
    let token = CancellationToken::new();
    let mut probe = get();
    probe.cancel_token(token.clone());
    let cancel = async {
        while server.hits() < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        token.cancel();
    };
    let (result, ()) = tokio::join!(c.execute(probe), cancel);
    assert_eq!(
        result.unwrap_err().code,
        connector_runtime::ErrorCode::Cancelled
    );
    next_probe_closes(&server, &c).await;
}

#[tokio::test]
async fn half_open_probe_released_when_future_dropped() {
    let (server, c) = half_open_client().await;
    let probe = c.execute(get());
    let gone = tokio::time::timeout(Duration::from_millis(200), probe).await;
    assert!(gone.is_err(), "the probe future was dropped mid-flight");
    next_probe_closes(&server, &c).await;
}

#[tokio::test]
async fn half_open_probe_released_on_timeout() {
    let (server, c) = half_open_client().await;
    let mut probe = get();
    probe.timeout(Duration::from_millis(100));
    assert_eq!(
        c.execute(probe).await.unwrap_err().code,
        connector_runtime::ErrorCode::Timeout
    );
    tokio::time::sleep(OPEN_FOR * 2).await;
    next_probe_closes(&server, &c).await;
}

#[tokio::test]
async fn concurrency_slot_released_when_future_dropped() {
    let server = FaultServer::scripted(vec![
        Action::Delay(Duration::from_secs(30), Box::new(Action::json(200, "{}"))),
        Action::json(200, "{}"),
    ])
    .await;
    let c = Client::builder(&server.url)
        .retry(RetryConfig::disabled())
        .rate_limit(RateLimitConfig {
            concurrent_requests: 1,
            ..RateLimitConfig::default()
        })
        .build()
        .unwrap();
    let gone = tokio::time::timeout(Duration::from_millis(200), c.execute(get())).await;
    assert!(gone.is_err());
    assert!(c.can_proceed(), "the only slot is free again");
    let second = tokio::time::timeout(Duration::from_secs(5), c.execute(get())).await;
    assert_eq!(second.expect("not wedged").unwrap().status, 200);
}

#[tokio::test]
async fn token_refresh_released_when_future_dropped() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = {
        let fetches = fetches.clone();
        move || {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    // The first refresh hangs (an unresponsive token endpoint).
                    futures::future::pending::<()>().await;
                }
                Ok(Token::new("fresh", None))
            }
            .boxed()
        }
    };
    let c = Client::builder(&server.url)
        .retry(RetryConfig::disabled())
        .auth(Auth::bearer_refreshing(source))
        .build()
        .unwrap();
    let gone = tokio::time::timeout(Duration::from_millis(200), c.execute(get())).await;
    assert!(gone.is_err(), "the refreshing call was dropped");
    let second = tokio::time::timeout(Duration::from_secs(5), c.execute(get())).await;
    assert_eq!(second.expect("refresh not wedged").unwrap().status, 200);
    assert_eq!(
        server.recorded()[0].header("authorization"),
        Some("Bearer fresh")
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}
