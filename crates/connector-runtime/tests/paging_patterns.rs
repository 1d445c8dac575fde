//! The paging patterns generated crates use beyond `x-ms-pageable`: a relative next URL
//! at a nested path, a cursor from the last item's id with `has_more`, offset and page
//! number with the caller's page size and totals, and a loop guard.
#![allow(missing_docs)]

mod common;

use common::{Action, FaultServer};
use connector_runtime::paging::{Cursor, NextLink, Offset, PageNumber};
use connector_runtime::{Client, Request};
use futures::StreamExt;
use http::Method;

fn list() -> Request {
    Request::new("list", Method::GET, "/v1/items")
}

fn query_of(target: &str, name: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

async fn all(
    c: &Client,
    request: Request,
    s: impl connector_runtime::paging::PagingStrategy + 'static,
) -> Vec<u32> {
    c.paginate_items::<u32>(request, s)
        .map(|r| r.expect("page"))
        .collect()
        .await
}

#[tokio::test]
async fn a_relative_next_url_at_a_nested_path_is_resolved_against_the_request() {
    let server = FaultServer::with_handler(|req| {
        if req.target.contains("Page=1") {
            Action::json(200, r#"{"messages":[3],"meta":{"next_page_url":null}}"#)
        } else {
            Action::json(
                200,
                r#"{"messages":[1,2],"meta":{"next_page_url":"/v1/items?Page=1&PageToken=PA"}}"#,
            )
        }
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let items = all(
        &c,
        list(),
        NextLink::new(Some("meta.next_page_url"), "messages"),
    )
    .await;
    assert_eq!(items, vec![1, 2, 3]);
    let targets: Vec<String> = server.recorded().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, vec!["/v1/items", "/v1/items?Page=1&PageToken=PA"]);
}

#[tokio::test]
async fn a_cursor_from_the_last_items_id_stops_when_has_more_is_false() {
    let server =
        FaultServer::with_handler(
            |req| match query_of(&req.target, "starting_after").as_deref() {
                None => Action::json(200, r#"{"data":[{"id":"a"},{"id":"b"}],"has_more":true}"#),
                Some("b") => Action::json(200, r#"{"data":[{"id":"c"}],"has_more":false}"#),
                _ => Action::status(400),
            },
        )
        .await;
    let c = Client::builder(&server.url).build().unwrap();
    let ids: Vec<String> = c
        .paginate_items::<serde_json::Value>(
            list(),
            Cursor::new("starting_after", "", "data")
                .from_last_item("id")
                .has_more("has_more"),
        )
        .map(|r| r.unwrap()["id"].as_str().unwrap().to_owned())
        .collect()
        .await;
    assert_eq!(ids, vec!["a", "b", "c"]);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn offset_keeps_the_callers_limit_and_stops_at_the_total() {
    let server = FaultServer::with_handler(|req| {
        let offset: u32 = query_of(&req.target, "offset").unwrap().parse().unwrap();
        assert_eq!(query_of(&req.target, "limit").as_deref(), Some("2"));
        let items: Vec<u32> = (offset..(offset + 2).min(4)).collect();
        Action::json(200, &format!(r#"{{"records":{items:?},"total":4}}"#))
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let mut first = list();
    first.query("limit", 2u32);
    let items = all(
        &c,
        first,
        Offset::new("offset", "limit", 0, "records").total("total"),
    )
    .await;
    assert_eq!(items, vec![0, 1, 2, 3]);
    // The total stops paging without asking for an empty page.
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn page_numbers_use_the_callers_page_size_and_stop_on_a_short_page() {
    let server = FaultServer::with_handler(|req| {
        let page: u32 = query_of(&req.target, "page").unwrap().parse().unwrap();
        assert_eq!(query_of(&req.target, "per_page").as_deref(), Some("2"));
        match page {
            1 => Action::json(200, "[1,2]"),
            2 => Action::json(200, "[3]"),
            _ => Action::status(400),
        }
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let mut first = list();
    first.query("per_page", 2u32);
    let items = all(
        &c,
        first,
        PageNumber::new("page", "").page_size_param("per_page"),
    )
    .await;
    assert_eq!(items, vec![1, 2, 3]);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_page_that_points_at_itself_ends_the_stream() {
    let server = FaultServer::with_handler(|_| {
        Action::json(200, r#"{"items":[1],"continuationToken":"same"}"#)
    })
    .await;
    let c = Client::builder(&server.url).build().unwrap();
    let items = all(
        &c,
        list(),
        Cursor::new("continuationToken", "continuationToken", "items"),
    )
    .await;
    assert_eq!(items, vec![1, 1]);
    assert_eq!(server.hits(), 2);
}
