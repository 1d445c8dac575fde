//! `cargo xtask contract [DEFINITION...] [--dynamic]`: contract tests of generated
//! clients against Prism. Per definition: generate the harness crate
//! (`connector-gen harness`) into one scratch workspace under target/contract (one
//! build, one target dir), start the pinned Prism (tools/prism, installed with `npm ci`
//! into target/prism) on 127.0.0.1 and a free port, run the harness, stop Prism. Static
//! mode answers with the definition's examples; `--dynamic` adds runs with random
//! schema-valid data for several seeds. Writes target/contract-report.{json,md}.

use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use connector_codegen::Generator;
use serde_json::{Value, json};

/// Options of `contract`.
pub struct Options {
    /// Definitions to test (default: specs/, public-apis and a Power Platform sample).
    pub definitions: Vec<PathBuf>,
    /// Also run Prism in dynamic mode with several seeds.
    pub dynamic: bool,
    /// How many Power Platform definitions the default set samples.
    pub sample: usize,
    /// Only the default set's specs/ and Power Platform sample (no public-apis).
    pub no_public_apis: bool,
    /// Stop starting new definitions after this many seconds.
    pub budget: Option<u64>,
}

/// Seeds of the dynamic runs.
const SEEDS: [u32; 3] = [1, 2, 3];
const OUTCOMES: [&str; 6] = [
    "pass",
    "decode_error",
    "request_rejected",
    "nonconformant",
    "transport_error",
    "skipped",
];

