//! Real-world schema shapes decode into the right types: a crate generated from
//! `tests/fixtures/fidelity_schemas/openapi.yaml` (small hand-written copies of shapes
//! from OpenAI, Twilio and JSON Schema 2020-12 documents) builds warning-free and its
//! test binary decodes and encodes payloads as real servers send them:
//! - a discriminated union without `mapping` dispatches on each variant's `enum` /
//!   `const` / inherited value of the discriminator (OpenAI's `role: developer`);
//! - a named `anyOf [object, null]` referenced by a required property accepts `null`;
//! - optional + nullable properties (PATCH) serialize absent / `null` / value apart;
//! - 3.1 tuples (`prefixItems`, `items: [..]`) and type arrays;
//! - multi-level `allOf` hierarchies dispatch to the deepest subtype;
//! - untagged unions try the most specific variant first;
//! - identical inline enums are one type, and a parameter enum that repeats a component
//!   enum reuses it.

mod common;

use connector_codegen::Generator;

/// The generated crate's own test: every assertion about decoding lives here, so one
/// cargo build checks them all.
const DECODE_TEST: &str = r##"
use connector_runtime::serde_json::{self, json};
use connector_runtime::Nullable;
use fidelity::types::*;

#[test]
fn a_developer_message_decodes_into_its_variant() {
    let m: ChatMessage = serde_json::from_str(r#"{"role":"developer","content":"hi"}"#).unwrap();
    match m {
        ChatMessage::Developer(d) => assert_eq!(d.content, "hi"),
        other => panic!("developer message decoded as {other:?}"),
    }
    // `const: user` (3.1) and a value inherited through allOf select their variants too.
    let m: ChatMessage = serde_json::from_str(r#"{"role":"user","content":"yo"}"#).unwrap();
    assert!(matches!(m, ChatMessage::User(_)), "{m:?}");
    let m: ChatMessage = serde_json::from_str(r#"{"role":"assistant","content":null}"#).unwrap();
    match m {
        ChatMessage::Assistant(a) => assert_eq!(a.content, Nullable::Null),
        other => panic!("assistant message decoded as {other:?}"),
    }
    // A role the server adds later stays available.
    let m: ChatMessage = serde_json::from_str(r#"{"role":"critic","content":"x"}"#).unwrap();
    assert!(matches!(m, ChatMessage::Other(_)), "{m:?}");
    // And a variant encodes back with its tag.
    let v = serde_json::to_value(ChatMessage::Developer(Box::new(DeveloperMessage {
        role: DeveloperMessageRole::Developer,
        content: "be brief".into(),
    })))
    .unwrap();
    assert_eq!(v, json!({"role": "developer", "content": "be brief"}));
}

#[test]
fn a_response_with_a_null_error_decodes() {
    let r: ApiResponse =
        serde_json::from_str(r#"{"id":"resp_1","error":null,"tag":null}"#).unwrap();
    assert_eq!(r.id, "resp_1");
    assert_eq!(r.error, None);
    assert_eq!(r.tag, None);
    let r: ApiResponse = serde_json::from_str(
        r#"{"id":"resp_2","error":{"code":"server_error","message":"boom"},"tag":"t"}"#,
    )
    .unwrap();
    assert_eq!(r.error.as_ref().map(|e| e.code.as_str()), Some("server_error"));
    // Required and nullable: sent as `null`, not left out.
    let back = serde_json::to_value(&ApiResponse { error: None, ..r }).unwrap();
    assert_eq!(back["error"], serde_json::Value::Null);
    assert!(back.as_object().unwrap().contains_key("error"));
}

#[test]
fn a_patch_body_tells_absent_null_and_value_apart() {
    let keep = PetPatch::default();
    assert_eq!(serde_json::to_value(&keep).unwrap(), json!({}));
    let clear = PetPatch {
        nickname: Nullable::Null,
        owner: Nullable::Null,
        ..PetPatch::default()
    };
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"nickname": null, "owner": null})
    );
    let set = PetPatch {
        nickname: "Rex".to_owned().into(),
        owner: Nullable::Value(Owner { name: Some("Ann".into()) }),
        ..PetPatch::default()
    };
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"nickname": "Rex", "owner": {"name": "Ann"}})
    );
    let read: PetPatch = serde_json::from_str(r#"{"nickname":null}"#).unwrap();
    assert_eq!(read.nickname, Nullable::Null);
    assert_eq!(read.owner, Nullable::Absent);
}

