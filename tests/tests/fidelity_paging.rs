//! Paging beyond `x-ms-pageable`, end to end: a crate generated from a test-only
//! definition with one operation per pattern (`fixtures/fidelity-paging`: Twilio-like
//! `meta.next_page_url`, OpenAI-like `after`/`has_more`/`last_id`, Harbor-like `Link`
//! header, DigitalOcean-like `links.pages.next`, a continuation token, offset/limit with
//! a total, page numbers with a page count (from 1, and from 0 where the parameter's
//! `minimum` says so), each vendor extension, and a cursor sent in the request body) is
//! compiled once into a small program that walks every stream to its end against a mock
//! server. Each item is seen exactly once, and each page is asked for with the right
//! query (or body).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use connector_codegen::Generator;
use connector_spec::{PagingOrigin, PagingPattern};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn fixture() -> PathBuf {
    common::root().join("tests/tests/fixtures/fidelity-paging")
}

/// `[{"id": ..}, ..]` for these ids.
fn things(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

fn query(request: &Request) -> BTreeMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// The mock server's answer for every page of every operation, routed by path to the
/// function serving that operation's paging pattern.
fn respond(base: &str, request: &Request) -> ResponseTemplate {
    let q = query(request);
    let get = |k: &str| q.get(k).map(String::as_str);
    match request.url.path() {
        "/messages" => twilio_next_page_url(base, get("PageToken")),
        "/files" => openai_after_has_more(get("after")),
        "/projects" => harbor_link_header(get("page")),
        "/droplets" => digitalocean_links_pages_next(base, get("page")),
        "/invoices" => continuation_token(get("continuationToken")),
        "/records" => offset_with_total(get("offset")),
        "/pages" => {
            page_numbers_with_count(get("page"), [("1", ["g1", "g2"]), ("2", ["g3", "g4"])])
        }
        "/zero-pages" => {
            page_numbers_with_count(get("page"), [("0", ["z1", "z2"]), ("1", ["z3", "z4"])])
        }
        "/speakeasy" => speakeasy_cursor(get("since")),
        "/fern" => fern_page_numbers(get("page")),
        "/generic" => generic_cursor(get("cursor")),
        "/search" => cursor_in_request_body(&request.body),
        _ => ResponseTemplate::new(404),
    }
}

/// A 200 answer with this JSON body.
fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The answer to a page nobody should ask for.
fn unexpected() -> ResponseTemplate {
    ResponseTemplate::new(400)
}

/// Twilio-like `meta.next_page_url`, relative on the first page and absolute after.
fn twilio_next_page_url(base: &str, page_token: Option<&str>) -> ResponseTemplate {
    match page_token {
        None => ok(json!({"messages": things(&["m1", "m2"]),
            "meta": {"page": 0, "next_page_url": "/messages?PageSize=2&Page=1&PageToken=PA1"}})),
        Some("PA1") => ok(json!({"messages": things(&["m3"]),
            "meta": {"page": 1, "next_page_url": format!("{base}/messages?PageSize=2&Page=2&PageToken=PA2")}})),
        Some("PA2") => {
            ok(json!({"messages": things(&["m4"]), "meta": {"page": 2, "next_page_url": null}}))
        }
        _ => unexpected(),
    }
}

/// OpenAI-like `after` query from the page's `last_id`, while `has_more`.
fn openai_after_has_more(after: Option<&str>) -> ResponseTemplate {
    match after {
        None => ok(json!({"object": "list", "data": things(&["f1", "f2"]),
            "first_id": "f1", "last_id": "f2", "has_more": true})),
        Some("f2") => ok(json!({"object": "list", "data": things(&["f3"]),
            "first_id": "f3", "last_id": "f3", "has_more": false})),
        _ => unexpected(),
    }
}

/// Harbor-like `Link` header (`rel="next"`, then only `rel="prev"`) over a bare array.
fn harbor_link_header(page: Option<&str>) -> ResponseTemplate {
    match page {
        None => ok(things(&["p1", "p2"]))
            .insert_header("Link", "</projects?page=2&page_size=2>; rel=\"next\"")
            .insert_header("X-Total-Count", "3"),
        Some("2") => ok(things(&["p3"]))
            .insert_header("Link", "</projects?page=1&page_size=2>; rel=\"prev\"")
            .insert_header("X-Total-Count", "3"),
        _ => unexpected(),
    }
}

/// DigitalOcean-like `links.pages.next`, absent on the last page.
fn digitalocean_links_pages_next(base: &str, page: Option<&str>) -> ResponseTemplate {
    match page {
        None => ok(json!({"droplets": things(&["d1", "d2"]),
            "links": {"pages": {"next": format!("{base}/droplets?page=2&per_page=2"),
                "last": format!("{base}/droplets?page=2&per_page=2")}},
            "meta": {"total": 3}})),
        Some("2") => {
            ok(json!({"droplets": things(&["d3"]), "links": {"pages": {}}, "meta": {"total": 3}}))
        }
        _ => unexpected(),
    }
}

/// A `continuationToken` sent back as a query parameter until it is null.
fn continuation_token(token: Option<&str>) -> ResponseTemplate {
    match token {
        None => ok(json!({"items": things(&["i1", "i2"]), "continuationToken": "t2"})),
        Some("t2") => ok(json!({"items": things(&["i3"]), "continuationToken": null})),
        _ => unexpected(),
    }
}

/// Offset/limit with a `total`: five records, two a page.
fn offset_with_total(offset: Option<&str>) -> ResponseTemplate {
    match offset {
        Some("0") => ok(json!({"records": things(&["r1", "r2"]), "total": 5})),
        Some("2") => ok(json!({"records": things(&["r3", "r4"]), "total": 5})),
        Some("4") => ok(json!({"records": things(&["r5"]), "total": 5})),
        _ => unexpected(),
    }
}

/// Page numbers with `meta.total_pages` = 2: each of `pages` is a page number (from 1, or
/// from 0 where the parameter's `minimum` says so) and its items.
fn page_numbers_with_count(page: Option<&str>, pages: [(&str, [&str; 2]); 2]) -> ResponseTemplate {
    match pages.iter().find(|(number, _)| Some(*number) == page) {
        Some((_, ids)) => ok(json!({"items": things(ids), "meta": {"total_pages": 2}})),
        None => unexpected(),
    }
}

/// `x-speakeasy-pagination`: the `since` cursor from `meta.cursor`.
fn speakeasy_cursor(since: Option<&str>) -> ResponseTemplate {
    match since {
        None => {
            ok(json!({"data": {"resultArray": things(&["s1", "s2"])}, "meta": {"cursor": "c2"}}))
        }
        Some("c2") => {
            ok(json!({"data": {"resultArray": things(&["s3"])}, "meta": {"cursor": null}}))
        }
        _ => unexpected(),
    }
}

/// `x-fern-pagination`: page numbers until a page comes back empty.
fn fern_page_numbers(page: Option<&str>) -> ResponseTemplate {
    match page {
        Some("1") => ok(json!({"results": things(&["n1", "n2"])})),
        Some("2") => ok(json!({"results": things(&["n3"])})),
        Some("3") => ok(json!({"results": []})),
        _ => unexpected(),
    }
}

/// `x-pagination`: a `cursor` query from `next_cursor`.
fn generic_cursor(cursor: Option<&str>) -> ResponseTemplate {
    match cursor {
        None => ok(json!({"items": things(&["x1"]), "next_cursor": "k2"})),
        Some("k2") => ok(json!({"items": things(&["x2"]), "next_cursor": null})),
        _ => unexpected(),
    }
}

/// A cursor sent in the JSON request body beside the caller's `query`.
fn cursor_in_request_body(body: &[u8]) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if body["query"] != "q" {
        return unexpected();
    }
    match body["cursor"].as_str() {
        None => ok(json!({"results": things(&["q1", "q2"]), "next": "b2"})),
        Some("b2") => ok(json!({"results": things(&["q3"]), "next": null})),
        _ => unexpected(),
    }
}

