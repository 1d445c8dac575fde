//! `cargo xtask codegen [--check]`: `specs/<name>/` -> `generated/<name>/`, with a
//! `specs/<name>/connector-gen.toml` when there is one. Says which files changed (and
//! nothing for a crate that is fresh).

use std::path::Path;

use anyhow::{Context, Result, bail};
use connector_codegen::{ConnectorConfig, Generator, RecordedOptions, RuntimeConfig};

/// The runtime every generated crate of the workspace depends on, from its folder.
const RUNTIME_PATH: &str = "../../crates/connector-runtime";

/// Regenerate (or check) every crate; `Ok(false)` when `check` found stale files.
pub fn run(root: &Path, check: bool) -> Result<bool> {
    let specs = root.join("specs");
    let mut folders: Vec<_> = std::fs::read_dir(&specs)
        .with_context(|| format!("reading {}", specs.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut clean = true;
    let (total, mut changed) = (folders.len(), 0);
    for folder in folders {
        let Some(name) = folder.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let loaded = match connector_spec::load(&folder) {
            Ok(l) => l,
            Err(e) => {
                for d in &e.diagnostics {
                    eprintln!("{d}");
                }
                bail!("{} could not be loaded", folder.display());
            }
        };
        for d in &loaded.diagnostics {
            eprintln!("{d}");
        }
        let mut generator = Generator::new()
            .crate_name(&name)
            .runtime_path(RUNTIME_PATH)
            .templates(root.join("templates"))
            .record(RecordedOptions {
                crate_name: Some(name.clone()),
                runtime: Some(RuntimeConfig {
                    path: Some(RUNTIME_PATH.to_owned()),
                    ..RuntimeConfig::default()
                }),
                templates: Some("../../templates".to_owned()),
                ..RecordedOptions::default()
            });
        if let Some(config) = ConnectorConfig::discover(&folder) {
            generator = generator.config_file(config);
        }
        let generated = generator
            .generate(&loaded.connector)
            .with_context(|| format!("generating {name}"))?;
        let out = root.join("generated").join(&name);
        if check {
            let changes = generated.check(&out);
            if !changes.is_empty() {
                clean = false;
                eprintln!("generated/{name} is stale:");
                for c in changes {
                    eprintln!("  {c}");
                }
            }
        } else {
            // The workspace's generated/ folders are the xtask's own: overwrite freely
            // (it still removes only files it wrote before).
            let plan = generated
                .write_with(&out, true)
                .with_context(|| format!("writing {}", out.display()))?;
            let summary = plan.summary();
            if !summary.is_empty() {
                changed += 1;
                eprintln!("generated/{name}: {summary}");
                for (path, change) in plan.changed() {
                    eprintln!("  {change:<9} {path}");
                }
            }
        }
    }
    if !check {
        eprintln!("codegen: {changed} of {total} crates changed");
    }
    if check && !clean {
        eprintln!("run `cargo xtask codegen` to regenerate");
    }
    Ok(clean)
}
