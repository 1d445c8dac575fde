//! The corpus job's report: one row per definition, the totals, and its Markdown.

use serde::Serialize;

/// The outcome of one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Stage {
    Ok,
    Failed,
    Skipped,
}

/// A compiler message attributed to a generated crate.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompileMessage {
    pub(crate) level: String,
    pub(crate) message: String,
    pub(crate) code: Option<String>,
    /// `src/file.rs:line:col`.
    pub(crate) span: Option<String>,
    pub(crate) rendered: Option<String>,
}

/// One definition's row of the report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Entry {
    pub(crate) path: String,
    pub(crate) crate_name: String,
    pub(crate) load: Stage,
    pub(crate) generate: Stage,
    pub(crate) compile: Stage,
    pub(crate) load_warnings: usize,
    /// Degraded schemas, skipped constructs and unresolved references the load reported.
    #[serde(flatten)]
    pub(crate) kinds: crate::corpus_public::Kinds,
    pub(crate) operations: usize,
    pub(crate) warnings: usize,
    /// The first error, located: `file:line:col: error: …` for load errors, the generator's
    /// message, or the rustc message and span.
    pub(crate) error: Option<String>,
    pub(crate) first_compile_error: Option<CompileMessage>,
    pub(crate) first_warning: Option<CompileMessage>,
    pub(crate) load_ms: f64,
    pub(crate) generate_ms: f64,
    pub(crate) generated_bytes: usize,
}

#[derive(Debug, Default, Clone, Serialize)]
pub(crate) struct Totals {
    pub(crate) definitions: usize,
    pub(crate) parsed: usize,
    pub(crate) generated: usize,
    pub(crate) compiled: usize,
    pub(crate) clean: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub(crate) root: String,
    pub(crate) compiled: bool,
    pub(crate) totals: Totals,
    pub(crate) load_generate_seconds: f64,
    pub(crate) compile_seconds: Option<f64>,
    pub(crate) definitions: Vec<Entry>,
}

pub(crate) fn markdown(report: &Report) -> String {
    let t = &report.totals;
    let pct = |n: usize, of: usize| {
        if of == 0 {
            "–".to_owned()
        } else {
            format!("{:.1}%", n as f64 * 100.0 / of as f64)
        }
    };
    let mut md = String::from("# Corpus report\n\n");
    md.push_str(&format!("Corpus: `{}`\n\n", report.root));
    md.push_str("| stage | count | share |\n|---|---:|---:|\n");
    md.push_str(&format!("| definitions | {} | |\n", t.definitions));
    md.push_str(&format!(
        "| parsed | {} | {} of definitions |\n",
        t.parsed,
        pct(t.parsed, t.definitions)
    ));
    md.push_str(&format!(
        "| generated | {} | {} of parsed |\n",
        t.generated,
        pct(t.generated, t.parsed)
    ));
    if report.compiled {
        md.push_str(&format!(
            "| compiled | {} | {} of generated |\n",
            t.compiled,
            pct(t.compiled, t.generated)
        ));
        md.push_str(&format!(
            "| clean (no warnings) | {} | {} of generated |\n",
            t.clean,
            pct(t.clean, t.generated)
        ));
    }
    md.push_str(&format!(
        "\nLoad + generate: {:.2} s",
        report.load_generate_seconds
    ));
    if let Some(c) = report.compile_seconds {
        md.push_str(&format!("; cargo check: {c:.0} s"));
    }
    md.push_str("\n\n## Failures\n\n");
    let mut any = false;
    for e in &report.definitions {
        let stage = if e.load == Stage::Failed {
            "load"
        } else if e.generate == Stage::Failed {
            "generate"
        } else if e.compile == Stage::Failed {
            "compile"
        } else if report.compiled && e.warnings > 0 {
            "warnings"
        } else {
            continue;
        };
        any = true;
        let reason = match stage {
            "warnings" => e
                .first_warning
                .as_ref()
                .map(|w| {
                    format!(
                        "{} warning(s), first: {}: {}",
                        e.warnings,
                        w.span.as_deref().unwrap_or("?"),
                        w.message
                    )
                })
                .unwrap_or_default(),
            _ => e.error.clone().unwrap_or_default(),
        };
        let reason = reason.replace('\n', " ");
        md.push_str(&format!(
            "- **{stage}** `{}` (`{}`): {}\n",
            e.path, e.crate_name, reason
        ));
    }
    if !any {
        md.push_str("None.\n");
    }
    md.push_str(&crate::corpus_public::markdown(
        report
            .definitions
            .iter()
            .map(|e| (e.path.as_str(), e.kinds)),
    ));
    md
}
