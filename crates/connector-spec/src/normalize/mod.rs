//! One normalizer, openapiv3 → model, for both input versions.

mod all_of;
pub(crate) mod api_properties;
mod bare_parts;
mod body;
mod operation;
pub(crate) mod paging;
mod paging_ext;
mod platform;
mod scalars;
mod schema;
mod security;
mod unions;
mod webhooks;

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::OpenAPI;

use crate::diagnostics::DiagnosticKind;
use crate::model::Connector;
use crate::pointer::escape;
use crate::report::Reporter;
use crate::versioning;

pub(crate) use schema::extensions;

/// Normalization state: the document, the reporter and the current pointer path.
pub(crate) struct Norm<'a, 'r> {
    pub(crate) api: &'a OpenAPI,
    pub(crate) rep: &'a mut Reporter<'r>,
    /// Tokens of the pointer being normalized (only joined when a warning is produced).
    pub(crate) path: Vec<Cow<'a, str>>,
}

impl Norm<'_, '_> {
    pub(crate) fn pointer(&self) -> String {
        let mut out = String::new();
        for t in &self.path {
            out.push('/');
            out.push_str(&escape(t));
        }
        out
    }

    pub(crate) fn warn(&mut self, message: String) {
        let p = self.pointer();
        self.rep.warn(&p, message);
    }

    /// A warning of a given kind at the current pointer.
    pub(crate) fn warn_kind(&mut self, kind: DiagnosticKind, message: String) {
        let p = self.pointer();
        self.rep.warn_kind(kind, &p, message);
    }
}

/// Normalizes a read document. `api_properties` and `sources` are filled by the caller.
pub(crate) fn normalize(
    api: &OpenAPI,
    raw_webhooks: Option<&serde_json::Value>,
    rep: &mut Reporter<'_>,
) -> Connector {
    let webhook_items = webhooks::read_items(raw_webhooks);
    let mut n = Norm {
        api,
        rep,
        path: Vec::new(),
    };
    let status = versioning::api_status(&api.extensions, &api.info.extensions);

    let mut schemas = BTreeMap::new();
    if let Some(c) = &api.components {
        n.path.push("components".into());
        n.path.push("schemas".into());
        for (name, s) in &c.schemas {
            let schema = n.at(name.as_str(), |n| n.schema_or_ref(s, 0));
            schemas.insert(name.clone(), schema);
        }
        n.path.clear();
    }
    unions::tag_bases(&n, &mut schemas);

    let security_schemes = n.security_schemes();
    let security = api
        .security
        .as_ref()
        .map(|s| security::names(s))
        .unwrap_or_default();
    let mut operations = n.operations(status, &schemas);
    let mut webhooks = n.webhooks(&webhook_items, &schemas);
    webhooks.extend(n.callbacks(&operations, &schemas));
    n.paging(&mut operations, &schemas);
    platform::openai_confirmations(&mut operations, &api.extensions);
    let designer_capabilities = n.designer_capabilities(&api.extensions);
    let connector_metadata = n.connector_metadata(&api.extensions);

    Connector {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        base_url: base_url(api),
        status,
        operations,
        schemas,
        security_schemes,
        security,
        api_properties: None,
        designer_capabilities,
        connector_metadata,
        extensions: extensions(&api.extensions),
        sources: Vec::new(),
        connection: None,
        policies: Vec::new(),
        capabilities: Vec::new(),
        custom_code: None,
        webhooks,
    }
}

fn base_url(api: &OpenAPI) -> Option<String> {
    let server = api.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    let url = url.trim().trim_end_matches('/').to_owned();
    (!url.is_empty()).then_some(url)
}
