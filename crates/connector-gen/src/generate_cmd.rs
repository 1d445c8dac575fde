//! `connector-gen generate`: write a client crate, only into an empty folder or one it
//! generated before, never losing a file it did not write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use connector_codegen::GeneratedCrate;

use crate::console::Console;
use crate::diff_cmd;
use crate::options::GenOptions;

/// Arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// A definition file, or a folder with apiDefinition.swagger.json [+ apiProperties.json].
    pub definition: PathBuf,
    /// Folder to write the crate into: empty, new, or generated before by connector-gen.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub options: GenOptions,
    /// Overwrite files in the output folder that connector-gen did not write.
    #[arg(long)]
    pub force: bool,
    /// List what would be added, changed or removed, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Over an existing crate: the definition it was generated from (default: the
    /// definition at git HEAD); the semver bump is reported.
    #[arg(long, value_name = "OLD")]
    pub previous: Option<PathBuf>,
    /// Over an existing crate: write its version, bumped per the diff, into Cargo.toml.
    #[arg(long)]
    pub bump_version: bool,
}

/// Generate the crate in memory with the options in effect for `out`.
pub fn generate(
    console: &mut Console,
    definition: &Path,
    out: &Path,
    options: &GenOptions,
) -> Result<(GeneratedCrate, crate::options::Resolved)> {
    let resolved = options.resolve(definition, out)?;
    let generator = resolved.generator(out)?;
    // `--paging` and the configuration's `[paging]` correct what the loader infers.
    let mut paging = Vec::new();
    for (operation, spec) in generator.paging_overrides()? {
        let parsed = spec
            .parse::<connector_spec::PagingOverride>()
            .map_err(|e| anyhow::anyhow!("paging override for `{operation}`: {e}"))?;
        paging.push((operation, parsed));
    }
    let loaded = console.load(definition, resolved.strict, &paging)?;
    let generated = generator
        .generate(&loaded.connector)
        .context("generating the crate")?;
    Ok((generated, resolved))
}

/// Runs `generate`.
pub fn run(console: &mut Console, args: &GenerateArgs) -> Result<ExitCode> {
    let (definition, out) = (&args.definition, &args.out);
    let (mut generated, _) = generate(console, definition, out, &args.options)?;
    if args.previous.is_some() || args.bump_version {
        diff_cmd::bump_existing(
            definition,
            args.previous.as_deref(),
            out,
            &mut generated,
            args.bump_version,
        )?;
    }
    if args.dry_run {
        let plan = generated.plan_write(out, args.force)?;
        for (path, change) in plan.changed() {
            println!("{change:<9} {path}");
        }
        for path in &plan.conflicts {
            println!("conflict  {path} (not written by connector-gen; --force overwrites it)");
        }
        let summary = plan.summary();
        console.note(format!(
            "dry run: {} in {} (nothing written)",
            if summary.is_empty() {
                "no changes"
            } else {
                summary.as_str()
            },
            out.display()
        ));
        return Ok(if plan.conflicts.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let plan = generated
        .write_with(out, args.force)
        .with_context(|| format!("writing {}", out.display()))?;
    for (path, change) in plan.changed() {
        console.detail(format!("  {change:<9} {path}"));
    }
    let summary = plan.summary();
    console.note(format!(
        "generated {} ({} files; {}) in {}",
        generated.name,
        generated.files.len(),
        if summary.is_empty() {
            "no changes"
        } else {
            summary.as_str()
        },
        out.display()
    ));
    Ok(ExitCode::SUCCESS)
}
