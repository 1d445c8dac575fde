//! `connector-gen harness`: writes the contract harness crate for a definition, a
//! binary that calls every operation of the generated client once against a server
//! (`--base-url`), checks each response against the definition and reports per
//! operation (see docs/contract.md).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use connector_codegen::Generator;

use crate::console::Console;

/// Arguments of `harness`.
#[derive(Debug, Args)]
pub struct HarnessArgs {
    /// A definition file, or a folder with apiDefinition.swagger.json [+ apiProperties.json].
    definition: PathBuf,
    /// Folder to write the harness crate into (the client goes into `<out>/client`).
    #[arg(long)]
    out: PathBuf,
    /// The client's package name (default: from the API title); the harness is
    /// `<name>-harness`.
    #[arg(long)]
    crate_name: Option<String>,
    /// Depend on connector-runtime by this path, relative to the harness folder.
    #[arg(long, conflicts_with = "runtime_version")]
    runtime_path: Option<String>,
    /// Depend on connector-runtime from crates.io with this version requirement.
    #[arg(long)]
    runtime_version: Option<String>,
}

/// Runs `harness`.
pub fn run(console: &mut Console, args: &HarnessArgs) -> Result<ExitCode> {
    let loaded = console.load(&args.definition, false, &[])?;
    let mut generator = Generator::new();
    if let Some(name) = &args.crate_name {
        generator = generator.crate_name(name.clone());
    }
    if let Some(path) = &args.runtime_path {
        generator = generator.runtime_path(path.clone());
    }
    if let Some(version) = &args.runtime_version {
        generator = generator.runtime_version(version.clone());
    }
    let harness = generator.generate_harness(&loaded.connector)?;
    harness
        .write_to(&args.out)
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "generated {} ({} files) in {}; run it with: cargo run --manifest-path {}/Cargo.toml -- --base-url URL --report report.json",
        harness.name,
        harness.files.len(),
        args.out.display(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
