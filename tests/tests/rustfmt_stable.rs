//! Generated code is rustfmt-stable: running rustfmt over a generated crate changes
//! nothing, and no generated file carries `#[rustfmt::skip]`. Every `.rs` file of a
//! crate is checked, for the crates of `generated/`, the hostile fixture and, when the
//! corpus is present, a few large real definitions.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use connector_codegen::Generator;

/// `rustfmt --check` over one file: the diff, empty when nothing would change.
fn rustfmt_diff(file: &Path) -> String {
    let out = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .arg(file)
        .output()
        .expect("rustfmt (installed with the toolchain) runs");
    let diff = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() || !diff.is_empty(),
        "rustfmt failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    diff
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("directory lists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn assert_stable(krate: &Path) {
    let files = rust_files(&krate.join("src"));
    for module in [
        "lib.rs",
        "client.rs",
        "types.rs",
        "operations.rs",
        "metadata.rs",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(module)),
            "{} has src/{module}: {files:?}",
            krate.display()
        );
    }
    for file in &files {
        let text = std::fs::read_to_string(file).expect("generated file reads");
        assert!(
            !text.contains("rustfmt::skip"),
            "{} opts out of rustfmt",
            file.display()
        );
        let diff = rustfmt_diff(file);
        assert!(
            diff.is_empty(),
            "rustfmt would change {}:\n{diff}",
            file.display()
        );
    }
}

fn generate(definition: &Path, out: &Path) {
    let loaded = connector_spec::load(definition)
        .unwrap_or_else(|e| panic!("{} loads: {e}", definition.display()));
    Generator::new()
        .runtime_path("../runtime")
        .generate(&loaded.connector)
        .expect("generates")
        .write_to(out)
        .expect("writes");
}

#[test]
fn checked_in_crates_are_rustfmt_stable() {
    let root = common::root();
    let generated = root.join("generated");
    let mut crates: Vec<PathBuf> = std::fs::read_dir(&generated)
        .expect("generated/ lists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("src/lib.rs").is_file())
        .collect();
    crates.sort();
    assert!(crates.len() >= 4, "{crates:?}");
    let with_connection = crates
        .iter()
        .filter(|k| k.join("src/connection.rs").is_file())
        .count();
    assert!(
        with_connection >= 3,
        "connection.rs is checked too: {crates:?}"
    );
    for krate in crates {
        // rustfmt --check never writes, so the checked-in crate is checked in place.
        assert_stable(&krate);
    }
}

/// Power Platform definitions whose crates needed a layout rule each (long query
/// arguments, arms, one-row tables, `use` lists, long return types, fields, aliases,
/// impl heads, struct literals, argument chains; then, from ModuleQ on: a one-row table
/// whose row has a chain, a `let` broken after `=`, an object macro nested at 100
/// columns, a mock head at 101 columns, return types at 102 columns and broken inside a
/// nested generic, the paging error arm, a nested generic field, a field init broken
/// after `:`, a mock response call too wide for one line).
const POWER_PLATFORM_SAMPLE: [&str; 25] = [
    "independent-publisher-connectors/HubSpot CRM",
    "certified-connectors/Azure Communication Services SMS Events",
    "certified-connectors/3E Events",
    "independent-publisher-connectors/1pt",
    "certified-connectors/smsapi",
    "certified-connectors/AlisQI",
    "independent-publisher-connectors/Toggl Plan",
    "certified-connectors/Almabase",
    "certified-connectors/DeskDirector Tech",
    "certified-connectors/Dynamics365FraudProtection",
    "certified-connectors/Autenti E-Signature Standard Workflow Connector",
    "independent-publisher-connectors/BIN Checker",
    "independent-publisher-connectors/Launch Library 2",
    "independent-publisher-connectors/Dad Jokes",
    "certified-connectors/Entersoft",
    "certified-connectors/Content Manager Power Connect",
    "certified-connectors/ModuleQ",
    "certified-connectors/dvelop",
    "independent-publisher-connectors/Brønnøysundregistrene",
    "certified-connectors/Dynatrace",
    "certified-connectors/Seismic Library",
    "certified-connectors/Connect2All",
    "independent-publisher-connectors/Lettria",
    "certified-connectors/DocuSignDemo",
    "certified-connectors/smapOne",
];

#[test]
fn hostile_and_corpus_crates_are_rustfmt_stable() {
    let root = common::root();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut definitions = vec![root.join("tests/fixtures/hostile")];
    let corpus = std::env::var_os("CONNECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    // OpenAI's unions: long variant names in tagged and untagged union bodies.
    for name in [
        "oas3/nexus.json",
        "oas3/buildomat.json",
        "oas3/keeper.json",
        "public-apis/openai/openapi.yaml",
    ] {
        let path = corpus.join(name);
        if path.is_file() {
            definitions.push(path);
        } else {
            common::skip(
                "hostile_and_corpus_crates_are_rustfmt_stable",
                &format!("{} not found", path.display()),
            );
        }
    }
    for name in POWER_PLATFORM_SAMPLE {
        let path = corpus.join("power-platform").join(name);
        if path.is_dir() {
            definitions.push(path);
        } else {
            common::skip(
                "hostile_and_corpus_crates_are_rustfmt_stable",
                &format!("{} not found", path.display()),
            );
        }
    }
    for (i, definition) in definitions.iter().enumerate() {
        let out = dir.path().join(format!("crate{i}"));
        generate(definition, &out);
        assert_stable(&out);
    }
}
