//! References across files: `discriminator.mapping` values that point into other files
//! are rewritten like every other external reference, and operations that are `$ref`s
//! are resolved with one warning per document.

use std::path::Path;

use connector_spec::{Loader, SchemaKind};

fn tags(l: &connector_spec::Loaded, name: &str) -> Vec<(String, String)> {
    match &l.connector.schemas.get(name).expect("schema").kind {
        SchemaKind::Tagged(t) => t
            .variants
            .iter()
            .map(|v| (v.tag.clone(), v.schema.clone()))
            .collect(),
        other => panic!("{name} is not a tagged union: {other:?}"),
    }
}

fn pair(tag: &str, schema: &str) -> (String, String) {
    (tag.to_owned(), schema.to_owned())
}

#[test]
fn mapping_references_into_other_files_select_the_hoisted_schemas() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/multi-file-mapping/openapi.yaml");
    let l = Loader::new()
        .load(&path)
        .unwrap_or_else(|e| panic!("loads: {e}"));
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    // In the definition, to another file (with and without `./`).
    let mut owner = tags(&l, "Owner");
    owner.sort();
    assert_eq!(
        owner,
        vec![pair("company", "Company"), pair("person", "Person")]
    );
    // In another file: one local to that file (`#/Dog`), one to a third file.
    let mut pet = tags(&l, "Pet");
    pet.sort();
    assert_eq!(pet, vec![pair("cat", "Cat"), pair("dog", "Dog")]);
}

#[test]
fn operation_level_references_are_one_warning_per_document_with_the_count() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operation-refs/openapi.yaml");
    let l = Loader::new()
        .load(&path)
        .unwrap_or_else(|e| panic!("loads: {e}"));
    let ids: Vec<&str> = l
        .connector
        .operations
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(ids.len(), 3, "every referenced operation is read: {ids:?}");
    assert_eq!(l.diagnostics.len(), 1, "{:#?}", l.diagnostics);
    let w = &l.diagnostics[0];
    assert_eq!(w.pointer, "/paths/~1a/get");
    assert_eq!(w.location.map(|l| l.line), Some(5));
    assert!(
        w.message.contains("the 2 other operations"),
        "{}",
        w.message
    );
    // Under --strict the one summary is the one error.
    let err = Loader::new()
        .strict(true)
        .load(&path)
        .expect_err("strict fails");
    assert_eq!(err.diagnostics.len(), 1, "{:#?}", err.diagnostics);
}
