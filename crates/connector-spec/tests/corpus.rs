//! Loads every definition of the real corpus (when present).

use std::path::{Path, PathBuf};
use std::time::Instant;

use connector_spec::Loader;

/// Definitions that are ambiguous JSON (bracket imbalance, missing commas, members after
/// the root object): they must fail, with a located error.
const AMBIGUOUS: &[&str] = &[
    "CognitiveServicesTextAnalytics", // an extra `}` closes the root early
    "GIPHY",                          // members appended after the root object
    "Icon Horse",                     // one `}` misplaced
    "StabilityAI",                    // a `]` missing
    "IN-D Invoice Data Capture",      // missing comma between members
    "AccuWeather",                    // missing comma between members
    "XSOAR",                          // missing comma between members
];

fn corpus_root() -> PathBuf {
    match std::env::var_os("CONNECTOR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    }
}

fn definitions(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let pp = root.join("power-platform");
    for group in std::fs::read_dir(&pp).into_iter().flatten().flatten() {
        for conn in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if conn.path().join("apiDefinition.swagger.json").is_file() {
                out.push(conn.path());
            }
        }
    }
    for f in std::fs::read_dir(root.join("oas3"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let p = f.path();
        if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn corpus_loads() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!("SKIPPED: corpus not found at {}", root.display());
        return;
    }
    let defs = definitions(&root);
    assert!(!defs.is_empty(), "no definitions under {}", root.display());
    let loader = Loader::new();
    let start = Instant::now();
    let mut failures = Vec::new();
    let mut warnings = 0usize;
    let mut operations = 0usize;
    let mut slowest = (std::time::Duration::ZERO, PathBuf::new());
    for d in &defs {
        let t = Instant::now();
        let r = loader.load(d);
        if t.elapsed() > slowest.0 {
            slowest = (t.elapsed(), d.clone());
        }
        match r {
            Ok(l) => {
                warnings += l.diagnostics.len();
                operations += l.connector.operations.len();
            }
            Err(e) => failures.push((d.clone(), e)),
        }
    }
    eprintln!(
        "corpus: {} definitions, {} loaded, {} failed, {} operations, {} warnings, {:?}",
        defs.len(),
        defs.len() - failures.len(),
        failures.len(),
        operations,
        warnings,
        start.elapsed()
    );
    eprintln!("slowest: {} in {:?}", slowest.1.display(), slowest.0);
    let mut unexpected = Vec::new();
    for (d, e) in &failures {
        eprintln!("  {e}");
        let primary = e.primary().expect("an error diagnostic");
        assert!(
            primary.location.is_some(),
            "failure without line:column: {primary}"
        );
        let name = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !AMBIGUOUS.contains(&name.as_str()) {
            unexpected.push(name);
        }
    }
    assert!(unexpected.is_empty(), "unexpected failures: {unexpected:?}");
}
