//! Policy templates against a mock server: one test per template id (the JSON body
//! templates are in `policy_bodies.rs`), plus scoping, ordering, unknown and malformed
//! templates and secret redaction.
#![allow(missing_docs)]

use connector_runtime::{
    Auth, Client, ConnectionValues, ErrorCode, PolicyKind, PolicySpec, Request,
};
use http::Method;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod policy_support;

use policy_support::{client, json_request, ok};

#[tokio::test]
async fn policy_set_header_overrides_existing_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("X-Api-Key", "k-123"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetHeader,
        &[],
        &[
            ("name", "X-Api-Key"),
            ("value", "@connectionParameters('api_key')"),
            ("existsAction", "override"),
        ],
    )];
    let c = client(
        &server,
        P,
        ConnectionValues::new().secret("api_key", "k-123"),
    );
    let mut r = Request::new("ListItems", Method::GET, "/items");
    r.header("x-api-key", "caller-value");
    c.execute(r).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let values: Vec<_> = reqs[0].headers.get_all("x-api-key").iter().collect();
    assert_eq!(values.len(), 1, "the caller's value is replaced");
}

#[tokio::test]
async fn policy_set_header_skip_keeps_caller_value_and_append_adds_one() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::SetHeader,
            &[],
            &[
                ("name", "X-Mode"),
                ("value", "default"),
                ("existsAction", "skip"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::SetHeader,
            &[],
            &[
                ("name", "X-Tag"),
                ("value", "b"),
                ("existsAction", "append"),
            ],
        ),
    ];
    let c = client(&server, P, ConnectionValues::new());
    let mut r = Request::new("Op", Method::GET, "/x");
    r.header("X-Mode", "mine").header("X-Tag", "a");
    c.execute(r).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let modes: Vec<_> = reqs[0].headers.get_all("x-mode").iter().collect();
    assert_eq!(modes, ["mine"]);
    let tags: Vec<_> = reqs[0]
        .headers
        .get_all("x-tag")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(tags, ["a", "b"]);
}

#[tokio::test]
async fn policy_set_header_response_fixes_content_type_before_decoding() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/plain")
                .set_body_string("{\"a\":1}"),
        )
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetHeader,
        &["Get"],
        &[("name", "Content-Type"), ("value", "application/json")],
    )
    .in_response()];
    let c = client(&server, P, ConnectionValues::new());
    let r = c
        .execute(Request::new("Get", Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(r.json::<Value>().unwrap().data, json!({"a": 1}));
}

#[tokio::test]
async fn policy_set_query_parameter_sets_api_version_and_skip_keeps_caller_value() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("api-version", "2024-01-01"))
        .and(query_param("format", "xml"))
        .and(query_param("tenant", "t-9"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::SetQueryParameter,
            &[],
            &[("name", "api-version"), ("value", "2024-01-01")],
        ),
        PolicySpec::new(
            PolicyKind::SetQueryParameter,
            &[],
            &[
                ("name", "format"),
                ("value", "json"),
                ("existsAction", "skip"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::SetQueryParameter,
            &[],
            &[
                ("name", "tenant"),
                ("value", "@connectionParameters('tenant')"),
            ],
        ),
    ];
    let c = client(&server, P, ConnectionValues::new().value("tenant", "t-9"));
    let mut r = Request::new("Op", Method::GET, "/q");
    r.query("api-version", "old").query("format", "xml");
    c.execute(r).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let q = reqs[0].url.query().unwrap();
    assert_eq!(q.matches("api-version").count(), 1, "{q}");
}

#[tokio::test]
async fn policy_dynamic_host_url_routes_to_connection_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/items/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::DynamicHostUrl,
        &[],
        &[("urlTemplate", "@connectionParameters('host')/api/v3")],
    )];
    // The swagger host is a placeholder; the connection names the real one (no scheme).
    let host = server.uri().trim_start_matches("http://").to_owned();
    let c = Client::builder("https://placeholder.invalid/basepath")
        .policies(P)
        .connection_values(ConnectionValues::new().value("host", format!("http://{host}")))
        .build()
        .unwrap();
    let mut r = Request::new("GetItem", Method::GET, "/items/{id}");
    r.path_param("id", 7);
    let resp = c.execute(r).await.unwrap();
    assert_eq!(resp.json::<Value>().unwrap().data, json!({"ok": true}));
}

#[tokio::test]
async fn policy_dynamic_subdomain_builds_host_from_connection_value() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/things"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::DynamicSubdomain,
        &[],
        &[(
            "urlTemplate",
            "http://@connectionParameters('subdomain')/api/",
        )],
    )];
    let sub = server.uri().trim_start_matches("http://").to_owned();
    let c = Client::builder("https://alisqi.invalid")
        .policies(P)
        .connection_values(ConnectionValues::new().value("subdomain", sub))
        .build()
        .unwrap();
    c.execute(Request::new("List", Method::GET, "/things"))
        .await
        .unwrap();
}

