//! Lint over the corpus of real definitions (when present; honours CONNECTOR_CORPUS):
//! no definition makes the linter panic, and exactly the definitions `generate` cannot
//! load fail to load for `lint`.

mod common;

use std::path::{Path, PathBuf};

use connector_lint::Linter;
use connector_spec::Loader;

fn corpus_root() -> PathBuf {
    match std::env::var_os("CONNECTOR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

#[test]
fn lint_loads_what_generate_loads_and_never_panics() {
    let root = corpus_root().join("power-platform");
    if !root.is_dir() {
        common::skip(
            "lint_loads_what_generate_loads_and_never_panics",
            &format!("no corpus at {} (set CONNECTOR_CORPUS)", root.display()),
        );
        return;
    }
    let defs = connector_lint::catalog::discover(&root);
    assert!(defs.len() > 800, "only {} definitions", defs.len());
    let counting = Linter::new().locate(false);
    let locating = Linter::new();
    let mut lint_failures = Vec::new();
    let mut load_failures = Vec::new();
    let mut findings = 0;
    for (i, def) in defs.iter().enumerate() {
        if Loader::new().load(def).is_err() {
            load_failures.push(def.clone());
        }
        // Every definition is linted; every 25th also with line:column located.
        let linter = if i % 25 == 0 { &locating } else { &counting };
        match linter.lint_path(def) {
            Ok(r) => findings += r.findings.len(),
            Err(_) => lint_failures.push(def.clone()),
        }
    }
    assert_eq!(lint_failures, load_failures);
    assert!(findings > 1000, "only {findings} findings over the corpus");
}
