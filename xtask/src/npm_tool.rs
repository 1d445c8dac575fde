//! The pinned npm tools under `tools/` (Spectral, Prism), installed with `npm ci` into
//! `target/<tool>` once per lock file.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Installs `tools/<tool>` (its `package.json` and `package-lock.json`) into
/// `target/<tool>` with `npm ci` unless that lock file is installed already; returns
/// `target/<tool>/<bin>`.
pub fn install_pinned(workspace: &Path, tool: &str, package: &str, bin: &str) -> Result<PathBuf> {
    let dir = workspace.join("target").join(tool);
    std::fs::create_dir_all(&dir)?;
    let tools = workspace.join("tools").join(tool);
    let lock = std::fs::read(tools.join("package-lock.json")).context("package-lock.json")?;
    let installed = std::fs::read(dir.join("package-lock.json")).ok();
    let bin = dir.join(bin);
    if installed.as_deref() != Some(lock.as_slice()) || !bin.is_file() {
        for f in ["package.json", "package-lock.json"] {
            std::fs::copy(tools.join(f), dir.join(f)).with_context(|| format!("copying {f}"))?;
        }
        eprintln!("installing {package} with npm ci into {}", dir.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&dir)
            .status()
            .context("running npm ci")?;
        if !status.success() {
            bail!("npm ci failed ({status})");
        }
    }
    Ok(bin)
}
