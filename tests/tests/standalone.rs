//! A generated crate builds on its own, outside this workspace, and its lifecycle rules
//! hold in a real build: preview operations exist only with the `preview` feature and
//! deprecated ones warn with a note naming the newer revision and the end of support.
//! Its `mock` feature builds too, with and without `preview`.

mod common;

use connector_codegen::Generator;

#[test]
fn generated_crate_builds_alone_with_preview_gating_and_deprecation_notes() {
    let root = common::root();
    let loaded = connector_spec::load(&root.join("specs/lifecycle-demo")).expect("spec loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = root.join("crates/connector-runtime");
    Generator::new()
        .crate_name("lifecycle-demo")
        .runtime_path(runtime.to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates")
        .write_to(&dir.path().join("lifecycle-demo"))
        .expect("writes");

    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        r#"[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[features]
preview = ["lifecycle-demo/preview"]

[dependencies]
lifecycle-demo = { path = "../lifecycle-demo", features = ["mock"] }
"#,
    )
    .unwrap();
    std::fs::write(
        app.join("src/main.rs"),
        r#"fn main() {
    let client = lifecycle_demo::Client::builder().api_key("key").build().unwrap();
    let _old = client.get_item("list", "id");
    let _newer = client.get_items_v2("list");
    let _internal = client.refresh_cache();
    // The mock feature needs no dependency besides the generated crate.
    let _mock = lifecycle_demo::mock::get_item().list("list").respond_status(204);
}
"#,
    )
    .unwrap();
    // Pin dependency versions to the workspace's.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    let target = root.join("target").join("standalone");

    let (ok, output) = common::cargo(&app, &target, &["check", "--quiet"]);
    assert!(
        !ok,
        "calling a preview operation without the feature must not compile:\n{output}"
    );
    assert!(
        output.contains("get_items_v2"),
        "the error names the preview method:\n{output}"
    );

    let (ok, output) = common::cargo(
        &app,
        &target,
        &["check", "--quiet", "--features", "preview"],
    );
    assert!(
        ok,
        "with the preview feature everything compiles:\n{output}"
    );
    assert!(
        output.contains("use `Client::get_item_v2` (revision 2) instead"),
        "the deprecation note names the newer revision:\n{output}"
    );
    assert!(
        output.contains("support ends 2027-06-30"),
        "the deprecation note names the expiry date:\n{output}"
    );
}
