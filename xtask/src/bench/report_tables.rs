//! The runtime and large-client tables of the markdown report.

use std::fmt::Write as _;

use super::child::LoadClient;
use super::report::{Report, fmt_ratio, ratio};

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
                fmt_ratio(ratio(Some(r.stats.rps), raw.map(|b| b.stats.rps))),
                fmt_ratio(ratio(Some(r.stats.p99_us), raw.map(|b| b.stats.p99_us))),
            );
        }
        let _ = writeln!(
            s,
            "\nPer request (measured window; allocations by the bench binary's counting allocator, CPU by getrusage of the client process):\n"
        );
        let _ = writeln!(
            s,
            "| concurrency | client | allocations | bytes allocated | CPU µs (user+sys) | call future bytes | CPU vs reqwest |\n|---|---|---|---|---|---|---|"
        );
        for r in &self.runtime {
            let raw = self.load(r.concurrency, LoadClient::Reqwest);
            let _ = writeln!(
                s,
                "| {} | {} | {:.1} | {:.0} | {:.1} | {} | {} |",
                r.concurrency,
                client_label(r.client),
                r.stats.allocs_per_request,
                r.stats.alloc_bytes_per_request,
                r.stats.cpu_us_per_request,
                r.stats.future_bytes,
                fmt_ratio(ratio(
                    Some(r.stats.cpu_us_per_request),
                    raw.map(|b| b.stats.cpu_us_per_request)
                )),
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
            "| client | document | operations | lines | generation ms | runs | check s (median) | cargo no-op s | peak RSS MiB | ms per operation | nexus.json ms per operation |\n|---|---|---|---|---|---|---|---|---|---|---|"
        );
        let nexus = self
            .nexus_check_ms_per_operation()
            .map_or_else(|| "n/a".to_owned(), |v| format!("{v:.1}"));
        for r in &self.large {
            if let Some(e) = &r.error {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | | | | {} | | | | {nexus} |",
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
                "| {} | {} | {} | {} | {:.0} | {} | {:.2} | {:.2} | {:.0} | {} | {nexus} |",
                r.client,
                r.document,
                r.operations,
                r.lines,
                r.generate_ms,
                r.runs,
                r.check_seconds,
                r.noop_seconds,
                r.check_max_rss_kb as f64 / 1024.0,
                r.check_ms_per_operation()
                    .map_or_else(|| "n/a".to_owned(), |v| format!("{v:.1}")),
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
