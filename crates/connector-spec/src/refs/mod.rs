//! Reference resolution before normalization: external `$ref`s (relative files, JSON or
//! YAML, `file#/pointer`, nested folders, `../`) are brought into the one document, and
//! `$ref`s at path-item and operation level are inlined.
//!
//! Schemas from other files become named schemas of the document (`components/schemas`,
//! or `definitions` for Swagger 2.0) under collision-free names derived from their
//! pointer or file name, so a cycle through files ends in a recursive type like an
//! internal one. Anything else (parameters, responses, path items, operations, …) is
//! inlined. [`Origins`] records where each inlined part came from, so diagnostics
//! still point into the right file. The network is never used: a URL is a located
//! warning and the reference reads as any value.

mod files;
mod walk;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::model::SourceFile;
use crate::report::Syntax;

pub(crate) use crate::pointer::Origins;
pub(crate) use files::SourceText;

/// What bundling produced besides the rewritten document.
#[derive(Default)]
pub(crate) struct Bundled {
    /// Every other file read, in the order first read.
    pub(crate) files: Vec<SourceText>,
    /// Where inlined parts came from.
    pub(crate) origins: Origins,
    /// Warnings and errors of resolution, located in the referring file.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Bundled {
    /// The files read, named relative to the definition's folder, sorted.
    pub(crate) fn sources(&self) -> Vec<SourceFile> {
        let mut out: Vec<SourceFile> = self
            .files
            .iter()
            .map(|f| SourceFile {
                name: f.name.clone(),
                sha256: f.sha256.clone(),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// Resolves `doc`'s external and path-level references in place. `root` is the
/// definition's path (external files are read relative to it when `read_files`).
pub(crate) fn bundle(
    doc: &mut Value,
    root: &Path,
    root_text: &str,
    root_syntax: Syntax,
    read_files: bool,
) -> Bundled {
    let mut b = walk::Bundler::new(root, root_text, root_syntax, read_files, doc);
    b.inline_local_path_items(doc);
    b.walk_root(doc);
    b.finish(doc)
}

/// `a/b/../c` → `a/c` without touching the file system (deterministic, and files are
/// identified the same way however a reference spells them).
pub(crate) fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

/// `path` relative to `base` (both normalized), with `..` where it goes up.
pub(crate) fn relative_name(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".to_owned());
    }
    for c in p.iter().skip(common) {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_lexically_and_name_relative_to_the_definition() {
        let p = normalize_path(Path::new("/a/b/./c/../../shared/x.yml"));
        assert_eq!(p, PathBuf::from("/a/shared/x.yml"));
        assert_eq!(relative_name(&p, Path::new("/a/b")), "../shared/x.yml");
        assert_eq!(
            relative_name(Path::new("/a/b/c/d.json"), Path::new("/a/b")),
            "c/d.json"
        );
    }
}
