//! Polling triggers: batches with persistable state, resuming, 202 handling.
#![allow(missing_docs)]

use std::time::Duration;

use connector_runtime::futures::StreamExt;
use connector_runtime::{Client, PolicyKind, PolicySpec, PollItems, PollState, Poller, Request};
use http::Method;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

static POLICIES: &[PolicySpec] = &[PolicySpec::new(
    PolicyKind::PollingTrigger,
    &["NewItems"],
    &[
        (
            "triggerConfig",
            r#"{"after": "@{triggerBody().items[0].id}"}"#,
        ),
        ("triggerDataPath", "@triggerBody().items"),
    ],
)];

#[tokio::test]
async fn resumed_poller_sends_the_persisted_watermark_and_skips_202() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("after", "7"))
        .respond_with(ResponseTemplate::new(202).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("after", "7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [{"id": 9}, {"id": 8}]})),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .policies(POLICIES)
        .build()
        .unwrap();
    let state = PollState {
        last_body: Some(json!({"items": [{"id": 7}]})),
        next_url: None,
    };
    let batch = Poller::<serde_json::Value>::new(
        client,
        Request::new("NewItems", Method::GET, "/items"),
        PollItems::Body,
    )
    .interval(Duration::from_secs(3600))
    .resume(state)
    .batches()
    .next()
    .await
    .expect("a batch")
    .expect("polled");
    assert_eq!(batch.items, [json!({"id": 9}), json!({"id": 8})]);
    assert_eq!(
        batch.state.last_body,
        Some(json!({"items": [{"id": 9}, {"id": 8}]}))
    );
    // The state survives a round trip through JSON, for persistence.
    let text = serde_json::to_string(&batch.state).unwrap();
    assert_eq!(
        serde_json::from_str::<PollState>(&text).unwrap(),
        batch.state
    );
}
