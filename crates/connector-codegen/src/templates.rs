//! The non-Rust files of a generated crate (`Cargo.toml`, `README.md`), rendered from
//! templates that a project may override.

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

use connector_spec::{
    Connector, Operation, ParamLocation, SchemaKind, SecurityScheme, Status, StringFormat,
    Visibility,
};

use crate::{GenerateError, text};

/// What the README and `examples/quickstart.rs` show: calls that compile as written
/// and the credential setters, derived from the model once per crate.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Examples {
    /// A call of an operation the examples can make, arguments included (e.g.
    /// `list_invoices()` or `get_lists("…")`); the README is a doc test, so it compiles.
    pub example_method: Option<String>,
    /// Such a call of an operation that pages (it has `.items()` and `.pages()`).
    pub paged_method: Option<String>,
    /// Whether any operation pages.
    pub paging: bool,
    /// Name of the credential setter taking one string, for the examples.
    pub example_auth: Option<String>,
    /// One markdown sentence per way of authenticating the client builder offers.
    pub auth: Vec<String>,
    /// The base URL the definition declares (empty when it names none).
    pub default_base_url: String,
}

impl Examples {
    /// The examples of `connector`, whose operations' method names are `methods` (in
    /// document order); `connection`: whether the crate has a `Connection` type.
    pub fn new(connector: &Connector, methods: &[String], connection: bool) -> Self {
        let mut auth = auth_sentences(connector);
        if connection {
            auth.insert(
                0,
                "`.connection(Connection { … })?` takes the connection's parameters (one field \
                 each, see `Connection`), checks the required ones and sets the credentials."
                    .to_owned(),
            );
        }
        Examples {
            example_method: example_call(connector, methods, |_| true),
            paged_method: example_call(connector, methods, |op| op.pageable.is_some()),
            paging: connector.operations.iter().any(|op| op.pageable.is_some()),
            example_auth: example_auth(connector),
            auth,
            default_base_url: connector
                .base_url
                .as_deref()
                .map(text::inline)
                .unwrap_or_default(),
        }
    }
}

/// A call of the first production, non-deprecated, visible operation accepted by
/// `wanted` whose method takes nothing or only plain strings (passed as `"…"`), so the
/// example compiles as written. Operations with a body or with required parameters that
/// have defaults are passed over (their arguments depend on more than the parameter list).
fn example_call(
    connector: &Connector,
    methods: &[String],
    wanted: impl Fn(&Operation) -> bool,
) -> Option<String> {
    connector
        .operations
        .iter()
        .zip(methods)
        .filter(|(op, _)| {
            op.lifecycle.status == Status::Production
                && !op.lifecycle.deprecated
                && op.lifecycle.visibility != Visibility::Internal
                && op.body.is_none()
                && wanted(op)
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

/// How the client builder authenticates, one sentence per kind of scheme the
/// definition declares, in the crate user's terms (the setters of `client.rs`).
fn auth_sentences(connector: &Connector) -> Vec<String> {
    let schemes: Vec<&SecurityScheme> = connector.security_schemes.values().collect();
    let api_keys = schemes
        .iter()
        .filter(|s| matches!(s, SecurityScheme::ApiKey { .. }))
        .count();
    let mut out = Vec::new();
    match api_keys {
        0 => {}
        1 => out.push("`.api_key(key)` sends the API key where the API expects it.".to_owned()),
        n => out.push(format!(
            "{n} API keys: one `.<scheme>_api_key(key)` setter per scheme (see `ClientBuilder`)."
        )),
    }
    if schemes
        .iter()
        .any(|s| matches!(s, SecurityScheme::Bearer | SecurityScheme::OAuth2 { .. }))
    {
        out.push(
            "`.bearer_token(token)` sends `Authorization: Bearer …`, e.g. an OAuth 2.0 access \
             token you obtained."
                .to_owned(),
        );
    }
    if schemes.iter().any(|s| matches!(s, SecurityScheme::Basic)) {
        out.push("`.basic_auth(user, password)` sends HTTP basic credentials.".to_owned());
    }
    if out.is_empty() {
        out.push("The definition declares no authentication.".to_owned());
    }
    out
}

/// The README example's credential setter: `api_key` for the one API key scheme,
/// `bearer_token` for bearer or OAuth 2.0; none otherwise (basic auth takes two values,
/// several API keys get scheme-named setters).
fn example_auth(connector: &Connector) -> Option<String> {
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

/// Built-in templates, from this crate's `templates/` folder (inside the package, so the
/// published crate builds; the repository's top-level `templates/` links to it).
const BUILTIN: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../templates/Cargo.toml.jinja")),
    ("README.md", include_str!("../templates/README.md.jinja")),
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
    /// Example calls, credential setters and base URL (flattened: the templates see
    /// `example_method`, `paged_method`, `example_auth`, `auth`, `default_base_url`).
    #[serde(flatten)]
    pub examples: Examples,
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
