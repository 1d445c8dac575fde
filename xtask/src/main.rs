//! Project automation: `cargo xtask codegen [--check]`, `cargo xtask corpus`,
//! `cargo xtask lint-corpus [--spectral]`, `cargo xtask bench`.

mod bench;
mod codegen;
mod contract;
mod contract_defects;
mod corpus;
mod corpus_compile;
mod corpus_public;
mod corpus_report;
mod history;
mod lint_corpus;
mod npm_tool;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// Generation allocates many small, short-lived token trees: mimalloc measurably
/// shortens whole-corpus runs over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "connector-gen project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate every crate in generated/ from specs/.
    Codegen {
        /// Change nothing; exit 1 when anything in generated/ is stale.
        #[arg(long)]
        check: bool,
    },
    /// Load, generate and compile every definition of a corpus of real connectors; writes
    /// target/corpus-report.json and target/corpus-report.md.
    Corpus {
        /// Corpus root (default: $CONNECTOR_CORPUS, else ../shared/corpus beside the workspace).
        path: Option<PathBuf>,
        /// Only the definitions listed in FILE (one path per line, relative to the root).
        #[arg(long, value_name = "FILE")]
        sample: Option<PathBuf>,
        /// Load and generate only.
        #[arg(long)]
        no_compile: bool,
        /// Scratch workspace for the generated crates (default target/corpus-scratch).
        #[arg(long, value_name = "DIR")]
        scratch: Option<PathBuf>,
    },
    /// Benchmarks beside the peers (progenitor for generation and compile cost, raw reqwest
    /// for runtime cost); prints a markdown table and writes target/bench-report.json.
    Bench {
        /// A shorter run for checks (fewer repetitions, shorter load phases, no criterion).
        #[arg(long)]
        quick: bool,
        /// Only these sections (generation, compile, runtime, paging, micro); default all.
        #[arg(long, value_delimiter = ',')]
        only: Vec<bench::Section>,
    },
    /// Lint every Power Platform definition of the corpus in one process; writes
    /// target/lint-report.md and target/lint-report.json (findings per rule).
    LintCorpus {
        /// Corpus root (default: $CONNECTOR_CORPUS, else ../shared/corpus beside the workspace).
        path: Option<PathBuf>,
        /// Also run the pinned Spectral CLI (`spectral:oas`, installed with `npm ci`) on a
        /// fixed sample and compare time per document.
        #[arg(long)]
        spectral: bool,
        /// Sample size of the Spectral comparison.
        #[arg(long, default_value_t = 40)]
        sample: usize,
    },
    /// Diff every before/after pair of ../shared/history; writes target/history-report.{json,md}.
    History {
        /// History root (default: $CONNECTOR_HISTORY, else ../shared/history beside the workspace).
        path: Option<PathBuf>,
        /// Also cross-check our bump with cargo-semver-checks on the generated crates.
        #[arg(long)]
        semver_checks: bool,
        /// With --semver-checks: only the first N pairs.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// With --semver-checks: only these pairs (folder names, comma separated).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// A measured child process of `bench` (internal).
    /// Contract tests: each definition's harness against Prism (static, and with
    /// `--dynamic` random schema-valid data for several seeds); writes
    /// target/contract-report.{json,md}. SKIPPED (exit 0) without node/npm.
    Contract {
        /// Definitions (default: specs/, public-apis and a Power Platform sample).
        definitions: Vec<PathBuf>,
        /// Also run Prism in dynamic mode with several seeds.
        #[arg(long)]
        dynamic: bool,
        /// Power Platform definitions in the default set's sample.
        #[arg(long, default_value_t = 20)]
        sample: usize,
        /// Leave public-apis out of the default set.
        #[arg(long)]
        no_public_apis: bool,
        /// Stop starting new definitions after this many seconds.
        #[arg(long, value_name = "SECS")]
        budget: Option<u64>,
    },
    #[command(hide = true)]
    BenchChild {
        #[command(subcommand)]
        child: bench::child::Child,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<bool> = match cli.command {
        Command::Codegen { check } => codegen::run(&workspace_root(), check),
        Command::Corpus {
            path,
            sample,
            no_compile,
            scratch,
        } => corpus::run(
            &workspace_root(),
            &corpus::Options {
                root: path,
                sample,
                no_compile,
                scratch,
            },
        ),
        Command::Bench { quick, only } => bench::run(&workspace_root(), quick, &only),
        Command::LintCorpus {
            path,
            spectral,
            sample,
        } => lint_corpus::run(
            &workspace_root(),
            &lint_corpus::Options {
                root: path,
                spectral,
                sample,
            },
        ),
        Command::History {
            path,
            semver_checks,
            limit,
            only,
        } => history::run(
            &workspace_root(),
            &history::Options {
                root: path,
                semver_checks,
                limit,
                only,
            },
        ),
        Command::Contract {
            definitions,
            dynamic,
            sample,
            no_public_apis,
            budget,
        } => contract::run(
            &workspace_root(),
            &contract::Options {
                definitions,
                dynamic,
                sample,
                no_public_apis,
                budget,
            },
        ),
        Command::BenchChild { child } => bench::child::run(child).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root (the parent of xtask/).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
