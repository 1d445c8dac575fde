//! Reads connector definitions — a Power Platform folder (`apiDefinition.swagger.json`
//! and an optional `apiProperties.json`) or a single Swagger 2.0 / OpenAPI 3.x file, JSON or
//! YAML — into one normalized [`Connector`] model, with located [`Diagnostic`]s.
//!
//! A definition may span files: `$ref`s to relative files (JSON or YAML, `file#/pointer`,
//! nested folders, `../`) are resolved when loading from a path, every file read is listed
//! with its SHA-256 in [`Connector::sources`], and diagnostics point into the file they
//! are about. URLs are never fetched.
//!
//! ```no_run
//! let loaded = connector_spec::Loader::new().load("specs/contoso-sales".as_ref())?;
//! for warning in &loaded.diagnostics {
//!     eprintln!("{warning}");
//! }
//! println!("{} operations", loaded.connector.operations.len());
//! # Ok::<(), connector_spec::LoadError>(())
//! ```

pub mod diagnostics;
mod doc_fields;
mod downgrade;
pub mod model;
pub mod policy_template;

mod loader;
mod locate;
mod normalize;
mod pointer;
pub mod raw;
mod refs;
mod repair;
mod report;
mod source;
mod swagger2;
mod versioning;
mod yaml_numbers;

pub use diagnostics::{Diagnostic, DiagnosticKind, LineCol, LoadError, Severity};

/// Line and column (1-based) of a JSON pointer in a definition's text, JSON or YAML (decided
/// from `name` and the text as the loader does); the deepest existing container when the
/// pointer does not resolve. Used by tools that report on a model (e.g. `connector-diff`).
pub fn locate_pointer(name: &str, text: &str, pointer: &str) -> Option<LineCol> {
    match source::sniff(name, text) {
        report::Syntax::Json => locate::locate_json(text, pointer),
        report::Syntax::Yaml => locate::locate_yaml(text, pointer),
    }
}

/// [`locate_pointer`] for many pointers: JSON text is scanned once for all of them (a
/// large definition with thousands of findings would otherwise be scanned per pointer).
pub fn locate_pointers(name: &str, text: &str, pointers: &[&str]) -> Vec<Option<LineCol>> {
    match source::sniff(name, text) {
        report::Syntax::Json => locate::locate_json_many(text, pointers),
        report::Syntax::Yaml => pointers
            .iter()
            .map(|p| locate::locate_yaml(text, p))
            .collect(),
    }
}
pub use loader::{Loaded, Loader, load};
pub use model::*;
pub use policy_template::{PolicyInstance, PolicySection, PolicyTemplate};
