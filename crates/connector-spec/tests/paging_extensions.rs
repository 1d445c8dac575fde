//! Paging read from the vendor extensions (`x-speakeasy-pagination`, `x-fern-pagination`,
//! `x-pagination`), overridden by operation id, and where pages start.

use connector_spec::*;
use serde_json::{Value, json};

mod paging_defs;
use paging_defs::*;

#[test]
fn speakeasy_url_cursor_and_offset_limit() {
    let url = definition(
        &[],
        nested_body(),
        json!({"x-speakeasy-pagination": {"type": "url", "outputs": {"nextUrl": "$.meta.next", "results": "$.data.resultArray"}}}),
    );
    assert_eq!(
        paging(&url),
        declared(
            "x-speakeasy-pagination",
            "data.resultArray",
            PagingPattern::NextLink {
                path: Some("meta.next".into())
            }
        )
    );
    let cursor = definition(
        &[("since", "string"), ("limit", "integer")],
        nested_body(),
        json!({"x-speakeasy-pagination": {"type": "cursor",
            "inputs": [{"name": "since", "in": "parameters", "type": "cursor"}, {"name": "limit", "in": "parameters", "type": "limit"}],
            "outputs": {"nextCursor": "$.data.resultArray[-1:].id", "results": "$.data.resultArray"}}}),
    );
    assert_eq!(
        paging(&cursor),
        declared(
            "x-speakeasy-pagination",
            "data.resultArray",
            PagingPattern::Cursor {
                param: "since".into(),
                in_body: false,
                next: None,
                last_item_field: Some("id".into()),
                has_more: None,
            }
        )
    );
    let page = definition(
        &[("page", "integer"), ("size", "integer")],
        nested_body(),
        json!({"x-speakeasy-pagination": {"type": "offsetLimit",
            "inputs": [{"name": "page", "in": "parameters", "type": "page"}, {"name": "size", "in": "parameters", "type": "limit"}],
            "outputs": {"results": "$.data.resultArray"}}}),
    );
    assert_eq!(
        paging(&page),
        declared(
            "x-speakeasy-pagination",
            "data.resultArray",
            PagingPattern::Page {
                param: "page".into(),
                size_param: Some("size".into()),
                first_page: 1,
                total_pages: None,
                total: None,
                has_more: None,
            }
        )
    );
}

#[test]
fn fern_cursor_offset_and_next_uri() {
    let cursor = definition(
        &[("cursor", "string")],
        nested_body(),
        json!({"x-fern-pagination": {"cursor": "$request.cursor", "next_cursor": "$response.meta.cursor", "results": "$response.data.resultArray"}}),
    );
    assert_eq!(
        paging(&cursor),
        declared(
            "x-fern-pagination",
            "data.resultArray",
            PagingPattern::Cursor {
                param: "cursor".into(),
                in_body: false,
                next: Some("meta.cursor".into()),
                last_item_field: None,
                has_more: None,
            }
        )
    );
    let offset = definition(
        &[("offset", "integer"), ("limit", "integer")],
        nested_body(),
        json!({"x-fern-pagination": {"offset": "$request.offset", "step": "$request.limit", "results": "$response.data.resultArray"}}),
    );
    assert!(matches!(
        paging(&offset).map(|p| p.pattern),
        Some(PagingPattern::Offset { param, limit_param: Some(l), .. }) if param == "offset" && l == "limit"
    ));
    let mut uri = definition(&[], nested_body(), json!({"x-fern-pagination": true}));
    uri["x-fern-pagination"] =
        json!({"next_uri": "$response.meta.next", "results": "$response.data.resultArray"});
    assert_eq!(
        paging(&uri).and_then(|p| p.next_link().map(str::to_owned)),
        Some("meta.next".into())
    );
}

#[test]
fn x_pagination_style_alone_is_completed_by_inference() {
    let doc = definition(
        &[("offset", "integer"), ("limit", "integer")],
        json!({"type": "object", "properties": {"items": things(), "total": {"type": "integer"}}}),
        json!({"x-pagination": {"style": "offset"}}),
    );
    assert_eq!(
        paging(&doc),
        declared(
            "x-pagination",
            "items",
            PagingPattern::Offset {
                param: "offset".into(),
                limit_param: Some("limit".into()),
                total: Some("total".into()),
                has_more: None,
            }
        )
    );
    let explicit = definition(
        &[("c", "string")],
        json!({"type": "object", "properties": {"items": things(), "n": {"type": "string"}}}),
        json!({"x-pagination": {"cursor": "c", "nextCursor": "$.n"}}),
    );
    assert!(matches!(
        paging(&explicit).map(|p| p.pattern),
        Some(PagingPattern::Cursor { param, next: Some(n), .. }) if param == "c" && n == "n"
    ));
}

