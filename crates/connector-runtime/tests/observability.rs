//! Metrics and redaction (span capture lives in tracing_spans.rs, its own process).
#![allow(missing_docs)]

mod common;

use common::{Action, FaultServer, fast_retry};
use connector_runtime::{Auth, Client};

#[tokio::test]
async fn metrics_count_requests_retries_errors_and_latency() {
    let server = FaultServer::scripted(vec![
        Action::status(500),
        Action::json(200, "{}"),
        Action::status(404),
    ])
    .await;
    let c = Client::builder(&server.url)
        .retry(fast_retry(3))
        .build()
        .unwrap();
    c.get("/a").await.unwrap();
    c.get("/b").await.unwrap_err();
    let m = c.metrics();
    assert_eq!(m.requests, 2);
    assert_eq!(m.attempts, 3);
    assert_eq!(m.retries, 1);
    assert_eq!(m.errors, 1);
    assert_eq!(m.latency_buckets.iter().sum::<u64>(), 2);
    assert!(m.bytes_received >= 2);
    assert_eq!(m.in_flight, 0);
}

#[test]
fn redactor_masks_configured_json_fields_and_query_values() {
    let c = Client::builder("http://localhost")
        .auth(Auth::api_key_query("sig", "x"))
        .redact_field("ssn")
        .build()
        .unwrap();
    let v = c
        .redactor()
        .json(&serde_json::json!({"user": {"ssn": "123", "name": "a"}, "client_secret": "s"}));
    assert_eq!(v["user"]["ssn"], "[redacted]");
    assert_eq!(v["user"]["name"], "a");
    assert_eq!(v["client_secret"], "[redacted]");
    let url = reqwest::Url::parse("http://h/p?sig=abc&x=1").unwrap();
    let shown = c.redactor().url(&url);
    assert!(!shown.contains("abc") && shown.contains("x=1"), "{shown}");
}
