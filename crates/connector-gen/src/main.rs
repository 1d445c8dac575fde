//! `connector-gen`: generate typed Rust clients from API connector definitions.

mod catalog_cmd;
mod diff_cmd;
mod harness_cmd;
mod lint_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use connector_codegen::{GeneratedCrate, Generator};
use connector_spec::{Loader, Severity};

/// Generation allocates many small, short-lived token trees: mimalloc measurably
/// shortens whole-corpus runs over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate typed Rust client crates from API connector definitions (Swagger 2.0 Power
/// Platform connectors or OpenAPI 3.x, JSON or YAML).
#[derive(Debug, Parser)]
#[command(name = "connector-gen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a client crate into a folder.
    Generate {
        /// A definition file, or a folder with apiDefinition.swagger.json [+ apiProperties.json].
        definition: PathBuf,
        /// Folder to write the crate into (created if needed).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        options: Options,
        /// Over an existing crate: the definition it was generated from (default: the
        /// definition at git HEAD); the semver bump is reported.
        #[arg(long, value_name = "OLD")]
        previous: Option<PathBuf>,
        /// Over an existing crate: write its version, bumped per the diff, into Cargo.toml.
        #[arg(long)]
        bump_version: bool,
    },
    /// Exit 1 when a generated crate is stale, with a short summary of what differs.
    Check {
        /// A definition file, or a folder with apiDefinition.swagger.json [+ apiProperties.json].
        definition: PathBuf,
        /// The generated crate's folder.
        dir: PathBuf,
        #[command(flatten)]
        options: Options,
    },
    /// Check definitions against Power Platform certification and style rules.
    Lint(lint_cmd::LintArgs),
    /// One row per connector found under folders: ownership, auth, versions, lint state.
    Catalog(catalog_cmd::CatalogArgs),
    /// Classify the changes between two definitions (breaking / additive / patch), check
    /// seed 003's revision discipline and report the semver bump of the regenerated crate.
    Diff(diff_cmd::DiffArgs),
    /// Write a contract-test harness crate: calls every operation against a server that
    /// speaks the definition (staging or a mock) and reports per operation.
    Harness(harness_cmd::HarnessArgs),
}

#[derive(Debug, Args)]
struct Options {
    /// Package name (default: the output folder's name).
    #[arg(long)]
    crate_name: Option<String>,
    /// Depend on connector-runtime by this path, relative to the generated crate.
    #[arg(long, conflicts_with = "runtime_version")]
    runtime_path: Option<String>,
    /// Depend on connector-runtime from crates.io with this version requirement.
    #[arg(long)]
    runtime_version: Option<String>,
    /// Folder with Cargo.toml.jinja / README.md.jinja overriding the built-in templates.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Treat recovered problems in the definition (warnings) as errors.
    #[arg(long)]
    strict: bool,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Diff(args) => diff_cmd::run(&args),
        Command::Generate {
            definition,
            out,
            options,
            previous,
            bump_version,
        } => {
            let mut generated = generate(&definition, &out, &options)?;
            if previous.is_some() || bump_version {
                diff_cmd::bump_existing(
                    &definition,
                    previous.as_deref(),
                    &out,
                    &mut generated,
                    bump_version,
                )?;
            }
            generated
                .write_to(&out)
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "generated {} ({} files) in {}",
                generated.name,
                generated.files.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            definition,
            dir,
            options,
        } => {
            let generated = generate(&definition, &dir, &options)?;
            let changes = generated.check(&dir);
            if changes.is_empty() {
                eprintln!("{} is up to date", dir.display());
                return Ok(ExitCode::SUCCESS);
            }
            println!("{} is stale ({} file(s)):", dir.display(), changes.len());
            for change in &changes {
                println!("  {change}");
            }
            println!(
                "run: connector-gen generate {} --out {}",
                definition.display(),
                dir.display()
            );
            Ok(ExitCode::from(1))
        }
        Command::Lint(args) => lint_cmd::run(args),
        Command::Catalog(args) => catalog_cmd::run(args),
        Command::Harness(args) => harness_cmd::run(&args),
    }
}

fn generate(definition: &Path, out: &Path, options: &Options) -> Result<GeneratedCrate> {
    let loaded = match Loader::new().strict(options.strict).load(definition) {
        Ok(loaded) => loaded,
        Err(e) => {
            for d in &e.diagnostics {
                eprintln!("{d}");
            }
            let errors = e
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            bail!(
                "{} could not be loaded ({errors} error(s))",
                definition.display()
            );
        }
    };
    for d in &loaded.diagnostics {
        eprintln!("{d}");
    }
    let mut generator = Generator::new();
    let name = options.crate_name.clone().or_else(|| {
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != "..")
    });
    if let Some(name) = name {
        generator = generator.crate_name(name);
    }
    if let Some(path) = &options.runtime_path {
        generator = generator.runtime_path(path.clone());
    }
    if let Some(version) = &options.runtime_version {
        generator = generator.runtime_version(version.clone());
    }
    if let Some(templates) = &options.templates {
        generator = generator.templates(templates.clone());
    }
    Ok(generator.generate(&loaded.connector)?)
}
