//! `cargo xtask history`: runs `connector-gen diff` over every before/after pair of real
//! connector definitions (../shared/history), optionally cross-checks our semver bump with
//! cargo-semver-checks on the two generated crates, and writes
//! target/history-report.{json,md}.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use connector_diff::{Bump, Side};
use serde::Serialize;

/// Options of `cargo xtask history`.
pub struct Options {
    /// History root (default: $CONNECTOR_HISTORY, else ../shared/history beside the workspace).
    pub root: Option<PathBuf>,
    /// Also run cargo-semver-checks on the generated crates of each pair.
    pub semver_checks: bool,
    /// With `semver_checks`: only the first N pairs.
    pub limit: Option<usize>,
    /// With `semver_checks`: only these pairs (folder names).
    pub only: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PairReport {
    pair: String,
    subject: String,
    commit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    semver: Option<Bump>,
    breaking: usize,
    additive: usize,
    patch: usize,
    revision_findings: usize,
    kinds: BTreeMap<String, usize>,
    rules: BTreeMap<String, usize>,
    diff_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    semver_checks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ours_smaller: Option<bool>,
}

#[derive(Debug, Serialize)]
struct Report {
    pairs: usize,
    load_failures: usize,
    total_diff_seconds: f64,
    semver: BTreeMap<String, usize>,
    changes_by_kind: BTreeMap<String, usize>,
    findings_by_rule: BTreeMap<String, usize>,
    semver_checked: usize,
    ours_smaller: usize,
    results: Vec<PairReport>,
}

fn name_of<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Runs the history check; `Ok(false)` when our bump is smaller than
/// cargo-semver-checks' on a pair.
pub fn run(ws: &Path, opts: &Options) -> Result<bool> {
    let root = opts
        .root
        .clone()
        .or_else(|| std::env::var_os("CONNECTOR_HISTORY").map(PathBuf::from))
        .unwrap_or_else(|| ws.join("../shared/history"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .with_context(|| format!("reading {}", root.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("before").is_dir() && p.join("after").is_dir())
        .collect();
    dirs.sort();
    // Pairs are independent: diff them on every core (the whole run must stay under 10 s).
    let started = Instant::now();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<PairReport>> = Vec::new();
    slots.resize_with(dirs.len(), || None);
    let slots = std::sync::Mutex::new(slots);
    let progress = crate::progress::bar("diff", dirs.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(dir) = dirs.get(i) else { break };
                    let (r, _) = diff_pair(dir);
                    if let Ok(mut slots) = slots.lock() {
                        slots[i] = Some(r);
                    }
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    let total = started.elapsed();
    let mut results: Vec<PairReport> = slots
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a diff worker panicked"))?
        .into_iter()
        .flatten()
        .collect();
    if opts.semver_checks {
        let scratch = ws.join("target/history");
        let runtime = ws.join("crates/connector-runtime");
        let limit = opts.limit.unwrap_or(usize::MAX);
        let chosen = dirs
            .iter()
            .zip(results.iter_mut())
            .filter(|(_, r)| opts.only.is_empty() || opts.only.contains(&r.pair));
        for (dir, r) in chosen.take(limit) {
            if r.error.is_some() {
                continue;
            }
            let theirs = semver_checks(
                dir,
                &scratch.join(&r.pair),
                &runtime,
                &scratch.join("target"),
            );
            match theirs {
                Ok(theirs) => {
                    r.ours_smaller = Some(r.semver.unwrap_or(Bump::None) < theirs);
                    r.semver_checks = Some(theirs.as_str().to_string());
                }
                Err(e) => r.semver_checks = Some(format!("error: {e:#}")),
            }
            eprintln!(
                "{}: ours {} cargo-semver-checks {}",
                r.pair,
                r.semver.map(Bump::as_str).unwrap_or("-"),
                r.semver_checks.as_deref().unwrap_or("-")
            );
        }
    }
    let report = summarize(results, total);
    let target = ws.join("target");
    std::fs::create_dir_all(&target)?;
    std::fs::write(
        target.join("history-report.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    std::fs::write(target.join("history-report.md"), markdown(&report))?;
    println!(
        "{} pairs diffed in {:.2} s; {} failed to load; {} cross-checked, ours smaller on {}; wrote target/history-report.{{json,md}}",
        report.pairs,
        report.total_diff_seconds,
        report.load_failures,
        report.semver_checked,
        report.ours_smaller
    );
    // A pair that does not load fails `generate` the same way (one loader): it is reported,
    // not a failure of the diff.
    Ok(report.ours_smaller == 0)
}

fn diff_pair(dir: &Path) -> (PairReport, Duration) {
    let meta: serde_json::Value = std::fs::read(dir.join("meta.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let field = |k: &str| {
        meta.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let mut r = PairReport {
        pair: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        subject: field("subject"),
        commit: field("commit"),
        error: None,
        semver: None,
        breaking: 0,
        additive: 0,
        patch: 0,
        revision_findings: 0,
        kinds: BTreeMap::new(),
        rules: BTreeMap::new(),
        diff_ms: 0.0,
        semver_checks: None,
        ours_smaller: None,
    };
    let start = Instant::now();
    let sides =
        Side::load(&dir.join("before")).and_then(|o| Ok((o, Side::load(&dir.join("after"))?)));
    match sides {
        Err(e) => r.error = Some(e.to_string()),
        Ok((old, new)) => {
            let d = connector_diff::diff(&old, &new);
            r.semver = Some(d.semver);
            r.breaking = d.summary.breaking;
            r.additive = d.summary.additive;
            r.patch = d.summary.patch;
            r.revision_findings = d.revision_findings.len();
            for c in &d.changes {
                *r.kinds.entry(name_of(c.kind)).or_default() += 1;
            }
            for f in &d.revision_findings {
                *r.rules.entry(name_of(f.rule)).or_default() += 1;
            }
        }
    }
    let took = start.elapsed();
    r.diff_ms = took.as_secs_f64() * 1000.0;
    (r, took)
}

fn summarize(results: Vec<PairReport>, total: Duration) -> Report {
    let mut report = Report {
        pairs: results.len(),
        load_failures: results.iter().filter(|r| r.error.is_some()).count(),
        total_diff_seconds: total.as_secs_f64(),
        semver: BTreeMap::new(),
        changes_by_kind: BTreeMap::new(),
        findings_by_rule: BTreeMap::new(),
        semver_checked: results.iter().filter(|r| r.ours_smaller.is_some()).count(),
        ours_smaller: results
            .iter()
            .filter(|r| r.ours_smaller == Some(true))
            .count(),
        results: Vec::new(),
    };
    for r in &results {
        let bump = r.semver.map(Bump::as_str).unwrap_or("load error");
        *report.semver.entry(bump.to_string()).or_default() += 1;
        for (k, n) in &r.kinds {
            *report.changes_by_kind.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &r.rules {
            *report.findings_by_rule.entry(k.clone()).or_default() += n;
        }
    }
    report.results = results;
    report
}

fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# connector-gen diff over the connector history\n");
    let _ = writeln!(
        out,
        "{} pairs, diffed in {:.2} s; {} failed to load; cross-checked with cargo-semver-checks: {}, ours smaller: {}.\n",
        r.pairs, r.total_diff_seconds, r.load_failures, r.semver_checked, r.ours_smaller
    );
    let _ = writeln!(out, "## Bumps\n\n| bump | pairs |\n|---|---|");
    for (k, n) in &r.semver {
        let _ = writeln!(out, "| {k} | {n} |");
    }
    let _ = writeln!(out, "\n## Changes by kind\n\n| kind | changes |\n|---|---|");
    for (k, n) in &r.changes_by_kind {
        let _ = writeln!(out, "| {k} | {n} |");
    }
    let _ = writeln!(
        out,
        "\n## Revision findings\n\n| rule | findings |\n|---|---|"
    );
    for (k, n) in &r.findings_by_rule {
        let _ = writeln!(out, "| {k} | {n} |");
    }
    let _ = writeln!(
        out,
        "\n## Pairs\n\n| pair | ours | cargo-semver-checks | breaking | additive | patch | findings | ms | subject |\n|---|---|---|---|---|---|---|---|---|"
    );
    for p in &r.results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {:.1} | {} |",
            p.pair,
            p.semver.map(Bump::as_str).unwrap_or("load error"),
            p.semver_checks.as_deref().unwrap_or("-"),
            p.breaking,
            p.additive,
            p.patch,
            p.revision_findings,
            p.diff_ms,
            p.subject.replace('|', "\\|")
        );
    }
    out
}

/// Generates both sides into `scratch/{old,new}` and asks cargo-semver-checks which bump
/// the new crate needs.
fn semver_checks(dir: &Path, scratch: &Path, runtime: &Path, target: &Path) -> Result<Bump> {
    for (side, out) in [("before", "old"), ("after", "new")] {
        let loaded = connector_spec::Loader::new().load(&dir.join(side))?;
        let generated = connector_codegen::Generator::new()
            .crate_name("history-connector")
            .runtime_path(runtime.to_string_lossy().into_owned())
            .generate(&loaded.connector)?;
        let out = scratch.join(out);
        let _ = std::fs::remove_dir_all(&out);
        generated.write_to(&out)?;
        // Stand-alone crates, not members of this workspace.
        let manifest = out.join("Cargo.toml");
        let mut toml = std::fs::read_to_string(&manifest)?;
        toml.push_str("\n[workspace]\n");
        std::fs::write(&manifest, toml)?;
    }
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--baseline-root"])
        .arg(scratch.join("old"))
        .arg("--manifest-path")
        .arg(scratch.join("new/Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .context("running cargo semver-checks")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if text.contains("new major version") {
        Ok(Bump::Major)
    } else if text.contains("new minor version") {
        Ok(Bump::Minor)
    } else if output.status.success() {
        Ok(Bump::None)
    } else {
        anyhow::bail!(
            "{}",
            text.lines().rev().take(5).collect::<Vec<_>>().join(" / ")
        )
    }
}
