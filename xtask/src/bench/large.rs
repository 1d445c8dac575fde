//! The large clients of the compile section: GitHub, OpenAI and DigitalOcean, generated
//! by us from the corpus (no peer reads all three). For each: operations, lines
//! generated, generation time, and `cargo check` wall time and peak RSS of the generated
//! crate (dependencies prebuilt, `CARGO_INCREMENTAL=0`, only the measured crate rebuilt),
//! so that check time per operation can be set beside nexus.json's.
//!
//! A definition that does not load or generate is reported with its reason and the
//! section carries on with the others.

use std::ffi::OsString;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{ProcessStats, Tools, cargo, measure, median, rust_lines};

/// The large clients: (name, document under the corpus).
pub const CLIENTS: [(&str, &str); 3] = [
    ("github", "oas3/api.github.com.json"),
    ("openai", "public-apis/openai/openapi.yaml"),
    (
        "digitalocean",
        "public-apis/digitalocean/DigitalOcean-public.v2.yaml",
    ),
];

/// One large client.
#[derive(Debug, Clone, Serialize)]
pub struct LargeRow {
    /// Crate name (`github`, `openai`, `digitalocean`).
    pub client: String,
    /// Document, relative to the corpus.
    pub document: String,
    /// Operations in the loaded definition.
    pub operations: usize,
    /// Lines of generated Rust.
    pub lines: usize,
    /// Types generated (`pub struct`, `pub enum` and `pub type` items of `types.rs`):
    /// the unit for type-heavy documents, whose check time follows their types rather
    /// than their operations.
    pub types: usize,
    /// Generation wall time (whole process), ms.
    pub generate_ms: f64,
    /// `cargo check` runs.
    pub runs: usize,
    /// Median wall time of `cargo check -p <crate>`, s.
    pub check_seconds: f64,
    /// The same command with nothing to rebuild (cargo's fixed cost), s.
    pub noop_seconds: f64,
    /// Peak RSS of the check (rustc's, the largest process cargo waited for), KiB.
    pub check_max_rss_kb: u64,
    /// Why the client could not be measured ("failed to load: …").
    pub error: Option<String>,
}

impl LargeRow {
    fn failed(client: &str, document: &str, error: String) -> LargeRow {
        eprintln!("bench: large {client}: {error}");
        LargeRow {
            client: client.to_owned(),
            document: document.to_owned(),
            operations: 0,
            lines: 0,
            types: 0,
            generate_ms: 0.0,
            runs: 0,
            check_seconds: 0.0,
            noop_seconds: 0.0,
            check_max_rss_kb: 0,
            error: Some(error),
        }
    }

    /// Net `cargo check` time per generated type, ms.
    pub fn check_ms_per_type(&self) -> Option<f64> {
        (self.error.is_none() && self.types > 0)
            .then(|| (self.check_seconds - self.noop_seconds).max(0.0) * 1e3 / self.types as f64)
    }

    /// Net `cargo check` time per 1,000 generated lines, ms.
    pub fn check_ms_per_kline(&self) -> Option<f64> {
        (self.error.is_none() && self.lines > 0)
            .then(|| (self.check_seconds - self.noop_seconds).max(0.0) * 1e6 / self.lines as f64)
    }

    /// Net `cargo check` time per operation, ms.
    pub fn check_ms_per_operation(&self) -> Option<f64> {
        (self.error.is_none() && self.operations > 0).then(|| {
            (self.check_seconds - self.noop_seconds).max(0.0) * 1e3 / self.operations as f64
        })
    }
}

/// The type items of a generated `types.rs` (0 if it cannot be read).
fn type_items(types_rs: &Path) -> usize {
    std::fs::read_to_string(types_rs).map_or(0, |text| {
        text.lines()
            .filter(|l| {
                l.starts_with("pub struct ")
                    || l.starts_with("pub enum ")
                    || l.starts_with("pub type ")
            })
            .count()
    })
}

/// The first line of an error, shortened for a table cell; the document's own path (the
/// row names it) is cut to the line and column that follow it.
fn reason(e: &impl std::fmt::Display, doc: &Path) -> String {
    let text = e
        .to_string()
        .replace(&format!("{}:", doc.display()), "line ");
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    line.chars().take(200).collect()
}

