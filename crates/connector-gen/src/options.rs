//! The generation options of `generate` and `check`, how they combine with a crate's
//! recorded options and the configuration file, and where the runtime comes from.
//!
//! Precedence: flags, then the configuration file, then the options the crate recorded
//! when it was generated, then the defaults.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use connector_codegen::{
    ConnectorConfig, GENERATOR_VERSION, Generator, Marker, RecordedOptions, RuntimeDependency,
};

/// Options shared by `generate` and `check`.
#[derive(Debug, Clone, Default, Args)]
pub struct GenOptions {
    /// Package name (default: the output folder's name).
    #[arg(long)]
    pub crate_name: Option<String>,
    /// Depend on connector-runtime by this path, relative to the CURRENT directory (it
    /// is written relative to the generated crate); must be a connector-runtime crate.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["runtime_version", "runtime_git"])]
    pub runtime_path: Option<PathBuf>,
    /// Depend on connector-runtime from this git repository.
    #[arg(long, value_name = "URL", conflicts_with = "runtime_version")]
    pub runtime_git: Option<String>,
    /// With --runtime-git: the commit, tag or branch.
    #[arg(long, value_name = "REV", requires = "runtime_git")]
    pub runtime_rev: Option<String>,
    /// Depend on connector-runtime from crates.io with this version requirement.
    #[arg(long, value_name = "VERSION")]
    pub runtime_version: Option<String>,
    /// Configuration file (default: connector-gen.toml beside the definition).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Generate only these operations (operationIds, comma separated) and the types
    /// they use.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub operations: Vec<String>,
    /// Generate only the operations with these tags (comma separated).
    #[arg(long, value_name = "TAG,...", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Paging override for an operation: OP=SPEC (repeatable).
    #[arg(long, value_name = "OP=SPEC")]
    pub paging: Vec<String>,
    /// Folder with Cargo.toml.jinja / README.md.jinja overriding the built-in templates.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Treat recovered problems in the definition (warnings) as errors.
    #[arg(long)]
    pub strict: bool,
}

/// The options in effect for one crate folder, every path relative to the current
/// directory, and the generator they configure.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Package name.
    pub crate_name: Option<String>,
    /// The runtime dependency, as written into the crate.
    pub runtime: RuntimeDependency,
    /// Whether the runtime came from the configuration file (then it is not recorded).
    pub runtime_from_config: bool,
    /// Explicit configuration file.
    pub config: Option<PathBuf>,
    /// The configuration in effect (explicit or discovered).
    pub config_file: Option<PathBuf>,
    /// Subset by operationId.
    pub operations: Vec<String>,
    /// Subset by tag.
    pub tags: Vec<String>,
    /// `OP=SPEC` paging overrides.
    pub paging: Vec<(String, String)>,
    /// Template folder.
    pub templates: Option<PathBuf>,
    /// Warnings are errors.
    pub strict: bool,
}

/// The runtime this connector-gen was built next to, when it runs from a checkout.
fn checkout_runtime() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../connector-runtime");
    is_runtime_crate(&dir).then_some(dir)
}

/// The project's git repository, when the workspace names a real one.
fn project_git() -> Option<&'static str> {
    let url = env!("CARGO_PKG_REPOSITORY");
    (!url.is_empty() && !url.contains(".invalid")).then_some(url)
}

/// Whether `dir` holds the connector-runtime crate.
fn is_runtime_crate(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|t| {
            let name = t.get("package")?.get("name")?.as_str()?.to_owned();
            Some(name == "connector-runtime")
        })
        .unwrap_or(false)
}

/// The error for a runtime path that is not a connector-runtime crate.
fn check_runtime_dir(dir: &Path, given: &str) -> Result<()> {
    if !dir.is_dir() {
        bail!(
            "runtime path {given} does not exist (looked at {})",
            dir.display()
        );
    }
    if !is_runtime_crate(dir) {
        bail!(
            "runtime path {given} is not the connector-runtime crate ({} does not name \
             `connector-runtime`)",
            dir.join("Cargo.toml").display()
        );
    }
    Ok(())
}

