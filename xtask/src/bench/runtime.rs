//! The runtime section of `cargo xtask bench`: the loopback server, the generated client
//! vs raw reqwest at 1, 64 and 256 requests in flight (throughput, latency, and per request
//! allocations, bytes allocated, CPU time and future size), and paging memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::child::{LoadClient, LoadStats, PageStats};
use super::{Plan, Tools, cargo, last_json, median, run_ok};

/// Generate the `contoso-sales` client with the current generator into the scratch folder
/// `xtask/bench-runtime` depends on, then build that crate (release, own target dir).
pub(super) fn build_bench_runtime(root: &Path, tools: &Tools, scratch: &Path) -> Result<PathBuf> {
    let out = scratch.join("runtime/contoso-sales");
    eprintln!("bench: generating contoso-sales into {}", out.display());
    run_ok(
        Command::new(&tools.ours)
            .arg("generate")
            .arg(root.join("specs/contoso-sales"))
            .arg("--out")
            .arg(&out)
            .args(["--crate-name", "contoso-sales", "--runtime-path"])
            .arg(root.join("crates/connector-runtime"))
            .stderr(Stdio::null()),
        "connector-gen generate specs/contoso-sales",
    )?;
    let dir = root.join("xtask/bench-runtime");
    if !dir.join("Cargo.lock").exists() {
        // Start from the versions the main workspace pins.
        let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    }
    eprintln!("bench: building xtask/bench-runtime (release)");
    let target = root.join("target/bench-runtime");
    run_ok(
        cargo()
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--quiet", "--release"]),
        "cargo build --release (xtask/bench-runtime)",
    )?;
    Ok(target.join(format!(
        "release/bench-runtime{}",
        std::env::consts::EXE_SUFFIX
    )))
}

/// The loopback server child; killed on drop.
pub(super) struct Server {
    child: std::process::Child,
    pub(super) url: String,
}

impl Server {
    pub(super) fn start(bench_runtime: &Path) -> Result<Server> {
        use std::io::BufRead;
        let mut child = Command::new(bench_runtime)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the loopback server")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let port = line
            .trim()
            .strip_prefix("port ")
            .context("server did not print its port")?;
        Ok(Server {
            url: format!("http://127.0.0.1:{port}"),
            child,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests in flight of the runtime rows.
pub const CONCURRENCY: [usize; 3] = [1, 64, 256];

/// One (concurrency, client) row of the runtime benchmark: medians over runs.
#[derive(Debug, Clone, Serialize)]
pub struct LoadRow {
    /// Requests in flight.
    pub concurrency: usize,
    /// Client.
    pub client: LoadClient,
    /// Runs.
    pub runs: usize,
    /// Median of the runs' results.
    pub stats: LoadStats,
}

pub(super) fn runtime(bench_runtime: &Path, url: &str, plan: &Plan) -> Result<Vec<LoadRow>> {
    let mut rows = Vec::new();
    for concurrency in CONCURRENCY {
        let mut runs: [(LoadClient, Vec<LoadStats>); 2] = [
            (LoadClient::Generated, Vec::new()),
            (LoadClient::Reqwest, Vec::new()),
        ];
        for _ in 0..plan.load_runs {
            for (client, stats) in &mut runs {
                eprintln!("bench: runtime {client:?} x{concurrency}");
                let out = Command::new(bench_runtime)
                    .args(["load", "--url", url])
                    .args([
                        "--client",
                        if *client == LoadClient::Generated {
                            "generated"
                        } else {
                            "reqwest"
                        },
                    ])
                    .args(["--concurrency", &concurrency.to_string()])
                    .args(["--seconds", &plan.load_seconds.to_string()])
                    .stdin(Stdio::null())
                    .output()?;
                if !out.status.success() {
                    bail!("load run failed: {}", String::from_utf8_lossy(&out.stderr));
                }
                stats.push(last_json(&out.stdout)?);
            }
        }
        for (client, stats) in runs {
            let pick = |f: fn(&LoadStats) -> f64| median(&stats.iter().map(f).collect::<Vec<_>>());
            rows.push(LoadRow {
                concurrency,
                client,
                runs: stats.len(),
                stats: LoadStats {
                    requests: pick(|s| s.requests as f64) as u64,
                    rps: pick(|s| s.rps),
                    mean_us: pick(|s| s.mean_us),
                    p50_us: pick(|s| s.p50_us),
                    p99_us: pick(|s| s.p99_us),
                    allocs_per_request: pick(|s| s.allocs_per_request),
                    alloc_bytes_per_request: pick(|s| s.alloc_bytes_per_request),
                    cpu_us_per_request: pick(|s| s.cpu_us_per_request),
                    future_bytes: pick(|s| s.future_bytes as f64) as u64,
                },
            });
        }
    }
    Ok(rows)
}

pub(super) fn paging(bench_runtime: &Path, url: &str) -> Result<Vec<PageStats>> {
    let mut out = Vec::new();
    for items in [100_000u64, 1_000_000] {
        eprintln!("bench: paging {items} items");
        let o = Command::new(bench_runtime)
            .args(["page", "--url", url, "--items", &items.to_string()])
            .stdin(Stdio::null())
            .output()?;
        if !o.status.success() {
            bail!("paging run failed: {}", String::from_utf8_lossy(&o.stderr));
        }
        out.push(last_json(&o.stdout)?);
    }
    Ok(out)
}
