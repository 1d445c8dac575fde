//! `cargo xtask bench [--quick] [--only SECTIONS]`: this project beside its peers, in one
//! run, as ratios.
//!
//! - generation: whole-process wall time and peak RSS of `connector-gen generate` vs
//!   progenitor 0.15 (builder and positional style, `xtask/bench-peer`), runs alternating;
//! - compile: `cargo check` / `cargo build --release` of the generated crates and of an
//!   all-operations binary per client, `CARGO_INCREMENTAL=0`, only the measured crate rebuilt;
//! - runtime: a generated client vs raw reqwest against a loopback server, in pairs of runs
//!   back to back (alternating which goes first); ratios are the median of the pairs';
//! - paging: peak RSS streaming 100k vs 1M items;
//! - micro: the criterion benches of the library crates (not with `--quick`).
//!
//! Prints a markdown table and writes `target/bench-report.json`.

mod allops;
pub mod child;
mod compile;
mod large;
mod report;
mod report_tables;
mod runtime;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use serde::Serialize;

use child::ProcessStats;
pub use runtime::LoadRow;

/// A part of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Generation time and memory.
    Generation,
    /// Compile time of generated code (nexus.json beside progenitor, and the large clients).
    Compile,
    /// The large clients alone (GitHub, OpenAI, DigitalOcean): part of `compile`.
    Large,
    /// Requests per second and latency.
    Runtime,
    /// Paging memory.
    Paging,
    /// Criterion micro benchmarks.
    Micro,
}

/// The binaries a run measures.
struct Tools {
    /// Release build of xtask (the measuring wrapper and the runtime children).
    xtask: PathBuf,
    /// Release build of connector-gen.
    ours: PathBuf,
    /// Release build of `progenitor-gen` (xtask/bench-peer).
    peer: PathBuf,
}

/// Settings derived from `--quick`.
struct Plan {
    quick: bool,
    gen_runs: usize,
    compile_runs: usize,
    /// Pairs of load runs per concurrency (the two clients back to back).
    load_runs: usize,
    /// Measured seconds of each load run (after a warm-up of a quarter of it).
    load_seconds: f64,
}

