//! Reads connector definitions — a Power Platform folder (`apiDefinition.swagger.json`
//! and an optional `apiProperties.json`) or a single Swagger 2.0 / OpenAPI 3.x file, JSON or
//! YAML — into one normalized [`Connector`] model, with located [`Diagnostic`]s.
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
pub mod model;
pub mod policy_template;

mod loader;
mod locate;
mod normalize;
mod pointer;
pub mod raw;
mod repair;
mod report;
mod source;
mod swagger2;
mod versioning;

pub use diagnostics::{Diagnostic, LineCol, LoadError, Severity};
pub use loader::{Loaded, Loader, load};
pub use model::*;
pub use policy_template::{PolicyInstance, PolicySection, PolicyTemplate};
