//! Lint output: text for terminals, JSON for tooling, SARIF 2.1.0 for code-scanning UIs.

use serde_json::{Value, json};

use crate::finding::{Finding, Severity, Summary};
use crate::rules::RULES;

/// One line per finding with its fix hint, then a summary line.
pub fn text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!("{f}\n  hint: {}\n", f.hint));
    }
    let s = Summary::of(findings);
    out.push_str(&format!(
        "{} error(s), {} warning(s), {} info\n",
        s.error, s.warning, s.info
    ));
    out
}

/// `{"findings": [{"rule", "severity", "file", "line", "column", "pointer", "message",
/// "hint"}], "summary": {"error", "warning", "info"}}`.
pub fn json(findings: &[Finding]) -> Value {
    json!({
        "findings": findings.iter().map(|f| json!({
            "rule": f.rule,
            "severity": f.severity.as_str(),
            "file": f.file.to_string_lossy(),
            "line": f.line,
            "column": f.column,
            "pointer": f.pointer,
            "message": f.message,
            "hint": f.hint,
        })).collect::<Vec<_>>(),
        "summary": Summary::of(findings),
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF 2.1.0 log with one run: every rule in `tool.driver.rules`, one result per
/// finding.
pub fn sarif(findings: &[Finding]) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.rationale},
                "help": {"text": r.fix},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut region = json!({});
            if f.line > 0 {
                region = json!({"startLine": f.line, "startColumn": f.column.max(1)});
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == f.rule),
                "level": level(f.severity),
                "message": {"text": format!("{} Fix: {}", f.message, f.hint)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file.to_string_lossy().replace('\\', "/")},
                        "region": region,
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.pointer}],
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "connector-gen lint",
                "informationUri": "https://example.invalid/connector-gen/docs/lint.md",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
