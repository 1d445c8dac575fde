//! Generated crates check at compile time that the runtime speaks their support version
//! (`connector_runtime::support::require`); the generator and the runtime must agree on it.

use std::path::Path;

#[test]
fn every_generated_crate_requires_the_runtime_support_version() {
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let mut checked = 0;
    for entry in std::fs::read_dir(&generated).expect("generated/ is readable") {
        let lib = entry.expect("a directory entry").path().join("src/lib.rs");
        let Ok(text) = std::fs::read_to_string(&lib) else {
            continue;
        };
        let marker = "connector_runtime::support::require(";
        let at = text
            .find(marker)
            .unwrap_or_else(|| panic!("{} has no support-version check", lib.display()));
        let rest = &text[at + marker.len()..];
        let version: u32 = rest[..rest.find(')').expect("a closing parenthesis")]
            .trim()
            .parse()
            .expect("a version number");
        assert_eq!(
            version,
            connector_runtime::support::VERSION,
            "{} was generated for another support version",
            lib.display()
        );
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} generated crates found");
}
