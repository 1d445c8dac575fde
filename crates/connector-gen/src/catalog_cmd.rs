//! `connector-gen catalog`: one row per connector found under folders.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use connector_lint::{Linter, catalog};

/// Output format of `catalog`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CatalogFormat {
    /// JSON for tooling.
    Json,
    /// A readable governance table.
    Markdown,
    /// CSV, one row per connector.
    Csv,
}

/// Arguments of `catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Folders to search (Power Platform layout or single definition files).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: CatalogFormat,
}

/// Prints the catalog. Definitions that fail to load are listed, not fatal.
pub fn run(args: CatalogArgs) -> Result<ExitCode> {
    let catalog = catalog::build(&args.dirs, &Linter::new());
    match args.format {
        CatalogFormat::Json => println!("{:#}", serde_json::to_value(&catalog)?),
        CatalogFormat::Markdown => print!("{}", catalog::markdown(&catalog)),
        CatalogFormat::Csv => print!("{}", catalog::csv(&catalog)),
    }
    eprintln!(
        "{} connector(s), {} failed to load",
        catalog.connectors.len(),
        catalog.failures.len()
    );
    Ok(ExitCode::SUCCESS)
}