#[tokio::test]
async fn policy_route_request_to_endpoint_rewrites_path_and_method() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/base/2/issue/ABC-1"))
        .and(query_param("notify", "false"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::RouteRequestToEndpoint,
        &["DeleteIssue_V2"],
        &[("newPath", "/2/issue/{issueKey}"), ("httpMethod", "DELETE")],
    )];
    let c = Client::builder(format!("{}/base", server.uri()))
        .policies(P)
        .build()
        .unwrap();
    let mut r = Request::new(
        "DeleteIssue_V2",
        Method::POST,
        "/v2/issue/{issueKey}/delete",
    );
    r.path_param("issueKey", "ABC-1").query("notify", "false");
    c.execute(r).await.unwrap();
}

#[tokio::test]
async fn policy_route_request_to_endpoint_keeps_original_method_and_uses_expressions() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/ws-1/docs/d%201"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::RouteRequestToEndpoint,
        &["UpdateDoc"],
        &[
            ("newPath", "/@connectionParameters('workspace')/docs/{id}"),
            ("httpMethod", "@Request.OriginalHTTPMethod"),
        ],
    )];
    let c = client(
        &server,
        P,
        ConnectionValues::new().value("workspace", "ws-1"),
    );
    let mut r = Request::new("UpdateDoc", Method::PATCH, "/docs_v2/{id}");
    r.path_param("id", "d 1");
    c.execute(r).await.unwrap();
}

#[tokio::test]
async fn policy_update_next_link_keeps_backend_link_for_direct_paging() {
    let server = MockServer::start().await;
    let next = format!("{}/gifts?page=2", server.uri());
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [1], "nextLink": next})),
        )
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::UpdateNextLink,
        &["ListGifts"],
        &[("nextLinkPropertyName", "nextLink")],
    )];
    let c = client(&server, P, ConnectionValues::new());
    let r = c
        .execute(Request::new("ListGifts", Method::GET, "/gifts"))
        .await
        .unwrap();
    let v = r.json::<Value>().unwrap().data;
    assert_eq!(
        v["nextLink"],
        json!(next),
        "the link stays callable directly"
    );
}

#[tokio::test]
async fn policy_set_value_from_url_fetches_etag_into_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tasks/t1/details"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"@odata.etag": "W/\"e1\""})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/tasks/t1/details"))
        .and(header("If-Match", "W/\"e1\""))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetValueFromUrl,
        &["UpdateTaskDetails"],
        &[
            ("parameterTemplate", "@headers('If-Match')"),
            ("parameterValueUrl", "/tasks/{id}/details"),
            ("httpMethod", "GET"),
            ("parameterValuePathTemplate", "@body()['@odata.etag']"),
        ],
    )];
    let c = client(&server, P, ConnectionValues::new());
    let mut r = json_request(
        "UpdateTaskDetails",
        Method::PATCH,
        "/tasks/{id}/details",
        json!({"description": "d"}),
    );
    r.path_param("id", "t1");
    c.execute(r).await.unwrap();
}

#[tokio::test]
async fn policy_set_connection_status_to_unauthenticated_marks_connection() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetConnectionStatusToUnauthenticated,
        &[],
        &[("statusCode", "401")],
    )];
    let c = client(&server, P, ConnectionValues::new());
    assert!(!c.is_connection_unauthenticated());
    let err = c
        .execute(Request::new("GetMe", Method::GET, "/me"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AuthFailed);
    assert_eq!(err.status, Some(401));
    assert!(!err.retryable);
    assert!(err.message.contains("unauthenticated"), "{}", err.message);
    assert!(c.is_connection_unauthenticated());
    c.set_auth(Auth::bearer("new"));
    assert!(!c.is_connection_unauthenticated());
}

#[tokio::test]
async fn policy_polling_trigger_builds_query_from_previous_body_and_extracts_items() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .and(query_param("after", "2024-05-01"))
        .and(query_param("per_page", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"files": [{"id": 3, "created": "2024-06-01"}], "next": "n2"}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::PollingTrigger,
        &["OnNewFile"],
        &[
            (
                "triggerConfig",
                r#"{"after": "@{triggerBody().files[0].created}", "per_page": "1", "x-ms-triggerConfig-nextLink": "next"}"#,
            ),
            ("triggerDataPath", "@triggerBody().files"),
        ],
    )];
    let c = client(&server, P, ConnectionValues::new());
    assert!(c.polling_trigger("Other").unwrap().is_none());
    let trigger = c.polling_trigger("OnNewFile").unwrap().unwrap();
    // First poll: only constants.
    assert_eq!(
        trigger.query(None, c.connection_values()).unwrap(),
        [("per_page".to_owned(), "1".to_owned())]
    );
    let previous = json!({"files": [{"id": 2, "created": "2024-05-01"}]});
    let mut r = Request::new("OnNewFile", Method::GET, "/files");
    trigger
        .apply(&mut r, Some(&previous), c.connection_values())
        .unwrap();
    let body = c.execute(r).await.unwrap().json::<Value>().unwrap().data;
    assert_eq!(
        trigger.items(&body),
        [json!({"id": 3, "created": "2024-06-01"})]
    );
    assert_eq!(trigger.next_link(&body).as_deref(), Some("n2"));
}

