//! The files a definition refers to: read once each, parsed like the definition.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, LineCol};
use crate::report::{FileText, Reporter, Syntax};
use crate::{locate, source};

/// One referenced file as read.
#[derive(Debug, Clone)]
pub(crate) struct SourceText {
    /// The normalized path, the decoded text and its syntax.
    pub(crate) file: FileText,
    /// Relative to the definition's folder (`resources/a.yml`, `../shared/b.yml`).
    pub(crate) name: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub(crate) sha256: String,
    /// The parsed document; `None` when unreadable.
    pub(crate) value: Option<Value>,
}

impl SourceText {
    /// Reads and parses `path`; parse problems are returned as diagnostics of that file.
    pub(crate) fn read(
        path: PathBuf,
        name: String,
    ) -> Result<(SourceText, Vec<Diagnostic>), std::io::Error> {
        let bytes = std::fs::read(&path)?;
        let decoded = source::decode(&bytes);
        let syntax = source::sniff(&path.to_string_lossy(), &decoded.text);
        let (value, diagnostics) = {
            let mut rep = Reporter::new(path.clone(), &decoded.text, syntax);
            for note in &decoded.notes {
                rep.warn("", note.clone());
            }
            let v = source::parse(&mut rep);
            (v, rep.diagnostics)
        };
        Ok((
            SourceText {
                file: FileText {
                    path,
                    text: decoded.text,
                    syntax,
                },
                name,
                sha256: sha256_hex(&bytes),
                value,
            },
            diagnostics,
        ))
    }

    /// Line and column of a pointer in this file.
    pub(crate) fn locate(&self, pointer: &str) -> Option<LineCol> {
        locate_in(&self.file.text, self.file.syntax, pointer)
    }
}

/// Line and column of a pointer in a text of the given syntax.
pub(crate) fn locate_in(text: &str, syntax: Syntax, pointer: &str) -> Option<LineCol> {
    match syntax {
        Syntax::Json => locate::locate_json(text, pointer),
        Syntax::Yaml => locate::locate_yaml(text, pointer),
    }
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A reference's file part, percent-decoded (`a%20b.yml` → `a b.yml`).
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether a reference names a network resource (never fetched).
pub(crate) fn is_url(file_part: &str) -> bool {
    let lower = file_part.to_ascii_lowercase();
    lower.contains("://")
        || ["http:", "https:", "ftp:", "urn:", "data:"]
            .iter()
            .any(|s| lower.starts_with(s))
}

/// The folder a file's relative references start from.
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}
