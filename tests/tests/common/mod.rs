//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use connector_codegen::{GeneratedCrate, Generator};
use connector_spec::Loader;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Load an inline definition (JSON or YAML by `name`'s extension) and generate a crate.
pub fn generate(name: &str, text: &str) -> GeneratedCrate {
    let loaded = Loader::new()
        .load_bytes(name, text.as_bytes(), None)
        .unwrap_or_else(|e| panic!("{name} should load: {e}"));
    Generator::new()
        .crate_name("snapshot")
        .runtime_path("../../crates/connector-runtime")
        .generate(&loaded.connector)
        .expect("generation succeeds")
}

/// One generated file's text, without the header (which names input hashes).
pub fn file(generated: &GeneratedCrate, path: &str) -> String {
    let text = &generated
        .file(path)
        .unwrap_or_else(|| panic!("{path} is generated"))
        .contents;
    text.lines()
        .skip_while(|l| l.starts_with("//") && !l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `cargo <args> --message-format=short` in `dir` with its own target directory
/// (shared between runs so dependencies build once) and without the caller's RUSTFLAGS;
/// whether it succeeded and everything it printed.
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> (bool, String) {
    cargo_with_env(dir, target, args, &[])
}

/// [`cargo`] with extra environment variables (e.g. `RUSTDOCFLAGS`).
pub fn cargo_with_env(
    dir: &Path,
    target: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (bool, String) {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .arg("--message-format=short")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Say that a test is skipped, and why, where the user sees it. libtest captures what a
/// passing test prints through `print!`/`eprint!` and shows it only for failures, so a
/// skip reported that way is invisible; a direct write to the process's stderr is not
/// captured (`cargo test` shows it next to the test's name).
pub fn skip(test: &str, reason: &str) {
    let line = format!("\nSKIPPED {test}: {reason}\n");
    // Nothing useful to do when stderr is closed: the skip only goes unreported.
    let _ = std::io::stderr().write_all(line.as_bytes());
}
