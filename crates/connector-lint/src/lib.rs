//! Lint rules for connector definitions — Power Platform certification rules and the
//! project's style rules — run offline over the normalized [`connector_spec::Connector`]
//! model with findings located at `file:line:col` and a JSON pointer; plus the connector
//! [`catalog`] for governance.
//!
//! ```no_run
//! let report = connector_lint::Linter::new().lint_path("specs/contoso-sales".as_ref())?;
//! for finding in &report.findings {
//!     println!("{finding}");
//! }
//! # Ok::<(), connector_spec::LoadError>(())
//! ```

pub mod catalog;
mod config;
mod context;
mod docs;
mod finding;
pub mod format;
mod linter;
pub mod rules;

pub use config::{CONFIG_FILE, EXTENSION};
pub use docs::rules_markdown;
pub use finding::{Finding, Severity, Summary};
pub use linter::{LintReport, Linter};
pub use rules::{Category, RULES, Rule, rule};
