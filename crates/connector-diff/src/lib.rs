//! Compares two connector definitions (any input version: the normalized models are
//! compared, so a Swagger 2.0 to OpenAPI 3 migration of the same API is no change) and
//! classifies every change as breaking, additive or patch; checks seed 003's revision
//! discipline; and derives the semver bump the regenerated client crate needs.
//!
//! ```no_run
//! let old = connector_diff::Side::load("old/contoso".as_ref())?;
//! let new = connector_diff::Side::load("specs/contoso-sales".as_ref())?;
//! let report = connector_diff::diff(&old, &new);
//! println!("{}", report.semver.as_str());
//! # Ok::<(), connector_spec::LoadError>(())
//! ```

pub mod change;
pub mod pointers;
pub mod report;
pub mod semver;

mod connector_level;
mod operations;
mod parameters;
mod revisions;
mod schemas;
mod side;

use std::collections::HashSet;

pub use change::{
    Bump, Change, ChangeKind, DiffReport, RevisionFinding, RevisionRule, Severity, Site, Summary,
};
pub use side::Side;

/// Compares two loaded definitions.
pub fn diff(old: &Side, new: &Side) -> DiffReport {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
        visited: HashSet::new(),
    };
    connector_level::compare(&mut d);
    operations::compare(&mut d);
    schemas::compare_named(&mut d);
    let mut changes = d.changes;
    locate_all(old, &mut changes, |c| c.old.as_mut());
    locate_all(new, &mut changes, |c| c.new.as_mut());
    let revision_findings = revisions::check(&old.connector, &new.connector, &changes);
    let mut summary = Summary::default();
    for c in &changes {
        match c.severity {
            Severity::Breaking => summary.breaking += 1,
            Severity::Additive => summary.additive += 1,
            Severity::Patch => summary.patch += 1,
        }
    }
    DiffReport {
        semver: semver::bump_of(&changes),
        changes,
        revision_findings,
        summary,
    }
}

/// Fills in line and column of one side's sites: the definition's pointers in one pass
/// over its text, `apiProperties.json`'s one by one.
fn locate_all(
    side: &Side,
    changes: &mut [Change],
    site: impl Fn(&mut Change) -> Option<&mut Site>,
) {
    let mut wanted: Vec<String> = Vec::new();
    for c in changes.iter_mut() {
        if let Some(s) = site(c)
            && s.file == side.file_name
        {
            wanted.push(s.pointer.clone());
        }
    }
    let pointers: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let mut found =
        connector_spec::locate_pointers(&side.file_name, &side.text, &pointers).into_iter();
    for c in changes.iter_mut() {
        if let Some(s) = site(c) {
            s.location = if s.file == side.file_name {
                found.next().flatten()
            } else {
                side.locate(&s.file, &s.pointer)
            };
        }
    }
}

/// What a change is attached to.
#[derive(Debug, Clone, Default)]
pub(crate) struct At {
    pub operation: Option<String>,
    pub schema: Option<String>,
}

/// Collects changes while walking both models.
pub(crate) struct Differ<'a> {
    pub old: &'a Side,
    pub new: &'a Side,
    pub changes: Vec<Change>,
    /// Pairs of named schemas already compared inside the current operation (cycle guard).
    pub visited: HashSet<(String, String)>,
}

impl Differ<'_> {
    /// Records a change with its kind's fixed severity and bump.
    pub fn push(
        &mut self,
        kind: ChangeKind,
        at: &At,
        old_ptr: Option<String>,
        new_ptr: Option<String>,
        message: String,
    ) {
        let (severity, bump) = semver::classify(kind);
        self.push_as(kind, severity, bump, at, (old_ptr, new_ptr), message);
    }

    /// Records a change with an explicit severity and bump.
    pub fn push_as(
        &mut self,
        kind: ChangeKind,
        severity: Severity,
        bump: Bump,
        at: &At,
        (old_ptr, new_ptr): (Option<String>, Option<String>),
        message: String,
    ) {
        let site = |side: &Side, p: Option<String>| {
            p.map(|pointer| Site {
                file: side.file_name.clone(),
                pointer,
                location: None,
            })
        };
        let change = Change {
            kind,
            severity,
            bump,
            operation: at.operation.clone(),
            schema: at.schema.clone(),
            old: site(self.old, old_ptr),
            new: site(self.new, new_ptr),
            message,
        };
        tracing::trace!(?change.kind, %change.message, "change");
        self.changes.push(change);
    }
}
