//! Generated files in memory, writing them, and comparing them with a folder.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::GenerateError;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub contents: String,
}

impl GeneratedFile {
    pub(crate) fn new(path: &str, contents: String) -> Self {
        GeneratedFile {
            path: path.to_owned(),
            contents,
        }
    }
}

/// A generated crate: its package name and files, sorted by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// Cargo package name.
    pub name: String,
    /// The files.
    pub files: Vec<GeneratedFile>,
}

/// How a folder differs from what the generator would write.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileChange {
    /// The file is missing.
    Missing(String),
    /// The file differs; the first differing line (1-based).
    Stale {
        /// Path.
        path: String,
        /// First differing line.
        line: usize,
    },
    /// A file under `src/` that the generator would not write.
    Extra(String),
}

impl std::fmt::Display for FileChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileChange::Missing(p) => write!(f, "missing: {p}"),
            FileChange::Stale { path, line } => {
                write!(f, "stale:   {path} (first difference at line {line})")
            }
            FileChange::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

impl GeneratedCrate {
    /// A file by relative path.
    pub fn file(&self, path: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Write every file under `dir` (created if needed). Each file is written to a
    /// temporary sibling and renamed into place, so no file is ever half-written; `.rs`
    /// files under `src/` that the generator no longer produces are removed.
    pub fn write_to(&self, dir: &Path) -> Result<(), GenerateError> {
        for file in &self.files {
            let path = dir.join(&file.path);
            let unchanged = fs::read(&path).is_ok_and(|old| old == file.contents.as_bytes());
            if !unchanged {
                write_atomically(&path, file.contents.as_bytes())?;
            }
        }
        for extra in self.extra_files(dir) {
            let path = dir.join(&extra);
            fs::remove_file(&path).map_err(|source| GenerateError::Io { path, source })?;
        }
        Ok(())
    }

    /// Compare with the crate in `dir`; empty when it is up to date.
    pub fn check(&self, dir: &Path) -> Vec<FileChange> {
        let mut changes = Vec::new();
        for file in &self.files {
            match fs::read_to_string(dir.join(&file.path)) {
                Err(_) => changes.push(FileChange::Missing(file.path.clone())),
                Ok(old) if old != file.contents => {
                    let line = old
                        .lines()
                        .zip(file.contents.lines())
                        .position(|(a, b)| a != b)
                        .unwrap_or_else(|| old.lines().count().min(file.contents.lines().count()))
                        + 1;
                    changes.push(FileChange::Stale {
                        path: file.path.clone(),
                        line,
                    });
                }
                Ok(_) => {}
            }
        }
        changes.extend(self.extra_files(dir).into_iter().map(FileChange::Extra));
        changes.sort();
        changes
    }

    fn extra_files(&self, dir: &Path) -> Vec<String> {
        let ours: BTreeSet<&str> = self.files.iter().map(|f| f.path.as_str()).collect();
        let Ok(entries) = fs::read_dir(dir.join("src")) else {
            return Vec::new();
        };
        let mut extra: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".rs"))
            .map(|n| format!("src/{n}"))
            .filter(|p| !ours.contains(p.as_str()))
            .collect();
        extra.sort();
        extra
    }
}

/// Write `bytes` to `path` through a temporary sibling and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), GenerateError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GenerateError::Io { path, source }
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, bytes).map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(io(path))
}
