//! Items printed straight to text (`render::text_items` in connector-codegen) print
//! exactly as their tokens do through syn, prettyplease and the layout pass: every crate
//! is generated both ways and compared byte for byte. Inputs: our specs, the hostile
//! definition (every class of dangerous string), the OpenAPI documents of the corpus
//! and a sample of the Power Platform corpus (when the corpus is present; honours
//! CONNECTOR_CORPUS).

mod common;

use std::path::{Path, PathBuf};

use connector_codegen::Generator;

fn corpus_root() -> PathBuf {
    match std::env::var_os("CONNECTOR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => common::root().join("../shared/corpus"),
    }
}

/// Generates `definition` both ways; panics on the first file that differs. Returns
/// whether it generated (a corpus definition may be refused either way).
fn same_both_ways(definition: &Path) -> bool {
    let Ok(loaded) = connector_spec::load(definition) else {
        return false;
    };
    let generate = |tokens_only: bool| {
        Generator::new()
            .crate_name("both-ways")
            .runtime_version("0.1")
            .tokens_only(tokens_only)
            .generate(&loaded.connector)
    };
    let (text, tokens) = match (generate(false), generate(true)) {
        (Ok(text), Ok(tokens)) => (text, tokens),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{}", definition.display());
            return false;
        }
        (a, b) => panic!(
            "{}: one way generates, the other does not: {:?} / {:?}",
            definition.display(),
            a.err(),
            b.err()
        ),
    };
    assert_eq!(
        text.files.len(),
        tokens.files.len(),
        "{}",
        definition.display()
    );
    // The build.rs module, where text pieces are lexed back into tokens.
    let module = |tokens_only: bool| {
        Generator::new()
            .tokens_only(tokens_only)
            .generate_module(&loaded.connector)
            .map_err(|e| e.to_string())
    };
    assert_eq!(module(false), module(true), "{}", definition.display());
    for (a, b) in text.files.iter().zip(&tokens.files) {
        assert_eq!(a.path, b.path, "{}", definition.display());
        if a.contents != b.contents {
            let line = a
                .contents
                .lines()
                .zip(b.contents.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!(
                "{} {}: text and tokens differ from line {}:\ntext:   {:?}\ntokens: {:?}",
                definition.display(),
                a.path,
                line + 1,
                a.contents.lines().nth(line),
                b.contents.lines().nth(line)
            );
        }
    }
    true
}

#[test]
fn specs_and_the_hostile_definition_print_the_same_as_text_and_as_tokens() {
    let root = common::root();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .expect("specs/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    inputs.sort();
    inputs.push(root.join("tests/fixtures/hostile"));
    inputs.push(root.join("tests/tests/fixtures/fidelity-paging"));
    for input in &inputs {
        assert!(same_both_ways(input), "{} generates", input.display());
    }
}

#[test]
fn corpus_documents_print_the_same_as_text_and_as_tokens() {
    let corpus = corpus_root();
    if !corpus.is_dir() {
        eprintln!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(corpus.join("oas3"))
        .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    inputs.retain(|p| {
        p.extension()
            .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
    });
    // Every 20th Power Platform definition: ~40 of the 836, of all shapes.
    let mut power: Vec<PathBuf> = Vec::new();
    for group in ["certified-connectors", "custom-connectors"] {
        if let Ok(dir) = std::fs::read_dir(corpus.join("power-platform").join(group)) {
            power.extend(dir.filter_map(Result::ok).map(|e| e.path()));
        }
    }
    power.sort();
    inputs.extend(power.into_iter().step_by(20));
    inputs.sort();
    let generated = inputs.iter().filter(|p| same_both_ways(p)).count();
    assert!(
        generated >= inputs.len() / 2,
        "{generated} of {}",
        inputs.len()
    );
}
