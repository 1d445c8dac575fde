//! Generated code is rustfmt-stable: running rustfmt over a generated crate changes
//! nothing in the files it formats. `lib.rs`, `types.rs`, `operations.rs` (the bulk
//! of a crate) and `metadata.rs` carry no `#[rustfmt::skip]`, so they are checked here
//! for the crates of `generated/`, the hostile fixture and, when the corpus is present,
//! a few large real definitions.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use connector_codegen::Generator;

/// `rustfmt --check` over a crate (from its `lib.rs`, following every module not marked
/// `#[rustfmt::skip]`): the diff, empty when nothing would change.
fn rustfmt_diff(krate: &Path) -> String {
    let out = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .arg(krate.join("src/lib.rs"))
        .output()
        .expect("rustfmt (installed with the toolchain) runs");
    let diff = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() || !diff.is_empty(),
        "rustfmt failed on {}: {}",
        krate.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    diff
}

fn assert_stable(krate: &Path) {
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).expect("lib.rs");
    for module in ["pub mod types;", "pub mod operations;", "mod metadata;"] {
        assert!(
            lib.contains(module) && !lib.contains(&format!("#[rustfmt::skip]\n{module}")),
            "`{module}` is formatted by rustfmt, not skipped ({})",
            krate.display()
        );
    }
    let diff = rustfmt_diff(krate);
    assert!(
        diff.is_empty(),
        "rustfmt would change {}:\n{diff}",
        krate.display()
    );
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
    for krate in crates {
        // rustfmt --check never writes, so the checked-in crate is checked in place.
        assert_stable(&krate);
    }
}

#[test]
fn hostile_and_corpus_crates_are_rustfmt_stable() {
    let root = common::root();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut definitions = vec![root.join("tests/fixtures/hostile")];
    let corpus = std::env::var_os("CONNECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    for name in ["nexus.json", "buildomat.json", "keeper.json"] {
        let path = corpus.join("oas3").join(name);
        if path.is_file() {
            definitions.push(path);
        } else {
            eprintln!("SKIPPED: {} not found", path.display());
        }
    }
    for (i, definition) in definitions.iter().enumerate() {
        let out = dir.path().join(format!("crate{i}"));
        generate(definition, &out);
        assert_stable(&out);
    }
}
