//! Paging inferred from parameters and response fields, without any extension.

use connector_spec::*;
use serde_json::json;

mod paging_defs;
use paging_defs::*;

#[test]
fn twilio_meta_next_page_url_is_a_nested_next_link() {
    let doc = definition(
        &[
            ("PageSize", "integer"),
            ("Page", "integer"),
            ("PageToken", "string"),
        ],
        json!({"type": "object", "properties": {
            "messages": things(),
            "meta": {"type": "object", "properties": {
                "next_page_url": {"type": "string", "format": "uri", "nullable": true},
                "page_size": {"type": "integer"}
            }}
        }}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "messages",
            PagingPattern::NextLink {
                path: Some("meta.next_page_url".into())
            }
        )
    );
}

#[test]
fn digitalocean_links_pages_next_is_a_next_link() {
    let doc = definition(
        &[("page", "integer"), ("per_page", "integer")],
        json!({"type": "object", "properties": {
            "droplets": things(),
            "links": {"type": "object", "properties": {"pages": {"type": "object", "properties": {
                "next": {"type": "string"}, "last": {"type": "string"}
            }}}},
            "meta": {"type": "object", "properties": {"total": {"type": "integer"}}}
        }}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "droplets",
            PagingPattern::NextLink {
                path: Some("links.pages.next".into())
            }
        )
    );
}

#[test]
fn odata_next_link_is_a_next_link() {
    let doc = definition(
        &[],
        json!({"type": "object", "properties": {
            "value": things(), "@odata.nextLink": {"type": "string"}
        }}),
        json!({}),
    );
    assert_eq!(
        paging(&doc).and_then(|p| p.next_link().map(str::to_owned)),
        Some("@odata.nextLink".into())
    );
}

#[test]
fn a_bare_next_that_is_not_a_link_is_not_paging() {
    // `next` at the top, without a URI format, a `previous` or a links container, and
    // no cursor parameter: nothing is inferred.
    let doc = definition(
        &[],
        json!({"type": "object", "properties": {"data": things(), "next": {"type": "string"}}}),
        json!({}),
    );
    assert_eq!(paging(&doc), None);
}

#[test]
fn openai_after_with_last_id_and_has_more_is_a_cursor() {
    let doc = definition(
        &[
            ("limit", "integer"),
            ("order", "string"),
            ("after", "string"),
        ],
        json!({"type": "object", "properties": {
            "object": {"type": "string"},
            "data": things(),
            "first_id": {"type": "string"},
            "last_id": {"type": "string"},
            "has_more": {"type": "boolean"}
        }}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "data",
            PagingPattern::Cursor {
                param: "after".into(),
                in_body: false,
                next: Some("last_id".into()),
                last_item_field: Some("id".into()),
                has_more: Some("has_more".into()),
            }
        )
    );
}

#[test]
fn stripe_starting_after_pages_from_the_last_items_id() {
    let doc = definition(
        &[("starting_after", "string"), ("limit", "integer")],
        json!({"type": "object", "properties": {"data": things(), "has_more": {"type": "boolean"}}}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "data",
            PagingPattern::Cursor {
                param: "starting_after".into(),
                in_body: false,
                next: None,
                last_item_field: Some("id".into()),
                has_more: Some("has_more".into()),
            }
        )
    );
}

#[test]
fn a_continuation_token_echoed_back_is_a_cursor() {
    let doc = definition(
        &[("pageSize", "integer"), ("continuationToken", "string")],
        json!({"type": "object", "properties": {
            "items": things(), "continuationToken": {"type": "string", "nullable": true}
        }}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "items",
            PagingPattern::Cursor {
                param: "continuationToken".into(),
                in_body: false,
                next: Some("continuationToken".into()),
                last_item_field: None,
                has_more: None,
            }
        )
    );
}

#[test]
fn page_token_reads_next_page_token_at_any_depth() {
    let doc = definition(
        &[("page_token", "string")],
        json!({"type": "object", "properties": {
            "results": things(),
            "pagination": {"type": "object", "properties": {"next_page_token": {"type": "string"}}}
        }}),
        json!({}),
    );
    let p = paging(&doc).expect("paged");
    assert!(
        matches!(&p.pattern, PagingPattern::Cursor { param, next: Some(n), .. }
            if param == "page_token" && n == "pagination.next_page_token"),
        "{p:?}"
    );
}

#[test]
fn a_cursor_parameter_without_a_response_field_is_not_paging() {
    let doc = definition(
        &[("cursor", "string")],
        json!({"type": "object", "properties": {"data": things()}}),
        json!({}),
    );
    assert_eq!(paging(&doc), None);
}

#[test]
fn offset_and_limit_with_a_total_are_offset_paging() {
    let doc = definition(
        &[("offset", "integer"), ("limit", "integer")],
        json!({"type": "object", "properties": {"records": things(), "total": {"type": "integer"}}}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "records",
            PagingPattern::Offset {
                param: "offset".into(),
                limit_param: Some("limit".into()),
                total: Some("total".into()),
                has_more: None,
            }
        )
    );
}

#[test]
fn page_and_per_page_are_page_number_paging_but_a_page_alone_is_not() {
    let doc = definition(
        &[("page", "integer"), ("per_page", "integer")],
        json!({"type": "object", "properties": {
            "items": things(),
            "meta": {"type": "object", "properties": {"total_pages": {"type": "integer"}}}
        }}),
        json!({}),
    );
    assert_eq!(
        paging(&doc),
        inferred(
            "items",
            PagingPattern::Page {
                param: "page".into(),
                size_param: Some("per_page".into()),
                first_page: 1,
                total_pages: Some("meta.total_pages".into()),
                total: None,
                has_more: None,
            }
        )
    );
    let alone = definition(&[("page", "integer")], things(), json!({}));
    assert_eq!(paging(&alone), None);
}

#[test]
fn a_declared_link_header_wins_over_page_parameters() {
    let mut doc = definition(
        &[("page", "integer"), ("page_size", "integer")],
        things(),
        json!({}),
    );
    doc["paths"]["/list"]["get"]["responses"]["200"]["headers"] = json!({
        "Link": {"schema": {"type": "string"}},
        "X-Total-Count": {"schema": {"type": "integer"}}
    });
    assert_eq!(paging(&doc), inferred("", PagingPattern::LinkHeader));
}

#[test]
fn only_get_operations_are_inferred() {
    let mut doc = definition(
        &[],
        json!({"type": "object", "properties": {"value": things(), "nextLink": {"type": "string"}}}),
        json!({}),
    );
    let get = doc["paths"]["/list"]["get"].take();
    doc["paths"]["/list"] = json!({"post": get});
    assert_eq!(paging(&doc), None);
}

#[test]
fn x_ms_pageable_is_kept_as_declared() {
    let doc = definition(
        &[("cursor", "string")],
        json!({"type": "object", "properties": {"value": things(), "nextCursor": {"type": "string"}}}),
        json!({"x-ms-pageable": {"nextLinkName": "link"}}),
    );
    let p = paging(&doc).expect("paged");
    assert_eq!(p.origin, PagingOrigin::Declared("x-ms-pageable".into()));
    assert_eq!(p.next_link(), Some("link"));
}
