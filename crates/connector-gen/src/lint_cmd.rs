//! `connector-gen lint`: certification and style rules over definitions.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use connector_lint::{Finding, Linter, Severity, format};

/// Output format of `lint`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LintFormat {
    /// One line per finding with its fix hint.
    Text,
    /// `{"findings": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0 for code-scanning UIs.
    Sarif,
}

/// What fails the run besides errors.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Deny {
    /// Warnings fail the run too.
    Warnings,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Definition files, or folders with apiDefinition.swagger.json [+ apiProperties.json].
    #[arg(required = true)]
    definitions: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: LintFormat,
    /// Exit 1 on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Rules to switch off for this run (comma separated ids).
    #[arg(long, value_delimiter = ',')]
    allow: Vec<String>,
}

/// Lints every definition; exit 1 on remaining errors (or warnings under `--deny
/// warnings`), 2 when a definition cannot be loaded.
pub fn run(args: LintArgs) -> Result<ExitCode> {
    let unknown: Vec<&String> = args
        .allow
        .iter()
        .filter(|id| connector_lint::rule(id).is_none())
        .collect();
    if !unknown.is_empty() {
        bail!("unknown rule id(s) in --allow: {unknown:?}");
    }
    let linter = Linter::new().allow(args.allow.iter().cloned());
    let mut findings: Vec<Finding> = Vec::new();
    let mut load_failed = false;
    for def in &args.definitions {
        match linter.lint_path(def) {
            Ok(report) => findings.extend(report.findings),
            Err(e) => {
                load_failed = true;
                for d in &e.diagnostics {
                    eprintln!("{d}");
                }
                eprintln!("error: {} could not be loaded", def.display());
            }
        }
    }
    match args.format {
        LintFormat::Text => print!("{}", format::text(&findings)),
        LintFormat::Json => println!("{:#}", format::json(&findings)),
        LintFormat::Sarif => println!("{:#}", format::sarif(&findings)),
    }
    if load_failed {
        return Ok(ExitCode::from(2));
    }
    let failing = |f: &Finding| match args.deny {
        Some(Deny::Warnings) => f.severity >= Severity::Warning,
        None => f.severity == Severity::Error,
    };
    Ok(if findings.iter().any(failing) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
