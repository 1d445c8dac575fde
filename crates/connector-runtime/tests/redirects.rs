//! Redirects are followed by the runtime: same-origin hops keep credentials, a
//! cross-origin hop is sent bare (every credential the runtime set, secret query
//! parameters), no `Referer` is sent, 307 / 308 re-send the body, and the policy is
//! configurable.
#![allow(missing_docs)]

use connector_runtime::{
    Auth, Client, ClientBuilder, ErrorCode, RedirectPolicy, Request, RetryConfig,
};
use http::Method;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(base: &str) -> ClientBuilder {
    Client::builder(base).retry(RetryConfig::disabled())
}

async fn redirect(server: &MockServer, from: &str, status: u16, to: &str) {
    Mock::given(path(from))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", to))
        .mount(server)
        .await;
}

async fn landing(server: &MockServer, at: &str) {
    Mock::given(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_string("landed"))
        .mount(server)
        .await;
}

async fn requests_to(server: &MockServer, at: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("recording on")
        .into_iter()
        .filter(|r| r.url.path() == at)
        .collect()
}

#[tokio::test]
async fn cross_origin_redirect_strips_api_key_header() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    redirect(
        &api,
        "/start",
        302,
        &format!("{}/landing?api_key=q-secret&keep=1", other.uri()),
    )
    .await;
    landing(&other, "/landing").await;
    let c = builder(&api.uri())
        .auth(Auth::api_key_header("X-Custom-Key", "key-secret"))
        .default_header("Authorization", "Bearer default-secret")
        .default_query("api_key", "q-secret")
        .build()
        .unwrap();
    let resp = c.get("/start?page=1").await.unwrap();
    assert_eq!(&resp.body[..], b"landed");
    let start = requests_to(&api, "/start").await;
    assert!(start[0].headers.contains_key("x-custom-key"));
    let hop = requests_to(&other, "/landing").await;
    assert_eq!(hop.len(), 1);
    let h = &hop[0];
    assert!(
        !h.headers.contains_key("x-custom-key"),
        "custom API-key header"
    );
    assert!(!h.headers.contains_key("authorization"));
    assert!(!h.headers.contains_key("referer"), "no Referer");
    assert!(
        !h.url.query_pairs().any(|(k, _)| k == "api_key"),
        "{}",
        h.url
    );
    assert!(h.url.query_pairs().any(|(k, _)| k == "keep"));
}

