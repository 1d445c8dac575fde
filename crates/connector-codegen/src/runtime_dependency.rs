//! Where a generated crate gets `connector-runtime` from, and how that is written.

use crate::config::RuntimeConfig;

/// Where generated crates get `connector-runtime` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A path, relative to the generated crate's folder.
    Path(String),
    /// A crates.io version requirement.
    Version(String),
    /// A git repository, at a revision when given.
    Git {
        /// Repository URL.
        url: String,
        /// Commit, tag or branch.
        rev: Option<String>,
    },
}

impl RuntimeDependency {
    /// The dependency's TOML value in the generated `Cargo.toml`.
    pub fn toml_value(&self) -> String {
        match self {
            RuntimeDependency::Path(p) => format!("{{ path = {} }}", toml_string(p)),
            RuntimeDependency::Version(v) => toml_string(v),
            RuntimeDependency::Git { url, rev: None } => {
                format!("{{ git = {} }}", toml_string(url))
            }
            RuntimeDependency::Git {
                url,
                rev: Some(rev),
            } => {
                format!(
                    "{{ git = {}, rev = {} }}",
                    toml_string(url),
                    toml_string(rev)
                )
            }
        }
    }

    /// As a `[runtime]` table (for configuration and markers).
    pub fn to_config(&self) -> RuntimeConfig {
        match self {
            RuntimeDependency::Path(p) => RuntimeConfig {
                path: Some(p.clone()),
                ..RuntimeConfig::default()
            },
            RuntimeDependency::Version(v) => RuntimeConfig {
                version: Some(v.clone()),
                ..RuntimeConfig::default()
            },
            RuntimeDependency::Git { url, rev } => RuntimeConfig {
                git: Some(url.clone()),
                rev: rev.clone(),
                ..RuntimeConfig::default()
            },
        }
    }

    /// From a `[runtime]` table; paths are taken as written. `None` when it names none.
    pub fn from_config(config: &RuntimeConfig) -> Option<Self> {
        if let Some(path) = &config.path {
            return Some(RuntimeDependency::Path(path.clone()));
        }
        if let Some(url) = &config.git {
            return Some(RuntimeDependency::Git {
                url: url.clone(),
                rev: config.rev.clone(),
            });
        }
        config.version.clone().map(RuntimeDependency::Version)
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}
