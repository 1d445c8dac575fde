//! The public API descriptions of the corpus (`public-apis/`: OpenAI, DigitalOcean,
//! Twilio, Harbor, the OpenAPI Initiative's examples) and the per-document counts of
//! what the generator did not turn into typed code.

use std::path::{Path, PathBuf};

use connector_spec::{Diagnostic, DiagnosticKind};
use serde::Serialize;

/// Every document under `root` whose top level declares `openapi` or `swagger` (entry
/// files only: the parts a multi-file definition references declare neither). Sorted.
pub fn discover(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if declares_version(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A `.json` / `.yaml` / `.yml` file with a top-level `openapi` or `swagger` member.
fn declares_version(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "json" | "yaml" | "yml") {
        return false;
    }
    // Entry files only: read whole (a JSON document may declare its version after a
    // long `info`).
    let Ok(text) = std::fs::read(path) else {
        return false;
    };
    let text = String::from_utf8_lossy(&text);
    if text.trim_start().starts_with('{') {
        return ["\"openapi\"", "\"swagger\""]
            .iter()
            .any(|k| text.contains(k));
    }
    text.lines()
        .any(|l| l.starts_with("openapi:") || l.starts_with("swagger:"))
}

/// What a document's load reported that is not typed code.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Kinds {
    /// Schemas read as a looser type than written.
    pub degraded_schemas: usize,
    /// Constructs not turned into code (webhooks, callbacks, …).
    pub skipped_constructs: usize,
    /// `$ref`s that could not be resolved.
    pub unresolved_refs: usize,
}

impl Kinds {
    /// Counts the kinds of `diagnostics`.
    pub fn count(diagnostics: &[Diagnostic]) -> Kinds {
        let mut k = Kinds::default();
        for d in diagnostics {
            match d.kind {
                DiagnosticKind::DegradedSchema => k.degraded_schemas += 1,
                DiagnosticKind::SkippedConstruct => k.skipped_constructs += 1,
                DiagnosticKind::UnresolvedReference => k.unresolved_refs += 1,
                _ => {}
            }
        }
        k
    }

    /// Whether nothing was degraded, skipped or left unresolved.
    pub fn is_empty(&self) -> bool {
        self.degraded_schemas + self.skipped_constructs + self.unresolved_refs == 0
    }
}

/// The markdown section listing documents with degraded, skipped or unresolved parts.
pub fn markdown<'e>(rows: impl Iterator<Item = (&'e str, Kinds)>) -> String {
    let mut md = String::from(
        "\n## Degraded schemas, skipped constructs, unresolved references\n\n\
         | document | degraded schemas | skipped constructs | unresolved refs |\n\
         |---|---:|---:|---:|\n",
    );
    let mut any = false;
    for (path, k) in rows.filter(|(_, k)| !k.is_empty()) {
        any = true;
        md.push_str(&format!(
            "| `{path}` | {} | {} | {} |\n",
            k.degraded_schemas, k.skipped_constructs, k.unresolved_refs
        ));
    }
    if !any {
        md.push_str("| none | 0 | 0 | 0 |\n");
    }
    md
}
