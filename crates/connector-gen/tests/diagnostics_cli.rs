//! How `generate` shows problems in a definition: the source line with a caret
//! (`human`), one line each (`short`) and JSON lines (`json`), and plain reasons.

use std::path::Path;
use std::process::{Command, Output};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs")
}

/// A folder with a YAML definition indented by a tab, and one with a recovered problem.
fn definitions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("tab.yaml"),
        "openapi: 3.0.0\ninfo:\n\ttitle: Tabbed\n  version: '1'\npaths: {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("warn.yaml"),
        "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      \
         operationId: getA\n      parameters:\n        - name: q\n          in: nowhere\n      \
         responses:\n        '200':\n          description: ok\n",
    )
    .unwrap();
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).replace('\r', "")
}

#[test]
fn human_format_shows_the_source_line_with_a_caret_and_a_plain_reason() {
    let dir = definitions();
    let o = run_in(dir.path(), &["generate", "tab.yaml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("human_tab", stderr(&o));
    let o = run_in(
        dir.path(),
        &[
            "generate",
            "warn.yaml",
            "--out",
            "out",
            "--dry-run",
            "--runtime-version",
            "0.1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let warnings: String = stderr(&o)
        .lines()
        .take_while(|l| !l.starts_with("dry run"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("human_warning", warnings);
}

#[test]
fn short_and_json_formats_give_one_line_per_problem() {
    let dir = definitions();
    let o = run_in(
        dir.path(),
        &[
            "--message-format",
            "short",
            "generate",
            "tab.yaml",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("short_tab", stderr(&o));
    let o = run_in(
        dir.path(),
        &[
            "generate",
            "tab.yaml",
            "--out",
            "out",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let text = stderr(&o);
    let first = text.lines().next().expect("a line");
    let value: serde_json::Value = serde_json::from_str(first).expect("a JSON line");
    assert_eq!(value["line"], 3);
    assert_eq!(value["severity"], "error");
    insta::assert_snapshot!("json_tab", text);
}

#[test]
fn quiet_hides_warnings_and_notes() {
    let dir = definitions();
    let o = run_in(
        dir.path(),
        &[
            "-q",
            "generate",
            "warn.yaml",
            "--out",
            "out",
            "--runtime-version",
            "0.1",
        ],
    );
    assert!(o.status.success());
    assert_eq!(stderr(&o), "");
}