/// Prism, stopped when dropped (also when a run fails or panics).
struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool_present(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs the pinned Prism into target/prism with `npm ci` (once per lockfile).
fn install_prism(workspace: &Path) -> Result<PathBuf> {
    crate::npm_tool::install_pinned(
        workspace,
        "prism",
        "@stoplight/prism-cli",
        "node_modules/@stoplight/prism-cli/dist/index.js",
    )
}

fn corpus_root(workspace: &Path) -> PathBuf {
    std::env::var_os("CONNECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("../shared/corpus"))
}

/// specs/, public-apis' documents and every `len / n`-th Power Platform definition.
fn default_set(workspace: &Path, opts: &Options) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(workspace.join("specs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    let corpus = corpus_root(workspace);
    if !opts.no_public_apis {
        let mut docs = Vec::new();
        let mut stack = vec![corpus.join("public-apis")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if crate::corpus::is_openapi_document(&path) {
                    docs.push(path);
                }
            }
        }
        docs.sort();
        out.extend(docs);
    }
    let pp = crate::corpus::discover(&corpus.join("power-platform"));
    let step = (pp.len() / opts.sample.max(1)).max(1);
    out.extend(pp.into_iter().step_by(step).take(opts.sample));
    out
}

/// The file Prism reads for a definition (a Power Platform folder's swagger file).
fn definition_file(def: &Path) -> PathBuf {
    if def.is_dir() {
        let swagger = def.join("apiDefinition.swagger.json");
        if swagger.is_file() {
            return swagger;
        }
        for name in ["openapi.yaml", "openapi.yml", "openapi.json"] {
            if def.join(name).is_file() {
                return def.join(name);
            }
        }
    }
    def.to_path_buf()
}

/// A package-name-safe slug, unique per index.
fn slug(i: usize, def: &Path, workspace: &Path) -> String {
    let rel = def.strip_prefix(workspace).unwrap_or(def);
    let text: String = rel
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let tail: String = text.trim_matches('-').chars().rev().take(40).collect();
    let tail: String = tail.chars().rev().collect();
    format!("c{i:03}-{}", tail.trim_matches('-'))
}

struct Entry {
    definition: PathBuf,
    slug: String,
    /// The harness package (and binary) name, once generated.
    package: String,
    error: Option<String>,
}

/// Runs the contract tests; `Ok(false)` when a definition under specs/ fails.
pub fn run(workspace: &Path, opts: &Options) -> Result<bool> {
    if !tool_present("node") || !tool_present("npm") {
        eprintln!(
            "\n*** SKIPPED: node/npm not found; cargo xtask contract needs them for Prism ***\n"
        );
        return Ok(true);
    }
    let prism = install_prism(workspace)?;
    let defs = if opts.definitions.is_empty() {
        default_set(workspace, opts)
    } else {
        opts.definitions.clone()
    };
    let scratch = workspace.join("target/contract");
    std::fs::create_dir_all(scratch.join("reports"))?;
    let runtime = workspace.join("crates/connector-runtime");
    let mut entries = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let slug = slug(i, def, workspace);
        let (package, error) = match generate(def, &scratch.join(&slug), &slug, &runtime) {
            Ok(package) => (package, None),
            Err(e) => (String::new(), Some(format!("{e:#}"))),
        };
        entries.push(Entry {
            definition: def.clone(),
            slug,
            package,
            error,
        });
    }
    write_workspace(&scratch, workspace, &entries)?;
    eprintln!(
        "building {} harness crate(s) in {}",
        entries.len(),
        scratch.display()
    );
    let build = Command::new("cargo")
        .args([
            "build",
            "--offline",
            "--keep-going",
            "--workspace",
            "--quiet",
        ])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        // Incremental data of 62 harness crates is ~8 GB, more than their builds.
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .context("running cargo build")?;
    if !build.success() {
        eprintln!("some harness crates did not build; they are reported as build failures");
    }
    let started = Instant::now();
    let mut rows = Vec::new();
    for e in &entries {
        if opts
            .budget
            .is_some_and(|b| started.elapsed() > Duration::from_secs(b))
        {
            rows.push(row(e, "static", Err("not run: time budget spent".into())));
            continue;
        }
        if let Some(err) = &e.error {
            rows.push(row(e, "static", Err(format!("generation failed: {err}"))));
            continue;
        }
        let bin = scratch.join("target/debug").join(&e.package);
        if !bin.is_file() {
            rows.push(row(
                e,
                "static",
                Err("the harness crate did not build".into()),
            ));
            continue;
        }
        let mut modes: Vec<(String, Option<u32>)> = vec![("static".into(), None)];
        if opts.dynamic {
            modes.extend(SEEDS.iter().map(|s| (format!("dynamic-{s}"), Some(*s))));
        }
        let defects = crate::contract_defects::definition_defects(&e.definition);
        for (mode, seed) in modes {
            let report = scratch
                .join("reports")
                .join(format!("{}-{mode}.json", e.slug));
            let result = run_one(&prism, &definition_file(&e.definition), &bin, seed, &report).map(
                |mut r| {
                    crate::contract_defects::explain(&mut r, &defects);
                    r
                },
            );
            println!(
                "{} [{mode}]: {}",
                e.definition.display(),
                match &result {
                    Ok(r) => summary(&r["totals"]),
                    Err(err) => err.clone(),
                }
            );
            rows.push(row(e, &mode, result));
        }
    }
    write_reports(workspace, &rows)?;
    let specs = workspace.join("specs");
    let failed_spec = rows.iter().any(|r| {
        Path::new(r["definition"].as_str().unwrap_or_default()).starts_with(&specs)
            && (r["error"].is_string() || failures(&r["totals"]) > 0)
    });
    Ok(!failed_spec)
}

/// Writes the harness crate for `def` into `out`; its package name.
fn generate(def: &Path, out: &Path, slug: &str, runtime: &Path) -> Result<String> {
    let loaded = connector_spec::load(def).map_err(|e| anyhow::anyhow!("{e}"))?;
    let harness = Generator::new()
        .crate_name(slug)
        .runtime_path(runtime.to_string_lossy())
        .generate_harness(&loaded.connector)?;
    harness.write_to(out)?;
    Ok(harness.name)
}

/// The scratch workspace's manifest (every harness crate) and the pinned lockfile.
fn write_workspace(scratch: &Path, workspace: &Path, entries: &[Entry]) -> Result<()> {
    let mut toml = String::from(
        "# Written by `cargo xtask contract`: every harness crate of the last run.\n[workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for e in entries.iter().filter(|e| e.error.is_none()) {
        let _ = writeln!(toml, "    \"{}\",", e.slug);
    }
    toml.push_str("]\n");
    std::fs::write(scratch.join("Cargo.toml"), toml)?;
    let lock = scratch.join("Cargo.lock");
    if !lock.is_file() {
        std::fs::copy(workspace.join("Cargo.lock"), &lock).context("copying Cargo.lock")?;
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Starts Prism for `file`, runs the harness against it, stops Prism: the report.
fn run_one(
    prism: &Path,
    file: &Path,
    bin: &Path,
    seed: Option<u32>,
    report: &Path,
) -> Result<Value, String> {
    let port = free_port().map_err(|e| format!("no free port: {e}"))?;
    let mut cmd = Command::new("node");
    cmd.arg(prism).args([
        "mock",
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--errors",
        "true",
    ]);
    if let Some(seed) = seed {
        cmd.args(["--dynamic", "--seed", &seed.to_string()]);
    }
    let log = report.with_extension("prism.log");
    let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    let err_file = log_file.try_clone().map_err(|e| e.to_string())?;
    let child = cmd
        .arg(file)
        .stdout(log_file)
        .stderr(err_file)
        .spawn()
        .map_err(|e| format!("cannot start prism: {e}"))?;
    let mut guard = Prism(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline || guard.0.try_wait().ok().flatten().is_some() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Err(format!("prism did not start: {last}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_file(report);
    let out = Command::new(bin)
        .args([
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "--timeout-ms",
            "10000",
            "--report",
        ])
        .arg(report)
        .output()
        .map_err(|e| format!("cannot run the harness: {e}"))?;
    drop(guard);
    let text = std::fs::read_to_string(report).map_err(|_| {
        format!(
            "the harness wrote no report: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("report: {e}"))
}

fn row(e: &Entry, mode: &str, result: Result<Value, String>) -> Value {
    match result {
        Ok(report) => json!({
            "definition": e.definition.display().to_string(),
            "mode": mode,
            "totals": report["totals"],
            "failures": report["operations"].as_array().into_iter().flatten()
                .filter(|o| o["outcome"] != "pass")
                .cloned()
                .collect::<Vec<_>>(),
            "error": null,
        }),
        Err(error) => json!({
            "definition": e.definition.display().to_string(),
            "mode": mode,
            "totals": null,
            "failures": [],
            "error": error,
        }),
    }
}

fn count(totals: &Value, key: &str) -> u64 {
    totals[key].as_u64().unwrap_or(0)
}

fn failures(totals: &Value) -> u64 {
    ["decode_error", "request_rejected", "nonconformant"]
        .iter()
        .map(|k| count(totals, k))
        .sum()
}

fn summary(totals: &Value) -> String {
    let outcomes = OUTCOMES
        .iter()
        .map(|o| format!("{o} {}", count(totals, o)))
        .collect::<Vec<_>>()
        .join(", ");
    match count(totals, "explained") {
        0 => outcomes,
        n => format!("{outcomes} ({n} explained by the definition)"),
    }
}

fn write_reports(workspace: &Path, rows: &[Value]) -> Result<()> {
    let mut totals = serde_json::Map::new();
    for o in std::iter::once("operations")
        .chain(OUTCOMES)
        .chain(std::iter::once("explained"))
    {
        totals.insert(
            o.into(),
            json!(rows.iter().map(|r| count(&r["totals"], o)).sum::<u64>()),
        );
    }
    let doc = json!({ "runs": rows, "totals": totals });
    let target = workspace.join("target");
    std::fs::write(
        target.join("contract-report.json"),
        serde_json::to_string_pretty(&doc)?,
    )?;
    let mut md = String::from(
        "# Contract report\n\n`explained`: failures a definition defect causes (lint `media-type-missing`, `path-template-name-invalid`).\n\n| definition | mode | ops | pass | decode_error | request_rejected | nonconformant | transport_error | skipped | explained | note |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let t = &r["totals"];
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r["definition"].as_str().unwrap_or_default(),
            r["mode"].as_str().unwrap_or_default(),
            count(t, "operations"),
            count(t, "pass"),
            count(t, "decode_error"),
            count(t, "request_rejected"),
            count(t, "nonconformant"),
            count(t, "transport_error"),
            count(t, "skipped"),
            count(t, "explained"),
            r["error"].as_str().unwrap_or_default().replace('|', "\\|"),
        );
    }
    md.push_str("\n## Failures\n\n");
    for r in rows {
        for f in r["failures"].as_array().into_iter().flatten() {
            if matches!(f["outcome"].as_str(), Some("pass" | "skipped")) {
                continue;
            }
            let _ = writeln!(
                md,
                "- {} [{}] `{}` {}: {}{}",
                r["definition"].as_str().unwrap_or_default(),
                r["mode"].as_str().unwrap_or_default(),
                f["operation_id"].as_str().unwrap_or_default(),
                f["outcome"].as_str().unwrap_or_default(),
                f["detail"].as_str().unwrap_or_default().replace('\n', " "),
                f["definition"]
                    .as_str()
                    .map(|d| format!(" — definition defect: {d}"))
                    .unwrap_or_default(),
            );
        }
    }
    std::fs::write(target.join("contract-report.md"), md)?;
    println!(
        "contract: {}; report: target/contract-report.md and .json",
        summary(&Value::Object(totals))
    );
    Ok(())
}
