//! The corpus job's compile stage: one `cargo check` over the scratch workspace of
//! generated crates, its messages attributed to their crates.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::corpus_report::{CompileMessage, Entry, Stage};

/// One `cargo check` over a scratch workspace holding every generated crate; compiler
/// messages are attributed to crates by manifest path.
pub(crate) fn compile_all(
    workspace: &Path,
    scratch: &Path,
    target: &Path,
    entries: &mut [Entry],
) -> Result<()> {
    let members: Vec<String> = entries
        .iter()
        .filter(|e| e.generate == Stage::Ok)
        .map(|e| e.crate_name.clone())
        .collect();
    if members.is_empty() {
        return Ok(());
    }
    // Drop crates of earlier runs so the folder holds exactly this workspace.
    for entry in std::fs::read_dir(scratch)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !members.contains(&name) && name.starts_with('c') {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let mut manifest = String::from(
        "# Scratch workspace written by `cargo xtask corpus`.\n[workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for m in &members {
        manifest.push_str(&format!("    \"{m}\",\n"));
    }
    manifest.push_str("]\n");
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    let lock = workspace.join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, scratch.join("Cargo.lock")).context("copying Cargo.lock")?;
    }
    let by_dir: BTreeMap<String, usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.generate == Stage::Ok)
        .map(|(i, e)| (e.crate_name.clone(), i))
        .collect();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!(
        "corpus: cargo check of {} crates (target dir {})",
        members.len(),
        target.join("corpus-target").display()
    );
    let mut child = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target.join("corpus-target"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running cargo check")?;
    let stderr = child.stderr.take();
    let stderr_thread = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr {
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    });
    let mut artifacts = vec![false; entries.len()];
    let mut errors = vec![0usize; entries.len()];
    let progress = crate::progress::bar("cargo check", members.len());
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let Some(i) = msg
                .get("manifest_path")
                .and_then(|m| m.as_str())
                .and_then(|m| Path::new(m).parent()?.file_name()?.to_str())
                .filter(|_| {
                    msg.get("manifest_path")
                        .and_then(|m| m.as_str())
                        .is_some_and(|m| Path::new(m).starts_with(scratch))
                })
                .and_then(|d| by_dir.get(d).copied())
            else {
                continue;
            };
            match msg.get("reason").and_then(|r| r.as_str()) {
                Some("compiler-artifact") => {
                    artifacts[i] = true;
                    progress.inc(1);
                }
                Some("compiler-message") => {
                    let Some(m) = msg.get("message") else {
                        continue;
                    };
                    let Some(cm) = compile_message(m) else {
                        continue;
                    };
                    let e = &mut entries[i];
                    if cm.level == "error" {
                        errors[i] += 1;
                        if e.first_compile_error.is_none() {
                            e.error = Some(format!(
                                "{}: {}",
                                cm.span.as_deref().unwrap_or("?"),
                                cm.message
                            ));
                            e.first_compile_error = Some(cm);
                        }
                    } else if cm.level == "warning" {
                        e.warnings += 1;
                        if e.first_warning.is_none() {
                            e.first_warning = Some(cm);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    progress.finish_and_clear();
    let status = child.wait()?;
    let stderr_text = stderr_thread.join().unwrap_or_default();
    for (i, e) in entries.iter_mut().enumerate() {
        if e.generate != Stage::Ok {
            continue;
        }
        e.compile = if artifacts[i] && errors[i] == 0 {
            Stage::Ok
        } else {
            Stage::Failed
        };
        if e.compile == Stage::Failed && e.error.is_none() {
            e.error = Some("not compiled (a dependency or the workspace failed)".to_owned());
        }
    }
    if !status.success() && entries.iter().all(|e| e.compile != Stage::Ok) {
        eprintln!("{stderr_text}");
    }
    Ok(())
}

/// A rustc diagnostic, unless it is a summary ("3 warnings emitted").
fn compile_message(m: &serde_json::Value) -> Option<CompileMessage> {
    let level = m.get("level")?.as_str()?.to_owned();
    let message = m.get("message")?.as_str()?.to_owned();
    let spans = m.get("spans").and_then(|s| s.as_array());
    if spans.is_none_or(|s| s.is_empty())
        && (message.contains("warnings emitted")
            || message.contains("warning emitted")
            || message.starts_with("aborting due to"))
    {
        return None;
    }
    let span = spans.and_then(|spans| {
        let s = spans
            .iter()
            .find(|s| s.get("is_primary").and_then(|p| p.as_bool()) == Some(true))
            .or(spans.first())?;
        Some(format!(
            "{}:{}:{}",
            s.get("file_name")?.as_str()?,
            s.get("line_start")?,
            s.get("column_start")?
        ))
    });
    Some(CompileMessage {
        level,
        message,
        code: m
            .get("code")
            .and_then(|c| c.get("code"))
            .and_then(|c| c.as_str())
            .map(str::to_owned),
        span,
        rendered: m
            .get("rendered")
            .and_then(|r| r.as_str())
            .map(|r| r.chars().take(4000).collect()),
    })
}
