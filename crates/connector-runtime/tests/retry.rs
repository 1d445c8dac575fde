//! Retry, Retry-After, budgets, idempotency, error mapping, timeouts, cancellation.
#![allow(missing_docs)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::{Action, FaultServer, fast_retry};
use connector_runtime::{Client, ErrorCode, ErrorSource, Request, RetryConfig};
use http::Method;

fn client(url: &str, retry: RetryConfig) -> Client {
    Client::builder(url).retry(retry).build().unwrap()
}

fn get() -> Request {
    Request::new("getThing", Method::GET, "/thing")
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = FaultServer::scripted(vec![
        Action::status(429).with_header("Retry-After", "1"),
        Action::json(200, "{}"),
    ])
    .await;
    let c = client(&server.url, fast_retry(3));
    let t = Instant::now();
    let r = c.execute(get()).await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(r.meta.retry_count, 1);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = FaultServer::scripted(vec![
        Action::status(503).with_header("Retry-After", &when),
        Action::json(200, "{}"),
    ])
    .await;
    let c = client(&server.url, fast_retry(3));
    let t = Instant::now();
    c.execute(get()).await.unwrap();
    // HTTP dates have one-second resolution: at least one second must have passed.
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    let rec = server.recorded();
    assert!(rec[1].at - rec[0].at >= Duration::from_millis(900));
}

