//! Bounded waits and bounded buffers: a server-requested pause never outlasts the cap
//! or the caller's deadline (the call fails at once, carrying the requested delay), and
//! buffered bodies have a maximum size while streaming stays unbounded.
#![allow(missing_docs)]

mod common;

use std::time::{Duration, Instant};

use common::{Action, FaultServer, fast_retry};
use connector_runtime::DEFAULT_MAX_BODY_SIZE;
use connector_runtime::{Client, ClientBuilder, ErrorCode, RateLimitConfig, Request, RetryConfig};
use futures::StreamExt;
use http::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn get() -> Request {
    Request::new("get", Method::GET, "/items")
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder(url)
}

/// Run `call`, failing the test (instead of hanging) if it sleeps through the pause.
async fn at_once<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call failed at once instead of sleeping through the pause")
}

#[tokio::test]
async fn retry_after_longer_than_the_cap_fails_at_once() {
    let server =
        FaultServer::scripted(vec![Action::status(429).with_header("Retry-After", "3600")]).await;
    let c = builder(&server.url)
        .retry(fast_retry(3))
        .rate_limit(RateLimitConfig {
            max_server_pause: Duration::from_secs(2),
            ..RateLimitConfig::default()
        })
        .build()
        .unwrap();
    let t = Instant::now();
    let e = at_once(c.execute(get())).await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(e.code, ErrorCode::RateLimit);
    assert_eq!(e.retry_after, Some(Duration::from_secs(3600)));
    assert!(e.message.contains("pause cap"), "{}", e.message);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn retry_after_longer_than_the_call_timeout_fails_at_once() {
    let server =
        FaultServer::scripted(vec![Action::status(503).with_header("Retry-After", "20")]).await;
    let c = builder(&server.url)
        .retry(fast_retry(3))
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let e = at_once(c.execute(get())).await.unwrap_err();
    assert_eq!(e.retry_after, Some(Duration::from_secs(20)));
    assert!(e.message.contains("timeout"), "{}", e.message);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn client_wide_pause_respects_other_calls_deadline() {
    let server = FaultServer::scripted(vec![
        Action::status(429).with_header("Retry-After", "3600"),
        Action::json(200, "{}"),
    ])
    .await;
    let c = builder(&server.url)
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    // One call's 429 pauses the whole client...
    assert_eq!(
        c.execute(get()).await.unwrap_err().code,
        ErrorCode::RateLimit
    );
    // ...but a later call does not sleep past its own timeout: it fails at once.
    let t = Instant::now();
    let e = at_once(c.execute(get())).await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(e.code, ErrorCode::RateLimit);
    let asked = e.retry_after.expect("carries the requested delay");
    assert!(asked > Duration::from_secs(3500), "{asked:?}");
    assert_eq!(server.hits(), 1, "the second call never went out");
}

#[tokio::test]
async fn rate_limit_reset_pause_respects_the_retry_budget() {
    let server = FaultServer::scripted(vec![
        Action::json(200, "{}")
            .with_header("X-RateLimit-Remaining", "0")
            .with_header("X-RateLimit-Reset", "600"),
        Action::json(200, "{}"),
    ])
    .await;
    let c = builder(&server.url)
        .retry(RetryConfig {
            retry_budget: Some(Duration::from_secs(1)),
            ..fast_retry(3)
        })
        .build()
        .unwrap();
    c.execute(get()).await.unwrap();
    let e = at_once(c.execute(get())).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::RateLimit);
    assert!(e.message.contains("retry budget"), "{}", e.message);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn body_over_the_limit_fails_by_content_length() {
    let server = FaultServer::scripted(vec![Action::Respond {
        status: 200,
        headers: vec![],
        body: vec![b'x'; 4096],
    }])
    .await;
    let c = builder(&server.url).max_body_size(1024).build().unwrap();
    let e = at_once(c.execute(get())).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ResponseTooLarge);
    assert!(e.message.contains("1024 bytes"), "{}", e.message);
    assert!(
        e.message.contains("Content-Length is 4096"),
        "{}",
        e.message
    );
    assert!(!e.retryable);
}

/// A server answering every request with a chunked body of `total` bytes (no
/// Content-Length, so only reading can enforce the limit).
async fn chunked_server(total: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let head =
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
                let _ = sock.write_all(head.as_bytes()).await;
                let chunk = vec![b'y'; 512];
                let mut sent = 0;
                while sent < total {
                    let n = chunk.len().min(total - sent);
                    let frame = format!("{n:x}\r\n");
                    if sock.write_all(frame.as_bytes()).await.is_err()
                        || sock.write_all(&chunk[..n]).await.is_err()
                        || sock.write_all(b"\r\n").await.is_err()
                    {
                        return;
                    }
                    sent += n;
                }
                let _ = sock.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    url
}

#[tokio::test]
async fn body_over_the_limit_fails_while_reading_without_content_length() {
    let url = chunked_server(8192).await;
    let c = builder(&url).max_body_size(2048).build().unwrap();
    let e = at_once(c.execute(get())).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ResponseTooLarge);
    assert!(e.message.contains("2048 bytes"), "{}", e.message);
    // At the limit is fine.
    let url = chunked_server(2048).await;
    let c = builder(&url).max_body_size(2048).build().unwrap();
    assert_eq!(c.execute(get()).await.unwrap().body.len(), 2048);
}

#[tokio::test]
async fn streaming_is_not_bounded_by_the_body_limit() {
    let url = chunked_server(8192).await;
    let c = builder(&url).max_body_size(1024).build().unwrap();
    let mut stream = c.stream(get()).await.unwrap();
    let mut total = 0;
    while let Some(chunk) = stream.next().await {
        total += chunk.unwrap().len();
    }
    assert_eq!(total, 8192);
}

#[test]
fn default_body_limit_is_64_mib() {
    assert_eq!(DEFAULT_MAX_BODY_SIZE, 64 * 1024 * 1024);
}
