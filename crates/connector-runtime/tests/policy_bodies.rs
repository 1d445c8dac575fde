//! JSON body policy templates against a mock server (`setproperty`, `stringreplace`,
//! `convertobjecttoarray`, `convertarraytoobject`, `stringtoarray`, `moveproperties`,
//! `encodepropertyvalue`), on requests and responses.
#![allow(missing_docs)]

use connector_runtime::{ConnectionValues, PolicyKind, PolicySpec, Request};
use http::Method;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod policy_support;

use policy_support::{client, json_request, ok};

async fn received_json(server: &MockServer) -> Value {
    let reqs = server.received_requests().await.unwrap();
    serde_json::from_slice(&reqs.last().unwrap().body).unwrap()
}

#[tokio::test]
async fn policy_set_property_adds_constants_and_interpolated_values() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::SetProperty,
            &["Subscribe"],
            &[
                ("newPropertyParentPathTemplate", "@body()"),
                ("newPropertySubPathTemplate", "version"),
                ("propertyValuePathTemplate", "v1"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::SetProperty,
            &["Subscribe"],
            &[
                ("newPropertyParentPathTemplate", "body()"),
                ("newPropertySubPathTemplate", "['@odata.id']"),
                (
                    "propertyValuePathTemplate",
                    "https://graph.example/v1.0/directoryObjects/{@body().userId}",
                ),
            ],
        ),
        PolicySpec::new(
            PolicyKind::SetProperty,
            &["Subscribe"],
            &[
                ("newPropertyParentPathTemplate", "@body()"),
                ("newPropertySubPathTemplate", "payments"),
                ("propertyValuePathTemplate", "[{@body().payment}]"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::SetProperty,
            &["Subscribe"],
            &[
                ("newPropertyParentPathTemplate", "@body().gifts"),
                ("newPropertySubPathTemplate", "source"),
                ("propertyValuePathTemplate", "flow"),
            ],
        ),
    ];
    let c = client(&server, P, ConnectionValues::new());
    let r = json_request(
        "Subscribe",
        Method::POST,
        "/hooks",
        json!({"userId": "u1", "payment": {"amount": 5}, "gifts": [{"id": 1}, {"id": 2}]}),
    );
    c.execute(r).await.unwrap();
    assert_eq!(
        received_json(&server).await,
        json!({
            "userId": "u1",
            "payment": {"amount": 5},
            "gifts": [{"id": 1, "source": "flow"}, {"id": 2, "source": "flow"}],
            "version": "v1",
            "@odata.id": "https://graph.example/v1.0/directoryObjects/u1",
            "payments": [{"amount": 5}]
        })
    );
}

#[tokio::test]
async fn policy_string_replace_escapes_request_and_unescapes_response() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"title": "50%25 done%2E"})))
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::StringReplace,
            &["Update"],
            &[
                ("propertyParentPath", "@body().references"),
                ("propertySubPath", "resourceLink"),
                ("sourceString", "%"),
                ("replacementString", "%25"),
                ("newPropertyPath", "@item().resourceLink"),
            ],
        )
        .in_request(),
        PolicySpec::new(
            PolicyKind::StringReplace,
            &["Update"],
            &[
                ("propertyParentPath", "@body().references"),
                ("propertySubPath", "resourceLink"),
                ("sourceString", "."),
                ("replacementString", "%2E"),
                ("newPropertyPath", "@item().resourceLink"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::StringReplace,
            &["Update"],
            &[
                ("propertyParentPath", "@body()"),
                ("propertySubPath", "title"),
                ("sourceString", "%25"),
                ("replacementString", "%"),
                ("newPropertyPath", "@body().title"),
            ],
        )
        .in_response(),
    ];
    let c = client(&server, P, ConnectionValues::new());
    let r = json_request(
        "Update",
        Method::PATCH,
        "/task",
        json!({"references": [{"resourceLink": "a.b%c"}, {"resourceLink": "plain"}]}),
    );
    let resp = c.execute(r).await.unwrap();
    assert_eq!(
        received_json(&server).await,
        json!({"references": [{"resourceLink": "a%2Eb%25c"}, {"resourceLink": "plain"}]})
    );
    assert_eq!(
        resp.json::<Value>().unwrap().data,
        json!({"title": "50% done%2E"})
    );
}

