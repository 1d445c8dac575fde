//! `connector-gen diff`: what changed between two definitions, how callers and the
//! regenerated crate are affected, and whether CI should fail.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use connector_diff::{DiffReport, Severity, Side, report};

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One line per change with its locations.
    Text,
    /// A release-notes section (Added / Changed / Deprecated / Removed, and the bump).
    Markdown,
    /// `{"semver", "changes", "revision_findings", "summary"}`.
    Json,
}

/// What makes `diff` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Breaking changes or revision findings.
    Breaking,
    /// Revision findings only.
    Revision,
    /// Nothing.
    Never,
}

/// Arguments of `connector-gen diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD definition (file or folder); with --git, the NEW one.
    first: PathBuf,
    /// NEW definition (file or folder); omitted with --git.
    second: Option<PathBuf>,
    /// Take OLD from this git revision of NEW's path (e.g. origin/main).
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit 1 on: breaking changes or revision findings (breaking), revision findings
    /// only (revision), or never.
    #[arg(long, value_enum, default_value = "breaking")]
    fail_on: FailOn,
}

/// Runs the subcommand: exit 0 (passes), 1 (fails per --fail-on), 2 (a side did not load).
pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    let (old, new) = match (&args.git, &args.second) {
        (Some(rev), None) => {
            let scratch = tempfile::tempdir().context("creating a scratch folder")?;
            let old_path = checkout_old(rev, &args.first, scratch.path())?;
            let old = load(&old_path)?;
            (old, load(&args.first)?)
        }
        (None, Some(new)) => (load(&args.first)?, load(new)?),
        (Some(_), Some(_)) => bail!("with --git, give only the NEW definition"),
        (None, None) => bail!("give OLD and NEW definitions, or --git REV and NEW"),
    };
    let Some((old, new)) = old.zip(new) else {
        return Ok(ExitCode::from(2));
    };
    let r = connector_diff::diff(&old, &new);
    let out = match args.format {
        Format::Text => report::text(&r),
        Format::Markdown => report::markdown(&r),
        Format::Json => report::json(&r),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "{}", out.trim_end());
    Ok(if fails(&r, args.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether the report fails the run under `fail_on`.
fn fails(r: &DiffReport, fail_on: FailOn) -> bool {
    let breaking = r.changes.iter().any(|c| c.severity == Severity::Breaking);
    let findings = !r.revision_findings.is_empty();
    match fail_on {
        FailOn::Breaking => breaking || findings,
        FailOn::Revision => findings,
        FailOn::Never => false,
    }
}

/// Loads a side, printing its diagnostics; `None` when it cannot be loaded.
fn load(path: &Path) -> Result<Option<Side>> {
    match Side::load(path) {
        Ok(side) => Ok(Some(side)),
        Err(e) => {
            for d in &e.diagnostics {
                eprintln!("{d}");
            }
            eprintln!("error: {} could not be loaded", path.display());
            Ok(None)
        }
    }
}

/// Files of a connector folder worth taking from git (the loader picks among them).
const FOLDER_FILES: [&str; 6] = [
    "apiDefinition.swagger.json",
    "openapi.yaml",
    "openapi.yml",
    "openapi.json",
    "apiProperties.json",
    "script.csx",
];

/// Writes `path` as of git revision `rev` into `scratch`; returns what to load.
fn checkout_old(rev: &str, path: &Path, scratch: &Path) -> Result<PathBuf> {
    if path.is_dir() {
        let mut any = false;
        for name in FOLDER_FILES {
            if let Some(bytes) = git_show(rev, path, name)? {
                std::fs::write(scratch.join(name), bytes)?;
                any = true;
            }
        }
        if !any {
            bail!("{} has no definition at git revision {rev}", path.display());
        }
        Ok(scratch.to_path_buf())
    } else {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .context("NEW has no file name")?;
        let bytes = git_show(rev, dir, &name)?
            .with_context(|| format!("{} does not exist at git revision {rev}", path.display()))?;
        let out = scratch.join(&name);
        std::fs::write(&out, bytes)?;
        Ok(out)
    }
}

/// `git -C dir show REV:./name`: `None` when the file is not in that revision.
fn git_show(rev: &str, dir: &Path, name: &str) -> Result<Option<Vec<u8>>> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{name}"))
        .output()
        .context("running git")?;
    Ok(output.status.success().then_some(output.stdout))
}

/// `generate --previous OLD [--bump-version]` over an existing crate folder: reports the
/// bump the regenerated crate needs and, with `write`, puts the bumped version of the
/// existing crate into the new Cargo.toml. OLD defaults to the definition at git `HEAD`
/// (the state the checked-in crate was generated from).
pub fn bump_existing(
    definition: &Path,
    previous: Option<&Path>,
    out: &Path,
    generated: &mut connector_codegen::GeneratedCrate,
    write: bool,
) -> Result<()> {
    let Ok(existing) = std::fs::read_to_string(out.join("Cargo.toml")) else {
        return Ok(());
    };
    let scratch = tempfile::tempdir().context("creating a scratch folder")?;
    let old_path = match previous {
        Some(p) => p.to_path_buf(),
        None => match checkout_old("HEAD", definition, scratch.path()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("no previous definition to compare with ({e:#}); pass --previous");
                return Ok(());
            }
        },
    };
    let (Some(old), Some(new)) = (load(&old_path)?, load(definition)?) else {
        bail!("the previous or the new definition could not be loaded");
    };
    let r = connector_diff::diff(&old, &new);
    eprintln!(
        "semver: {} bump ({} breaking, {} additive, {} patch change(s))",
        r.semver.as_str(),
        r.summary.breaking,
        r.summary.additive,
        r.summary.patch
    );
    if !write {
        return Ok(());
    }
    let Some(current) = package_version(&existing) else {
        bail!(
            "{} has no package version",
            out.join("Cargo.toml").display()
        );
    };
    let next = bumped(&current, r.semver);
    if let Some(file) = generated.files.iter_mut().find(|f| f.path == "Cargo.toml")
        && let Some(generated_version) = package_version(&file.contents)
    {
        file.contents = file.contents.replacen(
            &format!("version = \"{generated_version}\""),
            &format!("version = \"{next}\""),
            1,
        );
        eprintln!("version: {current} -> {next}");
    }
    Ok(())
}

