//! `cargo xtask lint-corpus [--spectral]`: lints every Power Platform definition of the
//! corpus in one process and writes target/lint-report.{md,json} with findings per rule;
//! with `--spectral`, also runs the pinned Spectral CLI (`spectral:oas`) on a fixed
//! sample and compares time per document and rule coverage.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use connector_lint::{Linter, RULES, Severity};
use serde::Serialize;

/// Options of `lint-corpus`.
pub struct Options {
    /// Corpus root (default: $CONNECTOR_CORPUS, else ../shared/corpus beside the workspace).
    pub root: Option<PathBuf>,
    /// Also run Spectral on a sample.
    pub spectral: bool,
    /// Sample size for the Spectral comparison.
    pub sample: usize,
}

/// Our rules' nearest `spectral:oas` counterparts; rules not listed have none.
const COUNTERPARTS: &[(&str, &str)] = &[
    ("contact-missing", "info-contact"),
    ("operation-id-missing", "operation-operationId"),
    ("operation-id-duplicate", "operation-operationId-unique"),
    ("operation-description-missing", "operation-description"),
    (
        "https-only",
        "oas2-api-schemes / oas3-api-servers (presence only, not https)",
    ),
];

#[derive(Debug, Default, Serialize)]
struct RuleRow {
    severity: &'static str,
    findings: usize,
    definitions: usize,
}

#[derive(Debug, Serialize)]
struct Comparison {
    documents: usize,
    ours_ms_per_document: f64,
    spectral_ms_per_document: f64,
    ratio: f64,
    spectral_results_by_code: BTreeMap<String, usize>,
    ours_findings: usize,
}

#[derive(Debug, Serialize)]
struct Report {
    definitions: usize,
    loaded: usize,
    load_failures: Vec<String>,
    seconds: f64,
    errors: usize,
    warnings: usize,
    infos: usize,
    definitions_without_errors: usize,
    rules: BTreeMap<&'static str, RuleRow>,
    spectral: Option<Comparison>,
}

