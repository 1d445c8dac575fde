//! Renders a [`DiffReport`] as text, markdown release notes or JSON.

use std::fmt::Write as _;

use crate::change::{Change, ChangeKind, DiffReport, Severity, Site};

/// The JSON form: `{"semver", "changes", "revision_findings", "summary"}`.
pub fn json(r: &DiffReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn site(s: &Option<Site>) -> String {
    match s {
        Some(Site {
            file,
            pointer,
            location: Some(l),
        }) => format!("{file}:{}:{} #{pointer}", l.line, l.column),
        Some(Site {
            file,
            pointer,
            location: None,
        }) => format!("{file} #{pointer}"),
        None => "-".to_string(),
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "breaking",
        Severity::Additive => "additive",
        Severity::Patch => "patch",
    }
}

fn kind(k: ChangeKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A plain listing, one change per line plus its locations.
pub fn text(r: &DiffReport) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let _ = writeln!(
        out,
        "semver: {} ({} breaking, {} additive, {} patch, {} revision finding(s))",
        r.semver.as_str(),
        s.breaking,
        s.additive,
        s.patch,
        r.revision_findings.len()
    );
    for c in &r.changes {
        let _ = writeln!(
            out,
            "{:<8} {}: {}",
            severity(c.severity),
            kind(c.kind),
            c.message
        );
        let _ = writeln!(out, "         old {}  new {}", site(&c.old), site(&c.new));
    }
    for f in &r.revision_findings {
        let rule = serde_json::to_value(f.rule)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "revision {rule}: {}\n         fix: {}",
            f.message, f.fix
        );
    }
    out
}

/// Which release-notes section a change belongs in.
fn section(c: &Change) -> &'static str {
    use ChangeKind::*;
    match c.kind {
        OperationRemoved
        | SchemaRemoved
        | ParameterRemoved
        | RequestPropertyRemoved
        | ResponsePropertyRemoved
        | StatusCodeRemoved
        | EnumValueRemoved
        | RequestBodyRemoved => "Removed",
        DeprecationChanged => "Deprecated",
        OperationAdded
        | SchemaAdded
        | ParameterAddedOptional
        | RequestPropertyAddedOptional
        | ResponsePropertyAdded
        | StatusCodeAdded
        | EnumValueAdded
        | RequestBodyAddedOptional => "Added",
        _ => "Changed",
    }
}

/// A release-notes section (Added / Changed / Deprecated / Removed and the bump), fit for
/// a pull-request comment or a CHANGELOG.
pub fn markdown(r: &DiffReport) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let _ = writeln!(
        out,
        "## Connector changes: **{}** version bump\n",
        r.semver.as_str()
    );
    let _ = writeln!(
        out,
        "{} breaking, {} additive, {} patch change(s).\n",
        s.breaking, s.additive, s.patch
    );
    for title in ["Added", "Changed", "Deprecated", "Removed"] {
        let items: Vec<&Change> = r.changes.iter().filter(|c| section(c) == title).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in items {
            let mark = if c.severity == Severity::Breaking {
                " **(breaking)**"
            } else {
                ""
            };
            let _ = writeln!(out, "- {}{mark}", c.message.replace('|', "\\|"));
        }
        out.push('\n');
    }
    if !r.revision_findings.is_empty() {
        let _ = writeln!(out, "### Revision discipline (seed 003)\n");
        for f in &r.revision_findings {
            let _ = writeln!(out, "- {} Fix: {}", f.message, f.fix);
        }
        out.push('\n');
    }
    out
}
