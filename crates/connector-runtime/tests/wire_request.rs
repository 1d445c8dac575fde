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

fn get(path: &'static str) -> Request {
    Request::new("get", Method::GET, path)
}

/// All `Accept` headers the server saw on one request.
fn accepts(rec: &common::Recorded) -> Vec<&str> {
    rec.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("accept"))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The operation's declared media type is sent as `Accept` (not reqwest's `*/*`); an
/// `Accept` the caller sets, or the client's default, wins and is sent alone; without a
/// declared type reqwest's `*/*` goes out as before.
#[tokio::test]
async fn the_declared_media_type_is_sent_as_accept_unless_a_header_sets_one() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url).build().unwrap();

    let mut declared = get("/declared");
    declared.accept("application/vnd.api+json");
    c.execute(declared).await.unwrap();

    let mut caller = get("/caller");
    caller
        .accept("application/json")
        .header("Accept", "text/csv");
    c.execute(caller).await.unwrap();

    c.execute(get("/undeclared")).await.unwrap();

    let with_default = Client::builder(&server.url)
        .default_header("Accept", "application/xml")
        .build()
        .unwrap();
    let mut defaulted = get("/default");
    defaulted.accept("application/json");
    with_default.execute(defaulted).await.unwrap();

    let rec = server.recorded();
    assert_eq!(rec.len(), 4);
    assert_eq!(accepts(&rec[0]), ["application/vnd.api+json"]);
    assert_eq!(accepts(&rec[1]), ["text/csv"]);
    assert_eq!(accepts(&rec[2]), ["*/*"]);
    assert_eq!(accepts(&rec[3]), ["application/xml"]);
}

/// A declared media type that is no header value fails before anything is sent.
#[tokio::test]
async fn a_declared_media_type_that_is_no_header_value_fails_before_sending() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url).build().unwrap();
    let mut bad = get("/bad");
    bad.accept("application/json\r\nX-Smuggled: 1");
    let err = c.execute(bad).await.unwrap_err();
    assert!(err.to_string().contains("Accept"), "{err}");
    assert!(server.recorded().is_empty());
}
