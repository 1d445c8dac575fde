//! The lifecycle rules of seed 003 as the generated lifecycle-demo crate exposes them.
//! (Preview gating and deprecation notes in a real build: see standalone.rs.)

use connector_runtime::metadata::{Status, Visibility};
use lifecycle_demo::{Client, OPERATIONS};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn op(id: &str) -> &'static connector_runtime::metadata::OperationInfo {
    OPERATIONS
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("{id} is listed"))
}

#[test]
fn operations_table_carries_family_revision_status_and_visibility() {
    let v1 = op("GetItems");
    assert_eq!((v1.family, v1.revision), ("GetItems", 1));
    assert_eq!(v1.visibility, Visibility::Advanced);
    assert_eq!(v1.status, Status::Production);
    let v2 = op("GetItems_V2");
    assert_eq!((v2.family, v2.revision), ("GetItems", 2));
    assert_eq!(v2.status, Status::Preview);
    assert_eq!(v2.method_name, "get_items_v2");
    let deprecated = op("GetItem");
    assert!(deprecated.deprecated);
    assert_eq!(deprecated.expires, Some("2027-06-30"));
    assert_eq!(op("RefreshCache").visibility, Visibility::Internal);
    assert_eq!(op("PostItem").visibility, Visibility::Important);
    // No annotation: family = operationId, revision 1, status inherited (Production).
    let plain = op("GetListNames");
    assert_eq!((plain.family, plain.revision), ("GetListNames", 1));
    assert_eq!(plain.status, Status::Production);
    assert!(!plain.deprecated);
}

#[tokio::test]
async fn internal_and_deprecated_operations_stay_callable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/internal/cache"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/tasks/items/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "7", "title": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .api_key("k")
        .build()
        .expect("builds");
    client
        .refresh_cache()
        .send()
        .await
        .expect("internal op is callable");
    #[allow(deprecated)]
    let item = client
        .get_item("tasks", "7")
        .await
        .expect("deprecated op is callable");
    assert_eq!(item.id.as_deref(), Some("7"));
}

/// The attributes and doc lines each lifecycle rule produces, read from the checked-in
/// generated source (which `generated_fresh.rs` proves is what the generator writes).
#[test]
fn generated_source_carries_every_lifecycle_rule() {
    let source = include_str!("../../generated/lifecycle-demo/src/operations.rs");
    let before = |method: &str| -> String {
        let at = source
            .find(&format!("pub fn {method}("))
            .unwrap_or_else(|| panic!("{method} is generated"));
        let start = source[..at].rfind("\n\n").unwrap_or(0);
        source[start..at].to_owned()
    };
    // An older revision with a newer one available points to it.
    assert!(
        before("get_items").contains(
            "A newer revision is available: `Client::get_items_v2` (revision 2, preview)"
        ),
        "{}",
        before("get_items")
    );
    assert!(before("get_items").contains("*Advanced*"));
    // Preview (own status) compiles only with the feature.
    assert!(before("get_items_v2").contains("#[cfg(feature = \"preview\")]"));
    // Deprecated with a successor and an expiry date.
    let deprecated = before("get_item");
    assert!(deprecated.contains("#[deprecated("), "{deprecated}");
    assert!(deprecated.contains("use `Client::get_item_v2` (revision 2) instead"));
    assert!(deprecated.contains("support ends 2027-06-30"));
    // Internal: hidden from docs, still public.
    assert!(before("refresh_cache").contains("#[doc(hidden)]"));
    assert!(before("post_item").contains("**Important**"));
    // Production operations are not gated.
    assert!(!before("get_list_names").contains("cfg(feature"));
}

/// The `mock` feature: internal and deprecated operations have mocks too, and a mock can
/// also require a body with an extra wiremock matcher.
#[tokio::test]
async fn typed_mocks_cover_internal_deprecated_and_body_matched_operations() {
    use lifecycle_demo::mock;
    use lifecycle_demo::types::{Item, ItemList, RefreshCacheScope};
    use wiremock::matchers::body_json;

    let server = MockServer::start().await;
    let item: Item =
        serde_json::from_value(json!({"id": "7", "title": "x", "priority": 2})).expect("item");
    mock::get_items()
        .list("tasks")
        .top(5)
        .base_path("/api")
        .respond_with(&ItemList {
            value: Some(vec![item.clone()]),
        })
        .expect(1)
        .mount(&server)
        .await;
    mock::get_item()
        .list("tasks")
        .id("7")
        .respond_with(&item)
        .expect(1)
        .mount(&server)
        .await;
    mock::refresh_cache()
        .scope(RefreshCacheScope::All)
        .respond_empty()
        .expect(1)
        .mount(&server)
        .await;
    mock::post_item()
        .list("tasks")
        .and(body_json(json!({"title": "new"})))
        .respond_with(&item)
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .api_key("k")
        .build()
        .expect("builds");
    let items = client.get_items("tasks").top(5).await.expect("matched");
    assert_eq!(items.value, Some(vec![item.clone()]));
    #[allow(deprecated)]
    let got = client.get_item("tasks", "7").await.expect("matched");
    assert_eq!(got, item);
    client
        .refresh_cache()
        .scope(RefreshCacheScope::All)
        .send()
        .await
        .expect("matched");
    let new: Item = serde_json::from_value(json!({"title": "new"})).expect("item");
    assert_eq!(client.post_item("tasks", new).await.expect("matched"), item);
    let other: Item = serde_json::from_value(json!({"title": "other"})).expect("item");
    let error = client
        .post_item("tasks", other)
        .await
        .expect_err("another body");
    assert_eq!(error.status, Some(404));
    let error = client
        .get_items("archive")
        .top(5)
        .await
        .expect_err("another list");
    assert_eq!(error.status, Some(404));
}
