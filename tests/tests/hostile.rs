//! A definition whose strings carry every hostile class (bidi controls, other control
//! and invisible code points, comment delimiters, doc-test fences of every shape, raw
//! string delimiters, quotes and backslashes, HTML) in descriptions, summaries, titles,
//! enum values, property names, operation ids, parameter names, deprecation notes,
//! `x-ms-summary`, URLs, examples and connection parameters generates a crate that
//! builds without a warning, whose doc tests run nothing from the definition, and whose
//! files hold none of those code points as themselves.

mod common;

use connector_codegen::Generator;

/// The code points rustc rejects or that make text read differently from how it is
/// stored (bidi controls), and other control or invisible ones.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'..='\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
        )
}

#[test]
fn hostile_definition_compiles_and_its_doc_tests_run_nothing_from_it() {
    let root = common::root();
    let fixture = root.join("tests/fixtures/hostile");
    let loaded = connector_spec::load(&fixture).expect("the hostile definition loads");
    // The fixture really carries the classes this test is about.
    let definition =
        std::fs::read_to_string(fixture.join("apiDefinition.swagger.json")).expect("reads");
    for class in [
        "\\u202e", "\\u0000", "*/", "```rust", "~~~", "\\\"#", "<script>",
    ] {
        assert!(definition.contains(class), "fixture lacks {class}");
    }

    let generated = Generator::new()
        .crate_name("hostile")
        .runtime_path(root.join("crates/connector-runtime").to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates");
    for file in &generated.files {
        let bad: Vec<String> = file
            .contents
            .chars()
            .filter(|c| is_unsafe(*c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(bad.is_empty(), "{} holds {bad:?}", file.path);
    }
    let rust: String = generated
        .files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| f.contents.as_str())
        .collect();
    let docs: Vec<&str> = rust
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("///") || l.starts_with("//!"))
        .collect();
    assert!(
        docs.iter()
            .all(|l| !l.contains("```rust") && !l.contains("````rust")),
        "a fence from the definition kept its rust tag"
    );
    assert!(
        docs.iter().any(|l| l.contains("```text")),
        "fences from the definition are re-tagged text"
    );
    assert!(
        rust.contains("\\u{202e}"),
        "bidi controls are shown as escapes, not dropped silently"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let krate = dir.path().join("hostile");
    generated.write_to(&krate).expect("writes");
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock copied");
    let target = root.join("target").join("standalone");

    let (ok, output) = common::cargo(&krate, &target, &["build", "--quiet"]);
    assert!(ok, "the hostile crate builds:\n{output}");
    assert!(
        !output.contains("warning"),
        "the hostile crate builds without warnings:\n{output}"
    );

    let (ok, output) = common::cargo(&krate, &target, &["test", "--doc"]);
    assert!(ok, "the hostile crate's doc tests pass:\n{output}");
    assert!(
        !krate.join("HOSTILE_DOCTEST_RAN").exists(),
        "a doc test from the definition ran:\n{output}"
    );
    let doctests: Vec<&str> = output
        .lines()
        .filter(|l| l.starts_with("test ") && l.contains(" - "))
        .collect();
    assert!(
        doctests.iter().all(|l| l.contains("ReadmeDoctests")),
        "only the README's own example may be a doc test:\n{output}"
    );
}
