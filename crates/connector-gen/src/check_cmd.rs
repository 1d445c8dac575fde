//! `connector-gen check`: is a generated crate up to date with its definition, under the
//! options it was generated with?

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::console::Console;
use crate::generate_cmd::generate;
use crate::options::GenOptions;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A definition file, or a folder with apiDefinition.swagger.json [+ apiProperties.json].
    pub definition: PathBuf,
    /// The generated crate's folder (its recorded options are reused).
    pub dir: PathBuf,
    #[command(flatten)]
    pub options: GenOptions,
}

/// Exit 0 when fresh; 1 with what differs and the command that regenerates it.
pub fn run(console: &mut Console, args: &CheckArgs) -> Result<ExitCode> {
    let (definition, dir) = (&args.definition, &args.dir);
    let (generated, resolved) = generate(console, definition, dir, &args.options)?;
    let changes = generated.check(dir);
    if changes.is_empty() {
        console.note(format!("{} is up to date", dir.display()));
        return Ok(ExitCode::SUCCESS);
    }
    let files = if changes.len() == 1 { "file" } else { "files" };
    println!("{} is stale ({} {files}):", dir.display(), changes.len());
    for change in &changes {
        println!("  {change}");
    }
    println!("run: {}", resolved.command(definition, dir));
    Ok(ExitCode::from(1))
}
