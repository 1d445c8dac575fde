//! Authentication: API key, bearer, basic, OAuth 2.0, refreshing tokens, HMAC, secrecy.
#![allow(missing_docs)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Action, FaultServer, fast_retry};
use connector_runtime::auth::{RefreshingToken, Token};
use connector_runtime::{Auth, Client, ErrorCode, HmacSigner, OAuth2Config, Request, RetryConfig};
use futures::FutureExt;
use http::Method;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn get() -> Request {
    Request::new("getThing", Method::GET, "/thing")
}

fn token_body(token: &str, expires_in: u64) -> serde_json::Value {
    serde_json::json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in})
}

#[tokio::test]
async fn oauth2_client_credentials_token_is_fetched_once_for_concurrent_requests() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_body("tok-1", 3600))
                .set_delay(Duration::from_millis(50)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/thing"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(10)
        .mount(&server)
        .await;
    let auth = Auth::oauth2(OAuth2Config::client_credentials(
        format!("{}/token", server.uri()),
        "id",
        "s3cret",
    ))
    .unwrap();
    let c = Client::builder(server.uri()).auth(auth).build().unwrap();
    let calls: Vec<_> = (0..10).map(|_| c.execute(get())).collect();
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    server.verify().await;
}

#[tokio::test]
async fn unauthorized_then_success_after_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("old", 3600)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("new", 3600)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .mount(&server)
        .await;
    let auth = Auth::oauth2(OAuth2Config::client_credentials(
        format!("{}/token", server.uri()),
        "id",
        "sec",
    ))
    .unwrap();
    let c = Client::builder(server.uri())
        .auth(auth)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let r = c.execute(get()).await.unwrap();
    assert_eq!(r.status, 200);
    let token_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/token")
        .count();
    assert_eq!(token_calls, 2);
}

#[tokio::test]
async fn persistent_401_fails_after_one_refresh_with_auth_failed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("t", 3600)))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .expect(2)
        .mount(&server)
        .await;
    let auth = Auth::oauth2(OAuth2Config::client_credentials(
        format!("{}/token", server.uri()),
        "id",
        "sec",
    ))
    .unwrap();
    let c = Client::builder(server.uri()).auth(auth).build().unwrap();
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed);
    server.verify().await;
}

#[tokio::test]
async fn refresh_token_grant_rotates_the_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("refresh_token=r1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "a1", "token_type": "bearer", "expires_in": 1, "refresh_token": "r2"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("refresh_token=r2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("a2", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let auth = Auth::oauth2(OAuth2Config::refresh_token(
        format!("{}/token", server.uri()),
        "id",
        None,
        "r1",
    ))
    .unwrap();
    let c = Client::builder(server.uri()).auth(auth).build().unwrap();
    // expires_in 1 s is inside the 30 s refresh margin: the second call refreshes first.
    c.execute(get()).await.unwrap();
    c.execute(get()).await.unwrap();
    server.verify().await;
    let reqs = server.received_requests().await.unwrap();
    let auths: Vec<_> = reqs
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .map(|r| {
            r.headers
                .get("authorization")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(auths, vec!["Bearer a1", "Bearer a2"]);
}

#[tokio::test]
async fn refreshing_bearer_refreshes_before_expiry() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = {
        let fetches = fetches.clone();
        move || {
            let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                Ok(Token::new(
                    format!("t{n}"),
                    Some(Duration::from_millis(300)),
                ))
            }
            .boxed()
        }
    };
    let cache = Arc::new(RefreshingToken::new(
        Arc::new(source),
        Duration::from_millis(100),
    ));
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .auth(Auth::Refreshing(cache.clone()))
        .build()
        .unwrap();
    c.execute(get()).await.unwrap();
    c.execute(get()).await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "still valid: no refresh");
    // 250 ms later the token is within the 100 ms margin of its 300 ms expiry.
    tokio::time::sleep(Duration::from_millis(250)).await;
    c.execute(get()).await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    let rec = server.recorded();
    assert_eq!(rec[0].header("authorization"), Some("Bearer t1"));
    assert_eq!(rec[2].header("authorization"), Some("Bearer t2"));
}

