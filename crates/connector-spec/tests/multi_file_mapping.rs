//! `discriminator.mapping` values that point into other files are rewritten like every
//! other external reference: each tag selects the schema its target was hoisted as.

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
