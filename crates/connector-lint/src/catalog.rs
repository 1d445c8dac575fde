//! The connector catalog: one row per connector found under folders, for governance
//! and audits (ownership, authentication, versions, lint state).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use connector_spec::{
    ConnectionParameterKind, Connector, IdentityProvider, SecurityScheme, Status, Visibility,
};
use serde::Serialize;
use serde_json::Value;

use crate::finding::Summary;
use crate::linter::Linter;

mod render;

pub use render::{csv, markdown};

/// The catalog of every connector found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Catalog {
    /// One entry per loaded connector, sorted by path.
    pub connectors: Vec<Entry>,
    /// Definitions that could not be loaded.
    pub failures: Vec<Failure>,
}

/// A definition that could not be loaded.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Failure {
    /// The folder or file.
    pub path: PathBuf,
    /// The first error.
    pub message: String,
}

/// One authentication method.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuthMethod {
    /// `oauth2`, `apiKey`, `basic`, `bearer`, or another scheme's type.
    pub method: String,
    /// OAuth identity provider (`aad`, `oauth2`, `oauth2generic`, …).
    pub identity_provider: Option<String>,
    /// OAuth scopes.
    pub scopes: Vec<String>,
}

/// One operation family and its revisions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Family {
    /// Family name.
    pub name: String,
    /// Revisions, ascending.
    pub revisions: Vec<u32>,
}

/// One connector's catalog row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    /// The folder or file it was read from.
    pub path: PathBuf,
    /// `info.title`.
    pub title: String,
    /// apiProperties `publisher`.
    pub publisher: Option<String>,
    /// apiProperties `stackOwner`.
    pub stack_owner: Option<String>,
    /// `info.version`.
    pub version: String,
    /// API status (`Production` / `Preview`).
    pub status: Status,
    /// Authentication methods (connection parameters, else security definitions).
    pub auth: Vec<AuthMethod>,
    /// Number of operations.
    pub operations: usize,
    /// Families with their revisions, by name.
    pub families: Vec<Family>,
    /// Operations in Preview.
    pub preview: usize,
    /// Deprecated operations.
    pub deprecated: usize,
    /// Internal operations.
    pub internal: usize,
    /// The nearest `x-ms-api-annotation.expires` date.
    pub nearest_expires: Option<String>,
    /// Polling triggers.
    pub polling_triggers: usize,
    /// Webhook triggers.
    pub webhook_triggers: usize,
    /// Policy template ids used, lower case, sorted.
    pub policy_templates: Vec<String>,
    /// Whether custom code runs in the platform.
    pub custom_code: bool,
    /// Lint errors.
    pub lint_errors: usize,
    /// Lint warnings.
    pub lint_warnings: usize,
}

