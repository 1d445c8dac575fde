//! Loading fidelity end to end: a 3.1 definition spread over files and folders (a
//! path-item `$ref` to a YAML file, a parameter from `file.json#/pointer`, a schema cycle
//! through a file, `$defs` of another file), with a webhook, a callback, an operation
//! without `responses` and a YAML integer beyond 64 bits, generates a crate that
//! compiles without warnings and decodes the payloads the service sends into their types.

mod common;

use connector_codegen::Generator;

const DECODE_TEST: &str = r##"
use fidelity_loading::operations::{decode_new_pet, decode_subscribe_pet_changed};

#[test]
fn webhook_and_callback_payloads_decode_into_their_types() {
    let pet = decode_new_pet(
        br#"{"name": "Rex", "friends": [{"name": "Fido"}], "owner": {"name": "Ann"}}"#,
    )
    .expect("a webhook payload decodes");
    assert_eq!(pet.name, "Rex");
    assert_eq!(pet.friends.as_deref().map(|f| f[0].name.as_str()), Some("Fido"));
    assert_eq!(pet.owner.and_then(|o| o.name).as_deref(), Some("Ann"));
    // `name` is required: a payload without it is an error, not a default.
    assert!(decode_new_pet(br#"{"friends": []}"#).is_err());

    let event = decode_subscribe_pet_changed(br#"{"kind": "created", "pet": {"name": "Rex"}}"#)
        .expect("a callback payload decodes");
    assert_eq!(event.kind, "created");
    assert_eq!(event.pet.name, "Rex");
}
"##;

#[test]
fn multi_file_definition_with_webhooks_compiles_and_decodes_payloads() {
    let root = common::root();
    let fixture = root.join("tests/fixtures/fidelity-loading/openapi.yaml");
    let loaded = connector_spec::load(&fixture).expect("the multi-file definition loads");
    assert!(
        loaded.diagnostics.is_empty(),
        "no warnings: {:#?}",
        loaded.diagnostics
    );
    let generated = Generator::new()
        .crate_name("fidelity-loading")
        .runtime_path(root.join("crates/connector-runtime").to_string_lossy())
        .generate(&loaded.connector)
        .expect("generates");

    let lib = &generated.file("src/lib.rs").expect("lib.rs").contents;
    for input in [
        "openapi.yaml",
        "paths/pets.yaml",
        "schemas/event.json",
        "schemas/params.json",
        "schemas/pet.yaml",
    ] {
        assert!(
            lib.contains(&format!("// Input: {input} sha256:")),
            "the header hashes {input}"
        );
    }
    assert!(
        lib.contains("decode with [`decode_new_pet`](operations::decode_new_pet)"),
        "the crate docs list the decoders:\n{lib}"
    );
    let ops = common::file(&generated, "src/operations.rs");
    // The external parameter keeps its setter; the operation without responses is there.
    assert!(
        ops.contains("pub fn limit(mut self, value: i32) -> Self"),
        "{ops}"
    );
    assert!(ops.contains("pub fn ping(&self) -> Ping"), "{ops}");
    assert!(ops.contains("type Output = Result<(), Error>;"), "{ops}");
    let types = common::file(&generated, "src/types.rs");
    assert!(types.contains("pub friends: Option<Vec<Pet>>"), "{types}");

    let dir = tempfile::tempdir().expect("temp dir");
    let krate = dir.path().join("fidelity-loading");
    generated.write_to(&krate).expect("writes");
    std::fs::create_dir_all(krate.join("tests")).expect("tests dir");
    std::fs::write(krate.join("tests/decode.rs"), DECODE_TEST).expect("decode test");
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock copied");
    let target = root.join("target").join("standalone");
    let (ok, output) = common::cargo(&krate, &target, &["test", "--test", "decode"]);
    assert!(ok, "the crate builds and decodes:\n{output}");
    assert!(
        !output.contains("warning"),
        "the crate builds without warnings:\n{output}"
    );
    assert!(
        output.contains("webhook_and_callback_payloads_decode_into_their_types ... ok"),
        "{output}"
    );
}