fn corpus_root(workspace: &Path, root: Option<PathBuf>) -> PathBuf {
    root.or_else(|| std::env::var_os("CONNECTOR_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| workspace.join("../shared/corpus"))
}

/// Runs the corpus lint (and the comparison); `Ok(false)` when the corpus is missing.
pub fn run(workspace: &Path, opts: &Options) -> Result<bool> {
    let root = corpus_root(workspace, opts.root.clone()).join("power-platform");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED: no corpus at {} (set CONNECTOR_CORPUS)",
            root.display()
        );
        return Ok(true);
    }
    let defs = crate::corpus::discover(&root);
    let linter = Linter::new().locate(false);
    let started = Instant::now();
    let mut report = Report {
        definitions: defs.len(),
        loaded: 0,
        load_failures: Vec::new(),
        seconds: 0.0,
        errors: 0,
        warnings: 0,
        infos: 0,
        definitions_without_errors: 0,
        rules: RULES
            .iter()
            .map(|r| {
                let row = RuleRow {
                    severity: r.severity.as_str(),
                    ..RuleRow::default()
                };
                (r.id, row)
            })
            .collect(),
        spectral: None,
    };
    let mut loaded = Vec::new();
    let progress = crate::progress::bar("lint", defs.len());
    for def in &defs {
        progress.inc(1);
        match linter.lint_path(def) {
            Ok(r) => {
                report.loaded += 1;
                loaded.push(def.clone());
                let mut seen: Vec<&str> = Vec::new();
                for f in &r.findings {
                    match f.severity {
                        Severity::Error => report.errors += 1,
                        Severity::Warning => report.warnings += 1,
                        Severity::Info => report.infos += 1,
                    }
                    if let Some(row) = report.rules.get_mut(f.rule) {
                        row.findings += 1;
                        if !seen.contains(&f.rule) {
                            row.definitions += 1;
                            seen.push(f.rule);
                        }
                    }
                }
                if !r.findings.iter().any(|f| f.severity == Severity::Error) {
                    report.definitions_without_errors += 1;
                }
            }
            Err(e) => report.load_failures.push(format!(
                "{}: {e}",
                def.strip_prefix(&root).unwrap_or(def).display()
            )),
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    progress.finish_and_clear();
    if opts.spectral {
        report.spectral = spectral(workspace, &loaded, opts.sample)?;
    }
    let target = workspace.join("target");
    std::fs::create_dir_all(&target)?;
    let json_path = target.join("lint-report.json");
    let md_path = target.join("lint-report.md");
    std::fs::write(&json_path, serde_json::to_string_pretty(&report)?)?;
    std::fs::write(&md_path, markdown(&report))?;
    println!(
        "linted {} definitions ({} loaded) in {:.2} s: {} errors, {} warnings, {} info",
        report.definitions,
        report.loaded,
        report.seconds,
        report.errors,
        report.warnings,
        report.infos
    );
    if let Some(c) = &report.spectral {
        println!(
            "spectral: {:.1} ms/document, ours {:.2} ms/document ({:.0}x) on {} documents",
            c.spectral_ms_per_document, c.ours_ms_per_document, c.ratio, c.documents
        );
    }
    println!("report: {} and {}", md_path.display(), json_path.display());
    Ok(true)
}

/// Every `len / n`-th definition: a fixed, spread-out sample.
fn sample(defs: &[PathBuf], n: usize) -> Vec<PathBuf> {
    let step = (defs.len() / n.max(1)).max(1);
    defs.iter().step_by(step).take(n).cloned().collect()
}

fn tool_present(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs the pinned Spectral CLI into target/spectral with `npm ci`.
fn install_spectral(workspace: &Path) -> Result<PathBuf> {
    crate::npm_tool::install_pinned(
        workspace,
        "spectral",
        "@stoplight/spectral-cli",
        "node_modules/.bin/spectral",
    )
}

/// The definition file of a corpus entry.
fn definition_file(def: &Path) -> PathBuf {
    if def.is_dir() {
        def.join("apiDefinition.swagger.json")
    } else {
        def.to_path_buf()
    }
}

fn spectral(workspace: &Path, loaded: &[PathBuf], n: usize) -> Result<Option<Comparison>> {
    if !tool_present("node") || !tool_present("npm") {
        eprintln!("\n*** SKIPPED: node/npm not found; no Spectral comparison ***\n");
        return Ok(None);
    }
    let bin = install_spectral(workspace)?;
    let docs = sample(loaded, n);
    let files: Vec<PathBuf> = docs.iter().map(|d| definition_file(d)).collect();

    let linter = Linter::new();
    let mut ours = Duration::ZERO;
    let mut ours_findings = 0;
    for d in &docs {
        let t = Instant::now();
        let r = linter.lint_path(d);
        ours += t.elapsed();
        ours_findings += r.map_or(0, |r| r.findings.len());
    }

    let ruleset = workspace.join("tools/spectral/.spectral.yaml");
    // Node truncates large piped output at exit: Spectral writes its results to a file.
    let results_file = workspace.join("target/spectral/results.json");
    let _ = std::fs::remove_file(&results_file);
    let started = Instant::now();
    let out = Command::new(&bin)
        .arg("lint")
        .arg("--ruleset")
        .arg(&ruleset)
        .args(["--format", "json", "--quiet", "--output"])
        .arg(&results_file)
        .args(&files)
        .output()
        .context("running spectral")?;
    let spectral_time = started.elapsed();
    let text = std::fs::read(&results_file).unwrap_or_default();
    let results: serde_json::Value = serde_json::from_slice(&text).with_context(|| {
        format!(
            "spectral output is not JSON: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for r in results.as_array().into_iter().flatten() {
        let code = r["code"].as_str().unwrap_or("?").to_owned();
        *by_code.entry(code).or_default() += 1;
    }
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / docs.len().max(1) as f64;
    let (o, s) = (per(ours), per(spectral_time));
    Ok(Some(Comparison {
        documents: docs.len(),
        ours_ms_per_document: o,
        spectral_ms_per_document: s,
        ratio: if o > 0.0 { s / o } else { 0.0 },
        spectral_results_by_code: by_code,
        ours_findings,
    }))
}

fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Lint report: Power Platform corpus\n\n{} definitions, {} loaded, {} failed to load; \
         linted in {:.2} s in one process.\n\n{} errors, {} warnings, {} info; {} definitions \
         without errors.\n",
        r.definitions,
        r.loaded,
        r.load_failures.len(),
        r.seconds,
        r.errors,
        r.warnings,
        r.infos,
        r.definitions_without_errors
    );
    let _ = writeln!(
        out,
        "## Findings per rule\n\n| Rule | Severity | Findings | Definitions | Spectral counterpart |\n|---|---|---|---|---|"
    );
    for (id, row) in &r.rules {
        let counterpart = COUNTERPARTS
            .iter()
            .find(|(ours, _)| ours == id)
            .map_or("none", |(_, theirs)| theirs);
        let _ = writeln!(
            out,
            "| `{id}` | {} | {} | {} | {counterpart} |",
            row.severity, row.findings, row.definitions
        );
    }
    if let Some(c) = &r.spectral {
        let _ = writeln!(
            out,
            "\n## Spectral comparison\n\nSame {} documents, one run: `spectral lint` (`spectral:oas`, one \
             process for all documents, Node start-up included once) and `connector-gen lint` \
             (in process, with line:column).\n\n| | ms per document | findings |\n|---|---|---|\n\
             | connector-gen lint | {:.2} | {} |\n| spectral:oas | {:.1} | {} |\n\nSpeed-up: {:.0}x.\n",
            c.documents,
            c.ours_ms_per_document,
            c.ours_findings,
            c.spectral_ms_per_document,
            c.spectral_results_by_code.values().sum::<usize>(),
            c.ratio
        );
        let _ = writeln!(
            out,
            "Spectral results by rule:\n\n| Spectral rule | Results |\n|---|---|"
        );
        let mut codes: Vec<_> = c.spectral_results_by_code.iter().collect();
        codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (code, n) in codes {
            let _ = writeln!(out, "| `{code}` | {n} |");
        }
    }
    if !r.load_failures.is_empty() {
        let _ = writeln!(out, "\n## Failed to load\n");
        for f in &r.load_failures {
            let _ = writeln!(out, "- {}", f.replace('\n', " "));
        }
    }
    out
}