#[test]
fn tuples_and_type_arrays_decode() {
    let r: ApiResponse = serde_json::from_str(
        r#"{"id":"a","error":null,"tag":null,"point":[1.5,"north"],"pair":[7,true],"value":42}"#,
    )
    .unwrap();
    assert_eq!(r.point, Some((1.5, "north".to_owned())));
    assert_eq!(r.pair, Some((7, true)));
    assert_eq!(r.value, Some(ApiResponseValue::Integer(42)));
    let r: ApiResponse =
        serde_json::from_str(r#"{"id":"a","error":null,"tag":null,"value":"x","meta":{"region":"eu"}}"#)
            .unwrap();
    assert_eq!(r.value, Some(ApiResponseValue::String("x".into())));
    assert_eq!(r.meta.and_then(|m| m.region).as_deref(), Some("eu"));
}

#[test]
fn a_multi_level_hierarchy_dispatches_to_the_deepest_subtype() {
    let a: Animal = serde_json::from_str(r#"{"kind":"Puppy","barks":true,"age_weeks":9}"#).unwrap();
    match a {
        Animal::Puppy(p) => {
            assert_eq!(p.age_weeks, Some(9));
            assert_eq!(p.barks, Some(true));
        }
        other => panic!("puppy decoded as {other:?}"),
    }
    let a: Animal = serde_json::from_str(r#"{"kind":"Cat","lives":9}"#).unwrap();
    assert!(matches!(a, Animal::Cat(_)), "{a:?}");
}

#[test]
fn an_untagged_union_tries_the_most_specific_variant_first() {
    let s: Shape = serde_json::from_str(r#"{"width":2,"height":3}"#).unwrap();
    assert!(matches!(s, Shape::Rect(_)), "{s:?}");
    let s: Shape = serde_json::from_str(r#"{"radius":1}"#).unwrap();
    assert!(matches!(s, Shape::Circle(_)), "{s:?}");
}

#[test]
fn identical_enums_are_one_type() {
    // The inline `delivery` enum, the `$defs` Meta's `state` and the `status` parameter
    // hold the same values: one type serves all three.
    let r: ApiResponse =
        serde_json::from_str(r#"{"id":"a","error":null,"tag":null,"delivery":"sent","method":"GET","meta":{"state":"failed"}}"#)
            .unwrap();
    let delivery = r.delivery.unwrap();
    let state = r.meta.unwrap().state.unwrap();
    let same: [&_; 2] = [&delivery, &state];
    assert_eq!(same[0].as_str(), "sent");
    assert_eq!(same[1].as_str(), "failed");
    assert_eq!(r.method, Some(HttpMethod::Get));
}
"##;

#[test]
fn real_world_schema_shapes_decode_into_the_right_types() {
    let root = common::root();
    let fixture = root.join("tests/fixtures/fidelity_schemas/openapi.yaml");
    let loaded = connector_spec::Loader::new()
        .strict(true)
        .load(&fixture)
        .expect("the fixture loads without a warning");
    let generated = Generator::new()
        .crate_name("fidelity")
        .runtime_path(root.join("crates/connector-runtime").to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates");

    let types = &generated.file("src/types.rs").expect("types.rs").contents;
    // One type per distinct enum: the `[queued, sent, failed]` copies share one, the
    // `[GET, POST]` copies reuse the component `HttpMethod`.
    assert_eq!(types.matches("=> \"queued\"").count(), 1, "{types}");
    assert_eq!(types.matches("=> \"GET\"").count(), 1, "{types}");
    let ops = &generated
        .file("src/operations.rs")
        .expect("operations.rs")
        .contents;
    assert!(
        ops.contains("types::HttpMethod"),
        "the parameter reuses HttpMethod"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let krate = dir.path().join("fidelity");
    generated.write_to(&krate).expect("writes");
    std::fs::create_dir_all(krate.join("tests")).expect("tests dir");
    std::fs::write(krate.join("tests/decode.rs"), DECODE_TEST).expect("test written");
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock copied");
    let target = root.join("target").join("standalone");
    let (ok, output) = common::cargo(&krate, &target, &["test", "--quiet", "--test", "decode"]);
    assert!(ok, "the generated crate decodes real payloads:\n{output}");
    assert!(
        !output.contains("warning"),
        "the generated crate builds without warnings:\n{output}"
    );
}
