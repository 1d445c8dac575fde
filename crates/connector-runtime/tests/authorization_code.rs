//! OAuth 2.0 authorization code: PKCE URL, code exchange, refresh.
#![allow(missing_docs)]

use connector_runtime::auth::{AuthorizationCodeConfig, pkce_challenge};
use connector_runtime::{Client, Request};
use http::Method;
use secrecy::ExposeSecret;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(server: &MockServer) -> AuthorizationCodeConfig {
    AuthorizationCodeConfig {
        authorization_url: format!("{}/authorize?audience=x", server.uri()),
        token_url: format!("{}/token", server.uri()),
        refresh_url: Some(format!("{}/refresh", server.uri())),
        client_id: "cid".into(),
        client_secret: Some("csecret".to_owned().into()),
        redirect_url: "http://localhost:8080/cb".into(),
        scopes: vec!["openid".into(), "offline_access".into()],
        resource: Some("https://graph.example".into()),
        ..AuthorizationCodeConfig::default()
    }
}

#[tokio::test]
async fn authorization_url_carries_pkce_s256_and_state() {
    let server = MockServer::start().await;
    let c = config(&server);
    let a = c.authorization_request().unwrap();
    let b = c.authorization_request().unwrap();
    assert_ne!(a.state, b.state, "fresh state per request");
    let url = reqwest::Url::parse(&a.url).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["audience"], "x");
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "cid");
    assert_eq!(q["redirect_uri"], "http://localhost:8080/cb");
    assert_eq!(q["scope"], "openid offline_access");
    assert_eq!(q["resource"], "https://graph.example");
    assert_eq!(q["state"], a.state);
    assert_eq!(q["code_challenge_method"], "S256");
    let verifier = a.pkce_verifier.expose_secret();
    assert!(verifier.len() >= 43);
    assert_eq!(q["code_challenge"], pkce_challenge(verifier));
    assert!(!format!("{a:?}").contains(verifier));
    assert!(!format!("{c:?}").contains("csecret"));
}

#[tokio::test]
async fn code_exchange_then_refresh_authenticates_calls() {
    let server = MockServer::start().await;
    let c = config(&server);
    let a = c.authorization_request().unwrap();
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains(format!(
            "code_verifier={}",
            a.pkce_verifier.expose_secret()
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "at-1", "refresh_token": "rt-1", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/refresh"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=rt-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "at-2", "token_type": "bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer at-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = c
        .exchange_code(&reqwest::Client::new(), "the-code", &a.pkce_verifier)
        .await
        .unwrap();
    assert_eq!(tokens.access.value.expose_secret(), "at-1");
    assert!(tokens.access.expires_at.is_some());
    assert!(!format!("{tokens:?}").contains("rt-1"));
    let refresh = tokens.refresh_token.unwrap();
    let client = Client::builder(server.uri())
        .auth(c.refreshing_auth(&refresh).unwrap())
        .build()
        .unwrap();
    client
        .execute(Request::new("GetMe", Method::GET, "/me"))
        .await
        .unwrap();
}

#[tokio::test]
async fn failed_code_exchange_is_auth_failed_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})))
        .mount(&server)
        .await;
    let c = config(&server);
    let a = c.authorization_request().unwrap();
    let err = c
        .exchange_code(&reqwest::Client::new(), "bad", &a.pkce_verifier)
        .await
        .unwrap_err();
    assert_eq!(err.code, connector_runtime::ErrorCode::AuthFailed);
    assert_eq!(err.status, Some(400));
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("csecret") && !shown.contains(a.pkce_verifier.expose_secret()));
}

#[tokio::test]
async fn session_uses_its_access_token_until_rejected_then_refreshes_once() {
    use connector_runtime::auth::OAuthSession;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer held"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": 1})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer held"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/refresh"))
        .and(body_string_contains("refresh_token=r-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "renewed", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer renewed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": 2})))
        .mount(&server)
        .await;

    let session = OAuthSession::from_tokens(config(&server), "held", Some("r-1".into()));
    let client = Client::builder(server.uri())
        .auth(session.auth().unwrap())
        .build()
        .unwrap();
    for expected in [1, 2, 2] {
        let r = client
            .execute(Request::new("Me", Method::GET, "/me"))
            .await
            .expect("authenticated");
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["n"], expected);
    }

    // Without a refresh token the session is a plain bearer.
    let plain = OAuthSession::from_tokens(config(&server), "only", None);
    assert!(matches!(
        plain.auth().unwrap(),
        connector_runtime::Auth::Bearer(_)
    ));
}