#[tokio::test]
async fn api_key_bearer_and_basic_are_applied() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let cases = [
        (
            Auth::api_key_header("X-Custom-Key", "k1"),
            "x-custom-key",
            "k1",
        ),
        (Auth::bearer("b1"), "authorization", "Bearer b1"),
        (
            Auth::basic("user", "pw"),
            "authorization",
            "Basic dXNlcjpwdw==",
        ),
    ];
    for (i, (auth, name, value)) in cases.into_iter().enumerate() {
        let c = Client::builder(&server.url).auth(auth).build().unwrap();
        c.execute(get()).await.unwrap();
        assert_eq!(server.recorded()[i].header(name), Some(value));
    }
    let c = Client::builder(&server.url)
        .auth(Auth::api_key_query("api_key", "q1"))
        .build()
        .unwrap();
    c.execute(get()).await.unwrap();
    assert!(server.recorded()[3].target.contains("api_key=q1"));
}

#[tokio::test]
async fn hmac_signer_signs_method_path_timestamp_and_body() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .auth(Auth::hmac(
            HmacSigner::new(b"topsecret".to_vec()).key_id("key-1"),
        ))
        .build()
        .unwrap();
    let mut r = Request::new("create", Method::POST, "/things");
    r.query("a", "1");
    r.json(&serde_json::json!({"x": 1})).unwrap();
    c.execute(r).await.unwrap();
    let rec = &server.recorded()[0];
    let ts: u64 = rec.header("x-timestamp").unwrap().parse().unwrap();
    let sts = HmacSigner::string_to_sign("POST", "/things?a=1", ts, &rec.body);
    let expected = HmacSigner::new(b"topsecret".to_vec())
        .signature(&sts)
        .unwrap();
    assert_eq!(rec.header("x-signature"), Some(expected.as_str()));
    assert_eq!(rec.header("x-key-id"), Some("key-1"));
}

#[tokio::test]
async fn secrets_never_appear_in_debug_display_or_errors() {
    let auth = Auth::api_key_query("api_key", "SUPERSECRET");
    assert!(!format!("{auth:?}").contains("SUPERSECRET"));
    let oauth = OAuth2Config::client_credentials("http://127.0.0.1:1/token", "id", "SUPERSECRET");
    assert!(!format!("{oauth:?}").contains("SUPERSECRET"));
    let hmac = HmacSigner::new(b"SUPERSECRET".to_vec());
    assert!(!format!("{hmac:?}").contains("SUPERSECRET"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder(format!("http://127.0.0.1:{port}"))
        .auth(auth)
        .retry(fast_retry(1))
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("SUPERSECRET"));
    let e = c.execute(get()).await.unwrap_err();
    let mut text = format!("{e} {e:?}");
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = src {
        text.push_str(&format!(" {s} {s:?}"));
        src = s.source();
    }
    assert!(!text.contains("SUPERSECRET"), "{text}");
    // Failing OAuth: the token error does not leak the client secret.
    let c = Client::builder(format!("http://127.0.0.1:{port}"))
        .auth(Auth::oauth2(oauth).unwrap())
        .build()
        .unwrap();
    let e = c.execute(get()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AuthFailed);
    assert!(!format!("{e} {e:?}").contains("SUPERSECRET"));
}

#[tokio::test]
async fn auth_can_be_switched_at_runtime() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .auth(Auth::bearer("one"))
        .build()
        .unwrap();
    c.execute(get()).await.unwrap();
    c.set_auth(Auth::bearer("two"));
    c.execute(get()).await.unwrap();
    let rec = server.recorded();
    assert_eq!(rec[0].header("authorization"), Some("Bearer one"));
    assert_eq!(rec[1].header("authorization"), Some("Bearer two"));
}
