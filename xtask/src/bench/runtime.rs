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

/// The per-pair ratios (ours / raw reqwest) of one measure: each pair is the two clients
/// run back to back, so a neighbour's burst moves both sides of a ratio alike. The median is
/// the headline figure; the quartiles and the extremes say how far the pairs disagreed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Median of the per-pair ratios.
    pub median: f64,
    /// First quartile (linear interpolation between the sorted ratios).
    pub q1: f64,
    /// Third quartile.
    pub q3: f64,
    /// Smallest per-pair ratio.
    pub min: f64,
    /// Largest per-pair ratio.
    pub max: f64,
}

impl Spread {
    /// The median, quartiles and extremes of `ratios`; `None` when there is none (or one
    /// is not finite: a side that measured zero).
    pub fn of(ratios: &[f64]) -> Option<Spread> {
        if ratios.is_empty() || ratios.iter().any(|r| !r.is_finite()) {
            return None;
        }
        let mut v = ratios.to_vec();
        v.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let pos = q * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Some(Spread {
            median: at(0.5),
            q1: at(0.25),
            q3: at(0.75),
            min: v[0],
            max: v[v.len() - 1],
        })
    }
}

/// The paired ratios of one concurrency (ours / raw reqwest, per back-to-back pair).
#[derive(Debug, Clone, Serialize)]
pub struct PairedRatios {
    /// Requests in flight.
    pub concurrency: usize,
    /// Pairs of runs.
    pub pairs: usize,
    /// Requests per second.
    pub throughput: Option<Spread>,
    /// 99th percentile latency.
    pub p99: Option<Spread>,
    /// CPU time of the client process per request.
    pub cpu: Option<Spread>,
    /// Of which in the kernel.
    pub cpu_sys: Option<Spread>,
    /// Context switches of the client process per request.
    pub context_switches: Option<Spread>,
    /// Heap allocations per request.
    pub allocations: Option<Spread>,
    /// Bytes allocated per request.
    pub bytes_allocated: Option<Spread>,
}

impl PairedRatios {
    /// The ratios of `pairs` (ours, reqwest).
    pub fn of(concurrency: usize, pairs: &[(LoadStats, LoadStats)]) -> PairedRatios {
        let spread = |f: fn(&LoadStats) -> f64| {
            Spread::of(
                &pairs
                    .iter()
                    .map(|(ours, raw)| f(ours) / f(raw))
                    .collect::<Vec<_>>(),
            )
        };
        PairedRatios {
            concurrency,
            pairs: pairs.len(),
            throughput: spread(|s| s.rps),
            p99: spread(|s| s.p99_us),
            cpu: spread(|s| s.cpu_us_per_request),
            cpu_sys: spread(|s| s.cpu_sys_us_per_request),
            context_switches: spread(|s| s.context_switches_per_request),
            allocations: spread(|s| s.allocs_per_request),
            bytes_allocated: spread(|s| s.alloc_bytes_per_request),
        }
    }
}

/// The clients of pair `i`, in the order they run: the order alternates (AB, BA, AB, ...)
/// so that neither client always runs first, after the other's connections closed.
fn pair_order(i: usize) -> [LoadClient; 2] {
    if i.is_multiple_of(2) {
        [LoadClient::Generated, LoadClient::Reqwest]
    } else {
        [LoadClient::Reqwest, LoadClient::Generated]
    }
}

