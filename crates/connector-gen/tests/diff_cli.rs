//! `connector-gen diff`: JSON shape, formats, `--fail-on`, exit codes 0/1/2 and `--git`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn definition(extra_param: Option<Value>) -> Value {
    let mut params = vec![json!({"name": "top", "in": "query", "type": "integer"})];
    params.extend(extra_param);
    json!({
        "swagger": "2.0",
        "info": {"title": "Items", "version": "1.0"},
        "host": "api.example.com",
        "paths": {"/items": {"get": {
            "operationId": "GetItems",
            "parameters": params,
            "responses": {"200": {"description": "ok"}}
        }}}
    })
}

fn write(dir: &Path, name: &str, doc: &Value) -> std::path::PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).expect("mkdir");
    let text = serde_json::to_string_pretty(doc).expect("json");
    std::fs::write(folder.join("apiDefinition.swagger.json"), text).expect("write");
    folder
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .arg("diff")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

fn pair(extra: Value) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = write(dir.path(), "old", &definition(None));
    let new = write(dir.path(), "new", &definition(Some(extra)));
    let s = |p: std::path::PathBuf| p.to_string_lossy().into_owned();
    (dir, s(old), s(new))
}

#[test]
fn json_output_has_the_documented_shape_and_breaking_changes_exit_1() {
    let (dir, old, new) =
        pair(json!({"name": "q", "in": "query", "type": "string", "required": true}));
    let out = run(&[&old, &new, "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["semver"], "major");
    assert_eq!(v["summary"]["breaking"], 1);
    assert_eq!(v["summary"]["additive"], 0);
    assert_eq!(v["summary"]["patch"], 0);
    let c = &v["changes"][0];
    assert_eq!(c["kind"], "parameter_added_required");
    assert_eq!(c["severity"], "breaking");
    assert_eq!(c["operation"], "GetItems");
    assert!(c["new"]["location"]["line"].as_u64().is_some(), "{c}");
    assert_eq!(v["revision_findings"][0]["rule"], "breaking_in_place");
}

#[test]
fn fail_on_decides_the_exit_status() {
    let (dir, old, new) =
        pair(json!({"name": "q", "in": "query", "type": "string", "required": true}));
    assert_eq!(
        run(&[&old, &new, "--fail-on", "never"], dir.path())
            .status
            .code(),
        Some(0)
    );
    // Breaking in place is also a revision finding.
    assert_eq!(
        run(&[&old, &new, "--fail-on", "revision"], dir.path())
            .status
            .code(),
        Some(1)
    );
    let (dir, old, new) = pair(json!({"name": "q", "in": "query", "type": "string"}));
    let out = run(&[&old, &new], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "additive only passes the default"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("semver: minor"));
}

#[test]
fn a_side_that_cannot_be_loaded_exits_2() {
    let (dir, old, _) = pair(json!({"name": "q", "in": "query", "type": "string"}));
    let missing = dir.path().join("nowhere");
    let out = run(&[&old, &missing.to_string_lossy()], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn markdown_is_a_release_notes_section() {
    let (dir, old, new) = pair(json!({"name": "q", "in": "query", "type": "string"}));
    let out = run(&[&old, &new, "--format", "markdown"], dir.path());
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("**minor** version bump"), "{md}");
    assert!(
        md.contains("### Added\n\n- `GetItems` gained optional parameter `q`"),
        "{md}"
    );
}

#[test]
fn git_takes_old_from_a_revision_of_new_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    write(dir.path(), "spec", &definition(None));
    git(&["add", "."]);
    git(&["commit", "-qm", "v1"]);
    write(
        dir.path(),
        "spec",
        &definition(Some(json!({"name": "q", "in": "query", "type": "string"}))),
    );
    let out = run(&["--git", "HEAD", "spec", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["changes"][0]["kind"], "parameter_added_optional");
}

#[test]
fn generate_over_an_existing_crate_reports_and_writes_the_bumped_version() {
    let (dir, old, new) = pair(json!({"name": "q", "in": "query", "type": "string"}));
    let out = dir.path().join("client");
    let gen_cmd = |def: &str, extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_connector-gen"))
            .args(["generate", def, "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .expect("runs")
    };
    assert!(gen_cmd(&old, &[]).status.success());
    let manifest = || std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let before = manifest();
    let version = |m: &str| {
        m.lines()
            .find_map(|l| {
                l.strip_prefix("version = \"")
                    .map(|v| v.trim_end_matches('"').to_string())
            })
            .expect("version")
    };
    let v0 = version(&before);
    let o = gen_cmd(&new, &["--previous", &old, "--bump-version"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("semver: minor bump"), "{stderr}");
    let parts: Vec<u64> = v0.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    let expected = if parts[0] == 0 {
        format!("0.{}.{}", parts[1], parts[2] + 1)
    } else {
        format!("{}.{}.0", parts[0], parts[1] + 1)
    };
    assert_eq!(version(&manifest()), expected);
}