#[test]
fn every_fixture_operation_pages_as_its_pattern_says() {
    let loaded = connector_spec::load(&fixture()).expect("fixture loads");
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let kind = |id: &str| {
        let op = loaded.connector.operations.iter().find(|o| o.id == id);
        let p = op
            .and_then(|o| o.pageable.clone())
            .unwrap_or_else(|| panic!("{id} pages"));
        let pattern = match p.pattern {
            PagingPattern::NextLink { .. } => "next-link",
            PagingPattern::Cursor { .. } => "cursor",
            PagingPattern::Offset { .. } => "offset",
            PagingPattern::Page { .. } => "page",
            PagingPattern::LinkHeader => "link-header",
        };
        let origin = match p.origin {
            PagingOrigin::Declared(ext) => ext,
            PagingOrigin::Inferred => "inferred".to_owned(),
            PagingOrigin::Override => "override".to_owned(),
        };
        (pattern, origin)
    };
    for (id, pattern, origin) in [
        ("ListMessages", "next-link", "inferred"),
        ("ListFiles", "cursor", "inferred"),
        ("listProjects", "link-header", "inferred"),
        ("droplets_list", "next-link", "inferred"),
        ("ListInvoices", "cursor", "inferred"),
        ("ListRecords", "offset", "inferred"),
        ("ListPages", "page", "inferred"),
        ("ListZeroPages", "page", "inferred"),
        ("ListSpeakeasy", "cursor", "x-speakeasy-pagination"),
        ("ListFern", "page", "x-fern-pagination"),
        ("ListGeneric", "cursor", "x-pagination"),
        ("SearchThings", "cursor", "x-speakeasy-pagination"),
    ] {
        assert_eq!(kind(id), (pattern, origin.to_owned()), "{id}");
    }
}

