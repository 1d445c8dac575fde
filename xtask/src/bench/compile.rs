//! Compile cost of generated code: each client for the same document, and a binary calling
//! every operation once, in one scratch workspace. Dependencies are built once; for every
//! measured run only the measured crate's source changes (a stamp constant), so it is
//! rebuilt in full with `CARGO_INCREMENTAL=0`.
//!
//! The all-operations binaries' `cargo check` cells are cheap (~0.4-0.6 s) and their
//! ratio is what the target is about, so they are sampled apart from the rest:
//! [`ALL_OPS_CHECK_RUNS`] samples each, the clients alternating within every sample (in
//! reverse order every other sample, so a drift in load falls on both sides), and the
//! median taken. Three samples per cell let the ratio move 0.55-0.75x between runs.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::allops::{self, Style};
use super::{Tool, Tools, cargo, median, rust_lines};

/// One (client, crate kind, command) row.
#[derive(Debug, Clone, Serialize)]
pub struct CompileRow {
    /// Generator of the client.
    pub tool: Tool,
    /// `lib` (the generated crate) or `all-ops` (the binary calling every operation).
    pub kind: &'static str,
    /// `check` or `build --release`.
    pub command: &'static str,
    /// Runs.
    pub runs: usize,
    /// Median wall time of the cargo process, s.
    pub seconds: f64,
    /// Median wall time of the same command with nothing to rebuild (cargo's fixed cost), s.
    pub noop_seconds: f64,
    /// Every run, s.
    pub all: Vec<f64>,
    /// Lines of Rust of the measured crate.
    pub lines: usize,
    /// Operations the all-ops binary calls (0 for `lib`).
    pub operations: usize,
}

/// Samples of each all-operations binary's `cargo check` (whatever `runs` is).
pub const ALL_OPS_CHECK_RUNS: usize = 11;

struct Member {
    tool: Tool,
    lib: String,
    all: String,
    lib_lines: usize,
    all_lines: usize,
    operations: usize,
}

/// Prepare the scratch workspace, prebuild, measure.
pub fn run(
    root: &Path,
    tools: &Tools,
    doc: &Path,
    scratch: &Path,
    runs: usize,
) -> Result<Vec<CompileRow>> {
    let ws = scratch.join("compile");
    std::fs::create_dir_all(&ws)?;
    let runtime = root.join("crates/connector-runtime");
    let mut members = Vec::new();
    for tool in Tool::ALL {
        let lib = format!("nexus-{}", tool.slug());
        let all = format!("{lib}-all");
        let lib_dir = ws.join(&lib);
        // Generate next to the crate and copy only what changed, so an unchanged crate
        // stays fresh from the previous run and the prebuild has nothing to do. The copy
        // is generated at the crate's own depth: the manifest names the runtime by a
        // relative path.
        let fresh = ws.join(format!(".fresh-{lib}"));
        let _ = std::fs::remove_dir_all(&fresh);
        let cmd = tool.command(tools, doc, &fresh, &lib, &runtime);
        let status = std::process::Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
        if !status.success() {
            bail!("{} could not generate {}", tool.label(), doc.display());
        }
        sync(&fresh, &lib_dir)?;
        let lib_ident = lib.replace('-', "_");
        let (files, style): (Vec<_>, _) = match tool {
            Tool::Ours => (vec![lib_dir.join("src/operations.rs")], Style::Builder),
            Tool::ProgenitorBuilder => (vec![lib_dir.join("src/lib.rs")], Style::Builder),
            Tool::ProgenitorPositional => (vec![lib_dir.join("src/lib.rs")], Style::Positional),
        };
        let files: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
        let (main_rs, operations) = allops::main_rs(&lib_ident, &files, style)?;
        let all_dir = ws.join(&all);
        std::fs::create_dir_all(all_dir.join("src"))?;
        // The lib's own dependencies too, so the types its signatures name resolve.
        let lib_deps = dependencies(&lib_dir.join("Cargo.toml"))?;
        write_if_changed(
            &all_dir.join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{all}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\n{lib} = {{ path = \"../{lib}\" }}\n{lib_deps}"
            ),
        )?;
        write_if_changed(&all_dir.join("src/main.rs"), &main_rs)?;
        members.push(Member {
            tool,
            lib_lines: rust_lines(&lib_dir),
            all_lines: main_rs.lines().count(),
            lib,
            all,
            operations,
        });
    }
    let names: Vec<String> = members
        .iter()
        .flat_map(|m| [format!("\"{}\"", m.lib), format!("\"{}\"", m.all)])
        .collect();
    std::fs::write(
        ws.join("Cargo.toml"),
        format!(
            "# Scratch workspace of `cargo xtask bench` (compile section).\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            names.join(", ")
        ),
    )?;
    // Pin the dependencies the main workspace shares with the generated crates.
    if !ws.join("Cargo.lock").exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"));
    }
    let target = ws.join("target");
    let cargo_in = |args: &[&str]| {
        let mut c = cargo();
        c.current_dir(&ws)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .args(args);
        c
    };
    eprintln!("bench: compile: prebuilding dependencies (check + release)");
    for args in [
        &["check", "--quiet", "--workspace"][..],
        &["build", "--quiet", "--release", "--workspace"][..],
    ] {
        let status = cargo_in(args).status()?;
        if !status.success() {
            bail!("cargo {} failed in {}", args.join(" "), ws.display());
        }
    }

    let commands: [(&'static str, &[&str]); 2] = [
        ("check", &["check", "--quiet"]),
        ("build --release", &["build", "--quiet", "--release"]),
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); members.len() * 4];
    let mut noop: Vec<Vec<f64>> = vec![Vec::new(); members.len() * 4];
    let mut n = 1u64;
    for run in 0..runs {
        // Alternate the clients within each run.
        for (i, m) in members.iter().enumerate() {
            for (kind, krate, file) in [
                (0usize, &m.lib, ws.join(&m.lib).join("src/lib.rs")),
                (1, &m.all, ws.join(&m.all).join("src/main.rs")),
            ] {
                n += 1;
                stamp(&file, n)?;
                for (c, (label, args)) in commands.iter().enumerate() {
                    // The all-ops binaries' check is sampled on its own, below.
                    if kind == 1 && c == 0 {
                        continue;
                    }
                    eprintln!(
                        "bench: compile run {}/{runs}: {krate} cargo {label}",
                        run + 1
                    );
                    let mut full: Vec<&str> = args.to_vec();
                    full.extend(["-p", krate]);
                    let (secs, noop_secs) = timed(&cargo_in, &full)?;
                    times[i * 4 + kind * 2 + c].push(secs);
                    noop[i * 4 + kind * 2 + c].push(noop_secs);
                }
            }
        }
    }
    all_ops_checks(&members, &ws, &cargo_in, &mut n, &mut times, &mut noop)?;
    let mut rows = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for kind in 0..2 {
            for (c, (label, _)) in commands.iter().enumerate() {
                let all = times[i * 4 + kind * 2 + c].clone();
                rows.push(CompileRow {
                    tool: m.tool,
                    kind: if kind == 0 { "lib" } else { "all-ops" },
                    command: label,
                    runs: all.len(),
                    seconds: median(&all),
                    noop_seconds: median(&noop[i * 4 + kind * 2 + c]),
                    all,
                    lines: if kind == 0 { m.lib_lines } else { m.all_lines },
                    operations: if kind == 0 { 0 } else { m.operations },
                });
            }
        }
    }
    Ok(rows)
}

