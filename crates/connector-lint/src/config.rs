//! Per-definition configuration: rules a definition opts out of.
//!
//! Two places, both `{"allow": ["rule-id", …]}`:
//! - the `x-connector-gen-lint` extension at the definition's root;
//! - a `connector-lint.json` file in the connector's folder (or beside a single-file
//!   definition).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// Root extension holding a definition's lint configuration.
pub const EXTENSION: &str = "x-connector-gen-lint";
/// File name of a folder's lint configuration.
pub const CONFIG_FILE: &str = "connector-lint.json";

/// The rule ids listed under `allow` in a configuration value.
pub(crate) fn allowed_in(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(|v| v.get("allow"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| s.trim().to_owned())
        .collect()
}

/// The rules allowed by the configuration file of `definition` (a folder or a file).
pub(crate) fn allowed_by_file(definition: &Path) -> BTreeSet<String> {
    let folder = if definition.is_dir() {
        Some(definition)
    } else {
        definition.parent()
    };
    let Some(file) = folder.map(|f| f.join(CONFIG_FILE)) else {
        return BTreeSet::new();
    };
    match std::fs::read(&file) {
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => allowed_in(Some(&v)),
            Err(e) => {
                tracing::warn!(file = %file.display(), error = %e, "lint configuration ignored");
                BTreeSet::new()
            }
        },
        Err(_) => BTreeSet::new(),
    }
}
