//! Generated files in memory, writing them safely, and comparing them with a folder.
//!
//! A generated crate's folder holds a marker, [`MARKER_FILE`], with the options the
//! crate was generated with and the files the generator wrote. Writing goes only into
//! an empty folder or one with a marker, replaces or removes only the files the marker
//! lists, and refuses (naming the file) to touch anything else unless forced.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::GenerateError;
use crate::marker::{MARKER_FILE, Marker, RecordedOptions};

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
    /// The options to record in the crate's marker, so `check` and a later `generate`
    /// reproduce it.
    pub recorded: RecordedOptions,
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

    /// The marker file's text: recorded options and the list of generated files.
    pub fn marker_text(&self) -> String {
        Marker {
            options: self.recorded.clone(),
            files: self.files.iter().map(|f| f.path.clone()).collect(),
        }
        .to_text()
    }

    /// What writing into `dir` would do, without writing. `force` lets files the
    /// generator did not write be overwritten instead of being conflicts.
    pub fn plan_write(&self, dir: &Path, force: bool) -> Result<WritePlan, GenerateError> {
        let marker = Marker::read(dir)?;
        let previous: BTreeSet<String> = marker
            .as_ref()
            .map(|m| m.files.iter().cloned().collect())
            .unwrap_or_default();
        let ours: BTreeSet<&str> = self.files.iter().map(|f| f.path.as_str()).collect();
        let mut plan = WritePlan::default();
        let marker_text = self.marker_text();
        let marker_file = GeneratedFile::new(MARKER_FILE, marker_text);
        for file in self.files.iter().chain(std::iter::once(&marker_file)) {
            let path = dir.join(&file.path);
            let change = match fs::read(&path) {
                Err(_) => PlannedChange::Added,
                Ok(old) if old == file.contents.as_bytes() => PlannedChange::Unchanged,
                Ok(_) => PlannedChange::Changed,
            };
            let generated_before = file.path == MARKER_FILE || previous.contains(&file.path);
            if change == PlannedChange::Changed && !generated_before && !force {
                plan.conflicts.push(file.path.clone());
            }
            plan.files.push((file.path.clone(), change));
        }
        for old in &previous {
            if !ours.contains(old.as_str()) && old != MARKER_FILE && dir.join(old).is_file() {
                plan.files.push((old.clone(), PlannedChange::Removed));
            }
        }
        if marker.is_none() {
            // Not a folder this generator wrote: any other file in it is someone else's.
            for other in other_files(dir) {
                if !ours.contains(other.as_str()) && !force {
                    plan.conflicts.push(other);
                }
            }
        }
        plan.conflicts.sort();
        plan.conflicts.dedup();
        plan.files.sort();
        Ok(plan)
    }

    /// Write the crate into `dir` (created if needed), refusing to touch files the
    /// generator did not write (see [`GeneratedCrate::plan_write`]). Each file goes to a
    /// temporary file in its folder and is renamed into place, so an interrupted run
    /// leaves each file old or new, never half-written; files this generator wrote
    /// before and no longer produces are removed.
    pub fn write_to(&self, dir: &Path) -> Result<(), GenerateError> {
        self.write_with(dir, false).map(|_| ())
    }

    /// [`GeneratedCrate::write_to`], overwriting files the generator did not write
    /// when `force` is set (it still removes only files it wrote before).
    pub fn write_with(&self, dir: &Path, force: bool) -> Result<WritePlan, GenerateError> {
        let plan = self.plan_write(dir, force)?;
        if !plan.conflicts.is_empty() {
            return Err(GenerateError::NotOurs {
                dir: dir.to_path_buf(),
                files: plan.conflicts,
            });
        }
        let marker_text = self.marker_text();
        let contents = |path: &str| -> Option<&str> {
            if path == MARKER_FILE {
                Some(marker_text.as_str())
            } else {
                self.file(path).map(|f| f.contents.as_str())
            }
        };
        for (path, change) in &plan.files {
            let full = dir.join(path);
            match change {
                PlannedChange::Added | PlannedChange::Changed => {
                    if path == MARKER_FILE {
                        continue;
                    }
                    if let Some(text) = contents(path) {
                        write_atomically(&full, text.as_bytes())?;
                    }
                }
                PlannedChange::Removed => fs::remove_file(&full)
                    .map_err(|source| GenerateError::Io { path: full, source })?,
                PlannedChange::Unchanged => {}
            }
        }
        // The marker last: until it is written, the old list still names every file.
        if plan.change_of(MARKER_FILE) != Some(PlannedChange::Unchanged) {
            write_atomically(&dir.join(MARKER_FILE), marker_text.as_bytes())?;
        }
        Ok(plan)
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
        changes.dedup();
        changes
    }

    /// Files the generator wrote before (per the marker) that it would not write now; in
    /// a crate without a marker (generated before markers existed), `.rs` files under
    /// `src/` that it would not write. Files the user added beside a marked crate are
    /// theirs: regeneration keeps them, so they never make the crate stale.
    fn extra_files(&self, dir: &Path) -> Vec<String> {
        let ours: BTreeSet<&str> = self.files.iter().map(|f| f.path.as_str()).collect();
        let marker = Marker::read(dir).ok().flatten();
        let marked = marker.is_some();
        let mut extra: Vec<String> = marker
            .map(|m| m.files)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| dir.join(p).is_file())
            .collect();
        if !marked && let Ok(entries) = fs::read_dir(dir.join("src")) {
            extra.extend(
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".rs"))
                    .map(|n| format!("src/{n}")),
            );
        }
        extra.retain(|p| !ours.contains(p.as_str()));
        extra.sort();
        extra.dedup();
        extra
    }
}