/// Every connector under `dir`: folders holding `apiDefinition.swagger.json` (or
/// `openapi.*`), and stand-alone Swagger / OpenAPI files elsewhere. Sorted.
pub fn discover(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if [
            "apiDefinition.swagger.json",
            "openapi.yaml",
            "openapi.yml",
            "openapi.json",
        ]
        .iter()
        .any(|n| d.join(n).is_file())
        {
            out.push(d);
            continue;
        }
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_definition_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A JSON / YAML file whose beginning mentions `swagger` or `openapi`.
fn is_definition_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let ext_ok = [".json", ".yaml", ".yml"].iter().any(|e| name.ends_with(e));
    if !ext_ok
        || name == "apiproperties.json"
        || name == crate::CONFIG_FILE
        || name.starts_with("package")
    {
        return false;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    head.contains("swagger") || head.contains("openapi")
}

/// Builds the catalog of every connector under `dirs`, linting each one. Definitions
/// are read on all cores: a hand-written work queue over scoped threads (a thread pool
/// crate would add a dependency for these ten lines).
pub fn build(dirs: &[PathBuf], linter: &Linter) -> Catalog {
    let mut paths: Vec<PathBuf> = dirs.iter().flat_map(|d| discover(d)).collect();
    paths.sort();
    paths.dedup();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<Entry, Failure>)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let row = entry(path, linter);
                    if let Ok(mut r) = results.lock() {
                        r.push((i, row));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut catalog = Catalog {
        connectors: Vec::new(),
        failures: Vec::new(),
    };
    for (_, r) in results {
        match r {
            Ok(e) => catalog.connectors.push(e),
            Err(f) => catalog.failures.push(f),
        }
    }
    catalog
}

/// The catalog row of one connector.
pub fn entry(path: &Path, linter: &Linter) -> Result<Entry, Failure> {
    let report = linter
        .clone()
        .locate(false)
        .lint_path(path)
        .map_err(|e| Failure {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    let lint = Summary::of(&report.findings);
    Ok(describe(path, &report.connector, lint))
}

fn prop(c: &Connector, key: &str) -> Option<String> {
    c.api_properties
        .as_ref()
        .and_then(|v| v.pointer(&format!("/properties/{key}")))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn provider(p: &IdentityProvider) -> String {
    match p {
        IdentityProvider::OAuth2 => "oauth2".to_owned(),
        IdentityProvider::Aad => "aad".to_owned(),
        IdentityProvider::OAuth2Generic => "oauth2generic".to_owned(),
        IdentityProvider::AadCertificate => "aadcertificate".to_owned(),
        IdentityProvider::Other(s) => s.clone(),
    }
}

fn auth_methods(c: &Connector) -> Vec<AuthMethod> {
    let mut out = Vec::new();
    for p in c.connection.iter().flat_map(|c| c.all_parameters()) {
        let method = match &p.kind {
            ConnectionParameterKind::OAuth(o) => AuthMethod {
                method: "oauth2".to_owned(),
                identity_provider: Some(provider(&o.identity_provider)),
                scopes: o.scopes.clone(),
            },
            ConnectionParameterKind::SecureString => AuthMethod {
                method: "apiKey".to_owned(),
                identity_provider: None,
                scopes: Vec::new(),
            },
            _ => continue,
        };
        if !out.contains(&method) {
            out.push(method);
        }
    }
    if !out.is_empty() {
        return out;
    }
    for s in c.security_schemes.values() {
        let (method, scopes) = match s {
            SecurityScheme::ApiKey { .. } => ("apiKey".to_owned(), Vec::new()),
            SecurityScheme::Basic => ("basic".to_owned(), Vec::new()),
            SecurityScheme::Bearer => ("bearer".to_owned(), Vec::new()),
            SecurityScheme::OAuth2 { scopes, .. } => ("oauth2".to_owned(), scopes.clone()),
            SecurityScheme::Other { kind } => (kind.clone(), Vec::new()),
        };
        out.push(AuthMethod {
            method,
            identity_provider: None,
            scopes,
        });
    }
    out
}

/// Describes a loaded connector.
pub fn describe(path: &Path, c: &Connector, lint: Summary) -> Entry {
    let mut families: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for op in &c.operations {
        let revs = families.entry(op.lifecycle.family.as_str()).or_default();
        if !revs.contains(&op.lifecycle.revision) {
            revs.push(op.lifecycle.revision);
        }
    }
    let ops = &c.operations;
    let count =
        |f: &dyn Fn(&connector_spec::Operation) -> bool| ops.iter().filter(|o| f(o)).count();
    let webhook = |o: &connector_spec::Operation| {
        o.notification.is_some() || o.parameters.iter().any(|p| p.notification_url)
    };
    let mut policy_templates: Vec<String> = c
        .policies
        .iter()
        .map(|p| p.template.id().to_owned())
        .collect();
    policy_templates.sort();
    policy_templates.dedup();
    Entry {
        path: path.to_path_buf(),
        title: c.title.clone(),
        publisher: prop(c, "publisher"),
        stack_owner: prop(c, "stackOwner"),
        version: c.version.clone(),
        status: c.status,
        auth: auth_methods(c),
        operations: ops.len(),
        families: families
            .into_iter()
            .map(|(name, mut revisions)| {
                revisions.sort_unstable();
                Family {
                    name: name.to_owned(),
                    revisions,
                }
            })
            .collect(),
        preview: count(&|o| o.lifecycle.status == Status::Preview),
        deprecated: count(&|o| o.lifecycle.deprecated),
        internal: count(&|o| o.lifecycle.visibility == Visibility::Internal),
        nearest_expires: ops.iter().filter_map(|o| o.lifecycle.expires.clone()).min(),
        polling_triggers: count(&|o| o.trigger.is_some() && !webhook(o)),
        webhook_triggers: count(&|o| o.trigger.is_some() && webhook(o)),
        policy_templates,
        custom_code: c.custom_code.is_some(),
        lint_errors: lint.error,
        lint_warnings: lint.warning,
    }
}