impl GenOptions {
    /// Combine with the configuration and the crate's recorded options (`out`'s marker).
    pub fn resolve(&self, definition: &Path, out: &Path) -> Result<Resolved> {
        let recorded = Marker::read(out)
            .with_context(|| format!("reading the marker in {}", out.display()))?
            .map(|m| m.options)
            .unwrap_or_default();
        let from_crate = |p: &String| out.join(p);
        let config = self
            .config
            .clone()
            .or_else(|| recorded.config.as_ref().map(from_crate));
        let config_file = config
            .clone()
            .or_else(|| ConnectorConfig::discover(definition));
        let parsed = match &config_file {
            Some(path) => Some(ConnectorConfig::from_file(path)?),
            None => None,
        };
        let (runtime, runtime_from_config) = self.runtime(out, parsed.as_ref(), &recorded)?;
        let pick = |flag: &Vec<String>, rec: &Vec<String>| {
            if flag.is_empty() {
                rec.clone()
            } else {
                flag.clone()
            }
        };
        let paging = if self.paging.is_empty() {
            recorded.paging.clone().into_iter().collect()
        } else {
            self.paging
                .iter()
                .map(|p| match p.split_once('=') {
                    Some((op, spec)) => Ok((op.to_owned(), spec.to_owned())),
                    None => bail!("--paging {p:?}: expected OP=SPEC"),
                })
                .collect::<Result<_>>()?
        };
        Ok(Resolved {
            crate_name: self
                .crate_name
                .clone()
                .or_else(|| parsed.as_ref().and_then(|c| c.package.name.clone()))
                .or(recorded.crate_name.clone()),
            runtime,
            runtime_from_config,
            config,
            config_file,
            operations: pick(&self.operations, &recorded.operations),
            tags: pick(&self.tags, &recorded.tags),
            paging,
            templates: self
                .templates
                .clone()
                .or_else(|| recorded.templates.as_ref().map(from_crate)),
            strict: self.strict || recorded.strict,
        })
    }

    /// The runtime dependency, written relative to `out`, and whether it came from the
    /// configuration file.
    fn runtime(
        &self,
        out: &Path,
        config: Option<&ConnectorConfig>,
        recorded: &RecordedOptions,
    ) -> Result<(RuntimeDependency, bool)> {
        if let Some(path) = &self.runtime_path {
            check_runtime_dir(path, &path.display().to_string())?;
            return Ok((RuntimeDependency::Path(relative_path(out, path)?), false));
        }
        if let Some(url) = &self.runtime_git {
            let rev = self.runtime_rev.clone();
            return Ok((
                RuntimeDependency::Git {
                    url: url.clone(),
                    rev,
                },
                false,
            ));
        }
        if let Some(version) = &self.runtime_version {
            return Ok((RuntimeDependency::Version(version.clone()), false));
        }
        if let Some(c) = config
            && let Some(dep) = c.runtime.as_ref().and_then(RuntimeDependency::from_config)
        {
            let dep = match dep {
                RuntimeDependency::Path(p) => {
                    let dir = c.base_dir().unwrap_or(Path::new("")).join(&p);
                    check_runtime_dir(&dir, &format!("{p} (from {})", display_config(c)))?;
                    RuntimeDependency::Path(relative_path(out, &dir)?)
                }
                other => other,
            };
            return Ok((dep, true));
        }
        if let Some(dep) = recorded
            .runtime
            .as_ref()
            .and_then(RuntimeDependency::from_config)
        {
            if let RuntimeDependency::Path(p) = &dep {
                check_runtime_dir(&out.join(p), &format!("{p} (recorded in the crate)"))?;
            }
            return Ok((dep, false));
        }
        Ok((default_runtime(out)?, false))
    }
}

fn display_config(c: &ConnectorConfig) -> String {
    c.source.as_deref().map_or_else(
        || "the configuration".to_owned(),
        |p| p.display().to_string(),
    )
}

/// The runtime when nothing names one: this checkout's, else the project's git
/// repository, else crates.io at this version, with a warning saying what to pass.
fn default_runtime(out: &Path) -> Result<RuntimeDependency> {
    if let Some(dir) = checkout_runtime() {
        return Ok(RuntimeDependency::Path(relative_path(out, &dir)?));
    }
    if let Some(url) = project_git() {
        return Ok(RuntimeDependency::Git {
            url: url.to_owned(),
            rev: None,
        });
    }
    eprintln!(
        "warning: the generated crate depends on connector-runtime {GENERATOR_VERSION} from \
         crates.io, which may not be published: pass --runtime-path DIR (a connector-runtime \
         checkout), --runtime-git URL [--runtime-rev REV] or --runtime-version V"
    );
    Ok(RuntimeDependency::Version(GENERATOR_VERSION.to_owned()))
}

