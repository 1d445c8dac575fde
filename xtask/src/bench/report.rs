//! The benchmark report: JSON (`target/bench-report.json`) and the markdown table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

use serde::Serialize;

use super::child::{LoadClient, PageStats};
use super::compile::CompileRow;
use super::large::LargeRow;
use super::runtime::{CONCURRENCY, PairedRatios, Spread};
use super::{CorpusGen, GenRow, LoadRow, MicroRow, Tool};

/// The machine a run measured on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// Logical CPUs.
    pub nproc: usize,
    /// CPU model (from /proc/cpuinfo).
    pub cpu: String,
    /// Memory, GiB.
    pub memory_gib: f64,
    /// Load average when the run started.
    pub load_average: String,
    /// `rustc --version`.
    pub rustc: String,
    /// UTC date of the run.
    pub date: String,
}

impl Machine {
    fn probe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "unknown".to_owned(), |(_, v)| v.trim().to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_kb: f64 = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let out = |cmd: &str, args: &[&str]| {
            Command::new(cmd)
                .args(args)
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_default()
        };
        Machine {
            nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu,
            memory_gib: (mem_kb / 1024.0 / 1024.0 * 10.0).round() / 10.0,
            load_average: std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            rustc: out("rustc", &["--version"]),
            date: out("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        }
    }
}

/// A target of issue #6 and whether this run meets it.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// What is measured.
    pub name: String,
    /// The goal.
    pub goal: String,
    /// This run's value.
    pub value: String,
    /// Met?
    pub met: bool,
}

/// Everything one run measured.
#[derive(Debug, Serialize)]
pub struct Report {
    /// `--quick`.
    pub quick: bool,
    /// Where it ran.
    pub machine: Machine,
    /// Generation per document and generator.
    pub generation: Vec<GenRow>,
    /// The whole Power Platform corpus (ours alone).
    pub corpus_generation: Option<CorpusGen>,
    /// Compile cost per client.
    pub compile: Vec<CompileRow>,
    /// The large clients (GitHub, OpenAI, DigitalOcean): `cargo check` time and memory.
    pub large: Vec<LargeRow>,
    /// Runtime throughput and latency.
    pub runtime: Vec<LoadRow>,
    /// Per concurrency, the per-pair ratios (ours / reqwest, back to back): median and
    /// spread. The runtime ratios below are these medians.
    pub runtime_pairs: Vec<PairedRatios>,
    /// Paging memory at 100k and 1M items.
    pub paging: Vec<PageStats>,
    /// Criterion medians.
    pub micro: Vec<MicroRow>,
    /// Headline ratios (ours / peer).
    pub ratios: BTreeMap<String, Option<f64>>,
    /// Issue #6 targets.
    pub targets: Vec<Target>,
    /// Settings worth knowing when reading the numbers.
    pub notes: Vec<String>,
}

pub(super) fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

pub(super) fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}x"))
}

