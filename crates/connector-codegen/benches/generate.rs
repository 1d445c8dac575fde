//! Generator micro benchmarks: `Generator::generate` (model → formatted crate in memory) for
//! our specs and, when the corpus is present (`$CONNECTOR_CORPUS`, else `../shared/corpus`),
//! nexus.json and GitHub's document.

use std::path::{Path, PathBuf};

use connector_codegen::Generator;
use criterion::{Criterion, criterion_group, criterion_main};

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
    for name in ["oas3/nexus.json", "oas3/api.github.com.json"] {
        let path = corpus.join(name);
        if path.exists() {
            out.push((name.to_owned(), path));
        } else {
            eprintln!("SKIPPED {name}: not found at {}", path.display());
        }
    }
    out
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for (name, path) in inputs() {
        let Ok(loaded) = connector_spec::load(&path) else {
            eprintln!("SKIPPED {name}: does not load");
            continue;
        };
        let generator = Generator::new().crate_name("bench-client");
        group.bench_function(&name, |b| {
            b.iter(|| {
                generator
                    .generate(std::hint::black_box(&loaded.connector))
                    .expect("generates")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