/// The first `version = "..."` of a manifest (the package's: it comes first in
/// generated manifests).
fn package_version(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|l| {
        let v = l
            .trim()
            .strip_prefix("version")?
            .trim_start()
            .strip_prefix('=')?;
        Some(v.trim().trim_matches('"').to_string())
    })
}

/// `version` bumped by `bump`, with Cargo's 0.x rules (a breaking change bumps the minor).
fn bumped(version: &str, bump: connector_diff::Bump) -> String {
    use connector_diff::Bump;
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let mut parts = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (ma, mi, pa) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    let (ma, mi, pa) = match bump {
        Bump::None => (ma, mi, pa),
        Bump::Major if ma == 0 => (0, mi + 1, 0),
        Bump::Major => (ma + 1, 0, 0),
        Bump::Minor if ma == 0 => (0, mi, pa + 1),
        Bump::Minor => (ma, mi + 1, 0),
        Bump::Patch => (ma, mi, pa + 1),
    };
    format!("{ma}.{mi}.{pa}")
}

#[cfg(test)]
mod tests {
    use super::bumped;
    use connector_diff::Bump;

    #[test]
    fn versions_bump_by_semver_with_cargo_zero_rules() {
        assert_eq!(bumped("1.2.3", Bump::Major), "2.0.0");
        assert_eq!(bumped("1.2.3", Bump::Minor), "1.3.0");
        assert_eq!(bumped("1.2.3", Bump::Patch), "1.2.4");
        assert_eq!(bumped("1.2.3", Bump::None), "1.2.3");
        assert_eq!(bumped("0.4.1", Bump::Major), "0.5.0");
        assert_eq!(bumped("0.4.1", Bump::Minor), "0.4.2");
    }
}