impl Report {
    /// An empty report for this machine.
    pub fn new(quick: bool) -> Report {
        Report {
            quick,
            machine: Machine::probe(),
            generation: Vec::new(),
            corpus_generation: None,
            compile: Vec::new(),
            large: Vec::new(),
            runtime: Vec::new(),
            runtime_pairs: Vec::new(),
            paging: Vec::new(),
            micro: Vec::new(),
            ratios: BTreeMap::new(),
            targets: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// nexus.json's net `cargo check` of our generated crate per operation, ms.
    pub(super) fn nexus_check_ms_per_operation(&self) -> Option<f64> {
        let operations = self
            .compile
            .iter()
            .find(|r| r.tool == Tool::Ours && r.kind == "all-ops")
            .map(|r| r.operations)
            .filter(|&n| n > 0)?;
        Some(self.compile_s(Tool::Ours, "lib", "check")? * 1e3 / operations as f64)
    }

    /// nexus.json's net `cargo check` of our generated crate per 1,000 lines, ms.
    pub(super) fn nexus_check_ms_per_kline(&self) -> Option<f64> {
        let lines = self
            .compile
            .iter()
            .find(|r| r.tool == Tool::Ours && r.kind == "lib")
            .map(|r| r.lines)
            .filter(|&n| n > 0)?;
        Some(self.compile_s(Tool::Ours, "lib", "check")? * 1e6 / lines as f64)
    }

    /// The size targets of issue #19: GitHub's generation, the whole Power Platform
    /// corpus, and each large client's check memory and time per operation.
    fn size_targets(&mut self, nexus_ms_per_op: Option<f64>) {
        let mut out = Vec::new();
        let mut push = |name: String, goal: &str, value: String, met: bool| {
            out.push(Target {
                name,
                goal: goal.to_owned(),
                value,
                met,
            });
        };
        if let Some(ms) = self.gen_ms("api.github.com.json", Tool::Ours) {
            push(
                "generation time, api.github.com.json".to_owned(),
                "< 0.5 s",
                format!("{:.3} s", ms / 1e3),
                ms < 500.0,
            );
        }
        if let Some(c) = &self.corpus_generation {
            push(
                "generation time, whole Power Platform corpus".to_owned(),
                "< 5 s",
                format!("{:.2} s", c.seconds),
                c.seconds < 5.0,
            );
        }
        for row in &self.large {
            if let Some(e) = &row.error {
                push(
                    format!("cargo check, {} client", row.client),
                    "measured",
                    e.clone(),
                    false,
                );
                continue;
            }
            let gib = row.check_max_rss_kb as f64 / 1024.0 / 1024.0;
            push(
                format!("cargo check peak RSS, {} client", row.client),
                "< 1 GiB",
                format!("{gib:.2} GiB"),
                gib < 1.0,
            );
            if let Some(r) = ratio(row.check_ms_per_operation(), nexus_ms_per_op) {
                push(
                    format!(
                        "cargo check ms per operation, {} client, vs nexus.json",
                        row.client
                    ),
                    "<= 1.10x (linear in operations)",
                    format!("{r:.2}x"),
                    r <= 1.10,
                );
            }
        }
        self.targets.extend(out);
    }

    fn gen_ms(&self, doc: &str, tool: Tool) -> Option<f64> {
        self.generation
            .iter()
            .find(|r| r.doc == doc && r.tool == tool)
            .and_then(|r| r.wall_ms)
    }

    /// Compile seconds net of cargo's no-op cost.
    fn compile_s(&self, tool: Tool, kind: &str, command: &str) -> Option<f64> {
        self.compile
            .iter()
            .find(|r| r.tool == tool && r.kind == kind && r.command == command)
            .map(|r| (r.seconds - r.noop_seconds).max(0.0))
    }

    pub(super) fn load(&self, concurrency: usize, client: LoadClient) -> Option<&LoadRow> {
        self.runtime
            .iter()
            .find(|r| r.concurrency == concurrency && r.client == client)
    }

    /// Compute ratios and targets.
    pub fn finish(&mut self) {
        self.ratios.clear();
        self.targets.clear();
        let nexus = "nexus.json";
        let gen_b = ratio(
            self.gen_ms(nexus, Tool::Ours),
            self.gen_ms(nexus, Tool::ProgenitorBuilder),
        );
        let gen_p = ratio(
            self.gen_ms(nexus, Tool::Ours),
            self.gen_ms(nexus, Tool::ProgenitorPositional),
        );
        let check = ratio(
            self.compile_s(Tool::Ours, "lib", "check"),
            self.compile_s(Tool::ProgenitorBuilder, "lib", "check"),
        );
        let check_all = ratio(
            self.compile_s(Tool::Ours, "all-ops", "check"),
            self.compile_s(Tool::ProgenitorBuilder, "all-ops", "check"),
        );
        let release = ratio(
            self.compile_s(Tool::Ours, "lib", "build --release"),
            self.compile_s(Tool::ProgenitorBuilder, "lib", "build --release"),
        );
        let release_all = ratio(
            self.compile_s(Tool::Ours, "all-ops", "build --release"),
            self.compile_s(Tool::ProgenitorBuilder, "all-ops", "build --release"),
        );
        // The median of the per-pair ratios where the run has pairs; the ratio of the
        // two clients' medians otherwise.
        let both = |c: usize, f: fn(&LoadRow) -> f64, pick: fn(&PairedRatios) -> Option<Spread>| {
            if let Some(paired) = self.runtime_pairs.iter().find(|p| p.concurrency == c) {
                return pick(paired).map(|s| s.median);
            }
            let side = |client| {
                self.runtime
                    .iter()
                    .find(|r| r.concurrency == c && r.client == client)
                    .map(f)
            };
            ratio(side(LoadClient::Generated), side(LoadClient::Reqwest))
        };
        let tput = |c| both(c, |r| r.stats.rps, |p| p.throughput);
        let p99 = |c| both(c, |r| r.stats.p99_us, |p| p.p99);
        let paging = match self.paging.as_slice() {
            [small, big] if small.max_rss_kb > 0 => {
                Some(big.max_rss_kb as f64 / small.max_rss_kb as f64)
            }
            _ => None,
        };
        for (k, v) in [
            ("generate_time_vs_progenitor", gen_b),
            ("generate_time_vs_progenitor_positional", gen_p),
            ("check_time_vs_progenitor", check),
            ("check_time_all_ops_vs_progenitor", check_all),
            ("release_build_time_vs_progenitor", release),
            ("release_build_time_all_ops_vs_progenitor", release_all),
            ("throughput_vs_reqwest", tput(64)),
            ("paging_rss_1m_vs_100k", paging),
        ] {
            self.ratios.insert(k.to_owned(), v);
        }
        for c in CONCURRENCY {
            let suffix = if c == 64 {
                String::new()
            } else {
                format!("_c{c}")
            };
            let cpu = both(c, |r| r.stats.cpu_us_per_request, |p| p.cpu);
            let allocs = both(c, |r| r.stats.allocs_per_request, |p| p.allocations);
            let bytes = both(
                c,
                |r| r.stats.alloc_bytes_per_request,
                |p| p.bytes_allocated,
            );
            for (k, v) in [
                (format!("throughput_vs_reqwest{suffix}"), tput(c)),
                (format!("p99_latency_vs_reqwest_c{c}"), p99(c)),
                (format!("cpu_per_request_vs_reqwest_c{c}"), cpu),
                (format!("allocations_per_request_vs_reqwest_c{c}"), allocs),
                (
                    format!("bytes_allocated_per_request_vs_reqwest_c{c}"),
                    bytes,
                ),
            ] {
                self.ratios.insert(k, v);
            }
        }
        let nexus_ms_per_op = self.nexus_check_ms_per_operation();
        for row in &self.large {
            self.ratios.insert(
                format!("check_ms_per_operation_{}_vs_nexus", row.client),
                ratio(row.check_ms_per_operation(), nexus_ms_per_op),
            );
        }
        let mut target = |name: &str, goal: &str, value: Option<f64>, ok: fn(f64) -> bool| {
            if let Some(v) = value {
                self.targets.push(Target {
                    name: name.to_owned(),
                    goal: goal.to_owned(),
                    value: format!("{v:.2}x"),
                    met: ok(v),
                });
            }
        };
        target(
            "generation time, nexus.json, vs progenitor builder",
            "<= 0.33x (3x faster)",
            gen_b,
            |v| v <= 1.0 / 3.0,
        );
        target(
            "cargo check, generated crate, vs progenitor builder",
            "<= 0.50x",
            check,
            |v| v <= 0.5,
        );
        target(
            "cargo check, all-operations binary, vs progenitor builder",
            "<= 0.50x",
            check_all,
            |v| v <= 0.5,
        );
        for c in CONCURRENCY {
            target(
                &format!("throughput vs raw reqwest, {c} in flight"),
                ">= 0.97x",
                tput(c),
                |v| v >= 0.97,
            );
            target(
                &format!("p99 latency vs raw reqwest, {c} in flight"),
                "<= 1.05x",
                p99(c),
                |v| v <= 1.05,
            );
        }
        target(
            "paging peak RSS, 1M items vs 100k items",
            "<= 1.10x (flat)",
            paging,
            |v| v <= 1.10,
        );
        self.size_targets(nexus_ms_per_op);
        self.notes = notes();
    }

    /// The markdown table(s).
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let m = &self.machine;
        let _ = writeln!(
            s,
            "## Benchmarks{}\n\n{} — {} × {} , {} GiB, {}; load average at start {}\n",
            if self.quick { " (--quick)" } else { "" },
            m.date,
            m.nproc,
            m.cpu,
            m.memory_gib,
            m.rustc,
            m.load_average
        );
        let _ = writeln!(
            s,
            "### Headline ratios (ours / peer; lower is better for times)\n"
        );
        let _ = writeln!(s, "| ratio | value |\n|---|---|");
        for (k, v) in &self.ratios {
            let _ = writeln!(s, "| `{k}` | {} |", fmt_ratio(*v));
        }
        if !self.targets.is_empty() {
            let _ = writeln!(s, "\n### Targets (issues #6 and #19)\n");
            let _ = writeln!(s, "| target | goal | this run | |\n|---|---|---|---|");
            for t in &self.targets {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    t.name,
                    t.goal,
                    t.value,
                    if t.met { "met" } else { "**missed**" }
                );
            }
        }
        if !self.generation.is_empty() {
            let _ = writeln!(s, "\n### Generation (whole process, median)\n");
            let _ = writeln!(
                s,
                "| document | generator | runs | wall ms (median) | min ms | peak RSS MiB | lines | vs progenitor builder |\n|---|---|---|---|---|---|---|---|"
            );
            for r in &self.generation {
                let base = self.gen_ms(&r.doc, Tool::ProgenitorBuilder);
                match &r.error {
                    Some(e) => {
                        let _ = writeln!(
                            s,
                            "| {} | {} | – | fails: {} | | | | |",
                            r.doc,
                            r.tool.label(),
                            e.replace('|', "\\|")
                        );
                    }
                    None => {
                        let _ = writeln!(
                            s,
                            "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {} | {} |",
                            r.doc,
                            r.tool.label(),
                            r.runs,
                            r.wall_ms.unwrap_or(0.0),
                            r.wall_ms_min.unwrap_or(0.0),
                            r.max_rss_kb.unwrap_or(0) as f64 / 1024.0,
                            r.lines.unwrap_or(0),
                            fmt_ratio(ratio(r.wall_ms, base))
                        );
                    }
                }
            }
        }
        if let Some(c) = &self.corpus_generation {
            let _ = writeln!(
                s,
                "\nWhole Power Platform corpus, connector-gen alone (one process, one worker thread per core): {} of {} definitions generated in {:.2} s ({:.1} ms each), peak RSS {:.1} MiB, {} lines.",
                c.generated,
                c.definitions,
                c.seconds,
                c.seconds * 1e3 / c.generated.max(1) as f64,
                c.max_rss_kb as f64 / 1024.0,
                c.lines
            );
        }
        if !self.compile.is_empty() {
            let _ = writeln!(
                s,
                "\n### Compile (nexus.json, CARGO_INCREMENTAL=0, only the measured crate rebuilt)\n"
            );
            let _ = writeln!(
                s,
                "| client | crate | command | runs | seconds (median) | cargo no-op s | net s | lines | operations called | net vs progenitor builder |\n|---|---|---|---|---|---|---|---|---|---|"
            );
            for r in &self.compile {
                let base = self.compile_s(Tool::ProgenitorBuilder, r.kind, r.command);
                let _ = writeln!(
                    s,
                    "| {} | {} | `cargo {}` | {} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
                    r.tool.label(),
                    r.kind,
                    r.command,
                    r.runs,
                    r.seconds,
                    r.noop_seconds,
                    r.seconds - r.noop_seconds,
                    r.lines,
                    if r.operations > 0 {
                        r.operations.to_string()
                    } else {
                        String::new()
                    },
                    fmt_ratio(ratio(Some((r.seconds - r.noop_seconds).max(0.0)), base))
                );
            }
        }
        self.runtime_tables(&mut s);
        self.large_table(&mut s);
        if !self.paging.is_empty() {
            let _ = writeln!(
                s,
                "\n### Paging (`Client::items`, NextLink, 1000 items per page)\n"
            );
            let _ = writeln!(
                s,
                "| items | seconds | items/s | peak RSS MiB |\n|---|---|---|---|"
            );
            for p in &self.paging {
                let _ = writeln!(
                    s,
                    "| {} | {:.2} | {:.0} | {:.1} |",
                    p.items,
                    p.seconds,
                    p.items as f64 / p.seconds.max(1e-9),
                    p.max_rss_kb as f64 / 1024.0
                );
            }
        }
        if !self.micro.is_empty() {
            let _ = writeln!(s, "\n### Micro benchmarks (criterion, median)\n");
            let _ = writeln!(s, "| benchmark | median µs |\n|---|---|");
            for r in &self.micro {
                let _ = writeln!(s, "| {} | {:.1} |", r.name, r.median_us);
            }
        }
        let _ = writeln!(s, "\nNotes:\n");
        for n in &self.notes {
            let _ = writeln!(s, "- {n}");
        }
        s
    }
}

