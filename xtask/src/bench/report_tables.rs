//! The runtime and large-client tables of the markdown report.

use std::fmt::Write as _;

use super::child::LoadClient;
use super::report::{Report, fmt_ratio, ratio};
use super::runtime::{PairedRatios, Spread};

/// `median [q1–q3] (min–max)` of per-pair ratios.
fn fmt_spread(s: Option<Spread>) -> String {
    s.map_or_else(
        || "n/a".to_owned(),
        |s| {
            format!(
                "{:.2}x [{:.2}–{:.2}] ({:.2}–{:.2})",
                s.median, s.q1, s.q3, s.min, s.max
            )
        },
    )
}

impl Report {
    /// Throughput and latency per concurrency, then the per-request costs.
    pub(super) fn runtime_tables(&self, s: &mut String) {
        if self.runtime.is_empty() {
            return;
        }
        let _ = writeln!(s, "\n### Runtime (loopback, keep-alive, median of runs)\n");
        let _ = writeln!(
            s,
            "| concurrency | client | runs | req/s | p50 µs | p99 µs | mean µs | overhead µs/request | vs reqwest | p99 vs reqwest |\n|---|---|---|---|---|---|---|---|---|---|"
        );
        for r in &self.runtime {
            let raw = self.load(r.concurrency, LoadClient::Reqwest);
            let overhead = raw.map(|b| r.stats.mean_us - b.stats.mean_us);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.1} | {} | {} | {} |",
                r.concurrency,
                client_label(r.client),
                r.runs,
                r.stats.rps,
                r.stats.p50_us,
                r.stats.p99_us,
                r.stats.mean_us,
                match (r.client, overhead) {
                    (LoadClient::Generated, Some(o)) => format!("{o:+.1}"),
                    _ => String::new(),
                },
                self.vs_reqwest(r.concurrency, r.client, |p| p.throughput)
                    .unwrap_or_else(|| fmt_ratio(ratio(
                        Some(r.stats.rps),
                        raw.map(|b| b.stats.rps)
                    ))),
                self.vs_reqwest(r.concurrency, r.client, |p| p.p99)
                    .unwrap_or_else(|| fmt_ratio(ratio(
                        Some(r.stats.p99_us),
                        raw.map(|b| b.stats.p99_us)
                    ))),
            );
        }
        self.paired_table(s);
        let _ = writeln!(
            s,
            "\nPer request (measured window; allocations by the bench binary's counting allocator, CPU and context switches by getrusage of the client process, all its threads):\n"
        );
        let _ = writeln!(
            s,
            "| concurrency | client | allocations | bytes allocated | CPU µs (user+sys) | of which sys µs | context switches | call future bytes | CPU vs reqwest |\n|---|---|---|---|---|---|---|---|---|"
        );
        for r in &self.runtime {
            let raw = self.load(r.concurrency, LoadClient::Reqwest);
            let _ = writeln!(
                s,
                "| {} | {} | {:.1} | {:.0} | {:.1} | {:.1} | {:.2} | {} | {} |",
                r.concurrency,
                client_label(r.client),
                r.stats.allocs_per_request,
                r.stats.alloc_bytes_per_request,
                r.stats.cpu_us_per_request,
                r.stats.cpu_sys_us_per_request,
                r.stats.context_switches_per_request,
                r.stats.future_bytes,
                self.vs_reqwest(r.concurrency, r.client, |p| p.cpu)
                    .unwrap_or_else(|| fmt_ratio(ratio(
                        Some(r.stats.cpu_us_per_request),
                        raw.map(|b| b.stats.cpu_us_per_request)
                    ))),
            );
        }
    }

    /// A generated row's ratio column: the median of the per-pair ratios, when the run has
    /// pairs at this concurrency (`None` otherwise: the caller shows the ratio of medians).
    fn vs_reqwest(
        &self,
        concurrency: usize,
        client: LoadClient,
        pick: fn(&PairedRatios) -> Option<Spread>,
    ) -> Option<String> {
        if client == LoadClient::Reqwest {
            return Some(fmt_ratio(Some(1.0)));
        }
        let paired = self
            .runtime_pairs
            .iter()
            .find(|p| p.concurrency == concurrency)?;
        Some(fmt_ratio(pick(paired).map(|s| s.median)))
    }

    /// The per-pair ratios with their spread.
    fn paired_table(&self, s: &mut String) {
        if self.runtime_pairs.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "\nOurs / raw reqwest per pair of runs (back to back, alternating order): median [interquartile range] (min–max):\n"
        );
        let _ = writeln!(
            s,
            "| concurrency | pairs | throughput | p99 | CPU per request | of which sys | context switches | allocations | bytes allocated |\n|---|---|---|---|---|---|---|---|---|"
        );
        for p in &self.runtime_pairs {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                p.concurrency,
                p.pairs,
                fmt_spread(p.throughput),
                fmt_spread(p.p99),
                fmt_spread(p.cpu),
                fmt_spread(p.cpu_sys),
                fmt_spread(p.context_switches),
                fmt_spread(p.allocations),
                fmt_spread(p.bytes_allocated),
            );
        }
    }

    /// GitHub, OpenAI and DigitalOcean: size, check time and memory.
    pub(super) fn large_table(&self, s: &mut String) {
        if self.large.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "\n### Large clients (connector-gen alone; `cargo check -p <crate>`, CARGO_INCREMENTAL=0, dependencies prebuilt)\n"
        );
        let _ = writeln!(
            s,
            "| client | document | operations | lines | types | generation ms | runs | check s (median) | cargo no-op s | peak RSS MiB | ms per operation | nexus.json ms per operation | ms per type | ms per 1k lines | nexus.json ms per 1k lines |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
        );
        let one = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.1}"));
        let nexus = one(self.nexus_check_ms_per_operation());
        let nexus_kline = one(self.nexus_check_ms_per_kline());
        for r in &self.large {
            if let Some(e) = &r.error {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | | | | | {} | | | | {nexus} | | | {nexus_kline} |",
                    r.client,
                    r.document,
                    if r.operations > 0 {
                        r.operations.to_string()
                    } else {
                        String::new()
                    },
                    e.replace('|', "\\|")
                );
                continue;
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {:.0} | {} | {:.2} | {:.2} | {:.0} | {} | {nexus} | {} | {} | {nexus_kline} |",
                r.client,
                r.document,
                r.operations,
                r.lines,
                r.types,
                r.generate_ms,
                r.runs,
                r.check_seconds,
                r.noop_seconds,
                r.check_max_rss_kb as f64 / 1024.0,
                one(r.check_ms_per_operation()),
                one(r.check_ms_per_type()),
                one(r.check_ms_per_kline()),
            );
        }
    }
}

