//! The wire request the pipeline builds (directly, not through reqwest's builder):
//! bodies with their content types, forms, the client's default headers, the
//! correlation id, and credentials written in the base URL.
#![allow(missing_docs)]

mod common;

use base64::Engine;
use common::{Action, FaultServer};
use connector_runtime::{Client, FilePart, Form, Request};
use http::Method;

fn post(path: &'static str) -> Request {
    Request::new("post", Method::POST, path)
}

/// Bytes, URL-encoded and multipart bodies arrive with their content types; the
/// client's default header and the caller's headers are both sent, and so is the
/// correlation id.
#[tokio::test]
async fn bodies_forms_and_headers_reach_the_server() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .default_header("X-Env", "test")
        .build()
        .unwrap();

    let mut bytes = post("/bytes");
    bytes.bytes("text/plain", "hello").header("X-Caller", "me");
    c.execute(bytes).await.unwrap();

    let mut form = Form::new(false);
    form.field("a", 1);
    form.field("b", "x y");
    let mut urlencoded = post("/form");
    urlencoded.form(form);
    c.execute(urlencoded).await.unwrap();

    let mut form = Form::new(true);
    form.field("title", "report");
    form.file("doc", FilePart::new("PDF-BYTES").file_name("r.pdf"));
    let mut multipart = post("/multipart");
    multipart.form(form);
    c.execute(multipart).await.unwrap();

    let rec = server.recorded();
    assert_eq!(rec.len(), 3);
    assert_eq!(rec[0].header("content-type"), Some("text/plain"));
    assert_eq!(rec[0].body, b"hello");
    assert_eq!(rec[0].header("x-caller"), Some("me"));
    assert_eq!(
        rec[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(rec[1].body, b"a=1&b=x+y");
    let ct = rec[2].header("content-type").unwrap_or_default();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&rec[2].body);
    assert!(
        body.contains("name=\"title\"") && body.contains("report"),
        "{body}"
    );
    assert!(
        body.contains("filename=\"r.pdf\"") && body.contains("PDF-BYTES"),
        "{body}"
    );
    for r in &rec {
        assert_eq!(r.header("x-env"), Some("test"), "{}", r.target);
        assert!(r.header("x-correlation-id").is_some(), "{}", r.target);
    }
}

/// Credentials written in the base URL become a basic `Authorization` header (as
/// reqwest's builder makes them) and never appear in the request target.
#[tokio::test]
async fn credentials_in_the_base_url_become_basic_auth() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let base = server.url.replacen("http://", "http://user:pw@", 1);
    let c = Client::builder(&base).build().unwrap();
    c.execute(Request::new("get", Method::GET, "/items"))
        .await
        .unwrap();
    let rec = server.recorded();
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("user:pw")
    );
    assert_eq!(rec[0].header("authorization"), Some(expected.as_str()));
    assert_eq!(rec[0].target, "/items");
}

/// A content type that is not a valid header value fails the call before anything is
/// sent.
#[tokio::test]
async fn an_invalid_content_type_fails_before_sending() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url).build().unwrap();
    let mut bad = post("/bytes");
    bad.bytes("text/plain\nx-injected: 1", "hello");
    let e = c.execute(bad).await.unwrap_err();
    assert_eq!(e.code, connector_runtime::ErrorCode::ValidationError);
    assert_eq!(server.hits(), 0);
}