/// Generate, prebuild and measure every large client found in `corpus`.
pub fn run(
    root: &Path,
    tools: &Tools,
    corpus: &Path,
    scratch: &Path,
    runs: usize,
) -> Result<Vec<LargeRow>> {
    let ws = scratch.join("large");
    std::fs::create_dir_all(&ws)?;
    let runtime = root.join("crates/connector-runtime");
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for (client, document) in CLIENTS {
        let doc = corpus.join(document);
        if !doc.is_file() {
            rows.push(LargeRow::failed(
                client,
                document,
                format!("failed to load: {} not found", doc.display()),
            ));
            continue;
        }
        eprintln!("bench: large {client}: loading and generating");
        let operations = match connector_spec::load(&doc) {
            Ok(loaded) => loaded.connector.operations.len(),
            Err(e) => {
                rows.push(LargeRow::failed(
                    client,
                    document,
                    format!("failed to load: {}", reason(&e, &doc)),
                ));
                continue;
            }
        };
        let out = ws.join(client);
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd: Vec<OsString> = vec![tools.ours.clone().into(), "generate".into()];
        cmd.extend([doc.clone().into(), "--out".into(), out.clone().into()]);
        cmd.extend(["--crate-name".into(), client.into()]);
        cmd.extend(["--runtime-path".into(), runtime.clone().into()]);
        let generated: ProcessStats = match measure(tools, &cmd) {
            Ok(s) => s,
            Err(e) => {
                rows.push(LargeRow::failed(
                    client,
                    document,
                    format!("failed to generate: {}", reason(&e, &doc)),
                ));
                continue;
            }
        };
        members.push(client);
        rows.push(LargeRow {
            client: client.to_owned(),
            document: document.to_owned(),
            operations,
            lines: rust_lines(&out),
            types: type_items(&out.join("src/types.rs")),
            generate_ms: generated.wall_ms,
            runs: 0,
            check_seconds: 0.0,
            noop_seconds: 0.0,
            check_max_rss_kb: 0,
            error: None,
        });
    }
    if members.is_empty() {
        return Ok(rows);
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        ws.join("Cargo.toml"),
        format!(
            "# Scratch workspace of `cargo xtask bench` (large clients).\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            quoted.join(", ")
        ),
    )?;
    if !ws.join("Cargo.lock").exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"));
    }
    let target = ws.join("target");
    let check = |krate: &str| -> Vec<OsString> {
        // `env` so the measuring wrapper runs cargo with the scratch settings.
        let mut c: Vec<OsString> = vec!["env".into()];
        c.push(format!("CARGO_TARGET_DIR={}", target.display()).into());
        c.push("CARGO_INCREMENTAL=0".into());
        c.push(
            std::env::var_os("CARGO")
                .unwrap_or_else(|| "cargo".into())
                .clone(),
        );
        c.extend(["check".into(), "--quiet".into()]);
        c.extend(["--manifest-path".into(), ws.join("Cargo.toml").into()]);
        c.extend(["-p".into(), krate.into()]);
        c
    };
    eprintln!("bench: large: prebuilding dependencies (check)");
    let status = cargo()
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .args(["check", "--quiet", "-p", "connector-runtime"])
        .status()?;
    if !status.success() {
        bail!(
            "cargo check -p connector-runtime failed in {}",
            ws.display()
        );
    }
    let mut n = 0u64;
    for row in rows.iter_mut().filter(|r| r.error.is_none()) {
        let lib = ws.join(&row.client).join("src/lib.rs");
        let (mut walls, mut noops, mut rss) = (Vec::new(), Vec::new(), Vec::new());
        for run in 0..runs.max(1) {
            n += 1;
            super::compile::stamp(&lib, n)?;
            eprintln!(
                "bench: large {}: cargo check, run {}/{runs}",
                row.client,
                run + 1
            );
            match measure(tools, &check(&row.client)) {
                Ok(s) => {
                    walls.push(s.wall_ms / 1e3);
                    rss.push(s.max_rss_kb as f64);
                }
                Err(e) => {
                    row.error = Some(format!("cargo check failed: {}", reason(&e, &lib)));
                    break;
                }
            }
            noops.push(measure(tools, &check(&row.client))?.wall_ms / 1e3);
        }
        row.runs = walls.len();
        row.check_seconds = median(&walls);
        row.noop_seconds = median(&noops);
        row.check_max_rss_kb = rss.iter().copied().fold(0.0, f64::max) as u64;
    }
    Ok(rows)
}
