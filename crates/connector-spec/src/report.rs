//! Collects located diagnostics for one source file.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, DiagnosticKind, LineCol, Severity};
use crate::locate;
use crate::pointer::{Origins, PointerMap};

/// Syntax of a source text (decides how pointers are located).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Yaml,
}

/// Another file's text, for locating diagnostics in it.
#[derive(Debug, Clone)]
pub(crate) struct FileText {
    /// The file's path.
    pub(crate) path: PathBuf,
    /// Decoded text.
    pub(crate) text: String,
    /// JSON or YAML.
    pub(crate) syntax: Syntax,
}

/// Diagnostics about one file, located on demand.
pub(crate) struct Reporter<'a> {
    pub(crate) file: PathBuf,
    pub(crate) text: &'a str,
    pub(crate) syntax: Syntax,
    /// Converted pointer → original pointer (Swagger 2.0 upgrade).
    pub(crate) map: PointerMap,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Other files the document's references brought in.
    pub(crate) files: Vec<FileText>,
    /// Which parts of the document came from which file (see `crate::refs`).
    pub(crate) origins: Origins,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: PathBuf, text: &'a str, syntax: Syntax) -> Self {
        Reporter {
            file,
            text,
            syntax,
            map: PointerMap::default(),
            diagnostics: Vec::new(),
            files: Vec::new(),
            origins: Origins::default(),
        }
    }

    /// Builds a diagnostic for a pointer in the (possibly converted) document.
    pub(crate) fn diagnostic(
        &self,
        severity: Severity,
        pointer: &str,
        message: String,
    ) -> Diagnostic {
        let mut original = self.map.original(pointer);
        let mut text = self.text;
        let mut syntax = self.syntax;
        let mut file = &self.file;
        if let Some((from, at)) = self.origins.original(&original) {
            original = at;
            if let Some(f) = from.and_then(|i| self.files.get(i)) {
                text = &f.text;
                syntax = f.syntax;
                file = &f.path;
            }
        }
        let location = match syntax {
            Syntax::Json => locate::locate_json(text, &original),
            Syntax::Yaml => locate::locate_yaml(text, &original),
        };
        Diagnostic {
            severity,
            file: file.clone(),
            pointer: original,
            location,
            message: one_line(message),
            kind: DiagnosticKind::General,
        }
    }

    /// A recovery warning at `pointer`.
    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let message = message.into();
        tracing::debug!(file = %self.file.display(), pointer, %message, "recovered");
        let d = self.diagnostic(Severity::Warning, pointer, message);
        self.diagnostics.push(d);
    }

    /// A recovery warning of a given kind at `pointer` (see [`DiagnosticKind`]).
    pub(crate) fn warn_kind(
        &mut self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) {
        let message = message.into();
        tracing::debug!(file = %self.file.display(), pointer, %message, ?kind, "recovered");
        let mut d = self.diagnostic(Severity::Warning, pointer, message);
        d.kind = kind;
        self.diagnostics.push(d);
    }

    /// An error at `pointer`.
    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.diagnostic(Severity::Error, pointer, message.into());
        self.diagnostics.push(d);
    }

    /// A diagnostic at a known position (parse errors, before a pointer exists).
    pub(crate) fn at(
        &mut self,
        severity: Severity,
        location: Option<LineCol>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.file.clone(),
            pointer: String::new(),
            location,
            message: one_line(message.into()),
            kind: DiagnosticKind::General,
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Collapses a message onto one line.
pub(crate) fn one_line(message: String) -> String {
    if !message.contains(['\n', '\r']) {
        return message;
    }
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
