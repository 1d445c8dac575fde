//! `cargo xtask codegen [--check]`: specs/<name>/ -> generated/<name>/.

use std::path::Path;

use anyhow::{Context, Result, bail};
use connector_codegen::Generator;

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
        let generated = Generator::new()
            .crate_name(&name)
            .runtime_path("../../crates/connector-runtime")
            .templates(root.join("templates"))
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
            generated
                .write_to(&out)
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!("generated/{name}: {} files", generated.files.len());
        }
    }
    if check && !clean {
        eprintln!("run `cargo xtask codegen` to regenerate");
    }
    Ok(clean)
}