fn client_label(client: LoadClient) -> &'static str {
    match client {
        LoadClient::Generated => "generated (contoso-sales)",
        LoadClient::Reqwest => "raw reqwest",
    }
}

#[cfg(test)]
mod tests {
    use super::super::Tool;
    use super::super::child::LoadStats;
    use super::super::compile::CompileRow;
    use super::super::large::LargeRow;
    use super::super::runtime::{CONCURRENCY, LoadRow};
    use super::*;

    /// When the run has pairs, every runtime ratio in the report (JSON and tables) is the
    /// median of the per-pair ratios, and its spread is printed beside it.
    #[test]
    fn paired_runs_give_the_ratios_and_their_spread() {
        let mut report = Report::new(true);
        for c in CONCURRENCY {
            report
                .runtime
                .push(load(c, LoadClient::Generated, 900.0, 12.0));
            report
                .runtime
                .push(load(c, LoadClient::Reqwest, 1000.0, 10.0));
            let pairs = [
                (
                    load(c, LoadClient::Generated, 990.0, 10.0).stats,
                    load(c, LoadClient::Reqwest, 1000.0, 10.0).stats,
                ),
                (
                    load(c, LoadClient::Generated, 400.0, 10.0).stats,
                    load(c, LoadClient::Reqwest, 500.0, 10.0).stats,
                ),
                (
                    load(c, LoadClient::Generated, 1010.0, 10.0).stats,
                    load(c, LoadClient::Reqwest, 1000.0, 10.0).stats,
                ),
            ];
            report.runtime_pairs.push(PairedRatios::of(c, &pairs));
        }
        report.finish();
        let r = |k: &str| report.ratios.get(k).copied().flatten().unwrap_or(f64::NAN);
        // Pairs 0.99, 0.80 and 1.01: median 0.99, not the 0.90 of the two medians.
        assert!((r("throughput_vs_reqwest_c1") - 0.99).abs() < 1e-9);
        assert!((r("throughput_vs_reqwest") - 0.99).abs() < 1e-9);
        assert!((r("cpu_per_request_vs_reqwest_c256") - 1.0).abs() < 1e-9);
        let md = report.markdown();
        assert!(
            md.contains("| 64 | 3 | 0.99x [0.90–1.00] (0.80–1.01) |"),
            "{md}"
        );
        let json = serde_json::to_value(&report).unwrap_or_default();
        assert_eq!(json["runtime_pairs"][0]["throughput"]["min"], 0.8);
    }

