//! Subsets: a few operations of a huge API generate a small crate that compiles, with
//! only the types those operations reach, and say in their docs what was left out.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use connector_codegen::{ConnectorConfig, GeneratedCrate, Generator};

/// The corpus root: `CONNECTOR_CORPUS`, else the shared corpus beside the checkout.
fn corpus_root() -> PathBuf {
    match std::env::var_os("CONNECTOR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => common::root().join("../shared/corpus"),
    }
}

/// Writes `generated` next to an app that calls `call` and runs `cargo check` on it.
fn compiles(generated: &GeneratedCrate, crate_ident: &str, call: &str) -> (bool, String) {
    let root = common::root();
    let dir = tempfile::tempdir().expect("temp dir");
    generated
        .write_to(&dir.path().join(&generated.name))
        .expect("writes");
    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{} = {{ path = \"../{}\" }}\n",
            generated.name, generated.name
        ),
    )
    .unwrap();
    std::fs::write(
        app.join("src/main.rs"),
        format!(
            "fn main() {{\n    let client = {crate_ident}::Client::builder().build().unwrap();\n    \
             let _request = client.{call};\n}}\n"
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    common::cargo(
        &app,
        &root.join("target").join("standalone"),
        &["check", "--quiet"],
    )
}

fn runtime() -> String {
    common::root()
        .join("crates/connector-runtime")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn three_github_operations_make_a_small_crate_that_compiles() {
    let github = corpus_root().join("oas3/api.github.com.json");
    if !github.is_file() {
        // libtest captures print macros of passing tests; stderr written directly shows.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED three_github_operations_make_a_small_crate_that_compiles: {} not found \
             (set CONNECTOR_CORPUS)",
            github.display()
        );
        return;
    }
    let loaded = connector_spec::load(&github).expect("GitHub's document loads");
    let all = loaded.connector.operations.len();
    let generated = Generator::new()
        .crate_name("github-mini")
        .runtime_path(runtime())
        .operations([
            "repos/get",
            "issues/list-for-repo",
            "users/get-authenticated",
        ])
        .generate(&loaded.connector)
        .expect("generates");
    let ops = common::file(&generated, "src/operations.rs");
    let lines: usize = generated
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    assert!(
        lines < 20_000,
        "a small crate, not the whole API: {lines} lines"
    );
    assert!(ops.contains("IssuesListForRepo") || ops.contains("issues_list_for_repo"));
    let lib = common::file(&generated, "src/lib.rs");
    assert!(
        lib.contains(&format!("covers 3 of the definition's {all} operations")),
        "the docs say what was left out"
    );
    let (ok, output) = compiles(&generated, "github_mini", "repos_get(\"o\", \"r\")");
    assert!(ok, "the subset crate compiles:\n{output}");
}

#[test]
fn a_subset_of_a_fixture_keeps_reached_types_and_compiles() {
    let root = common::root();
    let loaded = connector_spec::load(&root.join("specs/contoso-sales")).expect("loads");
    let generated = Generator::new()
        .crate_name("sales-mini")
        .runtime_path(runtime())
        .operations(["GetInvoice"])
        .generate(&loaded.connector)
        .expect("generates");
    let types = common::file(&generated, "src/types.rs");
    assert!(
        types.contains("pub struct Invoice"),
        "a reached type is kept"
    );
    assert!(
        !types.contains("pub struct NewInvoice"),
        "a type only other operations use is left out"
    );
    let ops = common::file(&generated, "src/operations.rs");
    assert!(!ops.contains("ListInvoices"));
    let (ok, output) = compiles(&generated, "sales_mini", "get_invoice(\"id\")");
    assert!(ok, "the subset crate compiles:\n{output}");
}

#[test]
fn config_replacements_and_renames_shape_the_types() {
    let root = common::root();
    let loaded = connector_spec::load(&root.join("specs/contoso-sales")).expect("loads");
    let config = ConnectorConfig::parse(
        "[operations]\ninclude = [\"GetInvoice\"]\n\n[types.rename]\nInvoice = \"Bill\"\n\n\
         [types.replace]\nCustomer = \"serde_json::Value\"\n",
        Path::new("connector-gen.toml"),
    )
    .expect("config parses");
    let generated = Generator::new()
        .crate_name("sales-custom")
        .runtime_path(runtime())
        .config(config)
        .generate(&loaded.connector)
        .expect("generates");
    let types = common::file(&generated, "src/types.rs");
    assert!(types.contains("pub struct Bill"), "renamed: {types}");
    assert!(!types.contains("pub struct Invoice "), "renamed away");
    assert!(
        types.contains("pub type Customer = serde_json::Value;"),
        "replaced by the given path: {types}"
    );
    assert!(!types.contains("pub struct Customer"), "not generated");
    let (ok, output) = compiles(&generated, "sales_custom", "get_invoice(\"id\")");
    assert!(ok, "the customized crate compiles:\n{output}");
}

#[test]
fn build_rs_modules_follow_the_configuration_too() {
    let root = common::root();
    let loaded = connector_spec::load(&root.join("specs/contoso-sales")).expect("loads");
    let config = ConnectorConfig::parse(
        "[operations]\ninclude-tags = [\"Service\"]\n",
        Path::new("connector-gen.toml"),
    )
    .expect("config parses");
    let module = Generator::new()
        .config(config)
        .generate_module(&loaded.connector)
        .expect("generates");
    assert!(module.contains("GetServiceHealth"));
    assert!(
        !module.contains("ListInvoices"),
        "left-out operations are not in the module"
    );
}
