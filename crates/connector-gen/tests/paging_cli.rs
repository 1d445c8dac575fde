//! `--paging OPERATION_ID=PAGING` on `generate`: overrides reach the generated crate,
//! malformed values are usage errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn contoso_sales() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../specs/contoso-sales")
}

fn generate(extra: &[&str]) -> (Output, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("tempdir");
    let mut args = vec![
        "generate".to_owned(),
        contoso_sales().to_string_lossy().into_owned(),
        "--out".to_owned(),
        out.path().join("sales").to_string_lossy().into_owned(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let output = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(&args)
        .output()
        .expect("runs");
    (output, out)
}

fn operations(dir: &tempfile::TempDir) -> String {
    std::fs::read_to_string(dir.path().join("sales/src/operations.rs")).expect("generated")
}

#[test]
fn paging_overrides_remove_or_replace_the_inferred_stream() {
    let (inferred, dir) = generate(&[]);
    assert!(inferred.status.success());
    assert!(operations(&dir).contains("paging::Cursor::with("));

    let (none, dir) = generate(&["--paging", "ListInvoices=none"]);
    assert!(none.status.success(), "{none:?}");
    assert!(!operations(&dir).contains("pub fn items("));

    let (other, dir) = generate(&["--paging", "ListInvoices=page:page,pageSize;items=items"]);
    assert!(other.status.success(), "{other:?}");
    let text = operations(&dir);
    assert!(text.contains("paging::PageNumber::with("), "{text}");
    assert!(text.contains("set by a paging override"), "{text}");
}

#[test]
fn a_malformed_paging_value_is_a_usage_error() {
    let (bad, _dir) = generate(&["--paging", "ListInvoices=cursor:token"]);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("invalid paging `cursor:token`"), "{stderr}");
}

#[test]
fn an_override_naming_no_operation_is_a_warning_and_an_error_when_strict() {
    let (lenient, _dir) = generate(&["--paging", "Nope=none"]);
    assert!(lenient.status.success());
    assert!(String::from_utf8_lossy(&lenient.stderr).contains("`Nope=none`"));
    let (strict, _dir) = generate(&["--paging", "Nope=none", "--strict"]);
    assert!(!strict.status.success());
}
