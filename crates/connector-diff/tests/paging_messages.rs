//! A paging change says what changed and where each side's paging came from: declared
//! by an extension or inferred from the parameters and response.

mod common;

use common::*;
use connector_diff::ChangeKind as K;
use serde_json::{Value, json};

/// `GET /items` returning `{value: [Item], <next>: string}`, with extra operation fields.
fn listing(next: &str, extra: Value) -> Value {
    let mut op = get_items(extra);
    op["responses"]["200"]["schema"] = json!({
        "type": "object",
        "properties": {
            "value": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
            next: {"type": "string"}
        }
    });
    swagger(json!({"/items": {"get": op}}), item())
}

fn paging_messages(old: &Value, new: &Value) -> Vec<String> {
    diff(old, new)
        .changes
        .into_iter()
        .filter(|c| c.kind == K::PagingChanged)
        .map(|c| c.message)
        .collect()
}

#[test]
fn inferred_paging_changes_are_not_called_x_ms_pageable() {
    let inferred = listing("nextLink", json!({}));
    let moved = listing("@odata.nextLink", json!({}));
    let msgs = paging_messages(&inferred, &moved);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(!msgs[0].contains("x-ms-pageable"), "{}", msgs[0]);
    assert!(msgs[0].contains("inferred"), "{}", msgs[0]);
    assert!(
        msgs[0].contains("`nextLink`") && msgs[0].contains("`@odata.nextLink`"),
        "{}",
        msgs[0]
    );
}

#[test]
fn declaring_paging_that_was_inferred_says_so() {
    let inferred = listing("nextLink", json!({}));
    let declared = listing(
        "nextLink",
        json!({"x-ms-pageable": {"nextLinkName": "nextLink"}}),
    );
    let msgs = paging_messages(&inferred, &declared);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].contains("inferred paging is now declared (`x-ms-pageable`)"),
        "{}",
        msgs[0]
    );
    let gone = paging_messages(&declared, &base());
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert!(
        gone[0].contains("no longer pages (was declared"),
        "{}",
        gone[0]
    );
}