/// What writing a crate changes, per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlannedChange {
    /// A new file.
    Added,
    /// The file exists with other contents.
    Changed,
    /// A file generated before that the generator no longer writes.
    Removed,
    /// Same contents.
    Unchanged,
}

impl std::fmt::Display for PlannedChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            PlannedChange::Added => "added",
            PlannedChange::Changed => "changed",
            PlannedChange::Removed => "removed",
            PlannedChange::Unchanged => "unchanged",
        })
    }
}

/// The outcome (or, for a dry run, the forecast) of writing a crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WritePlan {
    /// Every file the write touches or compares, sorted by path, with its change.
    pub files: Vec<(String, PlannedChange)>,
    /// Files in the way that the generator did not write (empty once forced).
    pub conflicts: Vec<String>,
}

impl WritePlan {
    /// The change planned for `path`.
    pub fn change_of(&self, path: &str) -> Option<PlannedChange> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, c)| *c)
    }

    /// The files that change (added, changed or removed).
    pub fn changed(&self) -> impl Iterator<Item = (&str, PlannedChange)> {
        self.files
            .iter()
            .filter(|(_, c)| *c != PlannedChange::Unchanged)
            .map(|(p, c)| (p.as_str(), *c))
    }

    /// `2 added, 1 changed` style counts; empty when nothing changes.
    pub fn summary(&self) -> String {
        [
            PlannedChange::Added,
            PlannedChange::Changed,
            PlannedChange::Removed,
        ]
        .iter()
        .filter_map(|kind| {
            let n = self.files.iter().filter(|(_, c)| c == kind).count();
            (n > 0).then(|| format!("{n} {kind}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Every file under `dir` (relative, `/`-separated), skipping `target/` and hidden
/// folders (`.git/`), which are not part of a crate's sources.
fn other_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                if name != "target" && !name.starts_with('.') {
                    stack.push((entry.path(), format!("{rel}/")));
                }
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename,
/// so readers see the old file or the new one, never a part.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), GenerateError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GenerateError::Io { path, source }
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(io(parent))?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(io(parent))?;
    tmp.write_all(bytes).map_err(io(path))?;
    // A temporary file is private (0600); give the result the old file's mode, or the
    // usual 0644 of a new one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))
            .map_err(io(path))?;
    }
    tmp.persist(path).map_err(|e| GenerateError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}
