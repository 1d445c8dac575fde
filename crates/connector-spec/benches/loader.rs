//! Loader micro benchmarks: our own specs, and corpus documents when the corpus is present
//! (`$CONNECTOR_CORPUS`, else `../shared/corpus`).

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

/// Our specs, and the corpus documents that exist (a loud note for each one missing).
fn inputs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = vec![
        (
            "spec/contoso-sales".to_owned(),
            root.join("specs/contoso-sales"),
        ),
        (
            "spec/acme-tickets".to_owned(),
            root.join("specs/acme-tickets"),
        ),
    ];
    let corpus = std::env::var_os("CONNECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    for (name, rel) in [
        ("oas3/nexus.json", "oas3/nexus.json"),
        ("oas3/api.github.com.json", "oas3/api.github.com.json"),
        (
            "power-platform/Entersoft",
            "power-platform/certified-connectors/Entersoft",
        ),
    ] {
        let path = corpus.join(rel);
        if path.exists() {
            out.push((name.to_owned(), path));
        } else {
            eprintln!("SKIPPED {name}: not found at {}", path.display());
        }
    }
    out
}

fn loader(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (name, path) in inputs() {
        if connector_spec::load(&path).is_err() {
            eprintln!("SKIPPED {name}: does not load");
            continue;
        }
        group.bench_function(&name, |b| {
            b.iter(|| connector_spec::load(std::hint::black_box(&path)).expect("loads"))
        });
    }
    group.finish();
}

criterion_group!(benches, loader);
criterion_main!(benches);
