//! One normalizer, openapiv3 → model, for both input versions.

pub(crate) mod api_properties;
mod body;
mod operation;
pub(crate) mod paging;
mod paging_ext;
mod platform;
mod scalars;
mod schema;
mod security;

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::DiagnosticKind;
use crate::model::{Connector, Schema, SchemaKind, TaggedSchema, TaggedVariant};
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
pub(crate) fn normalize(api: &OpenAPI, rep: &mut Reporter<'_>) -> Connector {
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
    tag_bases(&n, &mut schemas);

    let security_schemes = n.security_schemes();
    let security = api
        .security
        .as_ref()
        .map(|s| security::names(s))
        .unwrap_or_default();
    let mut operations = n.operations(status, &schemas);
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

/// Named schemas with a discriminator and subtypes (schemas whose `allOf` references
/// them) become `Tagged`; their own fields move to a `<Name>Base` schema.
fn tag_bases(n: &Norm<'_, '_>, schemas: &mut BTreeMap<String, Schema>) {
    let Some(components) = &n.api.components else {
        return;
    };
    let mut updates = Vec::new();
    for (name, s) in &components.schemas {
        let ReferenceOr::Item(base) = s else { continue };
        let Some(disc) = &base.schema_data.discriminator else {
            continue;
        };
        let mut variants: Vec<TaggedVariant> = Vec::new();
        for (sub_name, sub) in &components.schemas {
            let ReferenceOr::Item(sub) = sub else {
                continue;
            };
            let parts = match &sub.schema_kind {
                openapiv3::SchemaKind::AllOf { all_of } => all_of,
                openapiv3::SchemaKind::Any(a) => &a.all_of,
                _ => continue,
            };
            let inherits = parts.iter().any(|p| match p {
                ReferenceOr::Reference { reference } => {
                    schema::schema_ref_name(reference).as_deref() == Some(name.as_str())
                }
                ReferenceOr::Item(_) => false,
            });
            if !inherits {
                continue;
            }
            let tag =
                schema::scalar_text(sub.schema_data.extensions.get("x-ms-discriminator-value"))
                    .or_else(|| {
                        disc.mapping
                            .iter()
                            .find(|(_, t)| {
                                schema::schema_ref_name(t).as_deref() == Some(sub_name.as_str())
                                    || *t == sub_name
                            })
                            .map(|(k, _)| k.clone())
                    })
                    .unwrap_or_else(|| sub_name.clone());
            variants.push(TaggedVariant {
                tag,
                schema: sub_name.clone(),
            });
        }
        for (tag, target) in &disc.mapping {
            let target = schema::schema_ref_name(target).unwrap_or_else(|| target.clone());
            if target != *name
                && schemas.contains_key(&target)
                && !variants.iter().any(|v| v.schema == target)
            {
                variants.push(TaggedVariant {
                    tag: tag.clone(),
                    schema: target,
                });
            }
        }
        if variants.is_empty() {
            continue;
        }
        updates.push((name.clone(), disc.property_name.clone(), variants));
    }
    for (name, property, variants) in updates {
        let Some(own) = schemas.get(&name).cloned() else {
            continue;
        };
        let has_fields = match &own.kind {
            SchemaKind::Object(o) => {
                o.additional.is_some() || o.properties.iter().any(|p| p.name != property)
            }
            _ => false,
        };
        let base = if has_fields {
            let mut base_name = format!("{name}Base");
            let mut i = 2;
            while schemas.contains_key(&base_name) {
                base_name = format!("{name}Base{i}");
                i += 1;
            }
            schemas.insert(base_name.clone(), own.clone());
            Some(base_name)
        } else {
            None
        };
        let tagged = Schema {
            kind: SchemaKind::Tagged(TaggedSchema {
                property,
                variants,
                base,
            }),
            ..own
        };
        schemas.insert(name, tagged);
    }
}
