//! Located diagnostics: every warning and error names the file, the JSON pointer,
//! the line and column where known, and a one-line reason.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    /// Input was understood with a recovery or a guess; output is still produced.
    Warning,
    /// Input cannot be used.
    Error,
}

/// What a diagnostic reports, so tools can count kinds apart (the corpus report counts
/// degraded schemas and skipped constructs per document).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// Any other recovery or error.
    #[default]
    General,
    /// A schema the generator reads as a looser type than the definition says (e.g. any
    /// JSON value).
    DegradedSchema,
    /// A construct of the definition that is not turned into generated code (e.g. a
    /// webhook or callback without a decoder).
    SkippedConstruct,
    /// A `$ref` that cannot be resolved.
    UnresolvedReference,
}

/// A position in a source file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One located message about the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The file it is about.
    pub file: PathBuf,
    /// JSON pointer into the file (`""` for the whole document).
    pub pointer: String,
    /// Line and column, where known.
    pub location: Option<LineCol>,
    /// One-line reason.
    pub message: String,
    /// What the diagnostic reports.
    pub kind: DiagnosticKind,
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: warning: reason (at /json/pointer)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {sev}: {}", self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

/// Why a definition could not be loaded. Always carries at least one error diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", first_error(.diagnostics))]
pub struct LoadError {
    /// All diagnostics gathered before giving up; at least one is an error.
    pub diagnostics: Vec<Diagnostic>,
}

fn first_error(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(diags.first())
        .map(ToString::to_string)
        .unwrap_or_else(|| "definition could not be loaded".to_owned())
}

impl LoadError {
    /// The first error diagnostic.
    pub fn primary(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    }
}
