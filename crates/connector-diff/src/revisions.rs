//! Seed 003's revision discipline: a breaking change to an operation ships as a new
//! revision in its family, never in place.
//!
//! Rules about the state of the new definition (duplicate revisions, `expires` without
//! `deprecated`) are reported only when this change introduces them, so a downstream CI
//! fails on the pull request that breaks the rule, not on every later one.

use std::collections::{BTreeMap, HashSet};

use connector_spec::{Connector, Operation, Status};

use crate::change::{Change, ChangeKind, RevisionFinding, RevisionRule, Severity};

/// Checks the new definition against the old one.
pub fn check(old: &Connector, new: &Connector, changes: &[Change]) -> Vec<RevisionFinding> {
    let mut out = Vec::new();
    breaking_in_place(old, new, changes, &mut out);
    sequence(old, new, &mut out);
    duplicates(old, new, &mut out);
    for n in &new.operations {
        let Some(o) = old.operations.iter().find(|o| o.id == n.id) else {
            expires(None, n, &mut out);
            continue;
        };
        if o.lifecycle.status == Status::Production && n.lifecycle.status == Status::Preview {
            out.push(RevisionFinding {
                rule: RevisionRule::StatusRegressed,
                operation: n.id.clone(),
                message: format!("`{}` went from Production back to Preview", n.id),
                fix: format!(
                    "keep `{}` in Production; ship the unproven behaviour as {} in Preview",
                    n.id,
                    next_revision_hint(n, &n.lifecycle.family, n.lifecycle.revision + 1)
                ),
            });
        }
        expires(Some(o), n, &mut out);
    }
    let removed_ids: HashSet<&str> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::OperationRemoved)
        .filter_map(|c| c.operation.as_deref())
        .collect();
    for o in old
        .operations
        .iter()
        .filter(|o| removed_ids.contains(o.id.as_str()))
    {
        if !o.lifecycle.deprecated {
            out.push(RevisionFinding {
                rule: RevisionRule::RemovedWithoutDeprecation,
                operation: o.id.clone(),
                message: format!("`{}` was removed without having been deprecated first", o.id),
                fix: format!("restore `{}` with `deprecated: true` (and a successor revision if needed); remove it in a later release", o.id),
            });
        }
    }
    out
}

/// `GetItems_V2` style name for revision `rev` of `family`.
fn next_revision_hint(_op: &Operation, family: &str, rev: u32) -> String {
    format!("{family}_V{rev}: family {family}, revision {rev}")
}

fn breaking_in_place(
    old: &Connector,
    new: &Connector,
    changes: &[Change],
    out: &mut Vec<RevisionFinding>,
) {
    let mut reported = HashSet::new();
    for c in changes.iter().filter(|c| c.severity == Severity::Breaking) {
        let Some(id) = c.operation.as_deref() else {
            continue;
        };
        let (Some(o), Some(n)) = (
            old.operations.iter().find(|o| o.id == id),
            new.operations.iter().find(|n| n.id == id),
        ) else {
            continue;
        };
        if o.lifecycle.revision != n.lifecycle.revision || o.lifecycle.family != n.lifecycle.family
        {
            continue;
        }
        if !reported.insert(id) {
            continue;
        }
        let family = &n.lifecycle.family;
        let next = max_revision(new, family).max(n.lifecycle.revision) + 1;
        out.push(RevisionFinding {
            rule: RevisionRule::BreakingInPlace,
            operation: id.to_string(),
            message: format!("breaking change to `{id}` in place ({})", c.message),
            fix: format!(
                "keep `{id}` as it was (mark it deprecated) and add {}",
                next_revision_hint(n, family, next)
            ),
        });
    }
}

fn max_revision(c: &Connector, family: &str) -> u32 {
    c.operations
        .iter()
        .filter(|o| o.lifecycle.family == family)
        .map(|o| o.lifecycle.revision)
        .max()
        .unwrap_or(0)
}

/// A new operation in an existing family must take the next revision.
fn sequence(old: &Connector, new: &Connector, out: &mut Vec<RevisionFinding>) {
    for n in new
        .operations
        .iter()
        .filter(|n| !old.operations.iter().any(|o| o.id == n.id))
    {
        let family = &n.lifecycle.family;
        let previous = max_revision(old, family);
        if previous == 0 {
            if n.lifecycle.revision > 1 {
                out.push(RevisionFinding {
                    rule: RevisionRule::RevisionOutOfSequence,
                    operation: n.id.clone(),
                    message: format!(
                        "`{}` is revision {} of family {family}, which had no revision before",
                        n.id, n.lifecycle.revision
                    ),
                    fix: "set the family to the operation it revises, or start at revision 1"
                        .to_string(),
                });
            }
            continue;
        }
        if n.lifecycle.revision != previous + 1 {
            out.push(RevisionFinding {
                rule: RevisionRule::RevisionOutOfSequence,
                operation: n.id.clone(),
                message: format!(
                    "`{}` is revision {} of family {family}, whose latest revision was {previous}",
                    n.id, n.lifecycle.revision
                ),
                fix: format!("make it {}", next_revision_hint(n, family, previous + 1)),
            });
        }
    }
}

fn family_revisions(c: &Connector) -> BTreeMap<(&str, u32), Vec<&str>> {
    let mut m: BTreeMap<(&str, u32), Vec<&str>> = BTreeMap::new();
    for o in &c.operations {
        m.entry((o.lifecycle.family.as_str(), o.lifecycle.revision))
            .or_default()
            .push(o.id.as_str());
    }
    m
}

fn duplicates(old: &Connector, new: &Connector, out: &mut Vec<RevisionFinding>) {
    let before = family_revisions(old);
    for ((family, rev), ids) in family_revisions(new) {
        if ids.len() < 2
            || before
                .get(&(family, rev))
                .is_some_and(|b| b.len() >= ids.len())
        {
            continue;
        }
        out.push(RevisionFinding {
            rule: RevisionRule::DuplicateRevision,
            operation: ids[ids.len() - 1].to_string(),
            message: format!("{} share family {family} revision {rev}", ids.join(", ")),
            fix: format!(
                "give each its own revision (the newest: revision {})",
                max_revision(new, family) + 1
            ),
        });
    }
}

fn expires(old: Option<&Operation>, n: &Operation, out: &mut Vec<RevisionFinding>) {
    let bad = |o: &Operation| o.lifecycle.expires.is_some() && !o.lifecycle.deprecated;
    if bad(n) && !old.is_some_and(bad) {
        out.push(RevisionFinding {
            rule: RevisionRule::ExpiresWithoutDeprecation,
            operation: n.id.clone(),
            message: format!("`{}` has `expires` but is not deprecated", n.id),
            fix: format!("set `deprecated: true` on `{}` or drop `expires`", n.id),
        });
    }
}
