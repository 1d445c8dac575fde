//! Failures of `cargo xtask contract` that a definition defect causes: the lint rules
//! that find such defects statically, and the marking of the failures they explain.

use std::path::Path;

use serde_json::{Value, json};

/// The lint rules whose findings explain contract failures: a definition that declares
/// no media type for a body (`consumes: []`) or a response schema (`produces: []`), and
/// a path variable no template matcher can extract (`{zip code}`).
const DEFECT_RULES: [&str; 2] = ["media-type-missing", "path-template-name-invalid"];

/// Findings of [`DEFECT_RULES`] in `def`, as `(rule, message, pointer)`; none when it
/// does not load (generation reports that).
pub(crate) fn definition_defects(def: &Path) -> Vec<(&'static str, String, String)> {
    let others = connector_lint::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !DEFECT_RULES.contains(id));
    match connector_lint::Linter::new()
        .allow(others)
        .locate(false)
        .lint_path(def)
    {
        Ok(report) => report
            .findings
            .into_iter()
            .filter(|f| DEFECT_RULES.contains(&f.rule))
            .map(|f| (f.rule, f.message, f.pointer))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// What in a finding's message explains this failure, if the failure is of a kind a
/// definition defect causes: a rejected body of an operation whose `consumes` is empty
/// (415, or Prism's "No supported content types" violation), an empty or untyped body
/// of one whose `produces` is empty, a path Prism cannot match (`{zip code}`).
fn defect_kind(outcome: &str, status: Option<u64>, detail: &str) -> Option<&'static str> {
    match outcome {
        "request_rejected"
            if status == Some(415) || detail.contains("No supported content types") =>
        {
            Some("`consumes`")
        }
        "request_rejected" if detail.contains("Request path must have required property") => {
            Some("path template variable")
        }
        "nonconformant"
            if detail.starts_with("body: empty") || detail.starts_with("content-type") =>
        {
            Some("`produces`")
        }
        _ => None,
    }
}

/// Marks each failure of `report` that a definition defect causes (see [`defect_kind`]).
/// The outcome stays what the harness observed; the failure gets `definition` (the
/// lint finding and where it is written), and `totals` gets `explained`, the failures
/// so marked.
pub(crate) fn explain(report: &mut Value, defects: &[(&'static str, String, String)]) {
    let mut explained = 0u64;
    for op in report["operations"].as_array_mut().into_iter().flatten() {
        let name = format!(
            "{} {}: ",
            op["method"].as_str().unwrap_or_default(),
            op["path"].as_str().unwrap_or_default()
        );
        let Some(kind) = defect_kind(
            op["outcome"].as_str().unwrap_or_default(),
            op["status"].as_u64(),
            op["detail"].as_str().unwrap_or_default(),
        ) else {
            continue;
        };
        let found = defects
            .iter()
            .find(|(_, message, _)| message.starts_with(&name) && message.contains(kind));
        if let Some((rule, message, pointer)) = found {
            op["definition"] = json!(format!("lint {rule} at {pointer}: {message}"));
            explained += 1;
        }
    }
    report["totals"]["explained"] = json!(explained);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failure a definition defect causes is marked with the finding and counted; a
    /// failure of another kind on the same operation, or one without a finding, is not.
    #[test]
    fn failures_a_definition_defect_causes_are_explained() {
        let mut report = json!({
            "operations": [
                {"method": "POST", "path": "/a", "outcome": "request_rejected", "status": 400,
                 "detail": "400: violations: request: No supported content types, but request included a non-empty body"},
                {"method": "POST", "path": "/a", "outcome": "request_rejected", "status": 422,
                 "detail": "422: violations: request.body.x: must be string"},
                {"method": "GET", "path": "/z/{zip code}", "outcome": "request_rejected", "status": 422,
                 "detail": "422: violations: path: Request path must have required property 'zip code'"},
                {"method": "PUT", "path": "/b", "outcome": "request_rejected", "status": 415,
                 "detail": "415"}
            ],
            "totals": {}
        });
        let defects = vec![
            ("media-type-missing", "POST /a: `consumes` is empty but the operation takes a body".to_owned(), "/consumes".to_owned()),
            ("path-template-name-invalid", "GET /z/{zip code}: the path template variable `{zip code}` is not a URI template name".to_owned(), "/paths/~1z~1{zip code}/get/parameters/0".to_owned()),
        ];
        explain(&mut report, &defects);
        let ops = &report["operations"];
        assert!(
            ops[0]["definition"]
                .as_str()
                .is_some_and(|d| d.starts_with("lint media-type-missing at /consumes"))
        );
        assert!(
            ops[1].get("definition").is_none(),
            "a schema violation is not the media type's fault"
        );
        assert!(
            ops[2]["definition"]
                .as_str()
                .is_some_and(|d| d.contains("path-template-name-invalid"))
        );
        assert!(ops[3].get("definition").is_none(), "no finding for PUT /b");
        assert_eq!(report["totals"]["explained"], 2);
    }
}
