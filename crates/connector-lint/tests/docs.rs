//! docs/lint.md's rule reference is generated from the rule table and kept in sync:
//! run with `UPDATE_LINT_DOCS=1` to rewrite it.

use std::path::PathBuf;

const START: &str =
    "<!-- rules:start (generated from crates/connector-lint/src/rules/mod.rs) -->\n";
const END: &str = "<!-- rules:end -->";

#[test]
fn docs_lint_md_lists_every_rule_as_the_table_says() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/lint.md");
    let text = std::fs::read_to_string(&path).expect("docs/lint.md");
    let (head, rest) = text.split_once(START).expect("start marker");
    let (_, tail) = rest.split_once(END).expect("end marker");
    let want = format!(
        "{head}{START}{}{END}{tail}",
        connector_lint::rules_markdown()
    );
    if std::env::var_os("UPDATE_LINT_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/lint.md");
        return;
    }
    assert!(
        text == want,
        "docs/lint.md is stale: run `UPDATE_LINT_DOCS=1 cargo test -p connector-lint --test docs`"
    );
    for r in connector_lint::RULES {
        assert!(
            text.contains(&format!("### `{}`", r.id)),
            "{} undocumented",
            r.id
        );
    }
}