#[tokio::test]
async fn policy_convert_object_to_array_reshapes_response_before_decoding() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "t1", "assignments": {"u1": {"order": 1}, "u2": {"order": 2}}}),
        ))
        .mount(&server)
        .await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::ConvertObjectToArray,
        &["GetTask"],
        &[
            ("propertyParentPath", "@body()"),
            ("propertySubPath", "assignments"),
            ("newPropertyPath", "@body()._assignments"),
            ("keyName", "userId"),
            ("valueName", "value"),
        ],
    )
    .in_response()];
    let c = client(&server, P, ConnectionValues::new());
    let resp = c
        .execute(Request::new("GetTask", Method::GET, "/task"))
        .await
        .unwrap();
    assert_eq!(
        resp.json::<Value>().unwrap().data,
        json!({
            "id": "t1",
            "assignments": {"u1": {"order": 1}, "u2": {"order": 2}},
            "_assignments": [
                {"userId": "u1", "value": {"order": 1}},
                {"userId": "u2", "value": {"order": 2}}
            ]
        })
    );
}

#[tokio::test]
async fn policy_convert_array_to_object_keys_items_and_drops_key() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::ConvertArrayToObject,
        &["UpdateDetails"],
        &[
            ("propertyParentPath", "@body()"),
            ("propertySubPath", "checklist"),
            ("keyWithinCollectionPath", "id"),
            ("newPropertyPath", "@body().checklist"),
            ("retainKey", "false"),
        ],
    )];
    let c = client(&server, P, ConnectionValues::new());
    let r = json_request(
        "UpdateDetails",
        Method::PATCH,
        "/details",
        json!({"checklist": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]}),
    );
    c.execute(r).await.unwrap();
    assert_eq!(
        received_json(&server).await,
        json!({"checklist": {"a": {"title": "A"}, "b": {"title": "B"}}})
    );
}

#[tokio::test]
async fn policy_string_to_array_then_encode_property_value_in_declared_order() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::StringToArray,
            &["AssignUsers"],
            &[
                ("propertyParentPath", "@body()"),
                ("propertySubPath", "assignments"),
                ("delimiterList", ";"),
                ("childPropertyName", "userId"),
                ("newPropertyPath", "@body().assignments"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::EncodePropertyValue,
            &["AssignUsers"],
            &[
                ("propertyParentPath", "@body().assignments"),
                ("propertySubPath", "userId"),
                ("newPropertyPath", "@item().userId"),
            ],
        ),
    ];
    let c = client(&server, P, ConnectionValues::new());
    let r = json_request(
        "AssignUsers",
        Method::POST,
        "/assign",
        json!({"assignments": "a@x.com; b/c ;"}),
    );
    c.execute(r).await.unwrap();
    assert_eq!(
        received_json(&server).await,
        json!({"assignments": [{"userId": "a%40x.com"}, {"userId": "b%2Fc"}]})
    );
}

#[tokio::test]
async fn policy_move_properties_flattens_custom_properties_into_body() {
    let server = MockServer::start().await;
    ok(&server).await;
    static P: &[PolicySpec] = &[PolicySpec::new(
        PolicyKind::MoveProperties,
        &["UpdateUser"],
        &[
            ("srcParentPath", "@body()"),
            ("srcSubPath", "customProperties"),
            ("dstParentPath", "@body()"),
            ("dstSubPath", "null"),
            ("copyOnlySubProperties", "true"),
        ],
    )];
    let c = client(&server, P, ConnectionValues::new());
    let r = json_request(
        "UpdateUser",
        Method::PATCH,
        "/users/{id}",
        json!({"displayName": "Ada", "customProperties": {"ext_a": 1, "ext_b": "x"}}),
    );
    c.execute(r).await.unwrap();
    assert_eq!(
        received_json(&server).await,
        json!({"displayName": "Ada", "ext_a": 1, "ext_b": "x"})
    );
}
