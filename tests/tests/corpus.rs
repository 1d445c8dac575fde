//! Corpus smoke test (when the corpus of real definitions is present):
//! every loadable definition generates a crate, the known-broken ones fail with a
//! located diagnostic, and a fixed sample of generated crates compiles without warnings.
//! Every public API document (`public-apis/`) loads and generates with no skipped
//! construct and no unresolved reference.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use connector_codegen::Generator;
use connector_spec::Loader;

/// Definitions that are ambiguous JSON; they must fail to load, with a located error.
const UNLOADABLE: &[&str] = &[
    "CognitiveServicesTextAnalytics", // an extra `}` closes the root early
    "GIPHY",                          // members appended after the root object
    "Icon Horse",                     // one `}` misplaced
    "StabilityAI",                    // a `]` missing
    "IN-D Invoice Data Capture",      // missing comma between members
    "AccuWeather",                    // missing comma between members
    "XSOAR",                          // missing comma between members
];

/// Compiled sample, relative to the corpus root, with what each one covers.
const SAMPLE: &[&str] = &[
    "power-platform/certified-connectors/Blackbaud SKY Add-ins", // additionalProperties maps
    "power-platform/certified-connectors/Unearth Ingest",        // additionalProperties
    "power-platform/certified-connectors/Insiders Cloud",        // x-nullable
    "power-platform/certified-connectors/HitHorizons",           // x-nullable
    "power-platform/certified-connectors/Azure Communication Services Email", // x-ms-enum
    "power-platform/certified-connectors/GreenSign",             // x-ms-enum names
    "power-platform/independent-publisher-connectors/Discord",   // discriminator
    "power-platform/certified-connectors/Enadoc",                // formData
    "power-platform/certified-connectors/HARNESS PDFx",          // file uploads
    "power-platform/certified-connectors/Planful",               // file uploads
    "power-platform/independent-publisher-connectors/mondaycom", // header params
    "power-platform/certified-connectors/Navisphere",            // header params, default responses
    "power-platform/certified-connectors/Bitvore",               // collectionFormat
    "power-platform/certified-connectors/ConsenSys",             // x-ms-url-encoding double
    "power-platform/certified-connectors/SwiftKanban",           // x-ms-url-encoding double
    "power-platform/custom-connectors/Office365Groups",          // x-ms-pageable
    "power-platform/certified-connectors/Elfsquad Data",         // x-ms-pageable, recursive schemas
    "power-platform/custom-connectors/HtmlToText",               // default responses
    "power-platform/certified-connectors/Cloudmersive Barcode",  // binary bodies
    "power-platform/certified-connectors/PDF Blocks",            // binary bodies
    "power-platform/certified-connectors/Centrical",             // formats
    "power-platform/certified-connectors/Morf",                  // date-time formats
    "power-platform/independent-publisher-connectors/NewsData.io", // integer enums
    "power-platform/certified-connectors/document-ai-konfuzio",  // non-string enums, x-nullable
    "power-platform/certified-connectors/U.S. Bank Treasury Management", // allOf
    "power-platform/independent-publisher-connectors/Worldwide Holidays", // recursive schemas
    "power-platform/certified-connectors/FlowForma V2",          // recursive schemas
    "power-platform/certified-connectors/Projectum PresentIt",   // non-JSON bodies
    "oas3/buildomat.json",                                       // OpenAPI 3, oneOf
    "oas3/propolis-server.json",                                 // OpenAPI 3, missing operationIds
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn corpus_root() -> PathBuf {
    match std::env::var_os("CONNECTOR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => workspace().join("../shared/corpus"),
    }
}

/// Folders with `apiDefinition.swagger.json`, and OpenAPI documents directly in `oas3/`.
fn definitions(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("apiDefinition.swagger.json").is_file() {
            out.push(dir.clone());
        }
        let in_oas3 = dir.file_name().is_some_and(|n| n == "oas3");
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if in_oas3 && is_openapi(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Files of the corpus that look like definitions but are test fixtures, not APIs.
const NOT_DEFINITIONS: &[&str] = &["param-overrides.yaml"];

fn is_openapi(path: &Path) -> bool {
    if path
        .file_name()
        .is_some_and(|n| NOT_DEFINITIONS.iter().any(|d| n == *d))
    {
        return false;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !matches!(ext, "json" | "yaml" | "yml") {
        return false;
    }
    let text = std::fs::read(path).unwrap_or_default();
    let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
    ["\"openapi\"", "\"swagger\"", "openapi:", "swagger:"]
        .iter()
        .any(|k| head.contains(k))
}

#[test]
fn every_loadable_definition_generates() {
    let root = corpus_root();
    if !root.is_dir() {
        common::skip(
            "every_loadable_definition_generates",
            &format!(
                "corpus not found at {} (set CONNECTOR_CORPUS)",
                root.display()
            ),
        );
        return;
    }
    let defs = definitions(&root);
    assert!(!defs.is_empty(), "no definitions under {}", root.display());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunks: Vec<&[PathBuf]> = defs.chunks(defs.len().div_ceil(threads)).collect();
    let results: Vec<(Vec<String>, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(move || {
                    let mut unloadable = Vec::new();
                    let mut problems = Vec::new();
                    for def in *chunk {
                        let name = def
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        match Loader::new().load(def) {
                            Ok(loaded) => {
                                if let Err(e) = Generator::new().generate(&loaded.connector) {
                                    problems.push(format!("{}: {e}", def.display()));
                                }
                            }
                            Err(e) => {
                                let located = e.primary().is_some_and(|d| d.location.is_some());
                                if !located {
                                    problems.push(format!(
                                        "{}: load error without a location: {e}",
                                        def.display()
                                    ));
                                }
                                unloadable.push(name);
                            }
                        }
                    }
                    (unloadable, problems)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker panicked"))
            .collect()
    });
    let mut unloadable: Vec<String> = results.iter().flat_map(|r| r.0.clone()).collect();
    let problems: Vec<String> = results.iter().flat_map(|r| r.1.clone()).collect();
    unloadable.sort();
    let mut expected: Vec<String> = UNLOADABLE.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        unloadable, expected,
        "unexpected set of unloadable definitions"
    );
}

#[test]
fn sample_of_generated_crates_compiles_without_warnings() {
    let root = corpus_root();
    if !root.is_dir() {
        common::skip(
            "sample_of_generated_crates_compiles_without_warnings",
            &format!(
                "corpus not found at {} (set CONNECTOR_CORPUS)",
                root.display()
            ),
        );
        return;
    }
    let ws = workspace();
    let runtime = ws
        .join("crates/connector-runtime")
        .canonicalize()
        .expect("crates/connector-runtime");
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut members = Vec::new();
    for (i, rel) in SAMPLE.iter().enumerate() {
        let def = root.join(rel);
        let loaded = Loader::new()
            .load(&def)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let name = format!("sample-{:02}", i + 1);
        let generated = Generator::new()
            .crate_name(&name)
            .runtime_path(runtime.to_string_lossy())
            .generate(&loaded.connector)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        generated
            .write_to(&scratch.path().join(&generated.name))
            .expect("write crate");
        members.push(format!("\"{}\"", generated.name));
    }
    std::fs::write(
        scratch.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    std::fs::copy(ws.join("Cargo.lock"), scratch.path().join("Cargo.lock")).expect("Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--lib",
            "--examples",
            "--message-format=short",
        ])
        .current_dir(scratch.path())
        .env("CARGO_TARGET_DIR", ws.join("target/corpus-sample"))
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo check failed:\n{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
}

/// Entry documents under `public-apis/`: files whose top level declares `openapi` or
/// `swagger` (the parts of a multi-file definition declare neither).
fn public_documents(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "json" | "yaml" | "yml") {
                continue;
            }
            let text =
                String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
            let entry_file = if text.trim_start().starts_with('{') {
                text.contains("\"openapi\"") || text.contains("\"swagger\"")
            } else {
                text.lines()
                    .any(|l| l.starts_with("openapi:") || l.starts_with("swagger:"))
            };
            if entry_file {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every public-apis document (YAML and JSON forms, DigitalOcean's multi-file source, all
/// Twilio products) loads with no degraded schema, skipped construct or unresolved
/// reference, and generates.
#[test]
fn every_public_api_document_generates_with_nothing_degraded_skipped_or_unresolved() {
    let root = corpus_root().join("public-apis");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED: public-apis corpus not found at {}",
            root.display()
        );
        return;
    }
    let docs = public_documents(&root);
    // OpenAI, DigitalOcean, Harbor, 49 Twilio products and the OAI examples.
    assert!(docs.len() >= 70, "only {} documents found", docs.len());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunks: Vec<&[PathBuf]> = docs.chunks(docs.len().div_ceil(threads)).collect();
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(move || {
                    let mut problems = Vec::new();
                    for doc in *chunk {
                        let loaded = match Loader::new().load(doc) {
                            Ok(l) => l,
                            Err(e) => {
                                problems.push(format!("{}: {e}", doc.display()));
                                continue;
                            }
                        };
                        for d in &loaded.diagnostics {
                            if matches!(
                                d.kind,
                                connector_spec::DiagnosticKind::SkippedConstruct
                                    | connector_spec::DiagnosticKind::UnresolvedReference
                                    | connector_spec::DiagnosticKind::DegradedSchema
                            ) {
                                problems.push(d.to_string());
                            }
                        }
                        if let Err(e) = Generator::new().generate(&loaded.connector) {
                            problems.push(format!("{}: {e}", doc.display()));
                        }
                    }
                    problems
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker panicked"))
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
