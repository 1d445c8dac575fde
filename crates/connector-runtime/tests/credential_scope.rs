//! Credentials are scoped to origins: the base origin, origins the definition routes to,
//! and origins the user trusts. Every other URL (next links, absolute URLs the server
//! hands back, downloads) is followed bare. Two mock servers on different ports are two
//! origins.
#![allow(missing_docs)]

use connector_runtime::paging::NextLink;
use connector_runtime::{
    Auth, Client, ClientBuilder, ConnectionValues, PolicyKind, PolicySpec, Request, RetryConfig,
};
use futures::TryStreamExt;
use http::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(base: &str) -> ClientBuilder {
    Client::builder(base).retry(RetryConfig::disabled())
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut reqs = server.received_requests().await.expect("recording on");
    assert_eq!(reqs.len(), 1, "exactly one request");
    reqs.remove(0)
}

fn has_query(req: &wiremock::Request, name: &str) -> bool {
    req.url.query_pairs().any(|(k, _)| k == name)
}

async fn serve_json(server: &MockServer, at: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn credentials_not_sent_to_foreign_next_link() {
    let api = MockServer::start().await;
    let cdn = MockServer::start().await;
    // The server copies the secret query parameter into its next link.
    let next = format!("{}/page2?page=2&api_key=q-secret", cdn.uri());
    serve_json(&api, "/items", json!({"value": [1], "nextLink": next})).await;
    serve_json(&cdn, "/page2", json!({"value": [2]})).await;
    let c = builder(&api.uri())
        .auth(Auth::bearer("bearer-secret"))
        .default_header("X-Api-Key", "header-secret")
        .default_query("api_key", "q-secret")
        .build()
        .unwrap();
    let items: Vec<u32> = c
        .items::<u32>(
            Request::new("List", Method::GET, "/items"),
            NextLink::new(Some("nextLink"), "value"),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![1, 2], "the foreign next link is still followed");
    let first = only_request(&api).await;
    assert!(first.headers.contains_key("authorization"));
    assert!(first.headers.contains_key("x-api-key"));
    let foreign = only_request(&cdn).await;
    assert!(!foreign.headers.contains_key("authorization"));
    assert!(!foreign.headers.contains_key("x-api-key"));
    assert!(!has_query(&foreign, "api_key"), "{}", foreign.url);
    assert!(
        foreign
            .url
            .query_pairs()
            .any(|(k, v)| k == "page" && v == "2")
    );
}

#[tokio::test]
async fn credentials_sent_to_explicitly_trusted_origin() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    serve_json(&files, "/f", json!({})).await;
    let c = builder(&api.uri())
        .auth(Auth::bearer("bearer-secret"))
        .trust_origin(files.uri())
        .build()
        .unwrap();
    c.get(&format!("{}/f", files.uri())).await.unwrap();
    let req = only_request(&files).await;
    assert_eq!(
        req.headers.get("authorization").unwrap(),
        "Bearer bearer-secret"
    );
}

#[tokio::test]
async fn api_key_query_not_sent_to_foreign_absolute_url() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    serve_json(&api, "/own", json!({})).await;
    serve_json(&other, "/download", json!({})).await;
    let c = builder(&api.uri())
        .auth(Auth::api_key_query("code", "key-secret"))
        .build()
        .unwrap();
    c.get("/own").await.unwrap();
    assert!(has_query(&only_request(&api).await, "code"));
    c.get(&format!("{}/download?code=key-secret&x=1", other.uri()))
        .await
        .unwrap();
    let foreign = only_request(&other).await;
    assert!(!has_query(&foreign, "code"), "{}", foreign.url);
    assert!(has_query(&foreign, "x"));
}

#[tokio::test]
async fn signer_and_basic_credentials_not_sent_to_foreign_origin() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    serve_json(&other, "/x", json!({})).await;
    for auth in [
        Auth::basic("user", "pw-secret"),
        Auth::hmac(connector_runtime::HmacSigner::new(b"hmac-secret".to_vec())),
    ] {
        let c = builder(&api.uri()).auth(auth).build().unwrap();
        c.get(&format!("{}/x", other.uri())).await.unwrap();
    }
    for req in other.received_requests().await.unwrap() {
        assert!(!req.headers.contains_key("authorization"));
        assert!(!req.headers.contains_key("x-signature"));
        assert!(!req.headers.contains_key("x-timestamp"));
    }
}