/// One load run of `bench-runtime` against the server at `url`.
fn load_run(
    bench_runtime: &Path,
    url: &str,
    client: LoadClient,
    concurrency: usize,
    seconds: f64,
) -> Result<LoadStats> {
    let out = Command::new(bench_runtime)
        .args(["load", "--url", url])
        .args([
            "--client",
            if client == LoadClient::Generated {
                "generated"
            } else {
                "reqwest"
            },
        ])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--seconds", &seconds.to_string()])
        .stdin(Stdio::null())
        .output()?;
    if !out.status.success() {
        bail!("load run failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    last_json(&out.stdout)
}

/// The median of each figure over `runs`.
fn median_stats(runs: &[LoadStats]) -> LoadStats {
    let pick = |f: fn(&LoadStats) -> f64| median(&runs.iter().map(f).collect::<Vec<_>>());
    LoadStats {
        requests: pick(|s| s.requests as f64) as u64,
        rps: pick(|s| s.rps),
        mean_us: pick(|s| s.mean_us),
        p50_us: pick(|s| s.p50_us),
        p99_us: pick(|s| s.p99_us),
        allocs_per_request: pick(|s| s.allocs_per_request),
        alloc_bytes_per_request: pick(|s| s.alloc_bytes_per_request),
        cpu_us_per_request: pick(|s| s.cpu_us_per_request),
        cpu_sys_us_per_request: pick(|s| s.cpu_sys_us_per_request),
        context_switches_per_request: pick(|s| s.context_switches_per_request),
        future_bytes: pick(|s| s.future_bytes as f64) as u64,
    }
}

/// At each concurrency, `plan.load_runs` pairs of runs, the two clients back to back in
/// alternating order: the rows (medians per client) and the per-pair ratios.
pub(super) fn runtime(
    bench_runtime: &Path,
    url: &str,
    plan: &Plan,
) -> Result<(Vec<LoadRow>, Vec<PairedRatios>)> {
    let mut rows = Vec::new();
    let mut ratios = Vec::new();
    for concurrency in CONCURRENCY {
        let mut pairs = Vec::new();
        for i in 0..plan.load_runs {
            let mut ours = None;
            let mut raw = None;
            for client in pair_order(i) {
                eprintln!(
                    "bench: runtime {client:?} x{concurrency} (pair {} of {})",
                    i + 1,
                    plan.load_runs
                );
                let stats = load_run(bench_runtime, url, client, concurrency, plan.load_seconds)?;
                match client {
                    LoadClient::Generated => ours = Some(stats),
                    LoadClient::Reqwest => raw = Some(stats),
                }
            }
            if let (Some(ours), Some(raw)) = (ours, raw) {
                pairs.push((ours, raw));
            }
        }
        for client in [LoadClient::Generated, LoadClient::Reqwest] {
            let runs: Vec<LoadStats> = pairs
                .iter()
                .map(|(ours, raw)| {
                    if client == LoadClient::Generated {
                        *ours
                    } else {
                        *raw
                    }
                })
                .collect();
            rows.push(LoadRow {
                concurrency,
                client,
                runs: runs.len(),
                stats: median_stats(&runs),
            });
        }
        ratios.push(PairedRatios::of(concurrency, &pairs));
    }
    Ok((rows, ratios))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The spread of the per-pair ratios: median, interpolated quartiles and extremes,
    /// whatever the order they were measured in.
    #[test]
    fn the_spread_is_the_median_quartiles_and_extremes_of_the_pairs() {
        let s = Spread::of(&[1.3, 0.9, 1.0, 1.1, 0.8]).unwrap_or_else(|| panic!("no spread"));
        assert_eq!((s.min, s.max), (0.8, 1.3));
        assert!((s.median - 1.0).abs() < 1e-12);
        assert!((s.q1 - 0.9).abs() < 1e-12 && (s.q3 - 1.1).abs() < 1e-12);
        let even = Spread::of(&[2.0, 1.0, 4.0, 3.0]).unwrap_or_else(|| panic!("no spread"));
        assert!((even.median - 2.5).abs() < 1e-12);
        assert!((even.q1 - 1.75).abs() < 1e-12 && (even.q3 - 3.25).abs() < 1e-12);
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[1.0, f64::INFINITY]), None);
    }

    /// Each ratio is taken within a pair (ours over the reqwest run beside it), not as the
    /// ratio of the two medians, and the order of the clients alternates between pairs.
    #[test]
    fn ratios_are_taken_within_each_pair_and_the_order_alternates() {
        let stats = |rps: f64| LoadStats {
            requests: 1,
            rps,
            mean_us: 1.0,
            p50_us: 1.0,
            p99_us: 1e6 / rps,
            allocs_per_request: 60.0,
            alloc_bytes_per_request: 100.0,
            cpu_us_per_request: 10.0,
            cpu_sys_us_per_request: 4.0,
            context_switches_per_request: 1.0,
            future_bytes: 32,
        };
        // A slow machine in pair 2 halves both sides: its ratio is still 0.9.
        let pairs = [
            (stats(900.0), stats(1000.0)),
            (stats(450.0), stats(500.0)),
            (stats(1000.0), stats(1000.0)),
        ];
        let r = PairedRatios::of(1, &pairs);
        let t = r.throughput.unwrap_or_else(|| panic!("no throughput"));
        assert!((t.median - 0.9).abs() < 1e-12, "{t:?}");
        assert!((t.max - 1.0).abs() < 1e-12, "{t:?}");
        let p99 = r.p99.unwrap_or_else(|| panic!("no p99"));
        assert!((p99.median - 1.0 / 0.9).abs() < 1e-12, "{p99:?}");
        assert_eq!(r.pairs, 3);
        assert_eq!(pair_order(0), [LoadClient::Generated, LoadClient::Reqwest]);
        assert_eq!(pair_order(1), [LoadClient::Reqwest, LoadClient::Generated]);
    }
}