#[tokio::test]
async fn service_unavailable_storm_is_retried_until_success() {
    let server = FaultServer::scripted(vec![
        Action::status(503),
        Action::status(502),
        Action::status(504),
        Action::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let c = client(&server.url, fast_retry(5));
    let r = c.execute(get()).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.meta.retry_count, 3);
    assert_eq!(server.hits(), 4);
    assert_eq!(c.metrics().retries, 3);
}

#[tokio::test]
async fn storm_beyond_max_attempts_fails_with_server_error() {
    let server = FaultServer::scripted(vec![Action::json(503, r#"{"error":"down"}"#)]).await;
    let c = client(&server.url, fast_retry(3));
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerError);
    assert_eq!(e.status, Some(503));
    assert!(e.retryable);
    assert_eq!(e.attempt, 3);
    assert_eq!(e.operation, Some("getThing"));
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn connection_reset_mid_body_is_retried_as_network_error() {
    let server = FaultServer::scripted(vec![
        Action::ResetMidBody {
            content_length: 100,
            partial: b"{\"a\":".to_vec(),
        },
        Action::json(200, r#"{"a":1}"#),
    ])
    .await;
    let c = client(&server.url, fast_retry(3));
    let r = c.execute(get()).await.unwrap();
    assert_eq!(r.meta.retry_count, 1);

    let server = FaultServer::scripted(vec![Action::ResetMidBody {
        content_length: 100,
        partial: b"{\"a\":".to_vec(),
    }])
    .await;
    let c = client(&server.url, RetryConfig::disabled());
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NetworkError);
    assert_eq!(e.source_kind, ErrorSource::Transport);
    assert!(e.retryable);
    assert!(std::error::Error::source(&e).is_some(), "cause kept");
}

#[tokio::test]
async fn slow_headers_time_out() {
    let server = FaultServer::scripted(vec![Action::Delay(
        Duration::from_secs(3),
        Box::new(Action::json(200, "{}")),
    )])
    .await;
    let c = Client::builder(&server.url)
        .timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let t = Instant::now();
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert!(t.elapsed() < Duration::from_secs(2));
    // Per-call timeout overrides the client's.
    let c = client(&server.url, RetryConfig::disabled());
    let mut r = get();
    r.timeout(Duration::from_millis(150));
    assert_eq!(c.execute(r).await.unwrap_err().code, ErrorCode::Timeout);
}

#[tokio::test]
async fn truncated_json_is_a_parsing_error() {
    let server = FaultServer::scripted(vec![Action::json(200, r#"{"items":[1,2"#)]).await;
    let c = client(&server.url, fast_retry(3));
    let raw = c.execute(get()).await.unwrap();
    let e = raw.json::<serde_json::Value>().unwrap_err();
    assert_eq!(e.code, ErrorCode::ParsingError);
    assert_eq!(e.source_kind, ErrorSource::Deserialize);
    assert!(!e.retryable);
}

#[tokio::test]
async fn retry_budget_exhaustion_stops_retries() {
    let server = FaultServer::scripted(vec![Action::status(503)]).await;
    let c = client(
        &server.url,
        RetryConfig {
            max_attempts: 50,
            initial_delay: Duration::from_millis(40),
            max_delay: Duration::from_millis(40),
            jitter: false,
            retry_budget: Some(Duration::from_millis(150)),
            ..Default::default()
        },
    );
    let t = Instant::now();
    let e = c.execute(get()).await.unwrap_err();
    assert!(e.message.contains("budget"), "{}", e.message);
    assert!(server.hits() < 6, "hits {}", server.hits());
    assert!(t.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn retry_after_beyond_budget_is_not_waited_for() {
    let server =
        FaultServer::scripted(vec![Action::status(429).with_header("Retry-After", "30")]).await;
    let c = client(
        &server.url,
        RetryConfig {
            retry_budget: Some(Duration::from_secs(1)),
            ..fast_retry(3)
        },
    );
    let t = Instant::now();
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::RateLimit);
    assert!(t.elapsed() < Duration::from_secs(1));
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn post_without_idempotency_key_is_not_replayed() {
    let server = FaultServer::scripted(vec![Action::status(503)]).await;
    let c = client(
        &server.url,
        RetryConfig {
            idempotency: false,
            ..fast_retry(3)
        },
    );
    let mut r = Request::new("create", Method::POST, "/things");
    r.json(&serde_json::json!({"a":1})).unwrap();
    let e = c.execute(r).await.unwrap_err();
    assert_eq!(server.hits(), 1);
    assert!(e.message.contains("idempotency"), "{}", e.message);
    assert!(server.recorded()[0].header("idempotency-key").is_none());
}

#[tokio::test]
async fn post_with_generated_idempotency_key_is_retried_with_the_same_key() {
    let server = FaultServer::scripted(vec![
        Action::status(503),
        Action::status(500),
        Action::json(201, "{}"),
    ])
    .await;
    let c = client(
        &server.url,
        RetryConfig {
            idempotency: true,
            ..fast_retry(3)
        },
    );
    let mut r = Request::new("create", Method::POST, "/things");
    r.json(&serde_json::json!({"a":1})).unwrap();
    c.execute(r).await.unwrap();
    let keys: Vec<String> = server
        .recorded()
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| k == &keys[0] && !k.is_empty()));
    // A second logical operation gets a different key.
    let mut r = Request::new("create", Method::POST, "/things");
    r.json(&serde_json::json!({"a":1})).unwrap();
    c.execute(r).await.unwrap();
    assert_ne!(
        server.recorded()[3].header("idempotency-key").unwrap(),
        keys[0]
    );
}

#[tokio::test]
async fn lost_response_post_with_generated_idempotency_key_changes_state_at_most_once() {
    let applied = Arc::new(AtomicUsize::new(0));
    let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let server = {
        let applied = applied.clone();
        FaultServer::with_handler(move |req| {
            let key = req.header("idempotency-key").unwrap_or("").to_owned();
            let mut seen = seen.lock().unwrap();
            if key.is_empty() || !seen.contains_key(&key) {
                let n = applied.fetch_add(1, Ordering::SeqCst) + 1;
                seen.insert(key, n);
                // The state changed, but the response is lost.
                Action::Drop
            } else {
                Action::json(201, &format!(r#"{{"id":{}}}"#, seen[&key]))
            }
        })
        .await
    };
    let c = client(
        &server.url,
        RetryConfig {
            idempotency: true,
            ..fast_retry(3)
        },
    );
    let mut r = Request::new("create", Method::POST, "/orders");
    r.json(&serde_json::json!({"sku":"x"})).unwrap();
    let resp = c.execute(r).await.unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(
        applied.load(Ordering::SeqCst),
        1,
        "state changed exactly once"
    );
    assert!(server.hits() >= 2);
}

#[tokio::test]
async fn non_retryable_status_keeps_the_decodable_body() {
    #[derive(serde::Deserialize)]
    struct ApiError {
        code: String,
    }
    let server = FaultServer::scripted(vec![
        Action::json(400, r#"{"code":"bad_field"}"#).with_header("X-Request-Id", "srv-42"),
    ])
    .await;
    let c = client(&server.url, fast_retry(3));
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(server.hits(), 1);
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(!e.retryable);
    assert_eq!(e.request_id.as_deref(), Some("srv-42"));
    assert_eq!(e.decode_body::<ApiError>().unwrap().code, "bad_field");
}

#[tokio::test]
async fn error_codes_map_from_statuses() {
    for (status, code) in [
        (401, ErrorCode::AuthFailed),
        (403, ErrorCode::AuthFailed),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (422, ErrorCode::InvalidRequest),
        (429, ErrorCode::RateLimit),
        (500, ErrorCode::ServerError),
    ] {
        let server = FaultServer::scripted(vec![Action::status(status)]).await;
        let c = client(&server.url, RetryConfig::disabled());
        let e = c.execute(get()).await.unwrap_err();
        assert_eq!(e.code, code, "{status}");
        assert_eq!(e.status, Some(status));
    }
}

#[tokio::test]
async fn error_body_is_size_capped() {
    let big = "x".repeat(connector_runtime::MAX_ERROR_BODY * 2);
    let server = FaultServer::scripted(vec![Action::json(400, &big)]).await;
    let c = client(&server.url, RetryConfig::disabled());
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.body.unwrap().len(), connector_runtime::MAX_ERROR_BODY);
}

#[tokio::test]
async fn refused_connection_is_a_retryable_network_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), fast_retry(2));
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NetworkError);
    assert!(e.retryable);
    assert_eq!(e.attempt, 2);
}

#[tokio::test]
async fn cancellation_token_yields_cancelled() {
    let server = FaultServer::scripted(vec![Action::Delay(
        Duration::from_secs(5),
        Box::new(Action::json(200, "{}")),
    )])
    .await;
    let c = client(&server.url, fast_retry(3));
    let token = tokio_util::sync::CancellationToken::new();
    let mut r = get();
    r.cancel_token(token.clone());
    let t = Instant::now();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        token.cancel();
    });
    let e = c.execute(r).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(!e.retryable);
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn correlation_id_is_generated_reused_and_carried_into_errors() {
    let server = FaultServer::scripted(vec![Action::status(503)]).await;
    let c = client(&server.url, fast_retry(2));
    let e = c.execute(get()).await.unwrap_err();
    let rec = server.recorded();
    let id = rec[0].header("x-correlation-id").unwrap().to_owned();
    assert_eq!(id.len(), 32);
    assert_eq!(rec[1].header("x-correlation-id"), Some(id.as_str()));
    assert_eq!(e.request_id.as_deref(), Some(id.as_str()));

    // A caller-supplied id is kept.
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = client(&server.url, fast_retry(2));
    let mut r = get();
    r.header("X-Correlation-ID", "mine-1");
    let resp = c.execute(r).await.unwrap();
    assert_eq!(
        server.recorded()[0].header("x-correlation-id"),
        Some("mine-1")
    );
    assert_eq!(resp.meta.correlation_id.as_deref(), Some("mine-1"));
}

#[tokio::test]
async fn response_meta_carries_timestamp_duration_retries_request_id_and_rate_limit() {
    let server = FaultServer::scripted(vec![
        Action::status(500),
        Action::json(200, r#"{"v":1}"#)
            .with_header("X-Request-Id", "req-9")
            .with_header("X-RateLimit-Limit", "100")
            .with_header("X-RateLimit-Remaining", "42"),
    ])
    .await;
    let c = client(&server.url, fast_retry(3));
    let before = SystemTime::now();
    let r = c
        .execute(get())
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap();
    assert_eq!(r.data["v"], 1);
    assert_eq!(r.status, 200);
    assert!(r.meta.timestamp >= before);
    assert!(r.meta.duration > Duration::ZERO);
    assert_eq!(r.meta.retry_count, 1);
    assert_eq!(r.meta.request_id.as_deref(), Some("req-9"));
    let rl = r.meta.rate_limit.clone().unwrap();
    assert_eq!((rl.limit, rl.remaining), (Some(100), Some(42)));
    assert_eq!(r.header("x-ratelimit-limit"), Some("100"));
}