/// The program walking every stream: one line per operation, its item ids in order.
const MAIN: &str = r#"use futures::TryStreamExt;

macro_rules! walk {
    ($name:literal, $stream:expr) => {{
        let ids: Vec<String> = $stream.map_ok(|item| item.id).try_collect().await.expect($name);
        println!("{}: {}", $name, ids.join(","));
    }};
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).expect("the mock server's URL");
    let client = fidelity_paging::Client::builder().base_url(url).build().expect("client");
    walk!("messages", client.list_messages().page_size(2).items());
    walk!("files", client.list_files().limit(2).items());
    walk!("projects", client.list_projects().page_size(2).items());
    walk!("droplets", client.droplets_list().per_page(2).items());
    walk!("invoices", client.list_invoices().page_size(2).items());
    walk!("records", client.list_records().limit(2).items());
    walk!("pages", client.list_pages().per_page(2).items());
    walk!("zero-pages", client.list_zero_pages().per_page(2).items());
    walk!("speakeasy", client.list_speakeasy().items());
    walk!("fern", client.list_fern().items());
    walk!("generic", client.list_generic().items());
    let query = fidelity_paging::types::SearchQuery { query: "q".into(), cursor: None };
    walk!("search", client.search_things(query).items());
}
"#;

/// Writes the generated crate and the program into a temporary folder.
fn write_app(dir: &std::path::Path) -> PathBuf {
    let root = common::root();
    let loaded = connector_spec::load(&fixture()).expect("fixture loads");
    let runtime = root.join("crates/connector-runtime");
    Generator::new()
        .crate_name("fidelity-paging")
        .runtime_path(runtime.to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates")
        .write_to(&dir.join("fidelity-paging"))
        .expect("writes");
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        r#"[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
fidelity-paging = { path = "../fidelity-paging" }
futures = "0.3"
tokio = { version = "1", features = ["macros", "rt"] }
"#,
    )
    .unwrap();
    std::fs::write(app.join("src/main.rs"), MAIN).unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn every_stream_walks_to_its_end_asking_each_page_with_the_right_query() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| respond(&base, request))
        .mount(&server)
        .await;

    let dir = tempfile::tempdir().expect("temp dir");
    let app = write_app(dir.path());
    let target = common::root().join("target").join("standalone");
    let uri = server.uri();
    let (ok, output) = tokio::task::spawn_blocking(move || {
        common::cargo(&app, &target, &["run", "--quiet", "--offline", "--", &uri])
    })
    .await
    .expect("cargo ran");
    assert!(ok, "the program builds and runs:\n{output}");
    assert!(!output.contains("warning"), "no warnings:\n{output}");
    for line in [
        "messages: m1,m2,m3,m4",
        "files: f1,f2,f3",
        "projects: p1,p2,p3",
        "droplets: d1,d2,d3",
        "invoices: i1,i2,i3",
        "records: r1,r2,r3,r4,r5",
        "pages: g1,g2,g3,g4",
        "zero-pages: z1,z2,z3,z4",
        "speakeasy: s1,s2,s3",
        "fern: n1,n2,n3",
        "generic: x1,x2",
        "search: q1,q2,q3",
    ] {
        assert!(output.lines().any(|l| l == line), "`{line}` in:\n{output}");
    }

    // Every page was asked for once, in order, with the query its pattern sets.
    let sent: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| {
            let q: Vec<String> = query(r).iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{} {}", r.url.path(), q.join("&"))
        })
        .collect();
    let expected = [
        "/messages PageSize=2",
        "/messages Page=1&PageSize=2&PageToken=PA1",
        "/messages Page=2&PageSize=2&PageToken=PA2",
        "/files limit=2",
        "/files after=f2&limit=2",
        "/projects page_size=2",
        "/projects page=2&page_size=2",
        "/droplets per_page=2",
        "/droplets page=2&per_page=2",
        "/invoices pageSize=2",
        "/invoices continuationToken=t2&pageSize=2",
        "/records limit=2&offset=0",
        "/records limit=2&offset=2",
        "/records limit=2&offset=4",
        "/pages page=1&per_page=2",
        "/pages page=2&per_page=2",
        "/zero-pages page=0&per_page=2",
        "/zero-pages page=1&per_page=2",
        "/speakeasy ",
        "/speakeasy since=c2",
        "/fern page=1",
        "/fern page=2",
        "/fern page=3",
        "/generic ",
        "/generic cursor=k2",
        "/search ",
        "/search ",
    ];
    assert_eq!(sent, expected);
}
