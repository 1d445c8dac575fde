//! The child processes of `cargo xtask bench`, run from the release build of xtask so that
//! each measurement has a process of its own: a wall-clock / peak-RSS wrapper and the
//! whole-corpus generation. (The runtime benchmark's children are `xtask/bench-runtime`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::{Deserialize, Serialize};

/// Internal subcommands of `cargo xtask bench-child`.
#[derive(Debug, Subcommand)]
pub enum Child {
    /// Run a command; print its wall time and peak RSS as one JSON line.
    Measure {
        /// The command and its arguments.
        #[arg(trailing_var_arg = true, required = true)]
        command: Vec<String>,
    },
    /// Load and generate every definition under a folder, one after another, in this
    /// process (the whole-corpus generation benchmark).
    GenCorpus {
        /// Corpus folder (e.g. ../shared/corpus/power-platform).
        root: PathBuf,
        /// Output folder: one crate per definition.
        out: PathBuf,
    },
}

/// The client a load run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadClient {
    /// The generated `contoso-sales` client (`get_invoice`).
    Generated,
    /// reqwest alone: the same GET, the same body decoded into the same type.
    Reqwest,
}

/// One measured process.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ProcessStats {
    /// Wall time from spawn to exit, ms.
    pub wall_ms: f64,
    /// Peak resident set size, KiB (0 where unknown).
    pub max_rss_kb: u64,
}

/// One load run (printed by `bench-runtime load`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LoadStats {
    /// Completed requests in the measured window.
    pub requests: u64,
    /// Requests per second.
    pub rps: f64,
    /// Mean latency, µs.
    pub mean_us: f64,
    /// Median latency, µs.
    pub p50_us: f64,
    /// 99th percentile latency, µs.
    pub p99_us: f64,
    /// Heap allocations per request (the bench binary's counting allocator).
    #[serde(default)]
    pub allocs_per_request: f64,
    /// Bytes allocated per request.
    #[serde(default)]
    pub alloc_bytes_per_request: f64,
    /// CPU time (user + sys) of the client process per request, µs.
    #[serde(default)]
    pub cpu_us_per_request: f64,
    /// Of which in the kernel (sys), µs.
    #[serde(default)]
    pub cpu_sys_us_per_request: f64,
    /// Context switches of the client process (all threads) per request.
    #[serde(default)]
    pub context_switches_per_request: f64,
    /// Size of one call's future, bytes (what each `.await` level moves).
    #[serde(default)]
    pub future_bytes: u64,
}

/// One paging run (printed by `bench-runtime page`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct PageStats {
    /// Items received.
    pub items: u64,
    /// Seconds to stream them.
    pub seconds: f64,
    /// Peak RSS of the process, KiB.
    pub max_rss_kb: u64,
}

/// Run one child job.
pub fn run(child: Child) -> Result<()> {
    match child {
        Child::Measure { command } => measure(&command),
        Child::GenCorpus { root, out } => gen_corpus(&root, &out),
    }
}

/// Peak RSS in KiB of the largest waited-for child (this wrapper waits for one).
#[cfg(unix)]
fn children_peak_rss_kb() -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    // ru_maxrss is in KiB on Linux.
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or(0, |u| u64::try_from(u.max_rss()).unwrap_or(0))
}

#[cfg(not(unix))]
fn children_peak_rss_kb() -> u64 {
    0
}

fn measure(command: &[String]) -> Result<()> {
    let (program, args) = command.split_first().context("no command")?;
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {program}"))?;
    let wall_ms = start.elapsed().as_secs_f64() * 1e3;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let text = format!("{stdout}{stderr}");
        let lines: Vec<&str> = text.lines().collect();
        // A panic's message follows its "panicked at" line; else the last lines.
        let tail = match lines.iter().position(|l| l.contains("panicked at")) {
            Some(i) => lines[i..(i + 2).min(lines.len())].join("\n"),
            None => lines[lines.len().saturating_sub(8)..].join("\n"),
        };
        bail!("{program} failed ({}):\n{tail}", out.status);
    }
    let stats = ProcessStats {
        wall_ms,
        max_rss_kb: children_peak_rss_kb(),
    };
    println!("{}", serde_json::to_string(&stats)?);
    Ok(())
}

fn gen_corpus(root: &Path, out: &Path) -> Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // The process settings of the `connector-gen` binary: no transparent huge pages (see
    // its `no_transparent_huge_pages`: mimalloc's huge-page faults stall on compaction).
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
    let defs = crate::corpus::discover(root);
    if defs.is_empty() {
        bail!("no definitions under {}", root.display());
    }
    // One worker per core, each taking the next definition: the corpus is 836 small,
    // independent jobs.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let generated = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(def) = defs.get(i) else {
                            return Ok(());
                        };
                        let Ok(loaded) = connector_spec::load(def) else {
                            failed.fetch_add(1, Ordering::Relaxed);
                            continue;
                        };
                        let name = format!("c{i:04}");
                        match connector_codegen::Generator::new()
                            .crate_name(&name)
                            .runtime_version("0.1")
                            .generate(&loaded.connector)
                        {
                            Ok(g) => {
                                g.write_to(&out.join(&name))
                                    .with_context(|| format!("writing {name}"))?;
                                generated.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(_) => {
                                failed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join()
                .map_err(|_| anyhow::anyhow!("a corpus worker panicked"))??;
        }
        Ok(())
    })?;
    let (generated, failed) = (generated.into_inner(), failed.into_inner());
    eprintln!(
        "gen-corpus: {} definitions, {generated} generated, {failed} failed, {threads} threads",
        defs.len()
    );
    println!(
        "{}",
        serde_json::json!({"definitions": defs.len(), "generated": generated, "failed": failed, "threads": threads})
    );
    Ok(())
}
