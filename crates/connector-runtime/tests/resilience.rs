//! Circuit breaker, rate limits, concurrency limits, hooks.
#![allow(missing_docs)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Action, FaultServer, fast_retry};
use connector_runtime::{
    BreakerState, CircuitBreakerConfig, Client, ErrorCode, ErrorSource, FnHook, HookKind,
    RateLimitConfig, Request, RetryConfig,
};
use http::Method;

fn get() -> Request {
    Request::new("getThing", Method::GET, "/thing")
}

#[tokio::test]
async fn flapping_host_opens_and_closes_the_breaker() {
    let healthy = Arc::new(Mutex::new(false));
    let server = {
        let healthy = healthy.clone();
        FaultServer::with_handler(move |_| {
            if *healthy.lock().unwrap() {
                Action::json(200, "{}")
            } else {
                Action::status(500)
            }
        })
        .await
    };
    let c = Client::builder(&server.url)
        .retry(RetryConfig::disabled())
        .circuit_breaker(CircuitBreakerConfig {
            failure_threshold: 3,
            open_duration: Duration::from_millis(200),
            enabled: true,
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            c.execute(get()).await.unwrap_err().code,
            ErrorCode::ServerError
        );
    }
    assert_eq!(c.circuit_state(), BreakerState::Open);
    // Open: fails fast without reaching the host.
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.source_kind, ErrorSource::RateLimit);
    assert!(e.message.contains("circuit"));
    assert_eq!(server.hits(), 3);
    // After the cool-down a probe goes through; it fails → open again.
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(c.circuit_state(), BreakerState::HalfOpen);
    assert!(c.execute(get()).await.is_err());
    assert_eq!(server.hits(), 4);
    assert_eq!(c.circuit_state(), BreakerState::Open);
    // The host recovers: the next probe closes the breaker.
    *healthy.lock().unwrap() = true;
    tokio::time::sleep(Duration::from_millis(250)).await;
    c.execute(get()).await.unwrap();
    assert_eq!(c.circuit_state(), BreakerState::Closed);
    c.execute(get()).await.unwrap();
    assert_eq!(server.hits(), 6);
}

#[tokio::test]
async fn rate_limit_per_second_spaces_requests() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .rate_limit(RateLimitConfig {
            requests_per_second: Some(10),
            burst_capacity: Some(1),
            ..Default::default()
        })
        .build()
        .unwrap();
    let calls: Vec<_> = (0..8).map(|_| c.execute(get())).collect();
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    let mut at: Vec<_> = server.recorded().iter().map(|r| r.at).collect();
    at.sort();
    let span = *at.last().unwrap() - at[0];
    // 8 requests at 10/s with burst 1 need >= 700 ms; allow slack for scheduling.
    assert!(span >= Duration::from_millis(600), "span {span:?}");
}