    fn load(concurrency: usize, client: LoadClient, rps: f64, cpu: f64) -> LoadRow {
        LoadRow {
            concurrency,
            client,
            runs: 1,
            stats: LoadStats {
                requests: 1000,
                rps,
                mean_us: 100.0,
                p50_us: 90.0,
                p99_us: rps / 10.0,
                allocs_per_request: cpu * 2.0,
                alloc_bytes_per_request: 1000.0,
                cpu_us_per_request: cpu,
                cpu_sys_us_per_request: cpu / 2.0,
                context_switches_per_request: 1.0,
                future_bytes: 32,
            },
        }
    }

    fn large(client: &str, operations: usize, error: Option<&str>) -> LargeRow {
        LargeRow {
            client: client.to_owned(),
            document: format!("{client}.json"),
            operations,
            lines: 100_000,
            types: 1_000,
            generate_ms: 300.0,
            runs: 1,
            check_seconds: 10.2,
            noop_seconds: 0.2,
            check_max_rss_kb: 900 * 1024,
            error: error.map(str::to_owned),
        }
    }

    fn nexus_check(kind: &'static str, seconds: f64, operations: usize) -> CompileRow {
        CompileRow {
            tool: Tool::Ours,
            kind,
            command: "check",
            runs: 1,
            seconds,
            noop_seconds: 0.0,
            all: vec![seconds],
            lines: 0,
            operations,
        }
    }

    /// The report keys: throughput at 1, 64 and 256 in flight, p99 and
    /// per-request ratios, ms per operation of each large client beside nexus', and a
    /// client that failed to load reported with its reason.
    #[test]
    fn the_report_carries_every_runtime_and_large_client_figure() {
        let mut report = Report::new(true);
        for c in CONCURRENCY {
            report
                .runtime
                .push(load(c, LoadClient::Generated, 980.0, 11.0));
            report
                .runtime
                .push(load(c, LoadClient::Reqwest, 1000.0, 10.0));
        }
        report.compile.push(nexus_check("lib", 2.0, 0));
        report.compile.push(nexus_check("all-ops", 0.5, 200));
        report.large.push(large("github", 1000, None));
        report.large.push(large(
            "openai",
            0,
            Some("failed to load: invalid YAML at seed.minimum"),
        ));
        report.finish();
        let r = |k: &str| {
            report
                .ratios
                .get(k)
                .copied()
                .flatten()
                .unwrap_or_else(|| panic!("{k} missing"))
        };
        for k in [
            "throughput_vs_reqwest",
            "throughput_vs_reqwest_c1",
            "throughput_vs_reqwest_c256",
        ] {
            assert!((r(k) - 0.98).abs() < 1e-9, "{k}");
        }
        assert!((r("p99_latency_vs_reqwest_c256") - 0.98).abs() < 1e-9);
        assert!((r("cpu_per_request_vs_reqwest_c1") - 1.1).abs() < 1e-9);
        assert!((r("allocations_per_request_vs_reqwest_c64") - 1.1).abs() < 1e-9);
        // github: 10 s net over 1000 operations = 10 ms; nexus: 2 s over 200 = 10 ms.
        assert!((r("check_ms_per_operation_github_vs_nexus") - 1.0).abs() < 1e-9);
        assert_eq!(
            report.ratios.get("check_ms_per_operation_openai_vs_nexus"),
            Some(&None)
        );
        let target = |name: &str| {
            report
                .targets
                .iter()
                .find(|t| t.name == name)
                .unwrap_or_else(|| panic!("target {name} missing"))
        };
        assert!(target("throughput vs raw reqwest, 256 in flight").met);
        assert!(target("cargo check peak RSS, github client").met);
        let openai = target("cargo check, openai client");
        assert!(!openai.met);
        assert!(
            openai.value.starts_with("failed to load:"),
            "{}",
            openai.value
        );
        let md = report.markdown();
        assert!(md.contains("| 256 | raw reqwest |"), "{md}");
        assert!(md.contains("failed to load: invalid YAML"), "{md}");
        assert!(
            md.contains("| github | github.json | 1000 | 100000 | 1000 |"),
            "{md}"
        );
        // 10 s net over 1,000 types and 100,000 lines.
        assert!(md.contains("| 10.0 | 100.0 |"), "{md}");
    }
}
