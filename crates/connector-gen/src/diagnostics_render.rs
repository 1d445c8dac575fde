//! How the CLI shows definition diagnostics: `human` (the source line with a caret under
//! the problem, colored on a terminal), `short` (one `file:line:col: severity: reason`
//! line) or `json` (one object per line, for CI and editors).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use clap::ValueEnum;
use connector_spec::{Diagnostic, Severity};

/// `--message-format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// The source line with a caret under the problem.
    #[default]
    Human,
    /// One line per problem: `file:line:col: severity: reason (at /pointer)`.
    Short,
    /// One JSON object per line: file, line, column, pointer, severity, kind, message.
    Json,
}

/// Renders diagnostics, reading each source file once.
pub struct DiagnosticRenderer {
    format: MessageFormat,
    renderer: Renderer,
    sources: HashMap<PathBuf, Option<String>>,
}

impl DiagnosticRenderer {
    /// A renderer for `format`; colors only when stderr is a terminal.
    pub fn new(format: MessageFormat) -> Self {
        let colored = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Self::with_color(format, colored)
    }

    /// A renderer with colors on or off (tests render plain).
    pub fn with_color(format: MessageFormat, colored: bool) -> Self {
        DiagnosticRenderer {
            format,
            renderer: if colored {
                Renderer::styled()
            } else {
                Renderer::plain()
            },
            sources: HashMap::new(),
        }
    }

    /// One diagnostic as text, ending with a newline.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        match self.format {
            MessageFormat::Short => format!("{d}\n"),
            MessageFormat::Json => format!("{}\n", json(d)),
            MessageFormat::Human => self.human(d),
        }
    }

    fn source_line(&mut self, d: &Diagnostic, line: usize) -> Option<String> {
        let text = self
            .sources
            .entry(d.file.clone())
            .or_insert_with(|| std::fs::read_to_string(&d.file).ok())
            .as_deref()?;
        text.lines().nth(line.checked_sub(1)?).map(str::to_owned)
    }

    fn human(&mut self, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let file = d.file.display().to_string();
        let located = d
            .location
            .and_then(|loc| Some((loc, self.source_line(d, loc.line)?)));
        let title = level.primary_title(d.message.as_str());
        let mut groups = Vec::new();
        match &located {
            Some((loc, line)) => {
                let span = char_span(line, loc.column);
                groups.push(
                    title.element(
                        Snippet::source(line.as_str())
                            .line_start(loc.line)
                            .path(file.as_str())
                            .annotation(AnnotationKind::Primary.span(span)),
                    ),
                );
            }
            None => {
                let origin = match d.location {
                    Some(loc) => format!("{file}:{}:{}", loc.line, loc.column),
                    None => file.clone(),
                };
                groups.push(title.element(Level::NOTE.message(format!("in {origin}"))));
            }
        }
        if !d.pointer.is_empty() {
            groups.push(Group::with_title(
                Level::NOTE.secondary_title(format!("at {}", d.pointer)),
            ));
        }
        let mut out = self.renderer.render(&groups);
        out.push('\n');
        out
    }
}

/// The byte range of the character at 1-based `column` of `line` (the end of the line
/// when the column is past it).
fn char_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let mut chars = line.char_indices().skip(column.saturating_sub(1));
    match chars.next() {
        Some((start, c)) => start..start + c.len_utf8(),
        None => line.len()..line.len(),
    }
}

/// The JSON line of a diagnostic.
pub fn json(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "file": d.file.display().to_string(),
        "line": d.location.map(|l| l.line),
        "column": d.location.map(|l| l.column),
        "pointer": d.pointer,
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "kind": d.kind,
        "message": d.message,
    })
}

/// `1 error`, `2 errors`, `1 warning and 3 errors`...
pub fn count(n: usize, noun: &str) -> String {
    let mut out = format!("{n} {noun}");
    if n != 1 {
        let _ = write!(out, "s");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_pluralized() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(2, "error"), "2 errors");
        assert_eq!(count(0, "warning"), "0 warnings");
    }

    #[test]
    fn spans_cover_one_character_and_clamp() {
        assert_eq!(char_span("abc", 2), 1..2);
        assert_eq!(char_span("aé", 2), 1..3);
        assert_eq!(char_span("abc", 9), 3..3);
    }
}