#[tokio::test]
async fn policy_scoping_leaves_other_operations_untouched() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetHeader,
        &["OperationA"],
        &[("name", "X-Only-A"), ("value", "yes")],
    )];
    let c = client(&server, P, ConnectionValues::new());
    c.execute(Request::new("OperationA", Method::GET, "/a"))
        .await
        .unwrap();
    c.execute(Request::new("OperationB", Method::GET, "/b"))
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].headers["x-only-a"], "yes");
    assert!(!reqs[1].headers.contains_key("x-only-a"));
}

#[tokio::test]
async fn policy_order_is_declared_order() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::SetHeader,
            &[],
            &[("name", "X-Step"), ("value", "first")],
        ),
        PolicySpec::new(
            PolicyKind::SetHeader,
            &[],
            &[("name", "X-Copy"), ("value", "copy-of-@headers('X-Step')")],
        ),
        PolicySpec::new(
            PolicyKind::SetHeader,
            &[],
            &[("name", "X-Step"), ("value", "second")],
        ),
    ];
    let c = client(&server, P, ConnectionValues::new());
    c.execute(Request::new("Op", Method::GET, "/o"))
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].headers["x-copy"], "copy-of-first");
    assert_eq!(reqs[0].headers["x-step"], "second");
}

#[tokio::test]
async fn policy_unknown_template_fails_affected_operation_with_unsupported() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::Unknown("teleportRequest"),
        &["Beam"],
        &[],
    )];
    assert!(!P[0].is_known());
    let c = client(&server, P, ConnectionValues::new());
    let err = c
        .execute(Request::new("Beam", Method::GET, "/b"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Unsupported);
    assert_eq!(err.operation, Some("Beam"));
    assert!(err.message.contains("teleportRequest"), "{}", err.message);
    // Other operations are unaffected, and nothing was sent for the failed one.
    c.execute(Request::new("Other", Method::GET, "/o"))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn policy_missing_connection_value_is_a_clear_error_without_secrets() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetHeader,
        &[],
        &[
            ("name", "X-Key"),
            ("value", "@connectionParameters('api_key')"),
        ],
    )];
    let c = client(
        &server,
        P,
        ConnectionValues::new().secret("other", "hunter2"),
    );
    let err = c
        .execute(Request::new("Op", Method::GET, "/o"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ValidationError);
    assert!(err.message.contains("api_key"), "{}", err.message);
    assert!(!err.to_string().contains("hunter2"));
}

#[tokio::test]
async fn policy_secrets_are_redacted_in_debug_and_logs() {
    let server = MockServer::start().await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::SetHeader,
        &[],
        &[
            ("name", "X-Secret-Key"),
            ("value", "Key @connectionParameters('api_key')"),
        ],
    )];
    let values = ConnectionValues::new().secret("api_key", "hunter2");
    assert!(!format!("{values:?}").contains("hunter2"));
    let builder = Client::builder(server.uri())
        .policies(P)
        .connection_values(values);
    assert!(!format!("{builder:?}").contains("hunter2"));
    let c = builder.build().unwrap();
    assert!(!format!("{c:?}").contains("hunter2"));
    assert!(!format!("{:?}", c.connection_values()).contains("hunter2"));
    assert!(c.redactor().is_sensitive_header("x-secret-key"));
}

#[tokio::test]
async fn policy_malformed_parameters_build_but_fail_affected_operation_naming_the_parameter() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::StringReplace,
            &["Patch"],
            &[
                ("propertyParentPath", "title without a body root"),
                ("sourceString", "/"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::PollingTrigger,
            &["Poll"],
            &[("triggerConfig", "not json")],
        ),
    ];
    // Compiled at build: the build still succeeds.
    let c = client(&server, P, ConnectionValues::new());
    let err = c
        .execute(json_request(
            "Patch",
            Method::PATCH,
            "/p",
            json!({"title": "a/b"}),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Unsupported);
    assert_eq!(err.operation, Some("Patch"));
    assert!(
        err.message.contains("\"stringreplace\"") && err.message.contains("\"propertyParentPath\""),
        "{}",
        err.message
    );
    let err = c.polling_trigger("Poll").unwrap_err();
    assert!(err.message.contains("\"triggerConfig\""), "{}", err.message);
    // Other operations are unaffected, and nothing was sent for the failed one.
    c.execute(Request::new("Other", Method::GET, "/o"))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