/// Run the benchmark; `Ok(true)` when it ran (targets missed are reported, not failures).
pub fn run(root: &Path, quick: bool, only: &[Section]) -> Result<bool> {
    let plan = Plan {
        quick,
        gen_runs: if quick { 3 } else { 11 },
        compile_runs: if quick { 1 } else { 3 },
        // 10 pairs of 2 s (+0.5 s warm-up) at 1, 64 and 256 in flight: ~2.6 minutes.
        load_runs: if quick { 2 } else { 10 },
        load_seconds: if quick { 1.0 } else { 2.0 },
    };
    let wants = |s: Section| only.is_empty() || only.contains(&s);
    let corpus = std::env::var_os("CONNECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let target = root.join("target");
    let scratch = target.join("bench-scratch");
    std::fs::create_dir_all(&scratch)?;

    // progenitor is built only for the sections comparing with it.
    let tools = build_tools(root, wants(Section::Generation) || wants(Section::Compile))?;
    let mut report = report::Report::new(quick);

    if wants(Section::Generation) {
        // What earlier runs (or versions of this bench) left of the corpus output, gone
        // before the rows that come first rather than right before the corpus row (see
        // `corpus_generation`).
        remove_corpus_outputs(&scratch);
        if corpus.join("oas3").is_dir() {
            report.generation = generation(&tools, &corpus, &scratch, &plan)?;
            report.corpus_generation = corpus_generation(&tools, &corpus, &scratch)?;
        } else {
            eprintln!(
                "bench: SKIPPED generation: corpus not found at {} (set CONNECTOR_CORPUS)",
                corpus.display()
            );
        }
    }
    if wants(Section::Runtime) || wants(Section::Paging) {
        let bench_runtime = runtime::build_bench_runtime(root, &tools, &scratch)?;
        let server = runtime::Server::start(&bench_runtime)?;
        if wants(Section::Runtime) {
            (report.runtime, report.runtime_pairs) =
                runtime::runtime(&bench_runtime, &server.url, &plan)?;
        }
        if wants(Section::Paging) {
            report.paging = runtime::paging(&bench_runtime, &server.url)?;
        }
    }
    // The report so far is written after every section: a long run stopped midway keeps
    // what it measured.
    save(&mut report, &target)?;
    if wants(Section::Compile) {
        let doc = corpus.join("oas3/nexus.json");
        if doc.is_file() {
            report.compile = compile::run(root, &tools, &doc, &scratch, plan.compile_runs)?;
            save(&mut report, &target)?;
        } else {
            eprintln!("bench: SKIPPED compile: {} not found", doc.display());
        }
    }
    if wants(Section::Compile) || only.contains(&Section::Large) {
        report.large = large::run(root, &tools, &corpus, &scratch, plan.compile_runs)?;
        save(&mut report, &target)?;
    }
    if wants(Section::Micro) && !plan.quick {
        report.micro = micro(root)?;
    }

    let markdown = save(&mut report, &target)?;
    println!("{markdown}");
    eprintln!("report: {}", target.join("bench-report.json").display());
    Ok(true)
}

/// Compute ratios and write `bench-report.json` / `bench-report.md`; returns the markdown.
fn save(report: &mut report::Report, target: &Path) -> Result<String> {
    report.finish();
    let markdown = report.markdown();
    let json = target.join("bench-report.json");
    std::fs::write(&json, serde_json::to_string_pretty(&report)?)
        .with_context(|| format!("writing {}", json.display()))?;
    std::fs::write(target.join("bench-report.md"), &markdown)?;
    Ok(markdown)
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.env("CARGO_TERM_COLOR", "never");
    c
}

fn run_ok(cmd: &mut Command, what: &str) -> Result<()> {
    let status = cmd.status().with_context(|| format!("running {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn build_tools(root: &Path, with_peer: bool) -> Result<Tools> {
    eprintln!("bench: building xtask and connector-gen (release)");
    run_ok(
        cargo().current_dir(root).args([
            "build",
            "--quiet",
            "--release",
            "-p",
            "xtask",
            "-p",
            "connector-gen",
        ]),
        "cargo build --release -p xtask -p connector-gen",
    )?;
    let peer_target = root.join("target/bench-peer");
    if with_peer {
        eprintln!("bench: building xtask/bench-peer (progenitor 0.15, release)");
        run_ok(
            cargo()
                .current_dir(root.join("xtask/bench-peer"))
                .env("CARGO_TARGET_DIR", &peer_target)
                .args(["build", "--quiet", "--release"]),
            "cargo build --release (xtask/bench-peer)",
        )?;
    }
    let exe = std::env::consts::EXE_SUFFIX;
    Ok(Tools {
        xtask: root.join(format!("target/release/xtask{exe}")),
        ours: root.join(format!("target/release/connector-gen{exe}")),
        peer: peer_target.join(format!("release/progenitor-gen{exe}")),
    })
}

/// Run `command` under the measuring wrapper (its own process, so peak RSS is the
/// command's alone).
fn measure(tools: &Tools, command: &[OsString]) -> Result<ProcessStats> {
    let out = Command::new(&tools.xtask)
        .args(["bench-child", "measure", "--"])
        .args(command)
        .stdin(Stdio::null())
        .output()
        .context("running the measuring wrapper")?;
    if !out.status.success() {
        bail!("{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    last_json(&out.stdout)
}

fn last_json<T: serde::de::DeserializeOwned>(stdout: &[u8]) -> Result<T> {
    let text = String::from_utf8_lossy(stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .context("child printed no result")?;
    serde_json::from_str(line).with_context(|| format!("child result {line}"))
}

/// Median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Lines of Rust under `dir/src`.
pub fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.join("src")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                total += std::fs::read_to_string(&p).map_or(0, |s| s.lines().count());
            }
        }
    }
    total
}

/// The generators compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// connector-gen.
    Ours,
    /// progenitor 0.15, builder style.
    ProgenitorBuilder,
    /// progenitor 0.15, positional style.
    ProgenitorPositional,
}

impl Tool {
    const ALL: [Tool; 3] = [
        Tool::Ours,
        Tool::ProgenitorBuilder,
        Tool::ProgenitorPositional,
    ];

    /// Label in the table.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Ours => "connector-gen",
            Tool::ProgenitorBuilder => "progenitor (builder)",
            Tool::ProgenitorPositional => "progenitor (positional)",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::ProgenitorBuilder => "prog-builder",
            Tool::ProgenitorPositional => "prog-positional",
        }
    }

    /// The command generating `doc` into `out` as crate `name`.
    fn command(
        self,
        tools: &Tools,
        doc: &Path,
        out: &Path,
        name: &str,
        runtime: &Path,
    ) -> Vec<OsString> {
        let mut c: Vec<OsString> = Vec::new();
        match self {
            Tool::Ours => {
                c.push(tools.ours.clone().into());
                c.extend(["generate".into(), doc.into(), "--out".into(), out.into()]);
                c.extend(["--crate-name".into(), name.into()]);
                c.extend(["--runtime-path".into(), runtime.into()]);
            }
            Tool::ProgenitorBuilder | Tool::ProgenitorPositional => {
                c.push(tools.peer.clone().into());
                c.extend([doc.into(), out.into(), "--crate-name".into(), name.into()]);
                let style = if self == Tool::ProgenitorBuilder {
                    "builder"
                } else {
                    "positional"
                };
                c.extend(["--style".into(), style.into()]);
            }
        }
        c
    }
}

