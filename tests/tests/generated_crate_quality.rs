//! Generated crates as their users meet them: the files speak only of the user's API and
//! our tool, the docs build without warnings, a module included from a `build.rs` passes
//! `#![deny(missing_docs)]`, every crate has a quickstart example, and a skipped test
//! says so where the user sees it.

mod common;

use std::path::Path;
use std::process::Command;

use connector_codegen::Generator;

/// Words of our own process (design notes, issue numbers, the seeds the generator was
/// specified by, our build tooling) that have no meaning to a generated crate's user.
const INTERNAL_WORDS: &[&str] = &[
    "seed 00",
    "seed-00",
    "(seed",
    "seed:",
    "issue #",
    "xtask",
    "fixme",
    "todo!",
    "connector-gen-tests",
];

fn internal_words_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    INTERNAL_WORDS
        .iter()
        .copied()
        .filter(|w| lower.contains(w))
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_word_check_catches_internal_wording() {
    assert_eq!(
        internal_words_in("# Operations in Preview status (seed 003): new."),
        ["seed 00", "(seed"]
    );
    assert!(internal_words_in("An invoice issued to a customer.").is_empty());
}

#[test]
fn generated_files_speak_only_of_the_api_and_the_tool() {
    let root = common::root();
    let mut files = Vec::new();
    files_under(&root.join("generated"), &mut files);
    assert!(files.len() >= 16, "generated/ holds the crates: {files:?}");
    let mut found = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("generated files are text");
        let words = internal_words_in(&text);
        if !words.is_empty() {
            found.push(format!("{}: {words:?}", path.display()));
        }
    }
    // The build.rs module has text of its own.
    let loaded = connector_spec::load(&root.join("specs/contoso-tasks")).expect("loads");
    let module = Generator::new()
        .generate_module(&loaded.connector)
        .expect("generates");
    let words = internal_words_in(&module);
    if !words.is_empty() {
        found.push(format!("build.rs module: {words:?}"));
    }
    assert!(found.is_empty(), "internal wording:\n{}", found.join("\n"));
}

#[test]
fn every_generated_crate_has_a_quickstart_example_and_a_readme_for_newcomers() {
    let root = common::root();
    for krate in [
        "acme-tickets",
        "contoso-sales",
        "contoso-tasks",
        "lifecycle-demo",
    ] {
        let dir = root.join("generated").join(krate);
        let ident = krate.replace('-', "_");
        let example = dir.join(format!("examples/{ident}_quickstart.rs"));
        let text = std::fs::read_to_string(&example)
            .unwrap_or_else(|e| panic!("{}: {e}", example.display()));
        assert!(
            text.contains(&format!("{ident}::Client::builder()")),
            "{text}"
        );
        assert!(text.contains(&format!("{ident}::OPERATIONS")), "{text}");
        let readme = std::fs::read_to_string(dir.join("README.md")).expect("README");
        for topic in [
            "connector-runtime",
            "tokio",
            "### Base URL",
            ".base_url(",
            "### Authentication",
            "### Errors",
            "ErrorCode",
            "--runtime-path",
            "--runtime-version",
        ] {
            assert!(readme.contains(topic), "{krate} README lacks {topic:?}");
        }
    }
    let readme = std::fs::read_to_string(root.join("generated/acme-tickets/README.md")).unwrap();
    assert!(
        readme.contains("### Paging") && readme.contains(".items()"),
        "a crate with paged operations shows paging:\n{readme}"
    );
}

/// A standalone crate from `specs/contoso-tasks` (Power Platform: connection, policies,
/// triggers) documents without a single rustdoc warning.
#[test]
fn generated_crate_docs_build_without_warnings() {
    let root = common::root();
    let loaded = connector_spec::load(&root.join("specs/contoso-tasks")).expect("loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = root.join("crates/connector-runtime");
    Generator::new()
        .crate_name("contoso-tasks")
        .runtime_path(runtime.to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates")
        .write_to(&dir.path().join("contoso-tasks"))
        .expect("writes");
    let krate = dir.path().join("contoso-tasks");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"contoso-tasks\"]\n",
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    let target = root.join("target").join("standalone");
    let (ok, output) = common::cargo_with_env(
        &krate,
        &target,
        &["doc", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert!(ok, "cargo doc reports warnings:\n{output}");
}

/// The README's build.rs recipe, followed literally: the folder (so `apiProperties.json`
/// is read and `Connection` exists), `[build-dependencies]`, and a crate that denies
/// missing docs.
#[test]
fn build_rs_module_compiles_under_deny_missing_docs() {
    let root = common::root();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    let toml_path = |p: &Path| serde_json::to_string(&p.to_string_lossy()).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            r#"[package]
name = "buildrs-app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
connector-runtime = {{ path = {} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[build-dependencies]
connector-codegen = {{ path = {} }}
"#,
            toml_path(&root.join("crates/connector-runtime")),
            toml_path(&root.join("crates/connector-codegen")),
        ),
    )
    .unwrap();
    std::fs::write(
        app.join("build.rs"),
        format!(
            r#"fn main() {{
    connector_codegen::Generator::new()
        .build_module(std::path::Path::new({}), "contoso_tasks.rs")
        .expect("connector client generation failed");
}}
"#,
            toml_path(&root.join("specs/contoso-tasks")),
        ),
    )
    .unwrap();
    std::fs::write(
        app.join("src/lib.rs"),
        r#"//! An application including a generated client.
#![deny(missing_docs)]

/// The generated client.
pub mod contoso_tasks {
    include!(concat!(env!("OUT_DIR"), "/contoso_tasks.rs"));
}

/// Uses what apiProperties.json adds.
pub fn connection() -> contoso_tasks::Connection {
    contoso_tasks::Connection {
        host: None,
        region: None,
        token: None,
    }
}
"#,
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    let target = root.join("target").join("standalone");
    let (ok, output) = common::cargo(&app, &target, &["check"]);
    assert!(ok, "the build.rs crate must compile:\n{output}");
    assert!(
        !output.contains("missing documentation"),
        "no missing_docs findings:\n{output}"
    );
}

/// The child half of `skips_are_visible_without_nocapture`.
#[test]
fn skip_reporting_child() {
    if std::env::var_os("CONNECTOR_SKIP_CHILD").is_some() {
        common::skip("skip_reporting_child", "asked to by the parent test");
    }
}

/// libtest hides what passing tests print with `eprintln!`; `common::skip` is seen.
#[test]
fn skips_are_visible_without_nocapture() {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "skip_reporting_child", "--test-threads=1"])
        .env("CONNECTOR_SKIP_CHILD", "1")
        .output()
        .expect("test binary runs");
    assert!(out.status.success());
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        shown.contains("SKIPPED skip_reporting_child: asked to by the parent test"),
        "{shown}"
    );
}
