//! `connector-gen lint` and `catalog` end to end: formats, exit codes, configuration.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connector-lint/tests/fixtures/clean")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(args)
        .output()
        .expect("runs")
}

/// A copy of the clean fixture whose definition `edit` changes.
fn connector(edit: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut def: Value = serde_json::from_slice(
        &std::fs::read(fixture().join("apiDefinition.swagger.json")).expect("fixture"),
    )
    .expect("json");
    edit(&mut def);
    std::fs::write(
        dir.path().join("apiDefinition.swagger.json"),
        serde_json::to_vec_pretty(&def).expect("json"),
    )
    .expect("write");
    std::fs::copy(
        fixture().join("apiProperties.json"),
        dir.path().join("apiProperties.json"),
    )
    .expect("copy");
    dir
}

fn no_contact(def: &mut Value) {
    def["info"]
        .as_object_mut()
        .expect("info")
        .shift_remove("contact");
}

fn no_url_encoding(def: &mut Value) {
    def["paths"]["/tasks/{id}"]["get"]["parameters"][0]
        .as_object_mut()
        .expect("param")
        .shift_remove("x-ms-url-encoding");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn clean_definition_exits_0() {
    let out = run(&["lint", path(&fixture())]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 error(s), 0 warning(s), 0 info"));
}

#[test]
fn json_shape_and_exit_1_on_errors() {
    let dir = connector(no_contact);
    let out = run(&["lint", path(dir.path()), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = &v["findings"][0];
    for key in [
        "rule", "severity", "file", "line", "column", "pointer", "message",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["rule"], "contact-missing");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["pointer"], "/info");
    assert!(f["line"].as_u64().is_some_and(|l| l > 0));
    assert!(
        f["file"]
            .as_str()
            .is_some_and(|s| s.ends_with("apiDefinition.swagger.json"))
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"error": 1, "warning": 0, "info": 0})
    );
}

#[test]
fn sarif_shape() {
    let dir = connector(no_contact);
    let out = run(&["lint", path(dir.path()), "--format", "sarif"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() >= 30, "only {} rules", rules.len());
    assert!(
        rules
            .iter()
            .all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string())
    );
    let r = &run0["results"][0];
    assert_eq!(r["ruleId"], "contact-missing");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"].as_str().is_some());
    assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l > 0));
}

#[test]
fn warnings_fail_only_under_deny_warnings() {
    let dir = connector(no_url_encoding);
    assert_eq!(run(&["lint", path(dir.path())]).status.code(), Some(0));
    let denied = run(&["lint", path(dir.path()), "--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&denied.stdout).contains("warning[path-parameter-url-encoding]")
    );
}

#[test]
fn allow_switches_rules_off_per_run_and_per_folder() {
    let dir = connector(no_contact);
    let allowed = run(&[
        "lint",
        path(dir.path()),
        "--allow",
        "contact-missing,examples-missing",
    ]);
    assert_eq!(allowed.status.code(), Some(0), "{allowed:?}");
    assert_eq!(
        run(&["lint", path(dir.path()), "--allow", "no-such-rule"])
            .status
            .code(),
        Some(2)
    );

    std::fs::write(
        dir.path().join("connector-lint.json"),
        r#"{"allow": ["contact-missing"]}"#,
    )
    .expect("write");
    assert_eq!(run(&["lint", path(dir.path())]).status.code(), Some(0));
}

#[test]
fn unloadable_definition_exits_2_with_a_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("broken.json");
    std::fs::write(&file, "{\"swagger\": \"2.0\", \"info\": }").expect("write");
    let out = run(&["lint", path(&file), path(&fixture())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken.json:1:"),
        "{out:?}"
    );
}

#[test]
fn catalog_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = dir.path().join("contoso");
    std::fs::create_dir(&clean).expect("mkdir");
    for f in ["apiDefinition.swagger.json", "apiProperties.json"] {
        std::fs::copy(fixture().join(f), clean.join(f)).expect("copy");
    }
    let json = run(&["catalog", path(dir.path()), "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&json.stdout).expect("json");
    let row = &v["connectors"][0];
    assert_eq!(row["title"], "Contoso Tasks");
    assert_eq!(row["publisher"], "Contoso");
    assert_eq!(row["stack_owner"], "Contoso IT");
    assert_eq!(row["operations"], 3);
    assert_eq!(row["auth"][0]["method"], "oauth2");
    assert_eq!(row["auth"][0]["identity_provider"], "oauth2");
    assert_eq!(row["auth"][0]["scopes"][0], "tasks.read");
    assert_eq!(row["lint_errors"], 0);
    assert_eq!(row["families"].as_array().map(Vec::len), Some(3));

    let md = String::from_utf8(run(&["catalog", path(dir.path()), "--format", "markdown"]).stdout)
        .expect("utf-8");
    assert!(md.contains("| Contoso Tasks |"), "{md}");
    assert!(md.contains("oauth2 (oauth2) [tasks.read]"), "{md}");

    let csv = String::from_utf8(run(&["catalog", path(dir.path()), "--format", "csv"]).stdout)
        .expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("Connector,Path,Publisher"));
    assert!(lines[1].starts_with("Contoso Tasks,"));
}
