//! Paging, lifecycle, request methods, batch, streaming, transfers, caching,
//! compression, configuration and observability.
#![allow(missing_docs)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use common::{Action, FaultServer, fast_retry};
use connector_runtime::UploadSource;
use connector_runtime::paging::{Cursor, CustomPaging, LinkHeader, NextLink, Offset, PageNumber};
use connector_runtime::{
    CacheConfig, Client, ErrorCode, ProxyConfig, Request, RetryConfig, TlsConfig,
};
use futures::StreamExt;
use http::Method;

fn list() -> Request {
    Request::new("list", Method::GET, "/items")
}

fn query_of(target: &str, name: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

#[tokio::test]
async fn cursor_paging_follows_continuation_tokens_lazily() {
    let server =
        FaultServer::with_handler(|req| match query_of(&req.target, "cursor").as_deref() {
            None => Action::json(200, r#"{"data":[1,2],"meta":{"next":"c2"}}"#),
            Some("c2") => Action::json(200, r#"{"data":[3],"meta":{"next":null}}"#),
            _ => Action::status(400),
        })
        .await;
    let c = Client::builder(&server.url).build().unwrap();
    let mut pages = c.paginate::<u32>(list(), Cursor::new("cursor", "meta.next", "data"));
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items, vec![1, 2]);
    assert_eq!(first.next.as_deref(), Some("c2"));
    // One page at a time: the second page is not fetched until polled.
    assert_eq!(server.hits(), 1);
    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.items, vec![3]);
    assert!(pages.next().await.is_none());
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn offset_paging_stops_on_a_short_page() {
    let server = FaultServer::with_handler(|req| {
        let off: usize = query_of(&req.target, "offset").unwrap().parse().unwrap();
        let lim: usize = query_of(&req.target, "limit").unwrap().parse().unwrap();
        let items: Vec<usize> = (off..(off + lim).min(5)).collect();
        Action::json(200, &serde_json::json!({ "results": items }).to_string())
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let items: Vec<usize> = c
        .paginate_items::<usize>(list(), Offset::new("offset", "limit", 2, "results"))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, vec![0, 1, 2, 3, 4]);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn page_number_paging_stops_on_an_empty_page() {
    let server = FaultServer::with_handler(|req| {
        let page: u32 = query_of(&req.target, "page").unwrap().parse().unwrap();
        let body = if page <= 2 {
            format!("[{page}]")
        } else {
            "[]".to_owned()
        };
        Action::json(200, &body)
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let items: Vec<u32> = c
        .paginate_items::<u32>(list(), PageNumber::new("page", ""))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, vec![1, 2]);
}

#[tokio::test]
async fn link_header_and_next_link_paging() {
    let server = FaultServer::with_handler(|req| {
        if req.target.contains("p=2") {
            Action::json(200, r#"[3]"#)
        } else {
            Action::json(200, r#"[1,2]"#).with_header(
                "Link",
                "</items?p=2>; rel=\"next\", </items?p=9>; rel=\"last\"",
            )
        }
    })
    .await;
    let fixed = {
        let url = server.url.clone();
        move |h: &str| h.replace("</items", &format!("<{url}/items"))
    };
    // Link targets are absolute in practice; rewrite the relative one via a custom extractor.
    let c = Client::builder(&server.url).build().unwrap();
    let items: Vec<u32> = c
        .paginate_items::<u32>(
            list(),
            CustomPaging::new(
                "unused",
                |body| body.as_array().cloned().unwrap_or_default(),
                move |page| {
                    let link = page.headers.get("link")?.to_str().ok()?;
                    let mut h = http::HeaderMap::new();
                    h.insert("link", fixed(link).parse().ok()?);
                    connector_runtime::paging::strategies::next_link_from_header(&h)
                },
            ),
        )
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, vec![1, 2, 3]);

    let server2 = FaultServer::with_handler(|req| {
        if req.target.contains("p=2") {
            Action::json(200, r#"[3]"#)
        } else {
            Action::json(200, r#"[1,2]"#)
        }
    })
    .await;
    let url2 = server2.url.clone();
    let server = FaultServer::with_handler(move |_| {
        Action::json(200, r#"[1,2]"#)
            .with_header("Link", &format!("<{url2}/items?p=2>; rel=\"next\""))
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let items: Vec<u32> = c
        .paginate_items::<u32>(list(), LinkHeader::new(""))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, vec![1, 2, 3]);

    // x-ms-pageable nextLink (absolute URL of the next page).
    let page2 = format!("{}/page2", server2.url);
    let server = FaultServer::with_handler(move |_| {
        Action::json(200, &format!(r#"{{"value":[1,2],"nextLink":"{page2}"}}"#))
    })
    .await;
    let server2 =
        FaultServer::scripted(vec![Action::json(200, r#"{"value":[3],"nextLink":null}"#)]).await;
    let _ = server2;
    let c = Client::builder(&server.url).build().unwrap();
    let mut pages = c.pages::<u32>(list(), NextLink::new(Some("nextLink"), "value"));
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items, vec![1, 2]);
    assert!(first.next.unwrap().ends_with("/page2"));
}

#[tokio::test]
async fn disconnect_drains_in_flight_requests_then_rejects_new_ones() {
    let server = FaultServer::scripted(vec![Action::Delay(
        Duration::from_millis(200),
        Box::new(Action::json(200, "{}")),
    )])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    assert!(!c.is_connected());
    c.connect().await.unwrap();
    assert!(c.is_connected());
    let in_flight = {
        let c = c.clone();
        tokio::spawn(async move { c.execute(list()).await })
    };
    // Wait until the request is at the server (not a fixed sleep: CI machines are slow).
    while server.hits() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // The server answers 200 ms after it recorded the request.
    let at_server = std::time::Instant::now();
    c.disconnect().await;
    assert!(
        at_server.elapsed() >= Duration::from_millis(150),
        "waited for the in-flight request"
    );
    assert!(
        in_flight.await.unwrap().is_ok(),
        "in-flight request completed"
    );
    assert!(!c.is_connected());
    let e = c.execute(list()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(e.message.contains("disconnected"));
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn request_methods_share_the_pipeline() {
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .default_header("X-Env", "test")
        .build()
        .unwrap();
    c.get("/a").await.unwrap();
    c.post("/b", &serde_json::json!({"x":1})).await.unwrap();
    c.put("/c", &serde_json::json!({"x":2})).await.unwrap();
    c.patch("/d", &serde_json::json!({"x":3})).await.unwrap();
    c.delete("/e").await.unwrap();
    let rec = server.recorded();
    let seen: Vec<(String, String)> = rec
        .iter()
        .map(|r| (r.method.clone(), r.target.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", "/a"),
            ("POST", "/b"),
            ("PUT", "/c"),
            ("PATCH", "/d"),
            ("DELETE", "/e")
        ]
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
    );
    assert!(
        rec.iter()
            .all(|r| r.header("x-env") == Some("test") && r.header("x-correlation-id").is_some())
    );
    assert_eq!(rec[1].body, br#"{"x":1}"#);
}

#[tokio::test]
async fn batch_reports_partial_failures_per_item_with_bounded_concurrency() {
    let server = FaultServer::with_handler(|req| {
        let action = if req.target.contains("bad") {
            Action::status(404)
        } else {
            Action::json(200, "{}")
        };
        Action::Delay(Duration::from_millis(50), Box::new(action))
    })
    .await;
    let c = Client::builder(&server.url)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let reqs: Vec<Request> = ["/ok1", "/bad", "/ok2", "/ok3", "/ok4", "/ok5"]
        .iter()
        .map(|p| c.build_request(Method::GET, p))
        .collect();
    let out = c.batch(reqs, 2).await;
    assert_eq!(out.results.len(), 6);
    assert_eq!(out.succeeded(), 5);
    assert!(out.is_partial_failure());
    assert_eq!(
        out.results[1].as_ref().unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(
        server
            .max_concurrent
            .load(std::sync::atomic::Ordering::SeqCst)
            <= 2
    );
}

#[tokio::test]
async fn stream_yields_chunks_and_sse_events() {
    let server = FaultServer::scripted(vec![Action::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "text/event-stream".into())],
        body: b": comment\nevent: tick\ndata: one\nid: 1\n\ndata: two\ndata: lines\n\n".to_vec(),
    }])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let events: Vec<_> = c
        .sse(list())
        .await
        .unwrap()
        .map(|e| e.unwrap())
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].event, "tick");
    assert_eq!(events[0].id.as_deref(), Some("1"));
    assert_eq!(events[1].data, "two\nlines");
    assert_eq!(
        server.recorded()[0].header("accept"),
        Some("text/event-stream")
    );

    let server = FaultServer::scripted(vec![Action::ResetMidBody {
        content_length: 1000,
        partial: b"partial".to_vec(),
    }])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let mut s = c.stream(list()).await.unwrap();
    let mut got = Vec::new();
    let mut err = None;
    while let Some(chunk) = s.next().await {
        match chunk {
            Ok(b) => got.extend_from_slice(&b),
            Err(e) => err = Some(e),
        }
    }
    assert_eq!(got, b"partial");
    let err = err.unwrap();
    assert_eq!(err.code, ErrorCode::NetworkError);
    assert!(err.retryable);
}

#[tokio::test]
async fn download_verifies_checksums_and_reports_progress() {
    let payload = vec![7u8; 200_000];
    let md5 = {
        use md5::Digest;
        md5::Md5::digest(&payload)
    };
    let good = base64::engine::general_purpose::STANDARD.encode(md5);
    let server = FaultServer::scripted(vec![
        Action::Respond {
            status: 200,
            headers: vec![("Content-MD5".into(), good)],
            body: payload.clone(),
        },
        Action::Respond {
            status: 200,
            headers: vec![("ETag".into(), "\"00000000000000000000000000000000\"".into())],
            body: payload.clone(),
        },
    ])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let p = progress.clone();
    let mut out = Vec::new();
    let report = c
        .download(
            list(),
            &mut out,
            Some(Arc::new(move |pr| p.lock().unwrap().push(pr.transferred))),
        )
        .await
        .unwrap();
    assert_eq!(out, payload);
    assert_eq!(report.bytes, 200_000);
    assert!(report.verified.contains(&"content-md5"));
    assert!(report.verified.contains(&"content-length"));
    let prog = progress.lock().unwrap().clone();
    assert_eq!(*prog.last().unwrap(), 200_000);
    assert!(prog.windows(2).all(|w| w[0] < w[1]));
    let mut out = Vec::new();
    let e = c.download(list(), &mut out, None).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ValidationError);
    assert!(e.message.contains("ETag"));
}

#[tokio::test]
async fn upload_streams_a_file_with_progress_and_checks_the_etag() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let payload = vec![3u8; 150_000];
    file.write_all(&payload).unwrap();
    let etag = {
        use md5::Digest;
        let d = md5::Md5::digest(&payload);
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let server = FaultServer::scripted(vec![
        Action::status(503),
        Action::json(200, "{}").with_header("ETag", &format!("\"{etag}\"")),
    ])
    .await;
    let c = Client::builder(&server.url)
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let progress = Arc::new(Mutex::new(0u64));
    let p = progress.clone();
    let r = c
        .upload(
            Request::new("put", Method::PUT, "/blob"),
            UploadSource::File(file.path().to_owned()),
            "application/octet-stream",
            Some(Arc::new(move |pr| *p.lock().unwrap() = pr.transferred)),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.meta.retry_count, 1, "the file was re-read for the retry");
    let rec = server.recorded();
    assert_eq!(rec[1].body.len(), 150_000);
    assert_eq!(*progress.lock().unwrap(), 150_000);

    let server = FaultServer::scripted(vec![
        Action::json(200, "{}").with_header("ETag", "\"ffffffffffffffffffffffffffffffff\""),
    ])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let e = c
        .upload(
            Request::new("put", Method::PUT, "/blob"),
            UploadSource::Bytes(payload.into()),
            "application/octet-stream",
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ValidationError);
}

#[tokio::test]
async fn etag_cache_revalidates_and_serves_304_from_cache() {
    let server = FaultServer::with_handler(|req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Action::status(304)
        } else {
            Action::json(200, r#"{"v":1}"#).with_header("ETag", "\"v1\"")
        }
    })
    .await;
    let c = Client::builder(&server.url)
        .cache(CacheConfig::default())
        .build()
        .unwrap();
    let first = c.execute(list()).await.unwrap();
    assert!(!first.meta.from_cache);
    let second = c.execute(list()).await.unwrap();
    assert!(second.meta.from_cache);
    assert_eq!(second.status, 200);
    assert_eq!(second.body, first.body);
    assert_eq!(server.recorded()[1].header("if-none-match"), Some("\"v1\""));
    // Without the cache, no conditional header is sent.
    let c = Client::builder(&server.url).build().unwrap();
    c.execute(list()).await.unwrap();
    assert!(server.recorded()[2].header("if-none-match").is_none());
}

/// Serve `body` with `Content-Encoding: encoding` and decode it through the client.
async fn decoded(encoding: &str, body: Vec<u8>) -> (serde_json::Value, String) {
    let server = FaultServer::scripted(vec![Action::Respond {
        status: 200,
        headers: vec![("Content-Encoding".into(), encoding.into())],
        body,
    }])
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let r = c
        .execute(list())
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap();
    let accept = server.recorded()[0]
        .header("accept-encoding")
        .unwrap()
        .to_owned();
    (r.data, accept)
}

#[tokio::test]
async fn gzip_deflate_and_brotli_responses_are_decompressed() {
    let payload = br#"{"zipped":true}"#;

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(payload).unwrap();
    let (data, accept) = decoded("gzip", gz.finish().unwrap()).await;
    assert_eq!(data["zipped"], true);
    assert!(
        accept.contains("gzip") && accept.contains("br") && accept.contains("deflate"),
        "{accept}"
    );

    // HTTP `deflate` is the zlib format.
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(payload).unwrap();
    let (data, _) = decoded("deflate", zlib.finish().unwrap()).await;
    assert_eq!(data["zipped"], true);

    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 5, 22);
        w.write_all(payload).unwrap();
    }
    let (data, _) = decoded("br", br).await;
    assert_eq!(data["zipped"], true);
}

#[tokio::test]
async fn configuration_defaults_and_overrides_apply() {
    assert_eq!(connector_runtime::DEFAULT_TIMEOUT, Duration::from_secs(30));
    let d = RetryConfig::default();
    assert_eq!(
        (d.max_attempts, d.initial_delay, d.max_delay),
        (3, Duration::from_secs(1), Duration::from_secs(30))
    );
    assert_eq!(d.retryable_status_codes, vec![429, 500, 502, 503, 504]);
    assert_eq!(
        connector_runtime::RateLimitConfig::default().concurrent_requests,
        10
    );
    let server = FaultServer::scripted(vec![Action::json(200, "{}")]).await;
    let c = Client::builder(format!("{}/", server.url))
        .default_query("api-version", "2024-01-01")
        .default_header("X-Tenant", "t1")
        .build()
        .unwrap();
    let mut r = list();
    r.query("q", "a b");
    c.execute(r).await.unwrap();
    let rec = &server.recorded()[0];
    assert_eq!(rec.target, "/items?api-version=2024-01-01&q=a+b");
    assert_eq!(rec.header("x-tenant"), Some("t1"));
    assert_eq!(
        rec.header("user-agent"),
        Some(concat!("connector-runtime/", env!("CARGO_PKG_VERSION")))
    );
    let c = Client::builder(&server.url)
        .user_agent("acme/1.2.3")
        .build()
        .unwrap();
    c.execute(list()).await.unwrap();
    assert_eq!(
        server.recorded()[1].header("user-agent"),
        Some("acme/1.2.3")
    );
    // Invalid configuration is rejected at build time.
    assert_eq!(
        Client::builder("not a url").build().unwrap_err().code,
        ErrorCode::ValidationError
    );
    let bad_ca = TlsConfig {
        ca_pem: vec![b"not a certificate".to_vec()],
        ..Default::default()
    };
    assert_eq!(
        Client::builder(&server.url)
            .tls(bad_ca)
            .build()
            .unwrap_err()
            .code,
        ErrorCode::ValidationError
    );
    let tls = TlsConfig {
        min_version: Some(connector_runtime::TlsVersion::Tls12),
        ..Default::default()
    };
    assert!(
        Client::builder("https://example.invalid")
            .tls(tls)
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn proxy_receives_absolute_form_requests_with_credentials() {
    let proxy = FaultServer::scripted(vec![Action::json(200, r#"{"via":"proxy"}"#)]).await;
    let c = Client::builder("http://api.example.invalid")
        .proxy(ProxyConfig {
            url: proxy.url.clone(),
            credentials: Some(("u".into(), "p".to_owned().into())),
            no_proxy: None,
        })
        .build()
        .unwrap();
    c.execute(list()).await.unwrap();
    let rec = &proxy.recorded()[0];
    assert_eq!(rec.target, "http://api.example.invalid/items");
    assert_eq!(rec.header("proxy-authorization"), Some("Basic dTpw"));
}
