//! The non-Rust files of a generated crate (`Cargo.toml`, `README.md`), rendered from
//! templates that a project may override.

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

use crate::GenerateError;

/// Built-in templates, from the repository's `templates/` folder.
const BUILTIN: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../../../templates/Cargo.toml.jinja"),
    ),
    (
        "README.md",
        include_str!("../../../templates/README.md.jinja"),
    ),
];

/// What the templates see.
#[derive(Debug, Serialize)]
pub struct TemplateContext {
    /// Comment header lines.
    pub header: Vec<String>,
    /// Cargo package name.
    pub crate_name: String,
    /// Crate name as a Rust identifier.
    pub crate_ident: String,
    /// Package version.
    pub version: String,
    /// API title.
    pub title: String,
    /// API version as declared.
    pub api_version: String,
    /// One-line description.
    pub description: String,
    /// TOML value of the `connector-runtime` dependency.
    pub runtime_dependency: String,
    /// Number of operations.
    pub operation_count: usize,
    /// Number of preview operations.
    pub preview_count: usize,
    /// Method names of the first few operations, for the README example.
    pub example_method: Option<String>,
    /// Name of the credential setter, for the README example.
    pub example_auth: Option<String>,
}

/// Render `name` (`Cargo.toml`, `README.md`) with an override from `dir` when it has one.
pub fn render(
    name: &str,
    dir: Option<&Path>,
    context: &TemplateContext,
) -> Result<String, GenerateError> {
    let file_name = format!("{name}.jinja");
    let source = match dir.map(|d| d.join(&file_name)).filter(|p| p.is_file()) {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| GenerateError::Template {
            template: path.display().to_string(),
            message: e.to_string(),
        })?,
        None => BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| (*t).to_owned())
            .ok_or_else(|| GenerateError::Template {
                template: file_name.clone(),
                message: "no such template".into(),
            })?,
    };
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template_owned(file_name.clone(), source)
        .and_then(|_| env.get_template(&file_name)?.render(context))
        .map_err(|e| GenerateError::Template {
            template: file_name,
            message: e.to_string(),
        })
}