/// One (document, generator) row of the generation benchmark.
#[derive(Debug, Clone, Serialize)]
pub struct GenRow {
    /// Document file name.
    pub doc: String,
    /// Generator.
    pub tool: Tool,
    /// Measured runs.
    pub runs: usize,
    /// Median wall time, ms.
    pub wall_ms: Option<f64>,
    /// Fastest run, ms.
    pub wall_ms_min: Option<f64>,
    /// Median peak RSS, KiB.
    pub max_rss_kb: Option<u64>,
    /// Lines of generated Rust.
    pub lines: Option<usize>,
    /// Why the generator failed on this document.
    pub error: Option<String>,
}

fn oas3_documents(corpus: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = crate::corpus::discover(&corpus.join("oas3"));
    docs.sort();
    docs
}

fn generation(tools: &Tools, corpus: &Path, scratch: &Path, plan: &Plan) -> Result<Vec<GenRow>> {
    let runtime = scratch
        .parent()
        .and_then(Path::parent)
        .map(|r| r.join("crates/connector-runtime"))
        .context("workspace root")?;
    let mut rows = Vec::new();
    for doc in oas3_documents(corpus) {
        let doc_name = doc
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = doc_name
            .split('.')
            .next()
            .unwrap_or("doc")
            .replace('_', "-");
        eprintln!("bench: generation {doc_name}");
        // A first run per generator warms the page cache and finds out who accepts it.
        let mut active = Vec::new();
        for tool in Tool::ALL {
            let out = scratch.join("gen").join(tool.slug()).join(&stem);
            let _ = std::fs::remove_dir_all(&out);
            let name = format!("{stem}-{}", tool.slug());
            match measure(tools, &tool.command(tools, &doc, &out, &name, &runtime)) {
                Ok(_) => active.push((tool, out, Vec::<ProcessStats>::new())),
                Err(e) => {
                    let first = e.to_string();
                    let lines: Vec<&str> = first.lines().collect();
                    let reason = match lines.iter().position(|l| l.contains("panicked at")) {
                        // The panic message is on the line after "thread … panicked at".
                        Some(i) => format!(
                            "panic: {}",
                            lines.get(i + 1).copied().unwrap_or(lines[i]).trim()
                        ),
                        None => lines.last().copied().unwrap_or("failed").trim().to_owned(),
                    };
                    let reason: String = reason.chars().take(160).collect();
                    eprintln!("bench:   {} fails: {reason}", tool.label());
                    rows.push(GenRow {
                        doc: doc_name.clone(),
                        tool,
                        runs: 0,
                        wall_ms: None,
                        wall_ms_min: None,
                        max_rss_kb: None,
                        lines: None,
                        error: Some(reason),
                    });
                }
            }
        }
        // GitHub's document: ours alone when the peer refuses it (it panics).
        for _ in 0..plan.gen_runs {
            for (tool, out, stats) in &mut active {
                let name = format!("{stem}-{}", tool.slug());
                stats.push(measure(
                    tools,
                    &tool.command(tools, &doc, out, &name, &runtime),
                )?);
            }
        }
        for (tool, out, stats) in active {
            let walls: Vec<f64> = stats.iter().map(|s| s.wall_ms).collect();
            let rss: Vec<f64> = stats.iter().map(|s| s.max_rss_kb as f64).collect();
            rows.push(GenRow {
                doc: doc_name.clone(),
                tool,
                runs: stats.len(),
                wall_ms: Some(median(&walls)),
                wall_ms_min: walls.iter().copied().reduce(f64::min),
                max_rss_kb: Some(median(&rss) as u64),
                lines: Some(rust_lines(&out)),
                error: None,
            });
        }
    }
    rows.sort_by_key(|r| (r.doc.clone(), r.tool as u8));
    Ok(rows)
}

