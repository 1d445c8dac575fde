//! `connector-gen generate` and `check` end to end: nothing lost, the runtime
//! dependency, recorded options, configuration and subsets.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../specs/contoso-sales")
}

fn runtime() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connector-runtime")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn spec_arg() -> String {
    spec().display().to_string()
}

/// A folder with a fake connector-runtime crate at `rt/`.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("rt")).unwrap();
    fs::write(
        dir.path().join("rt/Cargo.toml"),
        "[package]\nname = \"connector-runtime\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn generating_into_a_folder_with_other_files_fails_and_loses_nothing() {
    let dir = workdir();
    let krate = dir.path().join("mine");
    fs::create_dir_all(krate.join("src")).unwrap();
    fs::write(krate.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    fs::write(krate.join("src/main.rs"), "fn main() {}\n").unwrap();
    let o = run_in(dir.path(), &["generate", &spec_arg(), "--out", "mine"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("src/main.rs"), "{}", text(&o));
    assert!(text(&o).contains("--force"), "{}", text(&o));
    assert_eq!(
        fs::read_to_string(krate.join("Cargo.toml")).unwrap(),
        "[package]\nname = \"mine\"\n"
    );
    assert!(krate.join("src/main.rs").is_file());
    assert!(!krate.join("src/lib.rs").exists());
}

#[test]
fn force_overwrites_but_removes_nothing_it_did_not_write() {
    let dir = workdir();
    let krate = dir.path().join("mine");
    fs::create_dir_all(krate.join("src")).unwrap();
    fs::write(krate.join("Cargo.toml"), "old").unwrap();
    fs::write(krate.join("src/main.rs"), "fn main() {}\n").unwrap();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "mine",
            "--force",
            "--runtime-path",
            "rt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        fs::read_to_string(krate.join("Cargo.toml"))
            .unwrap()
            .contains("[package]")
    );
    assert!(krate.join("src/main.rs").is_file());
}

#[test]
fn regeneration_replaces_only_its_own_files_and_keeps_the_users() {
    let dir = workdir();
    let args = [
        "generate",
        &spec_arg(),
        "--out",
        "c",
        "--runtime-path",
        "rt",
    ];
    assert!(run_in(dir.path(), &args).status.success());
    let krate = dir.path().join("c");
    fs::create_dir_all(krate.join("examples")).unwrap();
    fs::write(krate.join("examples/mine.rs"), "fn main() {}\n").unwrap();
    fs::write(krate.join("src/lib.rs"), "// edited\n").unwrap();
    let o = run_in(dir.path(), &["generate", &spec_arg(), "--out", "c"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(krate.join("examples/mine.rs").is_file());
    assert!(
        !fs::read_to_string(krate.join("src/lib.rs"))
            .unwrap()
            .contains("edited")
    );
    // A subset no longer writes some files: those it wrote before are removed.
    fs::write(krate.join("src/stale.rs"), "").unwrap();
    let marker = fs::read_to_string(krate.join(".connector-gen.toml")).unwrap();
    fs::write(
        krate.join(".connector-gen.toml"),
        marker.replace("files = [", "files = [\"src/stale.rs\", "),
    )
    .unwrap();
    let o = run_in(dir.path(), &["generate", &spec_arg(), "--out", "c"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!krate.join("src/stale.rs").exists());
    // The user's own module beside the generated ones is theirs: the crate stays fresh.
    fs::write(krate.join("src/mine.rs"), "// mine\n").unwrap();
    let o = run_in(dir.path(), &["check", &spec_arg(), "c"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(krate.join("src/mine.rs").is_file());
}

#[test]
fn dry_run_lists_changes_and_writes_nothing() {
    let dir = workdir();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "c",
            "--dry-run",
            "--runtime-path",
            "rt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("added     Cargo.toml"), "{out}");
    assert!(out.contains("added     src/lib.rs"), "{out}");
    assert!(!dir.path().join("c").exists());
    let mine = dir.path().join("mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "keep").unwrap();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "mine",
            "--dry-run",
            "--runtime-path",
            "rt",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("conflict  notes.txt"), "{}", text(&o));
    assert!(!mine.join("Cargo.toml").exists());
}

#[test]
fn runtime_path_is_relative_to_the_current_directory_and_checked() {
    let dir = workdir();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "a/b/c",
            "--runtime-path",
            "rt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let manifest = fs::read_to_string(dir.path().join("a/b/c/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("connector-runtime = { path = \"../../../rt\" }"),
        "{manifest}"
    );
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "d",
            "--runtime-path",
            "/does/not/exist",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("does not exist"), "{}", text(&o));
    fs::create_dir_all(dir.path().join("other")).unwrap();
    fs::write(
        dir.path().join("other/Cargo.toml"),
        "[package]\nname = \"other\"\n",
    )
    .unwrap();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "d",
            "--runtime-path",
            "other",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("not the connector-runtime crate"),
        "{}",
        text(&o)
    );
}

#[test]
fn runtime_git_and_the_checkout_default_are_written() {
    let dir = workdir();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "g",
            "--runtime-git",
            "https://example.com/cg.git",
            "--runtime-rev",
            "v1",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let manifest = fs::read_to_string(dir.path().join("g/Cargo.toml")).unwrap();
    assert!(
        manifest
            .contains("connector-runtime = { git = \"https://example.com/cg.git\", rev = \"v1\" }"),
        "{manifest}"
    );
    // No flag: this checkout's runtime, by a path that resolves from the crate.
    let o = run_in(dir.path(), &["generate", &spec_arg(), "--out", "h"]);
    assert!(o.status.success(), "{}", text(&o));
    let manifest = fs::read_to_string(dir.path().join("h/Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.starts_with("connector-runtime"))
        .unwrap();
    let rel = line.split('"').nth(1).unwrap();
    let resolved = dir.path().join("h").join(rel).canonicalize().unwrap();
    assert_eq!(resolved, runtime().canonicalize().unwrap());
}

#[test]
fn check_reuses_the_recorded_options_and_suggests_the_exact_command() {
    let dir = workdir();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "c",
            "--runtime-path",
            "rt",
            "--crate-name",
            "sales-mini",
            "--operations",
            "GetInvoice,GetServiceHealth",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run_in(dir.path(), &["check", &spec_arg(), "c"]);
    assert!(
        o.status.success(),
        "a crate generated with options is fresh: {}",
        text(&o)
    );

    fs::write(dir.path().join("c/src/lib.rs"), "// edited\n").unwrap();
    let o = run_in(dir.path(), &["check", &spec_arg(), "c"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let command = stdout
        .lines()
        .find_map(|l| l.strip_prefix("run: "))
        .expect("a command is suggested");
    assert!(command.contains("--runtime-path rt"), "{command}");
    assert!(command.contains("--crate-name sales-mini"), "{command}");
    assert!(
        command.contains("--operations GetInvoice,GetServiceHealth"),
        "{command}"
    );
    // The suggested command, run as printed (no quoting needed here), makes it fresh.
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let o = run_in(dir.path(), &args);
    assert!(o.status.success(), "{}", text(&o));
    let o = run_in(dir.path(), &["check", &spec_arg(), "c"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn subsets_keep_the_selected_operations_and_the_types_they_reach() {
    let dir = workdir();
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "c",
            "--runtime-path",
            "rt",
            "--operations",
            "GetServiceHealth",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let ops = fs::read_to_string(dir.path().join("c/src/operations.rs")).unwrap();
    assert!(ops.contains("GetServiceHealth"), "{ops}");
    assert!(!ops.contains("ListInvoices"), "{ops}");
    let types = fs::read_to_string(dir.path().join("c/src/types.rs")).unwrap();
    assert!(!types.contains("pub struct Invoice "), "{types}");
    let lib = fs::read_to_string(dir.path().join("c/src/lib.rs")).unwrap();
    assert!(
        lib.contains("covers 1 of the definition's 6 operations"),
        "{lib}"
    );
    let o = run_in(
        dir.path(),
        &[
            "generate",
            &spec_arg(),
            "--out",
            "d",
            "--runtime-path",
            "rt",
            "--operations",
            "NoSuchOp",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("NoSuchOp"), "{}", text(&o));
}

#[test]
fn the_config_file_beside_the_definition_is_read_and_unknown_keys_are_located() {
    let dir = workdir();
    let def = dir.path().join("def");
    fs::create_dir_all(&def).unwrap();
    fs::copy(spec().join("openapi.yaml"), def.join("openapi.yaml")).unwrap();
    fs::write(
        def.join("connector-gen.toml"),
        "[package]\nname = \"from-config\"\nversion = \"2.0.0\"\n\n[runtime]\npath = \"../rt\"\n\n\
         [operations]\ninclude-tags = [\"Service\"]\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["generate", "def/openapi.yaml", "--out", "c"]);
    assert!(o.status.success(), "{}", text(&o));
    let manifest = fs::read_to_string(dir.path().join("c/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"from-config\""), "{manifest}");
    assert!(manifest.contains("version = \"2.0.0\""), "{manifest}");
    assert!(manifest.contains("path = \"../rt\""), "{manifest}");
    let ops = fs::read_to_string(dir.path().join("c/src/operations.rs")).unwrap();
    assert!(!ops.contains("ListInvoices"), "{ops}");
    let o = run_in(dir.path(), &["check", "def/openapi.yaml", "c"]);
    assert!(o.status.success(), "{}", text(&o));

    fs::write(
        def.join("connector-gen.toml"),
        "[package]\nname = \"x\"\ncolour = 1\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["generate", "def/openapi.yaml", "--out", "e"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("def/connector-gen.toml:3:1:"),
        "unknown keys are located: {}",
        text(&o)
    );
    assert!(text(&o).contains("colour"), "{}", text(&o));
}

#[test]
fn help_documents_exit_codes_runtime_and_formats() {
    let o = run_in(Path::new("."), &["--help"]);
    let help = text(&o);
    for needle in [
        "Exit codes:",
        "--runtime-path",
        "connector-gen.toml",
        "--message-format",
        "--quiet",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}: {help}");
    }
    let o = run_in(Path::new("."), &["generate", "--help"]);
    let help = text(&o);
    for needle in [
        "--runtime-git",
        "--dry-run",
        "--force",
        "--operations",
        "--tags",
        "--config",
    ] {
        assert!(
            help.contains(needle),
            "generate --help lacks {needle}: {help}"
        );
    }
}
