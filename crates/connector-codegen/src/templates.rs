//! The non-Rust files of a generated crate (`Cargo.toml`, `README.md`), rendered from
//! templates that a project may override.

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

use connector_spec::{
    Connector, ParamLocation, SchemaKind, SecurityScheme, Status, StringFormat, Visibility,
};

use crate::GenerateError;

/// The README example's call: the first production, non-deprecated, visible operation
/// whose method takes nothing or only plain strings (passed as `"…"`), so the example
/// compiles as written. Operations with a body or with required parameters that have
/// defaults are passed over (their arguments depend on more than the parameter list).
pub fn example_call(connector: &Connector, methods: &[String]) -> Option<String> {
    connector
        .operations
        .iter()
        .zip(methods)
        .filter(|(op, _)| {
            op.lifecycle.status == Status::Production
                && !op.lifecycle.deprecated
                && op.lifecycle.visibility != Visibility::Internal
                && op.body.is_none()
        })
        .find_map(|(op, method)| {
            let mut args = 0;
            for p in &op.parameters {
                if p.required || p.location == ParamLocation::Path {
                    // A default makes a required parameter a setter.
                    if p.schema.default.is_some() {
                        return None;
                    }
                    let plain = matches!(
                        &p.schema.kind,
                        SchemaKind::String(f)
                            if !matches!(f, StringFormat::Date | StringFormat::DateTime)
                    );
                    if !plain {
                        return None;
                    }
                    args += 1;
                }
            }
            Some(format!("{method}({})", vec!["\"…\""; args].join(", ")))
        })
}

/// The README example's credential setter: `api_key` for the one API key scheme,
/// `bearer_token` for bearer or OAuth 2.0; none otherwise (basic auth takes two values,
/// several API keys get scheme-named setters).
pub fn example_auth(connector: &Connector) -> Option<String> {
    let schemes: Vec<&SecurityScheme> = connector.security_schemes.values().collect();
    let api_keys = schemes
        .iter()
        .filter(|s| matches!(s, SecurityScheme::ApiKey { .. }))
        .count();
    match schemes.first()? {
        SecurityScheme::ApiKey { .. } if api_keys == 1 => Some("api_key".into()),
        SecurityScheme::Bearer | SecurityScheme::OAuth2 { .. } => Some("bearer_token".into()),
        _ => None,
    }
}

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
    /// A call of an operation the README example can make, arguments included (e.g.
    /// `list_invoices()` or `get_lists("…")`); the README is a doc test, so it compiles.
    pub example_method: Option<String>,
    /// Name of the credential setter taking one string, for the README example.
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