/// Deletes every `gen-corpus*` folder under `scratch`.
fn remove_corpus_outputs(scratch: &Path) {
    for entry in std::fs::read_dir(scratch).into_iter().flatten().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("gen-corpus")
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whole Power Platform corpus, generated by us in one process (a worker thread per core).
#[derive(Debug, Clone, Serialize)]
pub struct CorpusGen {
    /// Definitions found.
    pub definitions: usize,
    /// Generated crates.
    pub generated: usize,
    /// Wall time, s.
    pub seconds: f64,
    /// Peak RSS, KiB.
    pub max_rss_kb: u64,
    /// Lines of generated Rust, all crates.
    pub lines: usize,
}

fn corpus_generation(tools: &Tools, corpus: &Path, scratch: &Path) -> Result<Option<CorpusGen>> {
    let root = corpus.join("power-platform");
    if !root.is_dir() {
        eprintln!(
            "bench: SKIPPED power-platform corpus: {} not found",
            root.display()
        );
        return Ok(None);
    }
    eprintln!(
        "bench: generation of the whole power-platform corpus (one process, a worker per core)"
    );
    // The output goes into a folder no run has used and is deleted right after it is
    // counted, never just before a timed run: on this machine's ext4 (no journal) a
    // new inode skips the ones freed in the last minutes (`recently_deleted`), so
    // deleting the previous run's ~8,300 files right before the timed run made the
    // generator's file creation scan for free inodes (system time 1.0 s -> 6.4 s, wall
    // 12.5 s -> 22.5 s, back to back on a loaded machine; docs/benchmarks.md). A
    // leftover of an interrupted run is deleted first, as early as possible.
    let out = scratch.join(format!("gen-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let cmd: Vec<OsString> = vec![
        tools.xtask.clone().into(),
        "bench-child".into(),
        "gen-corpus".into(),
        root.into(),
        out.clone().into(),
    ];
    let stats = measure(tools, &cmd)?;
    let mut lines = 0;
    let mut generated = 0;
    for e in std::fs::read_dir(&out)?.flatten() {
        lines += rust_lines(&e.path());
        generated += 1;
    }
    let definitions = crate::corpus::discover(&corpus.join("power-platform")).len();
    let _ = std::fs::remove_dir_all(&out);
    Ok(Some(CorpusGen {
        definitions,
        generated,
        seconds: stats.wall_ms / 1e3,
        max_rss_kb: stats.max_rss_kb,
        lines,
    }))
}

/// One criterion benchmark: its median estimate.
#[derive(Debug, Clone, Serialize)]
pub struct MicroRow {
    /// `group/name` as criterion stores it.
    pub name: String,
    /// Median, µs.
    pub median_us: f64,
}

fn micro(root: &Path) -> Result<Vec<MicroRow>> {
    eprintln!("bench: criterion micro benchmarks (cargo bench)");
    run_ok(
        cargo().current_dir(root).args([
            "bench",
            "-p",
            "connector-spec",
            "-p",
            "connector-codegen",
            "-p",
            "connector-runtime",
            "--bench",
            "*",
            "--",
            "--warm-up-time",
            "1",
            "--measurement-time",
            "3",
        ]),
        "cargo bench",
    )?;
    let mut rows = Vec::new();
    let base = root.join("target/criterion");
    let mut stack = vec![base.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "new") {
                    let est = p.join("estimates.json");
                    if let Ok(text) = std::fs::read_to_string(&est) {
                        let v: serde_json::Value = serde_json::from_str(&text)?;
                        if let Some(ns) = v["median"]["point_estimate"].as_f64() {
                            let name = dir
                                .strip_prefix(&base)
                                .unwrap_or(&dir)
                                .to_string_lossy()
                                .into_owned();
                            rows.push(MicroRow {
                                name,
                                median_us: ns / 1e3,
                            });
                        }
                    }
                } else if p.file_name().is_some_and(|n| n != "report" && n != "base") {
                    stack.push(p);
                }
            }
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}
