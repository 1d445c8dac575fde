//! One focused before/after pair per seed-003 revision rule.

mod common;

use common::*;
use connector_diff::RevisionRule as R;
use serde_json::{Value, json};

const OP: &str = "/paths/~1items/get";

fn rules(before: &Value, after: &Value) -> Vec<R> {
    diff(before, after)
        .revision_findings
        .iter()
        .map(|f| f.rule)
        .collect()
}

/// `GetItems_V{rev}` on `/v{rev}/items` in family GetItems.
fn revision(doc: &Value, rev: u32, id: &str) -> Value {
    let op = get_items(json!({
        "operationId": id,
        "x-ms-api-annotation": {"family": "GetItems", "revision": rev}
    }));
    with(doc, &format!("/paths/~1v{rev}~1items"), json!({"get": op}))
}

#[test]
fn breaking_change_in_place_names_the_next_revision() {
    let after = with(&base(), &format!("{OP}/parameters/0/required"), json!(true));
    let r = diff(&base(), &after);
    let f = r
        .revision_findings
        .iter()
        .find(|f| f.rule == R::BreakingInPlace)
        .expect("breaking in place reported");
    assert_eq!(f.operation, "GetItems");
    assert!(
        f.fix.contains("GetItems_V2: family GetItems, revision 2"),
        "{}",
        f.fix
    );
}

#[test]
fn a_proper_new_revision_with_the_old_one_deprecated_is_clean() {
    let before = base();
    let deprecated = with(&before, &format!("{OP}/deprecated"), json!(true));
    let after = revision(&deprecated, 2, "GetItems_V2");
    assert_eq!(rules(&before, &after), Vec::<R>::new());
}

#[test]
fn a_new_revision_that_skips_one_is_out_of_sequence() {
    let after = revision(&base(), 3, "GetItems_V3");
    let r = diff(&base(), &after);
    let f = r
        .revision_findings
        .iter()
        .find(|f| f.rule == R::RevisionOutOfSequence)
        .expect("reported");
    assert!(f.fix.contains("revision 2"), "{}", f.fix);
}

#[test]
fn two_operations_with_the_same_family_and_revision_are_duplicates() {
    let after = revision(&base(), 1, "GetItemsAgain");
    assert!(rules(&base(), &after).contains(&R::DuplicateRevision));
}

#[test]
fn production_back_to_preview_is_a_regression() {
    let after = with(
        &base(),
        &format!("{OP}/x-ms-api-annotation"),
        json!({"status": "Preview"}),
    );
    assert!(rules(&base(), &after).contains(&R::StatusRegressed));
}

#[test]
fn expires_without_deprecation_is_reported_and_with_deprecation_is_not() {
    let expiring = with(
        &base(),
        &format!("{OP}/x-ms-api-annotation"),
        json!({"expires": "2030-01-01"}),
    );
    assert!(rules(&base(), &expiring).contains(&R::ExpiresWithoutDeprecation));
    let deprecated = with(&expiring, &format!("{OP}/deprecated"), json!(true));
    assert!(!rules(&base(), &deprecated).contains(&R::ExpiresWithoutDeprecation));
}

#[test]
fn removing_an_operation_needs_a_deprecation_first() {
    let gone = without(&base(), "/paths/~1items");
    assert!(rules(&base(), &gone).contains(&R::RemovedWithoutDeprecation));
    let deprecated = with(&base(), &format!("{OP}/deprecated"), json!(true));
    assert!(!rules(&deprecated, &gone).contains(&R::RemovedWithoutDeprecation));
}
