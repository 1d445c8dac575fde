//! Helpers shared by the policy tests (`policies.rs`, `policy_bodies.rs`).

use connector_runtime::{Client, ConnectionValues, Method, PolicySpec, Request, RetryConfig};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client for `server` running `policies` with `values`, without retries.
pub fn client(server: &MockServer, policies: &[PolicySpec], values: ConnectionValues) -> Client {
    Client::builder(server.uri())
        .retry(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        })
        .policies(policies)
        .connection_values(values)
        .build()
        .unwrap()
}

/// A request for operation `op` with a JSON body.
pub fn json_request(op: &'static str, m: Method, template: &'static str, body: Value) -> Request {
    let mut r = Request::new(op, m, template);
    r.json(&body).unwrap();
    r
}

/// Answers every request on `server` with `200 {}`.
pub async fn ok(server: &MockServer) {
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
}
