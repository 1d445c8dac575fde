//! The marker a generated crate carries, [`MARKER_FILE`]: the options it was generated
//! with (so `check` and a later `generate` reproduce it) and the files the generator
//! wrote (so regeneration replaces or removes only those).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::GenerateError;
use crate::config::RuntimeConfig;

/// The marker's file name in a generated crate's folder.
pub const MARKER_FILE: &str = ".connector-gen.toml";

/// The generation options a crate records. Paths are relative to the crate's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RecordedOptions {
    /// `--crate-name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crate_name: Option<String>,
    /// Where connector-runtime comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeConfig>,
    /// `--config`: the configuration file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// `--operations`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// `--tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `--templates`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
    /// `--paging OP=SPEC`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub paging: BTreeMap<String, String>,
    /// `--strict`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
}

/// The marker's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// How the crate was generated.
    #[serde(default)]
    pub options: RecordedOptions,
    /// Files the generator wrote, relative to the crate, `/`-separated.
    #[serde(default)]
    pub files: Vec<String>,
}

const MARKER_HEADER: &str = "# Written by connector-gen: how this crate was generated and the files it wrote.\n\
# `connector-gen check` and `connector-gen generate` over this folder reuse these options;\n\
# regeneration replaces or removes only the files listed here.\n\n";

impl Marker {
    /// The marker's text.
    pub fn to_text(&self) -> String {
        // Serializing plain strings, lists and tables cannot fail; fall back to the
        // header alone rather than panic.
        let body = toml::to_string(self).unwrap_or_default();
        format!("{MARKER_HEADER}{body}")
    }

    /// The marker in `dir`, `None` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Marker>, GenerateError> {
        let path = dir.join(MARKER_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(GenerateError::Io { path, source }),
        };
        toml::from_str(&text)
            .map(Some)
            .map_err(|e| GenerateError::Marker {
                path,
                message: e.message().trim().to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips() {
        let marker = Marker {
            options: RecordedOptions {
                crate_name: Some("x".into()),
                runtime: Some(RuntimeConfig {
                    path: Some("../rt".into()),
                    ..RuntimeConfig::default()
                }),
                operations: vec!["a".into(), "b".into()],
                strict: true,
                ..RecordedOptions::default()
            },
            files: vec!["Cargo.toml".into(), "src/lib.rs".into()],
        };
        let text = marker.to_text();
        let back: Marker = toml::from_str(&text).unwrap();
        assert_eq!(back, marker);
        assert!(text.starts_with("# Written by connector-gen"), "{text}");
    }
}
