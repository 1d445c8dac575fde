//! The rule reference of docs/lint.md, generated from the rule table.

use crate::rules::{Category, RULES};

/// Markdown reference of every rule: a summary table, then one section per rule with
/// its rationale and fix hint.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("| Rule | Category | Severity | Checks |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            r.id,
            r.id,
            category(r.category),
            r.severity.as_str(),
            r.summary.replace('|', "\\|")
        ));
    }
    for r in RULES {
        out.push_str(&format!(
            "\n### `{}`\n\n{} ({}, {})\n\n- Why: {}\n- Fix: {}\n",
            r.id,
            r.summary,
            category(r.category),
            r.severity.as_str(),
            r.rationale,
            r.fix
        ));
    }
    out
}

fn category(c: Category) -> &'static str {
    match c {
        Category::Certification => "certification",
        Category::Style => "style",
    }
}
