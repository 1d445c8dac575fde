//! The template list exists once, in `connector_spec::PolicyTemplate`; codegen maps each
//! variant to the runtime's `PolicyKind` with an exhaustive match. The runtime cannot
//! depend on the model, so the first test checks the two enums name the same templates;
//! the others generate a crate from a test-only definition using every template
//! (`fixtures/every-policy`) and prove its policy table is complete and compiles.

mod common;

use std::path::PathBuf;

use connector_codegen::Generator;
use connector_runtime::PolicyKind;
use connector_spec::PolicyTemplate;

#[test]
fn model_and_runtime_know_the_same_policy_templates() {
    let mut model: Vec<&str> = PolicyTemplate::ALL.iter().map(PolicyTemplate::id).collect();
    let mut runtime: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.id()).collect();
    model.sort_unstable();
    runtime.sort_unstable();
    assert_eq!(
        model, runtime,
        "a template the loader accepts silently must be one the runtime runs"
    );
    for id in &runtime {
        assert!(PolicyTemplate::from_id(&id.to_uppercase()).is_known());
    }
}

/// The test-only definition with one instance of every template (and an unknown one).
fn every_policy() -> PathBuf {
    common::root().join("tests/tests/fixtures/every-policy")
}

#[test]
fn the_every_policy_fixture_uses_every_template() {
    let loaded = connector_spec::load(&every_policy()).expect("fixture loads");
    for template in PolicyTemplate::ALL {
        assert!(
            loaded
                .connector
                .policies
                .iter()
                .any(|p| &p.template == template),
            "tests/tests/fixtures/every-policy has no {template} instance: add one"
        );
    }
}

#[test]
fn the_generated_policy_table_names_every_template_by_its_runtime_kind() {
    let loaded = connector_spec::load(&every_policy()).expect("fixture loads");
    let generated = Generator::new()
        .crate_name("every-policy")
        .runtime_path("../../crates/connector-runtime")
        .generate(&loaded.connector)
        .expect("generates");
    let text = common::file(&generated, "src/connection.rs");
    for template in PolicyTemplate::ALL {
        let kind = format!("PolicyKind::{template:?}");
        assert!(text.contains(&kind), "POLICIES lacks {kind}:\n{text}");
    }
    assert!(text.contains("PolicyKind::Unknown(\"teleport\")"), "{text}");
    // Definition strings become escaped literals, never code.
    assert!(
        text.contains(r#"("propertyValuePathTemplate", "connector \"quoted\" \\ text")"#),
        "{text}"
    );
    assert!(text.contains(".in_request()") && text.contains(".in_response()"));
    assert_eq!(
        text.matches("PolicySpec::new(").count(),
        PolicyTemplate::ALL.len() + 1
    );
}

#[test]
fn a_crate_using_every_template_compiles_without_warnings() {
    let root = common::root();
    let loaded = connector_spec::load(&every_policy()).expect("fixture loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = root.join("crates/connector-runtime");
    Generator::new()
        .crate_name("every-policy")
        .runtime_path(runtime.to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates")
        .write_to(&dir.path().join("every-policy"))
        .expect("writes");
    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            r#"[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
every-policy = {{ path = "../every-policy" }}
connector-runtime = {{ path = {runtime:?} }}
"#,
            runtime = runtime.to_string_lossy()
        ),
    )
    .unwrap();
    std::fs::write(
        app.join("src/main.rs"),
        r#"use connector_runtime::secrecy::SecretString;

fn main() {
    let connection = every_policy::Connection {
        host: Some("every-policy.example".to_owned()),
        api_key: Some(SecretString::from("key")),
    };
    let client = every_policy::Client::builder()
        .connection(connection)
        .unwrap()
        .build()
        .unwrap();
    assert!(client.runtime().polling_trigger("ListItems").unwrap().is_some());
    assert_eq!(every_policy::POLICIES.len(), 17);
}
"#,
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    // Shares the standalone test's target directory (same flags), so dependencies build once.
    let (ok, output) = common::cargo(
        &app,
        &root.join("target").join("standalone"),
        &["check", "--quiet"],
    );
    assert!(ok, "the generated crate compiles:\n{output}");
    assert!(
        !output.contains("warning"),
        "the generated crate compiles without warnings:\n{output}"
    );
}
