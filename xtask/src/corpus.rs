//! `cargo xtask corpus [PATH] [--sample FILE] [--no-compile] [--scratch DIR]`: load and
//! generate every definition of a corpus of real connectors, compile the generated crates
//! in one scratch workspace, and report what failed where.
//!
//! Writes `target/corpus-report.json` and `target/corpus-report.md`; exits 0 even when some
//! definitions fail (the report says which and why).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::corpus_compile::compile_all;
use crate::corpus_report::{Entry, Report, Stage, Totals, markdown};
use anyhow::{Context, Result, bail};
use connector_codegen::Generator;

/// Options of `cargo xtask corpus`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Corpus root (default: `$CONNECTOR_CORPUS`, else `<workspace>/../shared/corpus`).
    pub root: Option<PathBuf>,
    /// A file listing definition paths (one per line, `#` comments), relative to the
    /// corpus root or absolute.
    pub sample: Option<PathBuf>,
    /// Stop after generation.
    pub no_compile: bool,
    /// Scratch workspace (default `target/corpus-scratch`).
    pub scratch: Option<PathBuf>,
}

/// Run the corpus job. Always `Ok(true)` unless the job itself could not run.
pub fn run(workspace: &Path, opts: &Options) -> Result<bool> {
    let root = opts
        .root
        .clone()
        .or_else(|| std::env::var_os("CONNECTOR_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| workspace.join("../shared/corpus"));
    if !root.exists() {
        bail!("corpus not found at {}", root.display());
    }
    let root = root.canonicalize().unwrap_or(root);
    let defs = match &opts.sample {
        Some(sample) => read_sample(&root, sample)?,
        None => {
            let mut defs = discover(&root);
            defs.extend(crate::corpus_public::discover(&root.join("public-apis")));
            defs
        }
    };
    if defs.is_empty() {
        bail!("no definitions found under {}", root.display());
    }
    let target = workspace.join("target");
    let scratch = opts
        .scratch
        .clone()
        .unwrap_or_else(|| target.join("corpus-scratch"));
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let scratch = scratch.canonicalize().unwrap_or(scratch);
    let runtime = workspace
        .join("crates/connector-runtime")
        .canonicalize()
        .context("locating crates/connector-runtime")?;

    eprintln!(
        "corpus: {} definitions under {}",
        defs.len(),
        root.display()
    );
    let start = Instant::now();
    let mut entries = generate_all(&root, &defs, &scratch, &runtime.to_string_lossy());
    let load_generate_seconds = start.elapsed().as_secs_f64();
    eprintln!("corpus: loaded and generated in {load_generate_seconds:.2} s");

    let mut compile_seconds = None;
    if !opts.no_compile {
        let start = Instant::now();
        compile_all(workspace, &scratch, &target, &mut entries)?;
        compile_seconds = Some(start.elapsed().as_secs_f64());
    }

    let totals = Totals {
        definitions: entries.len(),
        parsed: entries.iter().filter(|e| e.load == Stage::Ok).count(),
        generated: entries.iter().filter(|e| e.generate == Stage::Ok).count(),
        compiled: entries.iter().filter(|e| e.compile == Stage::Ok).count(),
        clean: entries
            .iter()
            .filter(|e| e.compile == Stage::Ok && e.warnings == 0)
            .count(),
    };
    let report = Report {
        root: root.display().to_string(),
        compiled: !opts.no_compile,
        totals: totals.clone(),
        load_generate_seconds,
        compile_seconds,
        definitions: entries,
    };
    std::fs::create_dir_all(&target)?;
    let json_path = target.join("corpus-report.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&report)?)
        .with_context(|| format!("writing {}", json_path.display()))?;
    let md_path = target.join("corpus-report.md");
    std::fs::write(&md_path, markdown(&report))
        .with_context(|| format!("writing {}", md_path.display()))?;

    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            n as f64 * 100.0 / of as f64
        }
    };
    println!(
        "definitions {} | parsed {} ({:.1}%) | generated {} ({:.1}% of parsed) | compiled {} | clean {} ({:.1}% of generated)",
        totals.definitions,
        totals.parsed,
        pct(totals.parsed, totals.definitions),
        totals.generated,
        pct(totals.generated, totals.parsed),
        totals.compiled,
        totals.clean,
        pct(totals.clean, totals.generated),
    );
    println!("report: {} and {}", json_path.display(), md_path.display());
    Ok(true)
}

/// Every definition under `root`: folders holding `apiDefinition.swagger.json`, and
/// OpenAPI / Swagger documents directly inside a folder named `oas3`. Sorted.
pub fn discover(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let in_oas3 = dir.file_name().is_some_and(|n| n == "oas3");
        if dir.join("apiDefinition.swagger.json").is_file() {
            out.push(dir.clone());
        }
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if in_oas3 && is_openapi_document(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Files of the corpus that look like definitions but are test fixtures, not APIs.
const NOT_DEFINITIONS: &[&str] = &["param-overrides.yaml"];

/// A `.json` / `.yaml` / `.yml` file whose start declares `openapi` or `swagger`.
pub fn is_openapi_document(path: &Path) -> bool {
    if path
        .file_name()
        .is_some_and(|n| NOT_DEFINITIONS.iter().any(|d| n == *d))
    {
        return false;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "json" | "yaml" | "yml") {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(4096);
    let _ = std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head);
    let head = String::from_utf8_lossy(&head);
    ["\"openapi\"", "\"swagger\"", "openapi:", "swagger:"]
        .iter()
        .any(|k| head.contains(k))
}

fn read_sample(root: &Path, sample: &Path) -> Result<Vec<PathBuf>> {
    let text =
        std::fs::read_to_string(sample).with_context(|| format!("reading {}", sample.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let p = PathBuf::from(l);
            if p.is_absolute() { p } else { root.join(p) }
        })
        .collect())
}

/// The deterministic crate name of definition number `index` (1-based).
fn scratch_crate_name(index: usize, def: &Path) -> String {
    let stem = if def.is_dir() {
        def.file_name()
    } else {
        def.file_stem()
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_default();
    let kebab = connector_codegen::names::crate_name(&stem);
    let kebab: String = kebab
        .trim_start_matches("connector-")
        .chars()
        .take(40)
        .collect();
    let kebab = kebab.trim_end_matches('-');
    if kebab.is_empty() || kebab == "connector" {
        format!("c{index:04}")
    } else {
        format!("c{index:04}-{kebab}")
    }
}

/// Load and generate every definition on every core; write each crate into `scratch`.
fn generate_all(root: &Path, defs: &[PathBuf], scratch: &Path, runtime: &str) -> Vec<Entry> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Entry>>> = Mutex::new(vec![None; defs.len()]);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let progress = crate::progress::bar("generate", defs.len());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(def) = defs.get(i) else { break };
                    let entry = process(root, i + 1, def, scratch, runtime);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(entry);
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

fn process(root: &Path, index: usize, def: &Path, scratch: &Path, runtime: &str) -> Entry {
    let crate_name = scratch_crate_name(index, def);
    let mut entry = Entry {
        path: def
            .strip_prefix(root)
            .unwrap_or(def)
            .to_string_lossy()
            .into_owned(),
        crate_name: crate_name.clone(),
        load: Stage::Failed,
        generate: Stage::Skipped,
        compile: Stage::Skipped,
        load_warnings: 0,
        kinds: Default::default(),
        operations: 0,
        warnings: 0,
        error: None,
        first_compile_error: None,
        first_warning: None,
        load_ms: 0.0,
        generate_ms: 0.0,
        generated_bytes: 0,
    };
    let t = Instant::now();
    let loaded = connector_spec::load(def);
    entry.load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            entry.error = Some(match e.primary() {
                Some(d) => d.to_string(),
                None => e.to_string(),
            });
            return entry;
        }
    };
    entry.load = Stage::Ok;
    entry.load_warnings = loaded.diagnostics.len();
    entry.kinds = crate::corpus_public::Kinds::count(&loaded.diagnostics);
    entry.operations = loaded.connector.operations.len();
    let t = Instant::now();
    let generated = Generator::new()
        .crate_name(&crate_name)
        .runtime_path(runtime)
        .generate(&loaded.connector);
    entry.generate_ms = t.elapsed().as_secs_f64() * 1000.0;
    drop(loaded);
    let generated = match generated {
        Ok(g) => g,
        Err(e) => {
            entry.generate = Stage::Failed;
            entry.error = Some(format!("generate: {e}"));
            return entry;
        }
    };
    entry.crate_name = generated.name.clone();
    entry.generated_bytes = generated.files.iter().map(|f| f.contents.len()).sum();
    match generated.write_to(&scratch.join(&generated.name)) {
        Ok(()) => entry.generate = Stage::Ok,
        Err(e) => {
            entry.generate = Stage::Failed;
            entry.error = Some(format!("write: {e}"));
        }
    }
    entry
}
