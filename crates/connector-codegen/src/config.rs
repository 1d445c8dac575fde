//! `connector-gen.toml`: the generator's own configuration file, shared by the CLI,
//! `cargo xtask codegen` and [`crate::Generator`] in a `build.rs`.
//!
//! ```toml
//! [package]
//! name = "github-mini"          # Cargo package name
//! version = "0.3.0"             # package version (default: from the API version)
//!
//! [runtime]                     # where connector-runtime comes from: one of
//! path = "../connector-runtime" # relative to this file
//! # git = "https://github.com/org/connector-gen"   rev = "abc123"
//! # version = "0.1"
//!
//! [operations]                  # generate only a subset (default: everything)
//! include = ["repos/get"]       # operationIds
//! include-tags = ["issues"]
//! include-paths = ["/repos/*/releases/**"]   # globs over the path template
//! exclude = ["issues/lock"]     # exclude-tags, exclude-paths likewise
//!
//! [types]
//! derives = ["Eq"]              # extra derives on every generated struct and enum
//! [types.rename]                # schema name = Rust type name
//! simple-user = "User"
//! [types.replace]               # schema name = path of your own type, used instead
//! Money = "my_crate::Money"
//! [types.derive]                # schema name = extra derives for that type only
//! User = ["Hash", "Eq"]
//!
//! [paging]                      # operationId = paging override (see `--paging`)
//! listItems = "cursor:next_token"
//!
//! [features]
//! preview = "feature"           # preview operations: behind the `preview` feature
//!                               # ("feature", the default) or left out ("exclude")
//! ```
//!
//! Unknown keys are errors located at `file:line:col`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The configuration file's name, looked for beside the definition.
pub const CONFIG_FILE_NAME: &str = "connector-gen.toml";

/// Why a configuration file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key or a wrong value.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A value is well-formed TOML but not usable (e.g. a bad glob).
    #[error("{}: {message}", path.display())]
    Value {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A parsed `connector-gen.toml`. Every section is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectorConfig {
    /// `[package]`: crate name and version.
    #[serde(default)]
    pub package: PackageConfig,
    /// `[runtime]`: where the generated crate gets `connector-runtime`.
    #[serde(default)]
    pub runtime: Option<RuntimeConfig>,
    /// `[operations]`: the subset of operations to generate.
    #[serde(default)]
    pub operations: OperationFilter,
    /// `[types]`: renames, replacements and extra derives.
    #[serde(default)]
    pub types: TypesConfig,
    /// `[paging]`: operationId to a paging override, kept as written; see
    /// [`crate::Generator::paging_overrides`].
    #[serde(default)]
    pub paging: BTreeMap<String, String>,
    /// `[features]`: how preview operations are offered.
    #[serde(default)]
    pub features: FeaturesConfig,
    /// Where the file was read from (relative paths in it are relative to its folder).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[package]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageConfig {
    /// Cargo package name.
    pub name: Option<String>,
    /// Package version.
    pub version: Option<String>,
}

/// `[runtime]`: exactly one of `path`, `git` (+ `rev`), `version`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeConfig {
    /// A path to the connector-runtime crate, relative to the config file.
    pub path: Option<String>,
    /// A git repository holding connector-runtime.
    pub git: Option<String>,
    /// A revision (commit, tag or branch) of `git`.
    pub rev: Option<String>,
    /// A crates.io version requirement.
    pub version: Option<String>,
}

/// `[operations]`: which operations to generate. Empty includes mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OperationFilter {
    /// operationIds to include.
    #[serde(default)]
    pub include: Vec<String>,
    /// Tags whose operations are included.
    #[serde(default)]
    pub include_tags: Vec<String>,
    /// Globs over path templates (`/repos/*/issues/**`) whose operations are included.
    #[serde(default)]
    pub include_paths: Vec<String>,
    /// operationIds to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Tags whose operations are left out.
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Path globs whose operations are left out.
    #[serde(default)]
    pub exclude_paths: Vec<String>,
}

impl OperationFilter {
    /// Whether the filter keeps every operation.
    pub fn is_empty(&self) -> bool {
        *self == OperationFilter::default()
    }
}

/// `[types]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypesConfig {
    /// Extra derives on every generated struct and enum of `types.rs`.
    #[serde(default)]
    pub derives: Vec<String>,
    /// Extra derives per schema name.
    #[serde(default)]
    pub derive: BTreeMap<String, Vec<String>>,
    /// Schema name to the Rust type name to generate it under.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Schema name to the path of a type of yours used instead of generating one.
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
}

impl TypesConfig {
    /// Whether nothing is customized.
    pub fn is_empty(&self) -> bool {
        *self == TypesConfig::default()
    }
}