#[tokio::test]
async fn burst_capacity_allows_an_initial_burst() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .rate_limit(RateLimitConfig {
            requests_per_minute: Some(60),
            burst_capacity: Some(5),
            ..Default::default()
        })
        .build()
        .unwrap();
    let t = std::time::Instant::now();
    for _ in 0..5 {
        c.execute(get()).await.unwrap();
    }
    assert!(t.elapsed() < Duration::from_millis(800));
    // The sixth must wait for a token (1/s).
    let t = std::time::Instant::now();
    c.execute(get()).await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn concurrency_limit_holds() {
    let server = FaultServer::scripted(vec![Action::Delay(
        Duration::from_millis(100),
        Box::new(Action::json(200, "{}")),
    )])
    .await;
    let c = Client::builder(&server.url)
        .rate_limit(RateLimitConfig {
            concurrent_requests: 2,
            ..Default::default()
        })
        .build()
        .unwrap();
    let calls: Vec<_> = (0..6).map(|_| c.execute(get())).collect();
    let t = std::time::Instant::now();
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(
        server
            .max_concurrent
            .load(std::sync::atomic::Ordering::SeqCst),
        2
    );
    // 6 requests, 2 at a time, 100 ms each: at least 3 waves.
    assert!(
        t.elapsed() >= Duration::from_millis(280),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn default_concurrency_limit_is_ten() {
    let server = FaultServer::scripted(vec![Action::Delay(
        Duration::from_millis(100),
        Box::new(Action::json(200, "{}")),
    )])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let calls: Vec<_> = (0..25).map(|_| c.execute(get())).collect();
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert!(
        server
            .max_concurrent
            .load(std::sync::atomic::Ordering::SeqCst)
            <= 10
    );
}

#[tokio::test]
async fn adaptive_pause_follows_rate_limit_headers_and_status_is_readable() {
    let server = FaultServer::scripted(vec![
        Action::json(200, "{}")
            .with_header("X-RateLimit-Limit", "5")
            .with_header("X-RateLimit-Remaining", "0")
            .with_header("X-RateLimit-Reset", "1"),
        Action::json(200, "{}").with_header("RateLimit-Remaining", "4"),
    ])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    c.execute(get()).await.unwrap();
    let status = c.rate_limit_status().unwrap();
    assert_eq!(status.limit, Some(5));
    assert_eq!(status.remaining, Some(0));
    assert!(status.reset.is_some());
    assert!(!c.can_proceed());
    let t = std::time::Instant::now();
    c.execute(get()).await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(800),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(c.rate_limit_status().unwrap().remaining, Some(4));
}

#[tokio::test]
async fn retry_after_on_429_pauses_other_requests_too() {
    let server = FaultServer::scripted(vec![
        Action::status(429).with_header("Retry-After", "1"),
        Action::json(200, "{}"),
    ])
    .await;
    let c = Client::builder(&server.url)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    assert_eq!(
        c.execute(get()).await.unwrap_err().code,
        ErrorCode::RateLimit
    );
    assert_eq!(
        c.rate_limit_status().unwrap().retry_after,
        Some(Duration::from_secs(1))
    );
    let t = std::time::Instant::now();
    c.execute(get()).await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(800));
    assert_eq!(c.metrics().rate_limited, 1);
}

#[tokio::test]
async fn hooks_run_in_priority_order_deterministically_and_modify_requests() {
    let order = Arc::new(Mutex::new(Vec::new()));
    let server =
        FaultServer::scripted(vec![Action::status(503), Action::json(200, r#"{"n":1}"#)]).await;
    let log = |name: &'static str| {
        let order = order.clone();
        move |ctx: &mut connector_runtime::HookContext<'_>| {
            order
                .lock()
                .unwrap()
                .push(format!("{name}:{}", ctx.attempt));
        }
    };
    let c = Client::builder(&server.url)
        .retry(fast_retry(3))
        .hook(FnHook::new(
            "late",
            HookKind::BeforeRequest,
            10,
            log("late"),
        ))
        .hook(FnHook::new(
            "early",
            HookKind::BeforeRequest,
            -5,
            log("early"),
        ))
        .hook(FnHook::new(
            "tie-a",
            HookKind::BeforeRequest,
            0,
            log("tie-a"),
        ))
        .hook(FnHook::new("tie-b", HookKind::BeforeRequest, 0, |ctx| {
            ctx.modify_request(|r| {
                r.header("X-Hooked", "yes");
            })
        }))
        .hook(FnHook::new("err", HookKind::OnError, 0, log("on_error")))
        .hook(FnHook::new("retry", HookKind::OnRetry, 0, log("on_retry")))
        .hook(FnHook::new("after", HookKind::AfterResponse, 0, |ctx| {
            ctx.modify_response(|r| r.body = bytes::Bytes::from_static(br#"{"n":2}"#))
        }))
        .build()
        .unwrap();
    let r = c
        .execute(get())
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap();
    assert_eq!(r.data["n"], 2, "after_response modified the body");
    assert_eq!(
        *order.lock().unwrap(),
        vec![
            "early:1",
            "tie-a:1",
            "late:1",
            "on_error:1",
            "on_retry:1",
            "early:2",
            "tie-a:2",
            "late:2"
        ]
    );
    assert_eq!(server.recorded()[0].header("x-hooked"), Some("yes"));
}

#[tokio::test]
async fn hook_abort_cancels_the_request() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .hook(FnHook::new("guard", HookKind::BeforeRequest, 0, |ctx| {
            if ctx.request.operation == "getThing" {
                ctx.abort("blocked by policy");
            }
        }))
        .build()
        .unwrap();
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(e.source_kind, ErrorSource::UserHook);
    assert!(e.message.contains("blocked by policy"));
    assert_eq!(server.hits(), 0);
}

/// `on_error` hooks see the error response (status, headers, body as read): a contract
/// harness reads a validator's `sl-violations` header from a 422 that way. A transport
/// failure carries no response.
#[tokio::test]
async fn on_error_hooks_see_the_error_response() {
    let server = FaultServer::scripted(vec![
        Action::json(422, r#"{"id":"example_error"}"#)
            .with_header("sl-violations", r#"[{"location":["request","body"]}]"#),
    ])
    .await;
    // (status, sl-violations header, body) per on_error call.
    type Seen = Vec<(u16, Option<String>, String)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let record = seen.clone();
    let c = Client::builder(&server.url)
        .retry(fast_retry(1))
        .hook(FnHook::new("observe", HookKind::OnError, 0, move |ctx| {
            let r = ctx.response.as_deref().expect("the 422 is a response");
            let header = r
                .headers
                .get("sl-violations")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = String::from_utf8_lossy(&r.body).into_owned();
            record.lock().unwrap().push((r.status, header, body));
        }))
        .build()
        .unwrap();
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.status, Some(422));
    assert_eq!(
        *seen.lock().unwrap(),
        vec![(
            422,
            Some(r#"[{"location":["request","body"]}]"#.to_owned()),
            r#"{"id":"example_error"}"#.to_owned()
        )]
    );

    // Nobody listening: the hook runs without a response.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let responses: Arc<Mutex<Vec<bool>>> = Arc::default();
    let record = responses.clone();
    let c = Client::builder(&closed)
        .retry(fast_retry(1))
        .hook(FnHook::new("observe", HookKind::OnError, 0, move |ctx| {
            record.lock().unwrap().push(ctx.response.is_some());
        }))
        .build()
        .unwrap();
    assert!(c.execute(get()).await.is_err());
    assert_eq!(*responses.lock().unwrap(), vec![false]);
}
