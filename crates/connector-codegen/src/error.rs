//! Why generation or writing failed.

use std::path::PathBuf;

use crate::config::ConfigError;

/// Why generation failed. Generation happens in memory first, so a failure writes nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The generator produced code that does not parse (a generator bug).
    #[error("generated {file} is not valid Rust ({message}); please report this")]
    InvalidCode {
        /// Generated file.
        file: String,
        /// Parser message.
        message: String,
    },
    /// A template failed to render.
    #[error("template {template}: {message}")]
    Template {
        /// Template name or path.
        template: String,
        /// Reason.
        message: String,
    },
    /// The definition could not be loaded (build.rs helper).
    #[error(transparent)]
    Load(#[from] connector_spec::LoadError),
    /// Writing output failed.
    #[error("writing {path}: {source}")]
    Io {
        /// File or folder.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The output folder holds files the generator did not write.
    #[error(
        "{} holds files connector-gen did not write: {}; generate into an empty folder, \
         or pass --force to overwrite them",
        dir.display(),
        list_some(files)
    )]
    NotOurs {
        /// The output folder.
        dir: PathBuf,
        /// The files, relative to `dir`.
        files: Vec<String>,
    },
    /// A generated crate's marker file is unreadable.
    #[error("{}: {message}", path.display())]
    Marker {
        /// The marker file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The configuration file is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The operation filter is unusable (e.g. a bad path glob).
    #[error("operation filter: {0}")]
    Filter(String),
}

/// The first few items of a list, and how many more there are.
fn list_some(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut out = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        out.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    out
}