#[tokio::test]
async fn policy_secret_header_not_sent_to_foreign_origin() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    serve_json(&api, "/items", json!({})).await;
    serve_json(&other, "/next", json!({})).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetHeader,
        &[],
        &[
            ("name", "X-Tenant-Secret"),
            ("value", "@connectionParameters('secret')"),
        ],
    )];
    let c = builder(&api.uri())
        .policies(P)
        .connection_values(ConnectionValues::new().secret("secret", "policy-secret"))
        .build()
        .unwrap();
    c.execute(Request::new("List", Method::GET, "/items"))
        .await
        .unwrap();
    assert!(
        only_request(&api)
            .await
            .headers
            .contains_key("x-tenant-secret")
    );
    let mut next = Request::new("List", Method::GET, "/items");
    next.absolute_url = Some(format!("{}/next", other.uri()));
    c.execute(next).await.unwrap();
    assert!(
        !only_request(&other)
            .await
            .headers
            .contains_key("x-tenant-secret")
    );
}

#[tokio::test]
async fn dynamic_host_origin_receives_credentials() {
    let tenant = MockServer::start().await;
    serve_json(&tenant, "/api/items", json!({})).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::DynamicHostUrl,
        &[],
        &[("urlTemplate", "@connectionParameters('host')/api")],
    )];
    let c = builder("https://placeholder.invalid")
        .auth(Auth::bearer("bearer-secret"))
        .policies(P)
        .connection_values(ConnectionValues::new().value("host", tenant.uri()))
        .build()
        .unwrap();
    c.execute(Request::new("List", Method::GET, "/items"))
        .await
        .unwrap();
    assert_eq!(
        only_request(&tenant)
            .await
            .headers
            .get("authorization")
            .unwrap(),
        "Bearer bearer-secret"
    );
}

#[tokio::test]
async fn download_from_foreign_url_is_bare() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"data".to_vec()))
        .mount(&blob)
        .await;
    let c = builder(&api.uri())
        .auth(Auth::api_key_header("X-Custom-Key", "key-secret"))
        .build()
        .unwrap();
    let mut out = Vec::new();
    let r = c.build_request(Method::GET, &format!("{}/blob", blob.uri()));
    c.download(r, &mut out, None).await.unwrap();
    assert_eq!(out, b"data");
    assert!(
        !only_request(&blob)
            .await
            .headers
            .contains_key("x-custom-key")
    );
}

#[tokio::test]
async fn credentials_not_sent_to_foreign_polling_location() {
    use connector_runtime::{PollItems, PollState, Poller};
    use futures::StreamExt;
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    serve_json(&other, "/poll", json!([{"id": 1}])).await;
    let c = builder(&api.uri())
        .auth(Auth::bearer("bearer-secret"))
        .build()
        .unwrap();
    // The state names the URL the server's last `Location` header gave.
    let state = PollState {
        last_body: None,
        next_url: Some(format!("{}/poll", other.uri())),
    };
    let _ = Poller::<Value>::new(
        c,
        Request::new("NewItems", Method::GET, "/items"),
        PollItems::Body,
    )
    .interval(std::time::Duration::from_secs(3600))
    .resume(state)
    .batches()
    .next()
    .await;
    assert!(
        !only_request(&other)
            .await
            .headers
            .contains_key("authorization")
    );
}

#[tokio::test]
async fn credentials_not_sent_to_foreign_set_value_from_url() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    serve_json(&api, "/items", json!({})).await;
    serve_json(&other, "/etag", json!({"etag": "e1"})).await;
    let url: &'static str = Box::leak(format!("{}/etag", other.uri()).into_boxed_str());
    let params: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
        ("parameterTemplate", "@headers('If-Match')"),
        ("parameterValueUrl", url),
        ("httpMethod", "GET"),
        ("parameterValuePathTemplate", "@body()['etag']"),
    ]));
    let policies = [PolicySpec::new(PolicyKind::SetValueFromUrl, &[], params)];
    let c = builder(&api.uri())
        .auth(Auth::api_key_header("X-Custom-Key", "key-secret"))
        .policies(&policies)
        .build()
        .unwrap();
    c.execute(Request::new("List", Method::GET, "/items"))
        .await
        .unwrap();
    let side = only_request(&other).await;
    assert!(!side.headers.contains_key("x-custom-key"));
    let main = only_request(&api).await;
    assert_eq!(main.headers.get("x-custom-key").unwrap(), "key-secret");
    assert_eq!(main.headers.get("if-match").unwrap(), "e1");
}

#[tokio::test]
async fn foreign_origin_401_does_not_refresh_the_token() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use connector_runtime::Token;
    use futures::FutureExt;
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&other)
        .await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = {
        let fetches = fetches.clone();
        move || {
            fetches.fetch_add(1, Ordering::SeqCst);
            async { Ok(Token::new("fresh", None)) }.boxed()
        }
    };
    let c = builder(&api.uri())
        .auth(Auth::bearer_refreshing(source))
        .build()
        .unwrap();
    let e = c.get(&format!("{}/x", other.uri())).await.unwrap_err();
    assert_eq!(e.status, Some(401));
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        0,
        "no token for a bare request"
    );
    assert!(
        !only_request(&other)
            .await
            .headers
            .contains_key("authorization")
    );
}