/// What the report's numbers mean: how each section measures.
fn notes() -> Vec<String> {
    vec![
            "Wall times are whole processes (spawn to exit); peak RSS from getrusage of the child.".to_owned(),
            "progenitor output is formatted with prettyplease (as in a build.rs), ours likewise.".to_owned(),
            "Compile: CARGO_INCREMENTAL=0, dependencies prebuilt, only the measured crate rebuilt (its source changes each run); times are the cargo process's wall time; ratios use net = time - the same command's no-op time (cargo's fixed cost). The all-ops rows rebuild the binary alone: the cost of using every operation, on top of the library.".to_owned(),
            "All-ops binaries call each operation once, supplying what it needs: ours as `client.op(required args).await` (its builders implement `IntoFuture`; the README's call), progenitor builder as `client.op().required_param(..).body(..).send().await` (the setters its builder fails without), positional as `client.op(args).await`. Their `cargo check` cells are sampled 11 times, the clients alternating.".to_owned(),
            "Runtime: generated contoso-sales `get_invoice` vs reqwest GET + the same serde type, loopback hyper server, keep-alive; runtime defaults except the concurrency cap (default 10) raised to the load's concurrency. No failures, so retries never trigger. Both clients speak HTTP/1.1 (no HTTP/2 feature) through the same reqwest build with its default pool, read the whole body and decode it into the same type; ours sends its default `user-agent` and `x-correlation-id` headers besides. Each concurrency runs pairs of processes, the two clients back to back, alternating which goes first; a ratio is the median of the per-pair ratios, shown with the interquartile range and the extremes of the pairs. The generated client's rows include the safety checks (origin scoping, body size cap, bounded pauses), which are always on.".to_owned(),
            "Runtime per request: allocations and bytes allocated (a counting global allocator in the bench binary), CPU time of the client process (getrusage user + sys; the server is another process), and the size of one call's future, all over the measured window. On a shared machine the CPU and allocation columns are the stable ones; wall-clock ratios move with the neighbours.".to_owned(),
            "Large clients: generated by us alone, `cargo check -p <crate>` with dependencies prebuilt and CARGO_INCREMENTAL=0; peak RSS is the largest process cargo waited for (rustc). ms per operation = (check - no-op) / operations, beside nexus.json's lib check; ms per type and per 1,000 lines likewise (types: `pub struct`/`enum`/`type` items of `types.rs`), for type-heavy documents such as OpenAI's.".to_owned(),
    ]
}
