//! Catalog renderings: a Markdown governance table and CSV.

use super::{Catalog, Entry};

fn auth(e: &Entry) -> String {
    e.auth
        .iter()
        .map(|a| {
            let mut s = a.method.clone();
            if let Some(p) = &a.identity_provider {
                s.push_str(&format!(" ({p})"));
            }
            if !a.scopes.is_empty() {
                s.push_str(&format!(" [{}]", a.scopes.join(" ")));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Families with more than one revision, e.g. `GetItems r1,r2`.
fn revised_families(e: &Entry) -> String {
    let revised: Vec<String> = e
        .families
        .iter()
        .filter(|f| f.revisions.len() > 1)
        .map(|f| {
            let revs: Vec<String> = f.revisions.iter().map(|r| format!("r{r}")).collect();
            format!("{} {}", f.name, revs.join(","))
        })
        .collect();
    let mut s = e.families.len().to_string();
    if !revised.is_empty() {
        s.push_str(&format!(" ({})", revised.join("; ")));
    }
    s
}

fn status(e: &Entry) -> &'static str {
    match e.status {
        connector_spec::Status::Production => "Production",
        connector_spec::Status::Preview => "Preview",
    }
}

const HEADERS: [&str; 15] = [
    "Connector",
    "Path",
    "Publisher",
    "Stack owner",
    "Version",
    "Status",
    "Auth",
    "Operations",
    "Families",
    "Preview / deprecated / internal",
    "Nearest expires",
    "Triggers (polling / webhook)",
    "Policy templates",
    "Custom code",
    "Lint errors / warnings",
];

fn cells(e: &Entry) -> [String; 15] {
    [
        e.title.clone(),
        e.path.display().to_string(),
        e.publisher.clone().unwrap_or_default(),
        e.stack_owner.clone().unwrap_or_default(),
        e.version.clone(),
        status(e).to_owned(),
        auth(e),
        e.operations.to_string(),
        revised_families(e),
        format!("{} / {} / {}", e.preview, e.deprecated, e.internal),
        e.nearest_expires.clone().unwrap_or_default(),
        format!("{} / {}", e.polling_triggers, e.webhook_triggers),
        e.policy_templates.join(", "),
        if e.custom_code { "yes" } else { "no" }.to_owned(),
        format!("{} / {}", e.lint_errors, e.lint_warnings),
    ]
}

/// A Markdown governance table, then the definitions that failed to load.
pub fn markdown(c: &Catalog) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut out = format!(
        "# Connector catalog\n\n{} connector(s), {} failed to load.\n\n| {} |\n|{}\n",
        c.connectors.len(),
        c.failures.len(),
        HEADERS.join(" | "),
        "---|".repeat(HEADERS.len())
    );
    for e in &c.connectors {
        let row: Vec<String> = cells(e).iter().map(|s| cell(s)).collect();
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    if !c.failures.is_empty() {
        out.push_str("\n## Failed to load\n\n");
        for f in &c.failures {
            out.push_str(&format!("- `{}`: {}\n", f.path.display(), cell(&f.message)));
        }
    }
    out
}

/// RFC 4180 CSV, one row per connector. Hand-written: quoting is the whole of it.
pub fn csv(c: &Catalog) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = HEADERS.map(field).join(",");
    out.push_str("\r\n");
    for e in &c.connectors {
        let row: Vec<String> = cells(e).iter().map(|s| field(s)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