#[tokio::test]
async fn cross_origin_redirect_strips_bearer_token() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    redirect(&api, "/start", 301, &format!("{}/landing", other.uri())).await;
    landing(&other, "/landing").await;
    let c = builder(&api.uri())
        .auth(Auth::bearer("bearer-secret"))
        .build()
        .unwrap();
    c.get("/start").await.unwrap();
    let hop = requests_to(&other, "/landing").await;
    assert!(!hop[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn same_origin_redirect_keeps_credentials() {
    let api = MockServer::start().await;
    redirect(&api, "/old", 301, "/new").await;
    landing(&api, "/new").await;
    let c = builder(&api.uri())
        .auth(Auth::api_key_header("X-Custom-Key", "key-secret"))
        .build()
        .unwrap();
    c.get("/old").await.unwrap();
    let hop = requests_to(&api, "/new").await;
    assert_eq!(hop[0].headers.get("x-custom-key").unwrap(), "key-secret");
    assert!(!hop[0].headers.contains_key("referer"));
}

#[tokio::test]
async fn redirect_307_resends_method_and_body_and_303_becomes_get() {
    let api = MockServer::start().await;
    redirect(&api, "/a", 307, "/b").await;
    redirect(&api, "/c", 303, "/d").await;
    landing(&api, "/b").await;
    landing(&api, "/d").await;
    let c = builder(&api.uri()).build().unwrap();
    let mut r = Request::new("create", Method::POST, "/a");
    r.bytes("text/plain", "payload");
    c.execute(r).await.unwrap();
    let b = requests_to(&api, "/b").await;
    assert_eq!(b[0].method.as_str(), "POST");
    assert_eq!(&b[0].body[..], b"payload");
    let mut r = Request::new("create", Method::POST, "/c");
    r.bytes("text/plain", "payload");
    c.execute(r).await.unwrap();
    let d = requests_to(&api, "/d").await;
    assert_eq!(d[0].method.as_str(), "GET");
    assert!(d[0].body.is_empty());
}

#[tokio::test]
async fn redirect_policy_none_does_not_follow() {
    let api = MockServer::start().await;
    redirect(&api, "/old", 302, "/new").await;
    landing(&api, "/new").await;
    let c = builder(&api.uri())
        .redirect_policy(RedirectPolicy::none())
        .build()
        .unwrap();
    let e = c.get("/old").await.unwrap_err();
    assert_eq!(e.status, Some(302));
    assert!(requests_to(&api, "/new").await.is_empty());
}

#[tokio::test]
async fn same_origin_only_policy_refuses_cross_origin_redirect() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    redirect(&api, "/start", 302, &format!("{}/landing", other.uri())).await;
    landing(&other, "/landing").await;
    let c = builder(&api.uri())
        .redirect_policy(RedirectPolicy::same_origin_only())
        .build()
        .unwrap();
    let e = c.get("/start").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(e.message.contains("same-origin"), "{}", e.message);
    assert!(requests_to(&other, "/landing").await.is_empty());
}

#[tokio::test]
async fn redirect_loop_stops_at_max_hops() {
    let api = MockServer::start().await;
    redirect(&api, "/loop", 302, "/loop").await;
    let c = builder(&api.uri())
        .redirect_policy(RedirectPolicy {
            max_hops: 4,
            ..RedirectPolicy::default()
        })
        .build()
        .unwrap();
    let e = c.get("/loop").await.unwrap_err();
    assert!(e.message.contains("more than 4 redirects"), "{}", e.message);
    assert_eq!(requests_to(&api, "/loop").await.len(), 5);
}

#[tokio::test]
async fn redirect_back_to_the_base_origin_stays_bare() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    redirect(&api, "/start", 302, &format!("{}/bounce", other.uri())).await;
    redirect(&other, "/bounce", 302, &format!("{}/back", api.uri())).await;
    landing(&api, "/back").await;
    let c = builder(&api.uri())
        .auth(Auth::bearer("bearer-secret"))
        .build()
        .unwrap();
    c.get("/start").await.unwrap();
    let back = requests_to(&api, "/back").await;
    assert!(!back[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn redirect_308_is_followed_with_the_same_method() {
    // Guard for the mock setup above: a plain GET redirect lands as a GET.
    let api = MockServer::start().await;
    redirect(&api, "/x", 308, "/y").await;
    Mock::given(method("GET"))
        .and(path("/y"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&api)
        .await;
    let c = builder(&api.uri()).build().unwrap();
    assert_eq!(c.get("/x").await.unwrap().status, 204);
}

#[tokio::test]
async fn a_streamed_upload_is_sent_again_whole_on_307_and_308() {
    let api = MockServer::start().await;
    redirect(&api, "/up7", 307, "/in7").await;
    redirect(&api, "/up8", 308, "/in8").await;
    landing(&api, "/in7").await;
    landing(&api, "/in8").await;
    let c = builder(&api.uri()).build().unwrap();
    // Larger than one 64 KiB chunk, so the body really is a stream of several pieces.
    let payload: Vec<u8> = (0..150_000u32).map(|i| (i % 251) as u8).collect();
    let file = std::env::temp_dir().join(format!("redirect-upload-{}.bin", std::process::id()));
    std::fs::write(&file, &payload).unwrap();
    let sources = [
        (
            "/up7",
            "/in7",
            connector_runtime::UploadSource::File(file.clone()),
        ),
        (
            "/up8",
            "/in8",
            connector_runtime::UploadSource::Bytes(payload.clone().into()),
        ),
    ];
    for (from, to, source) in sources {
        let r = Request::new("upload", Method::PUT, from);
        let raw = c
            .upload(r, source, "application/octet-stream", None)
            .await
            .unwrap();
        assert_eq!(&raw.body[..], b"landed");
        let landed = requests_to(&api, to).await;
        assert_eq!(landed.len(), 1, "{to}");
        assert_eq!(landed[0].method.as_str(), "PUT");
        assert_eq!(landed[0].body.len(), payload.len(), "{to}");
        assert!(landed[0].body == payload, "{to}: the body differs");
    }
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn a_user_agent_with_control_and_non_ascii_characters_is_escaped_not_fatal() {
    let api = MockServer::start().await;
    landing(&api, "/ua").await;
    let c = builder(&api.uri())
        .user_agent("acme\r\nX-Injected: 1/1.0\u{7f} é\u{0}")
        .build()
        .expect("the client builds");
    c.execute(Request::new("ua", Method::GET, "/ua"))
        .await
        .unwrap();
    let seen = requests_to(&api, "/ua").await;
    assert!(seen[0].headers.get("x-injected").is_none());
    assert_eq!(
        seen[0].headers.get("user-agent").unwrap().to_str().unwrap(),
        "acme%0D%0AX-Injected: 1/1.0%7F %C3%A9%00"
    );
}
