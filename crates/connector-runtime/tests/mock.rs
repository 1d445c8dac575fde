//! The `mock` feature: a `MockRequest` matches exactly what the runtime client sends for
//! the same parameters — list joins, repeated query pairs, cookies, headers, encoded path
//! segments — and nothing else.
#![allow(missing_docs)]

use connector_runtime::mock::MockRequest;
use connector_runtime::mock::wiremock::MockServer;
use connector_runtime::support::CollectionFormat;
use connector_runtime::{Client, Request, RetryConfig};
use http::Method;

fn request(id: &str, tags: &[&str], cookie: &str) -> Request {
    let mut r = Request::new("Search", Method::GET, "/v1/items({id})/search");
    r.path_param("id", id)
        .query_list("tag", tags, CollectionFormat::Multi)
        .query("top", 5u32)
        .header("X-Trace", "t-1")
        .header("Cookie", format!("session={cookie}"));
    r
}

/// The status the server answered, whether the client calls it success or error.
async fn status(client: &Client, request: Request) -> Option<u16> {
    match client.execute(request).await {
        Ok(response) => Some(response.status),
        Err(error) => error.status,
    }
}

#[tokio::test]
async fn mock_requests_match_what_the_client_sends_and_nothing_else() {
    let server = MockServer::start().await;
    let mut expected = MockRequest::new("Search", Method::GET, "/v1/items({id})/search");
    expected
        .path_param("id", "a/b c")
        .query_list("tag", &["x", "y"], CollectionFormat::Multi)
        .query("top", 4u32)
        // A later value replaces the earlier one.
        .query("top", 5u32)
        .header("x-trace", "t-0")
        .header("X-Trace", "t-1")
        .cookie("session", "s1")
        .base_path("/api")
        .response_header("X-Mocked", "yes");
    expected
        .respond_json(203, &serde_json::json!({"ok": true}))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(format!("{}/api", server.uri()))
        .build()
        .expect("client");

    let response = client
        .execute(request("a/b c", &["y", "x"], "s1"))
        .await
        .expect("matched");
    assert_eq!(response.status, 203);
    assert_eq!(&response.body[..], br#"{"ok":true}"#);
    assert_eq!(
        response.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(
        response.headers.get("x-mocked").map(|v| v.as_bytes()),
        Some(&b"yes"[..])
    );
    // Each differing parameter alone makes it no match.
    assert_eq!(
        status(&client, request("a/b", &["x", "y"], "s1")).await,
        Some(404)
    );
    assert_eq!(
        status(&client, request("a/b c", &["x"], "s1")).await,
        Some(404)
    );
    assert_eq!(
        status(&client, request("a/b c", &["x", "y"], "s2")).await,
        Some(404)
    );
    let mut other_header = request("a/b c", &["x", "y"], "s1");
    other_header.headers.retain(|(k, _)| k != "X-Trace");
    other_header.header("X-Trace", "t-0");
    assert_eq!(status(&client, other_header).await, Some(404));
    let mut other_method = request("a/b c", &["x", "y"], "s1");
    other_method.method = Method::POST;
    assert_eq!(status(&client, other_method).await, Some(404));
    // Below another base path: no match either.
    let elsewhere = Client::builder(format!("{}/other", server.uri()))
        .build()
        .expect("client");
    assert_eq!(
        status(&elsewhere, request("a/b c", &["x", "y"], "s1")).await,
        Some(404)
    );
}

#[tokio::test]
async fn unset_parameters_match_any_value_and_bad_statuses_do_not_panic() {
    let server = MockServer::start().await;
    // Not an HTTP status: answered as 500 rather than panicking inside the server.
    MockRequest::new("Get", Method::GET, "/items/{id}")
        .respond_empty(1000)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    for id in ["1", "two", "ü"] {
        let mut r = Request::new("Get", Method::GET, "/items/{id}");
        r.path_param("id", id);
        assert_eq!(status(&client, r).await, Some(500), "{id}");
    }
    let r = Request::new("Get", Method::GET, "/items/1/more");
    assert_eq!(status(&client, r).await, Some(404));
}
