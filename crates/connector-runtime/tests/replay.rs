//! Lost responses and replays: a request that may have reached the server is replayed
//! only when it is idempotent or carries an idempotency key the API honours; a failure
//! before the request was written is retried for every method.
#![allow(missing_docs)]

mod common;

use common::{Action, FaultServer, fast_retry};
use connector_runtime::{Client, ErrorCode, Request, RetryConfig};
use http::Method;

fn client(url: &str, retry: RetryConfig) -> Client {
    Client::builder(url).retry(retry).build().unwrap()
}

fn create() -> Request {
    let mut r = Request::new("create", Method::POST, "/orders");
    r.json(&serde_json::json!({"sku": "x"})).unwrap();
    r
}

/// The server reads the whole request (so it may have applied it), then drops the
/// connection without answering; the next request is answered.
async fn drops_first_request() -> FaultServer {
    FaultServer::scripted(vec![Action::Drop, Action::json(201, "{}")]).await
}

#[tokio::test]
async fn post_not_replayed_when_connection_drops_after_write() {
    let server = drops_first_request().await;
    let c = client(&server.url, fast_retry(3));
    let e = c.execute(create()).await.unwrap_err();
    assert_eq!(server.hits(), 1, "the POST was sent once");
    assert_eq!(e.code, ErrorCode::NetworkError);
    assert!(
        e.message.contains("may have reached the server"),
        "{}",
        e.message
    );
    assert!(
        server.recorded()[0].header("idempotency-key").is_none(),
        "no key is invented"
    );
}

#[tokio::test]
async fn get_replayed_when_connection_drops_after_write() {
    let server = drops_first_request().await;
    let c = client(&server.url, fast_retry(3));
    let resp = c
        .execute(Request::new("get", Method::GET, "/orders/1"))
        .await
        .unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn post_with_idempotency_key_header_replayed_after_drop() {
    let server = drops_first_request().await;
    let c = client(&server.url, fast_retry(3));
    // What a generated client sends when the definition declares the header.
    let mut r = create();
    r.header("Idempotency-Key", "order-1");
    assert_eq!(c.execute(r).await.unwrap().status, 201);
    let keys: Vec<String> = server
        .recorded()
        .iter()
        .map(|r| r.header("idempotency-key").unwrap_or("").to_owned())
        .collect();
    assert_eq!(keys, vec!["order-1", "order-1"]);
}

#[tokio::test]
async fn post_with_x_idempotency_key_header_replayed_without_a_second_key() {
    let server = drops_first_request().await;
    let c = client(&server.url, fast_retry(3));
    let mut r = create();
    r.header("X-Idempotency-Key", "order-2");
    assert_eq!(c.execute(r).await.unwrap().status, 201);
    assert_eq!(server.hits(), 2);
    assert!(server.recorded()[1].header("idempotency-key").is_none());
    assert_eq!(
        server.recorded()[1].header("x-idempotency-key"),
        Some("order-2")
    );
}

#[tokio::test]
async fn post_replayed_after_drop_when_client_opts_in_to_idempotency_keys() {
    let server = drops_first_request().await;
    let c = client(
        &server.url,
        RetryConfig {
            idempotency: true,
            ..fast_retry(3)
        },
    );
    assert_eq!(c.execute(create()).await.unwrap().status, 201);
    let rec = server.recorded();
    let first = rec[0].header("idempotency-key").unwrap();
    assert!(!first.is_empty());
    assert_eq!(rec[1].header("idempotency-key"), Some(first));
}

#[tokio::test]
async fn post_retried_when_connection_refused_before_write() {
    // A port with nothing listening: the connection is refused, nothing was written.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let c = client(&format!("http://{addr}"), fast_retry(3));
    let e = c.execute(create()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NetworkError);
    assert_eq!(e.attempt, 3, "every attempt was made: {}", e.message);
}