/// [`ALL_OPS_CHECK_RUNS`] samples of `cargo check` of every all-operations binary, the
/// clients alternating within a sample (reversed every other sample), into the `check`
/// cells of the all-ops rows of `times` and `noop`.
fn all_ops_checks(
    members: &[Member],
    ws: &Path,
    cargo_in: &dyn Fn(&[&str]) -> std::process::Command,
    n: &mut u64,
    times: &mut [Vec<f64>],
    noop: &mut [Vec<f64>],
) -> Result<()> {
    // Unmeasured: the libraries' check artifacts fresh, whatever ran last.
    for m in members {
        let status = cargo_in(&["check", "--quiet", "-p", &m.all]).status()?;
        if !status.success() {
            bail!("cargo check -p {} failed", m.all);
        }
    }
    let cell = |i: usize| i * 4 + 2;
    for sample in 0..ALL_OPS_CHECK_RUNS {
        let mut order: Vec<usize> = (0..members.len()).collect();
        if sample % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let m = &members[i];
            *n += 1;
            stamp(&ws.join(&m.all).join("src/main.rs"), *n)?;
            eprintln!(
                "bench: compile all-ops check {}/{ALL_OPS_CHECK_RUNS}: {}",
                sample + 1,
                m.all
            );
            let (secs, noop_secs) = timed(cargo_in, &["check", "--quiet", "-p", &m.all])?;
            times[cell(i)].push(secs);
            noop[cell(i)].push(noop_secs);
        }
    }
    Ok(())
}

/// Wall time of the cargo command `args`, then of the same command with nothing to do
/// (cargo's own fixed cost), s.
fn timed(cargo_in: &dyn Fn(&[&str]) -> std::process::Command, args: &[&str]) -> Result<(f64, f64)> {
    let start = Instant::now();
    let status = cargo_in(args).status()?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    let start = Instant::now();
    let _ = cargo_in(args).status()?;
    Ok((secs, start.elapsed().as_secs_f64()))
}

/// The `[dependencies]` table's lines of a manifest.
fn dependencies(manifest: &Path) -> Result<String> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == "[dependencies]";
        } else if inside && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

const MARKER: &str = "\n// bench-stamp\n";

/// Write `content` unless the file already holds it (ignoring a stamp).
fn write_if_changed(path: &Path, content: &str) -> Result<()> {
    if let Ok(old) = std::fs::read_to_string(path) {
        let old = old.find(MARKER).map_or(old.as_str(), |at| &old[..at]);
        if old == content {
            return Ok(());
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))
}

/// Copy every file of `from` into `to` where it differs.
fn sync(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)?.flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            sync(&path, &dest)?;
        } else {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            write_if_changed(&dest, &text)?;
        }
    }
    Ok(())
}

/// Set the crate's stamp constant to `n` (appending it the first time): new source
/// content, so cargo rebuilds the crate in full.
pub(super) fn stamp(file: &Path, n: u64) -> Result<()> {
    let mut text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    if let Some(at) = text.find(MARKER) {
        text.truncate(at);
    }
    text.push_str(&format!(
        "{MARKER}#[doc(hidden)]\npub const BENCH_STAMP: u64 = {n};\n"
    ));
    std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))
}
