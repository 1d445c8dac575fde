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