/// `[features]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeaturesConfig {
    /// How preview operations are offered.
    #[serde(default)]
    pub preview: PreviewMode,
}

/// How preview operations are offered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PreviewMode {
    /// Generated behind the crate's `preview` cargo feature.
    #[default]
    Feature,
    /// Not generated.
    Exclude,
}

impl ConnectorConfig {
    /// Parse configuration text; `path` names the file in errors and anchors relative
    /// paths.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let mut config: ConnectorConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_col(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        config.source = Some(path.to_path_buf());
        config.validate()?;
        Ok(config)
    }

    /// Read and parse a configuration file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// The `connector-gen.toml` beside a definition: inside a connector folder, or next
    /// to a definition file. `None` when there is none.
    pub fn discover(definition: &Path) -> Option<PathBuf> {
        let folder = if definition.is_dir() {
            definition
        } else {
            definition.parent()?
        };
        let candidate = folder.join(CONFIG_FILE_NAME);
        candidate.is_file().then_some(candidate)
    }

    /// The folder relative paths in this file are relative to.
    pub fn base_dir(&self) -> Option<&Path> {
        self.source.as_deref().and_then(Path::parent)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let error = |message: String| ConfigError::Value {
            path: self.source.clone().unwrap_or_default(),
            message,
        };
        if let Some(runtime) = &self.runtime {
            let given = [&runtime.path, &runtime.git, &runtime.version]
                .iter()
                .filter(|v| v.is_some())
                .count();
            if given != 1 {
                return Err(error(
                    "[runtime] needs exactly one of `path`, `git` or `version`".into(),
                ));
            }
            if runtime.rev.is_some() && runtime.git.is_none() {
                return Err(error("[runtime] `rev` needs `git`".into()));
            }
        }
        let ops = &self.operations;
        for glob in ops.include_paths.iter().chain(&ops.exclude_paths) {
            globset::Glob::new(glob)
                .map_err(|e| error(format!("[operations] path glob {glob:?}: {e}")))?;
        }
        for (schema, path) in &self.types.replace {
            if syn::parse_str::<syn::Path>(path).is_err() {
                return Err(error(format!(
                    "[types.replace] {schema} = {path:?} is not a Rust type path"
                )));
            }
        }
        for (schema, name) in &self.types.rename {
            if syn::parse_str::<syn::Ident>(name).is_err() {
                return Err(error(format!(
                    "[types.rename] {schema} = {name:?} is not a Rust identifier"
                )));
            }
        }
        let derives = self
            .types
            .derives
            .iter()
            .chain(self.types.derive.values().flatten());
        for derive in derives {
            if syn::parse_str::<syn::Path>(derive).is_err() {
                return Err(error(format!("{derive:?} is not a derive macro path")));
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_located() {
        let text = "[package]\nname = \"x\"\n\n[operations]\nincluded = [\"a\"]\n";
        let err = ConnectorConfig::parse(text, Path::new("c.toml")).unwrap_err();
        let shown = err.to_string();
        assert!(shown.starts_with("c.toml:5:1: "), "{shown}");
        assert!(shown.contains("included"), "{shown}");
    }

    #[test]
    fn every_section_parses() {
        let text = r#"
            [package]
            name = "mini"
            version = "1.2.3"
            [runtime]
            git = "https://example.com/r.git"
            rev = "abc"
            [operations]
            include = ["a"]
            include-tags = ["t"]
            exclude-paths = ["/x/**"]
            [types]
            derives = ["Eq"]
            [types.rename]
            a = "B"
            [types.replace]
            Money = "my_crate::Money"
            [paging]
            list = "cursor:next"
            [features]
            preview = "exclude"
        "#;
        let c = ConnectorConfig::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(c.package.name.as_deref(), Some("mini"));
        assert_eq!(c.operations.include_tags, ["t"]);
        assert_eq!(c.types.replace["Money"], "my_crate::Money");
        assert_eq!(c.paging["list"], "cursor:next");
        assert_eq!(c.features.preview, PreviewMode::Exclude);
    }

    #[test]
    fn bad_values_are_errors() {
        let two_runtimes = "[runtime]\npath = \"a\"\nversion = \"1\"\n";
        assert!(ConnectorConfig::parse(two_runtimes, Path::new("c.toml")).is_err());
        let bad_glob = "[operations]\ninclude-paths = [\"/a/[\"]\n";
        assert!(ConnectorConfig::parse(bad_glob, Path::new("c.toml")).is_err());
        let bad_path = "[types.replace]\nMoney = \"not a path\"\n";
        assert!(ConnectorConfig::parse(bad_path, Path::new("c.toml")).is_err());
    }
}