#[test]
fn a_malformed_extension_is_a_located_warning() {
    let doc = definition(
        &[],
        nested_body(),
        json!({"x-speakeasy-pagination": {"type": "cursor", "inputs": [{"name": "since", "in": "requestBody", "type": "cursor"}]}}),
    );
    let loaded = load_with(&doc, Loader::new());
    let w = &loaded.diagnostics[0];
    assert_eq!(w.pointer, "/paths/~1list/get/x-speakeasy-pagination");
    assert!(w.message.contains("request body"), "{}", w.message);
    assert_eq!(w.kind, DiagnosticKind::SkippedConstruct);
    assert!(loaded.connector.operations[0].pageable.is_none());
    let strict = serde_json::to_vec(&doc).unwrap();
    assert!(
        Loader::new()
            .strict(true)
            .load_bytes("openapi.json", &strict, None)
            .is_err()
    );
}

#[test]
fn overrides_replace_or_remove_paging_by_operation_id() {
    let doc = definition(
        &[("continuationToken", "string")],
        json!({"type": "object", "properties": {
            "items": things(), "continuationToken": {"type": "string"}
        }}),
        json!({}),
    );
    let none = load_with(
        &doc,
        Loader::new().paging_override("List", PagingOverride::None),
    );
    assert_eq!(none.connector.operations[0].pageable, None);

    let other: PagingOverride = "offset:continuationToken,limit".parse().unwrap();
    let over = load_with(&doc, Loader::new().paging_override("List", other));
    assert_eq!(
        over.connector.operations[0].pageable,
        Some(Pageable {
            items: "items".into(),
            pattern: PagingPattern::Offset {
                param: "continuationToken".into(),
                limit_param: Some("limit".into()),
                total: None,
                has_more: None,
            },
            origin: PagingOrigin::Override,
        })
    );

    let unknown = load_with(
        &doc,
        Loader::new().paging_override("Nope", PagingOverride::None),
    );
    assert!(unknown.diagnostics[0].message.contains("`Nope=none`"));
    assert!(unknown.connector.operations[0].pageable.is_some());
}

#[test]
fn a_page_parameter_with_minimum_0_or_default_0_starts_at_page_0() {
    let page_of = |page_schema: Value, extra: Value| {
        let mut doc = definition(
            &[("page", "integer"), ("per_page", "integer")],
            json!({"type": "object", "properties": {"items": things()}}),
            extra,
        );
        doc["paths"]["/list"]["get"]["parameters"][0]["schema"] = page_schema;
        match paging(&doc).map(|p| p.pattern) {
            Some(PagingPattern::Page { first_page, .. }) => first_page,
            other => panic!("not page paging: {other:?}"),
        }
    };
    assert_eq!(page_of(json!({"type": "integer"}), json!({})), 1);
    assert_eq!(
        page_of(json!({"type": "integer", "minimum": 0}), json!({})),
        0
    );
    assert_eq!(
        page_of(json!({"type": "integer", "default": 0}), json!({})),
        0
    );
    assert_eq!(
        page_of(
            json!({"type": "integer", "minimum": 1, "default": 1}),
            json!({})
        ),
        1
    );
    // Declared by an extension: the parameter's schema still says where pages start.
    let declared = json!({"x-speakeasy-pagination": {
        "type": "offsetLimit",
        "inputs": [{"name": "page", "in": "parameters", "type": "page"},
                   {"name": "per_page", "in": "parameters", "type": "limit"}],
        "outputs": {"results": "$.items"}
    }});
    assert_eq!(
        page_of(json!({"type": "integer", "minimum": 0}), declared),
        0
    );
}

#[test]
fn a_speakeasy_cursor_in_the_request_body_is_a_body_cursor_and_a_body_page_still_warns() {
    let search = |inputs: Value| {
        let mut doc = definition(
            &[],
            json!({"type": "object", "properties": {"items": things(), "next": {"type": "string"}}}),
            json!({"x-speakeasy-pagination": {"type": "cursor", "inputs": inputs,
                "outputs": {"nextCursor": "$.next", "results": "$.items"}}}),
        );
        let get = doc["paths"]["/list"]["get"].take();
        doc["paths"]["/list"] = json!({"post": get});
        doc["paths"]["/list"]["post"]["requestBody"] = json!({"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "cursor": {"type": "string"}}
        }}}});
        load_with(&doc, Loader::new())
    };
    let body = search(json!([{"name": "cursor", "in": "requestBody", "type": "cursor"}]));
    assert!(body.diagnostics.is_empty(), "{:?}", body.diagnostics);
    assert_eq!(
        body.connector.operations[0].pageable,
        declared(
            "x-speakeasy-pagination",
            "items",
            PagingPattern::Cursor {
                param: "cursor".into(),
                in_body: true,
                next: Some("next".into()),
                last_item_field: None,
                has_more: None,
            }
        )
    );
    // A member the body does not have, or a page number in the body: still a warning.
    for inputs in [
        json!([{"name": "token", "in": "requestBody", "type": "cursor"}]),
        json!([{"name": "cursor", "in": "requestBody", "type": "page"}]),
    ] {
        let l = search(inputs.clone());
        assert_eq!(l.connector.operations[0].pageable, None, "{inputs}");
        assert_eq!(
            l.diagnostics.iter().map(|d| d.kind).collect::<Vec<_>>(),
            vec![DiagnosticKind::SkippedConstruct],
            "{inputs}"
        );
    }
}
