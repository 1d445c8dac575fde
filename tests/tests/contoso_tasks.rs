//! The generated contoso-tasks client (Power Platform semantics) end to end against a mock
//! server: connection parameters, `dynamichosturl` + `setheader` policies, OAuth refresh
//! after a 401, polling triggers (pollingtrigger watermark; Location + Retry-After),
//! dynamic values and webhook notification decoding.

use std::time::{Duration, Instant};

use connector_runtime::{ErrorCode, OAuthSession};
use contoso_tasks::operations::OnTaskCompleted;
use contoso_tasks::{Client, Connection, OPERATIONS};
use futures::StreamExt;
use serde_json::json;
use wiremock::matchers::{
    body_string_contains, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A connection to the mock server signed in with `access_token` (refresh token `refresh-1`).
fn connection(server: &MockServer, access_token: &str) -> Connection {
    let mut config = Connection::oauth_config("tasks-client", "http://localhost/callback");
    config.token_url = format!("{}/oauth/token", server.uri());
    config.refresh_url = Some(format!("{}/oauth/refresh", server.uri()));
    Connection {
        host: Some(server.uri()),
        region: Some("us".to_owned()),
        token: Some(OAuthSession::from_tokens(
            config,
            access_token,
            Some("refresh-1".to_owned()),
        )),
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .connection(connection(server, "good-token"))
        .expect("connection is complete")
        .build()
        .expect("client builds")
}

fn task(id: &str, created: &str) -> serde_json::Value {
    json!({"id": id, "title": format!("task {id}"), "createdAt": created})
}

#[tokio::test]
async fn connection_host_routes_calls_and_setheader_policies_add_their_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/T1"))
        .and(header("X-Contoso-Region", "us"))
        .and(header("Authorization", "Bearer good-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(task("T1", "2026-01-01T00:00:00Z")))
        .expect(1)
        .mount(&server)
        .await;

    let task = client(&server)
        .get_task("T1")
        .await
        .expect("routed to the host");
    assert_eq!(task.id, "T1");
    let requests = server.received_requests().await.expect("recorded");
    // The poll header is scoped to the trigger operations.
    assert!(requests[0].headers.get("X-Contoso-Poll").is_none());
}

#[tokio::test]
async fn connection_defaults_fill_unset_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/T1"))
        .and(header("X-Contoso-Region", "eu"))
        .respond_with(ResponseTemplate::new(200).set_body_json(task("T1", "2026-01-01T00:00:00Z")))
        .expect(1)
        .mount(&server)
        .await;
    let mut conn = connection(&server, "good-token");
    conn.region = None;
    let client = Client::builder().connection(conn).unwrap().build().unwrap();
    client.get_task("T1").await.expect("default region sent");
}

#[test]
fn missing_required_connection_values_fail_validation_naming_them() {
    let err = Client::builder()
        .connection(Connection::default())
        .expect_err("host and token are required");
    assert_eq!(err.code, ErrorCode::ValidationError);
    assert!(
        err.message.contains("`host`") && err.message.contains("`token`"),
        "{}",
        err.message
    );
    assert!(
        !err.message.contains("region"),
        "region has a default: {}",
        err.message
    );
}

#[tokio::test]
async fn connection_debug_never_shows_tokens() {
    let server = MockServer::start().await;
    let shown = format!("{:?}", connection(&server, "very-secret-access"));
    assert!(
        !shown.contains("very-secret-access") && !shown.contains("refresh-1"),
        "{shown}"
    );
}

#[tokio::test]
async fn rejected_access_token_is_refreshed_with_the_refresh_token_and_the_call_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/T1"))
        .and(header("Authorization", "Bearer expired-token"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/refresh"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=refresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "fresh-token",
            "token_type": "Bearer",
            "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/T1"))
        .and(header("Authorization", "Bearer fresh-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(task("T1", "2026-01-01T00:00:00Z")))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .connection(connection(&server, "expired-token"))
        .unwrap()
        .build()
        .unwrap();
    let task = client.get_task("T1").await.expect("refreshed and retried");
    assert_eq!(task.id, "T1");
}

#[tokio::test]
async fn polling_trigger_yields_only_new_items_using_the_last_items_as_watermark() {
    let server = MockServer::start().await;
    // Second poll: the pollingtrigger policy sends `since` from the newest item seen.
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks"))
        .and(query_param("workspace", "team-a"))
        .and(query_param("since", "2026-01-02T00:00:00Z"))
        .and(header("X-Contoso-Poll", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [task("T3", "2026-01-03T00:00:00Z")]
        })))
        .expect(1..)
        .mount(&server)
        .await;
    // First poll: no watermark yet.
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks"))
        .and(query_param_is_missing("since"))
        .and(header("X-Contoso-Poll", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [task("T2", "2026-01-02T00:00:00Z"), task("T1", "2026-01-01T00:00:00Z")]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .list_new_tasks("team-a")
        .poll()
        .interval(Duration::from_millis(10))
        .take(3)
        .map(|t| t.expect("task").id)
        .collect()
        .await;
    assert_eq!(ids, ["T2", "T1", "T3"]);
}

#[tokio::test]
async fn location_polling_trigger_follows_location_and_waits_retry_after() {
    let server = MockServer::start().await;
    let at = |cursor: &str| format!("{}/api/v1/tasks/changes?cursor={cursor}", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/changes"))
        .and(query_param("workspace", "team-a"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Location", at("c1").as_str())
                .insert_header("Retry-After", "1")
                .set_body_json(json!([task("T1", "2026-01-01T00:00:00Z")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/changes"))
        .and(query_param("cursor", "c1"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("Location", at("c2").as_str())
                .insert_header("Retry-After", "1"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/changes"))
        .and(query_param("cursor", "c2"))
        .and(header("X-Contoso-Poll", "true"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([task("T2", "2026-01-02T00:00:00Z")])),
        )
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    // The interval is an hour: only Retry-After can make the later polls happen.
    let ids: Vec<String> = client(&server)
        .get_task_changes("team-a")
        .poll()
        .interval(Duration::from_secs(3600))
        .take(2)
        .map(|t| t.expect("task").id)
        .collect()
        .await;
    assert_eq!(ids, ["T1", "T2"]);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn dynamic_values_helper_returns_the_source_operations_value_title_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/lists"))
        .and(query_param("workspace", "team-a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "L1", "name": "Inbox"}, {"id": "L2", "name": "Later"}]
        })))
        .expect(2)
        .mount(&server)
        .await;

    let client = client(&server);
    for choices in [
        client
            .list_new_tasks_list_id_choices("team-a")
            .await
            .expect("dynamic values"),
        client
            .create_task_list_id_choices("team-a")
            .await
            .expect("dynamic list"),
    ] {
        let pairs: Vec<(&str, &str)> = choices
            .iter()
            .map(|c| (c.value.as_str(), c.title.as_str()))
            .collect();
        assert_eq!(pairs, [("L1", "Inbox"), ("L2", "Later")]);
    }
}

#[test]
fn webhook_notification_decodes_into_the_typed_payload() {
    let task =
        OnTaskCompleted::decode_notification(br#"{"id":"T9","title":"Ship it","done":true}"#)
            .expect("typed payload");
    assert_eq!((task.id.as_str(), task.done), ("T9", Some(true)));
    let err = OnTaskCompleted::decode_notification(b"not json").expect_err("invalid");
    assert_eq!(err.code, ErrorCode::ParsingError);
}

#[test]
fn operations_metadata_flags_triggers_and_user_confirmation() {
    let op = |id: &str| OPERATIONS.iter().find(|o| o.id == id).expect("listed");
    assert_eq!(op("ListNewTasks").trigger, Some("batch"));
    assert_eq!(op("OnTaskCompleted").trigger, Some("single"));
    assert_eq!(op("GetTask").trigger, None);
    assert!(op("CreateTask").requires_confirmation);
    assert!(!op("GetTask").requires_confirmation);
}

#[test]
fn oauth_config_carries_the_definitions_urls_and_scopes() {
    let config = Connection::oauth_config("my-client", "http://localhost/cb");
    assert_eq!(
        config.authorization_url,
        "https://login.contoso.example/oauth/authorize"
    );
    assert_eq!(
        config.refresh_url.as_deref(),
        Some("https://login.contoso.example/oauth/refresh")
    );
    assert_eq!(
        config.scopes,
        ["tasks.read", "tasks.write", "offline_access"]
    );
    let request = config.authorization_request().expect("authorization URL");
    assert!(
        request.url.contains("code_challenge_method=S256"),
        "{}",
        request.url
    );
}

/// The `mock` feature behind a connection host: mocks match below any base path unless
/// one is pinned, and typed array bodies serve from a slice.
#[tokio::test]
async fn typed_mocks_match_below_the_connection_base_path() {
    use contoso_tasks::mock;
    use contoso_tasks::types::Task;

    let server = MockServer::start().await;
    let one: Task = serde_json::from_value(task("T1", "2026-01-01T00:00:00Z")).expect("task");
    let two: Task = serde_json::from_value(task("T2", "2026-01-02T00:00:00Z")).expect("task");
    mock::get_task()
        .task_id("T1")
        .base_path("/api/v1")
        .respond_with(&one)
        .expect(1)
        .mount(&server)
        .await;
    // Pinned to a base path the client does not use: never matched.
    mock::get_task()
        .task_id("T2")
        .base_path("/api/v2")
        .respond_with(&two)
        .expect(0)
        .mount(&server)
        .await;
    mock::get_task_changes()
        .workspace("team-a")
        .respond_with(&[one.clone(), two.clone()])
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    assert_eq!(client.get_task("T1").await.expect("matched"), one);
    let error = client.get_task("T2").await.expect_err("other base path");
    assert_eq!(error.status, Some(404));
    let changes = client.get_task_changes("team-a").await.expect("matched");
    assert_eq!(changes, vec![one, two]);
    let error = client
        .get_task_changes("team-b")
        .await
        .expect_err("other workspace");
    assert_eq!(error.status, Some(404));
}
