//! `connector-gen diff` over the real connector history (../shared/history: 250
//! before/after pairs): every side that loads for `generate` loads for `diff`, and no
//! pair panics. Skips loudly when the history is absent.

mod common;

use std::path::{Path, PathBuf};

use connector_diff::{Bump, Side};

fn history_root() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CONNECTOR_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let corpus = std::env::var_os("CONNECTOR_CORPUS").map(PathBuf::from);
    let shared = match corpus.as_deref().and_then(Path::parent) {
        Some(parent) => parent.to_path_buf(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    let root = shared.join("history");
    root.is_dir().then_some(root)
}

#[test]
fn every_pair_that_loads_for_generate_is_diffed() {
    let Some(root) = history_root() else {
        common::skip(
            "every_pair_that_loads_for_generate_is_diffed",
            "no connector history (set CONNECTOR_HISTORY)",
        );
        return;
    };
    let mut pairs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("history readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("before").is_dir())
        .collect();
    pairs.sort();
    assert!(
        pairs.len() >= 200,
        "expected the 250 pairs, found {}",
        pairs.len()
    );
    let mut failures = Vec::new();
    let mut diffed = 0;
    for pair in &pairs {
        let (before, after) = (pair.join("before"), pair.join("after"));
        let generate_loads = |p: &Path| connector_spec::Loader::new().load(p).is_ok();
        if !(generate_loads(&before) && generate_loads(&after)) {
            continue;
        }
        match (Side::load(&before), Side::load(&after)) {
            (Ok(old), Ok(new)) => {
                let r = connector_diff::diff(&old, &new);
                let s = r.summary;
                if s.breaking + s.additive + s.patch != r.changes.len()
                    || (r.changes.is_empty() != (r.semver == Bump::None))
                {
                    failures.push(format!("{}: inconsistent report", pair.display()));
                }
                diffed += 1;
            }
            _ => failures.push(format!(
                "{}: loads for generate, not for diff",
                pair.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(diffed >= 240, "only {diffed} pairs diffed");
}