impl Resolved {
    /// A generator configured with these options, recording them for `out`.
    pub fn generator(&self, out: &Path) -> Result<Generator> {
        let mut g = Generator::new().runtime(self.runtime.clone());
        let name = self.crate_name.clone().or_else(|| folder_name(out));
        if let Some(name) = name {
            g = g.crate_name(name);
        }
        if let Some(path) = &self.config_file {
            g = g.config_file(path.clone());
        }
        if !self.operations.is_empty() {
            g = g.operations(self.operations.iter().cloned());
        }
        if !self.tags.is_empty() {
            g = g.tags(self.tags.iter().cloned());
        }
        for (op, spec) in &self.paging {
            g = g.paging_override(op.clone(), spec.clone());
        }
        if let Some(t) = &self.templates {
            g = g.templates(t.clone());
        }
        Ok(g.record(self.recorded(out)?))
    }

    /// The options as the crate records them (paths relative to `out`).
    pub fn recorded(&self, out: &Path) -> Result<RecordedOptions> {
        let rel = |p: &PathBuf| relative_path(out, p);
        Ok(RecordedOptions {
            // The effective name, so renaming the folder does not rename the package.
            crate_name: self.crate_name.clone().or_else(|| folder_name(out)),
            runtime: (!self.runtime_from_config).then(|| self.runtime.to_config()),
            config: self.config.as_ref().map(rel).transpose()?,
            operations: self.operations.clone(),
            tags: self.tags.clone(),
            templates: self.templates.as_ref().map(rel).transpose()?,
            paging: self.paging.iter().cloned().collect(),
            strict: self.strict,
        })
    }

    /// The `generate` command that reproduces the crate exactly, paths relative to the
    /// current directory.
    pub fn command(&self, definition: &Path, out: &Path) -> String {
        let mut args: Vec<String> = vec![
            "connector-gen".into(),
            "generate".into(),
            definition.display().to_string(),
            "--out".into(),
            out.display().to_string(),
        ];
        let mut flag = |name: &str, value: String| {
            args.push(format!("--{name}"));
            args.push(value);
        };
        if let Some(n) = &self.crate_name {
            flag("crate-name", n.clone());
        }
        if !self.runtime_from_config {
            match &self.runtime {
                RuntimeDependency::Path(p) => flag("runtime-path", display_joined(out, p)),
                RuntimeDependency::Version(v) => flag("runtime-version", v.clone()),
                RuntimeDependency::Git { url, rev } => {
                    flag("runtime-git", url.clone());
                    if let Some(rev) = rev {
                        flag("runtime-rev", rev.clone());
                    }
                }
            }
        }
        if let Some(c) = &self.config {
            flag("config", c.display().to_string());
        }
        if !self.operations.is_empty() {
            flag("operations", self.operations.join(","));
        }
        if !self.tags.is_empty() {
            flag("tags", self.tags.join(","));
        }
        for (op, spec) in &self.paging {
            flag("paging", format!("{op}={spec}"));
        }
        if let Some(t) = &self.templates {
            flag("templates", t.display().to_string());
        }
        if self.strict {
            args.push("--strict".into());
        }
        args.iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `out` joined with a crate-relative path, tidied, for display.
fn display_joined(out: &Path, rel: &str) -> String {
    normalize(&out.join(rel)).display().to_string()
}

/// The output folder's name, when it has one (`.` has none).
pub fn folder_name(out: &Path) -> Option<String> {
    let abs = absolute(out).ok()?;
    abs.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
}

/// Quote an argument for a POSIX shell when it needs it (hand-written: five lines do
/// not justify a dependency).
fn shell_quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:=,@+%".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Resolve `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// An absolute form of `path` with symlinks resolved as far as it exists (the output
/// folder may not exist yet).
fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = normalize(&std::path::absolute(path).context("resolving a path")?);
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// `to` relative to the folder `from`, `/`-separated (what Cargo.toml paths want).
/// Hand-written: the few lines of path arithmetic are not worth a dependency.
pub fn relative_path(from: &Path, to: &Path) -> Result<String> {
    let (from, to) = (absolute(from)?, absolute(to)?);
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    if from.first() != to.first() {
        // Another drive (Windows): only an absolute path works.
        return Ok(to.iter().collect::<PathBuf>().display().to_string());
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_go_through_the_common_ancestor() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("x/y/crate");
        let b = tmp.path().join("x/runtime");
        assert_eq!(relative_path(&a, &b).unwrap(), "../../runtime");
        assert_eq!(relative_path(&b, &b).unwrap(), ".");
    }

    #[test]
    fn arguments_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("a/b-c.json"), "a/b-c.json");
        assert_eq!(shell_quote("my defs/x"), "'my defs/x'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn the_checkout_runtime_is_found() {
        assert!(checkout_runtime().is_some());
    }
}
