//! `connector-gen`: generate typed Rust clients from API connector definitions.

mod catalog_cmd;
mod check_cmd;
mod console;
mod diagnostics_render;
mod diff_cmd;
mod generate_cmd;
mod harness_cmd;
mod lint_cmd;
mod options;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use console::Console;
use diagnostics_render::MessageFormat;

/// Generation allocates many small, short-lived token trees: mimalloc measurably
/// shortens whole-corpus runs over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn transparent huge pages off for this process, unless `MIMALLOC_ALLOW_THP` says
/// otherwise.
///
/// mimalloc asks for huge pages (`MADV_HUGEPAGE`), and with the common kernel setting
/// `defrag=madvise` a fault on such a page may stop to compact memory first. A one-document
/// run lasts ~70 ms, so on a machine whose memory is fragmented by other processes those
/// stalls decide its time: nexus.json took 99–101 ms (median of 11, run alternately with
/// progenitor) with huge pages and 71–83 ms without (`cargo xtask bench --only generation`,
/// docs/benchmarks.md). xtask's corpus child (`bench-child gen-corpus`) does the same.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // Best effort: an old kernel without the flag just keeps its default.
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
}

const AFTER_HELP: &str = "\
Runtime dependency:
  Generated crates depend on the connector-runtime crate. Pass --runtime-path DIR (relative
  to the current directory; checked, and written relative to the crate), --runtime-git URL
  [--runtime-rev REV], or --runtime-version V, or set [runtime] in connector-gen.toml.
  Default: the connector-runtime of the checkout this connector-gen was built from, when it
  still exists; otherwise crates.io at this version, with a warning.

Configuration:
  connector-gen.toml beside the definition (or --config FILE): package name and version,
  runtime, [operations] include/exclude by operationId, tag or path glob, [types] renames,
  replacements and derives, [paging] overrides, [features] preview.

Subsets:
  --operations ID,... / --tags T,... generate only those operations and the types they use.

Reproducible:
  generate records its options in OUT/.connector-gen.toml; check and a bare generate over
  that folder reuse them. generate writes only into an empty folder or one it generated,
  and replaces only files it wrote (--force overwrites others, --dry-run lists changes).

Exit codes:
  0  success (check: up to date)
  1  check found a stale crate, lint found problems, or --dry-run found conflicts
  2  a definition or configuration could not be loaded, bad usage, or an I/O error";

/// Generate typed Rust client crates from API connector definitions (Swagger 2.0 Power
/// Platform connectors or OpenAPI 3.x, JSON or YAML).
#[derive(Debug, Parser)]
#[command(name = "connector-gen", version, about, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How diagnostics are shown: the source line with a caret, one line each, or JSON
    /// lines.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "human",
        help_heading = "Output"
    )]
    message_format: MessageFormat,
    /// Print only errors and results.
    #[arg(
        long,
        short,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Output"
    )]
    quiet: bool,
    /// Print details: every file written, debug logs.
    #[arg(long, short, global = true, help_heading = "Output")]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a client crate into a folder.
    Generate(generate_cmd::GenerateArgs),
    /// Exit 1 when a generated crate is stale, with what differs and the command that
    /// regenerates it.
    Check(check_cmd::CheckArgs),
    /// Check definitions against Power Platform certification and style rules.
    Lint(lint_cmd::LintArgs),
    /// One row per connector found under folders: ownership, auth, versions, lint state.
    Catalog(catalog_cmd::CatalogArgs),
    /// Classify the changes between two definitions (breaking / additive / patch), check
    /// the operation revision discipline and report the semver bump of the regenerated
    /// crate.
    Diff(diff_cmd::DiffArgs),
    /// Write a contract-test harness crate: calls every operation against a server that
    /// speaks the definition (staging or a mock) and reports per operation.
    Harness(harness_cmd::HarnessArgs),
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if cli.verbose { "debug" } else { "warn" })
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let mut console = Console::new(cli.message_format, cli.quiet, cli.verbose);
    match run(&mut console, cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(console: &mut Console, command: Command) -> Result<ExitCode> {
    match command {
        Command::Generate(args) => generate_cmd::run(console, &args),
        Command::Check(args) => check_cmd::run(console, &args),
        Command::Diff(args) => diff_cmd::run(&args),
        Command::Lint(args) => lint_cmd::run(args),
        Command::Catalog(args) => catalog_cmd::run(args),
        Command::Harness(args) => harness_cmd::run(console, &args),
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::no_transparent_huge_pages;

    #[test]
    fn the_process_asks_for_no_transparent_huge_pages_unless_mimalloc_is_told_otherwise() {
        let before = nix::sys::prctl::get_thp_disable().unwrap_or(false);
        no_transparent_huge_pages();
        let after = nix::sys::prctl::get_thp_disable().unwrap_or(false);
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            assert_eq!(after, before, "MIMALLOC_ALLOW_THP leaves the flag alone");
        } else {
            assert!(after, "transparent huge pages are off after the call");
        }
    }
}
