//! Media type choice for request bodies and responses.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr};

use super::Norm;
use super::schema::scalar_text;
use crate::model::{BodyContent, FormField, Schema, SchemaKind, StringFormat};

/// Broad class of a media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaClass {
    Json,
    Form { multipart: bool },
    Text,
    Binary,
}

pub(crate) fn classify(mt: &str) -> MediaClass {
    let lower = mt.to_ascii_lowercase();
    let essence = lower.split(';').next().unwrap_or("").trim();
    if essence == "application/json"
        || essence == "text/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
    {
        MediaClass::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaClass::Form { multipart: false }
    } else if essence.starts_with("multipart/") || essence == "application/form-data" {
        MediaClass::Form { multipart: true }
    } else if essence.starts_with("text/")
        || essence == "application/xml"
        || essence.ends_with("+xml")
        || essence == "application/javascript"
    {
        MediaClass::Text
    } else {
        MediaClass::Binary
    }
}

/// Whether a media type is JSON-like.
pub(crate) fn is_json(mt: &str) -> bool {
    classify(mt) == MediaClass::Json
}

/// The preferred JSON media type with a schema: `application/json`, else the first
/// JSON-like one.
fn json_with_schema(
    content: &IndexMap<String, MediaType>,
) -> Option<(&String, &ReferenceOr<openapiv3::Schema>)> {
    let is_exact = |k: &String| {
        k.split(';')
            .next()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case("application/json"))
    };
    content
        .iter()
        .find(|(k, m)| is_exact(k) && m.schema.is_some())
        .or_else(|| {
            content
                .iter()
                .find(|(k, m)| classify(k) == MediaClass::Json && m.schema.is_some())
        })
        .and_then(|(k, m)| m.schema.as_ref().map(|s| (k, s)))
}

fn binary() -> Schema {
    Schema::new(SchemaKind::String(StringFormat::Binary))
}

impl<'a> Norm<'a, '_> {
    /// A response body: (media type, schema).
    pub(crate) fn response_content(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
    ) -> (Option<String>, Option<Schema>) {
        if let Some((mt, s)) = json_with_schema(content) {
            let schema = self.at("content", |n| {
                n.at(mt.as_str(), |n| n.at("schema", |n| n.schema_or_ref(s, 0)))
            });
            return (Some(mt.clone()), Some(schema));
        }
        if let Some((mt, _)) = content
            .iter()
            .find(|(k, _)| classify(k) == MediaClass::Json)
        {
            return (Some(mt.clone()), None);
        }
        match content.iter().next() {
            None => (None, None),
            Some((mt, _)) => match classify(mt) {
                MediaClass::Binary => (Some(mt.clone()), Some(binary())),
                _ => (Some(mt.clone()), None),
            },
        }
    }

    /// A request body: (media type, content).
    pub(crate) fn body_content(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        schemas: &BTreeMap<String, Schema>,
    ) -> (String, BodyContent) {
        if let Some((mt, s)) = json_with_schema(content) {
            let mut schema = self.at("content", |n| {
                n.at(mt.as_str(), |n| n.at("schema", |n| n.schema_or_ref(s, 0)))
            });
            // The media type's `example` (or first `examples` entry) is the body's.
            if let Some(m) = content.get(mt.as_str()) {
                let example = m.example.clone().or_else(|| {
                    m.examples.values().find_map(|e| match e {
                        openapiv3::ReferenceOr::Item(e) => e.value.clone(),
                        openapiv3::ReferenceOr::Reference { .. } => None,
                    })
                });
                if example.is_some() {
                    schema.example = example;
                }
            }
            return (mt.clone(), BodyContent::Schema(schema));
        }
        if let Some((mt, m, multipart)) = content.iter().find_map(|(k, m)| match classify(k) {
            MediaClass::Form { multipart } => Some((k, m, multipart)),
            _ => None,
        }) {
            let fields = match &m.schema {
                Some(s) => {
                    let schema = self.at("content", |n| {
                        n.at(mt.as_str(), |n| n.at("schema", |n| n.schema_or_ref(s, 0)))
                    });
                    form_fields(&schema, schemas)
                }
                None => Vec::new(),
            };
            return (mt.clone(), BodyContent::Form { multipart, fields });
        }
        if let Some((mt, _)) = content
            .iter()
            .find(|(k, _)| classify(k) == MediaClass::Json)
        {
            return (mt.clone(), BodyContent::Schema(Schema::default()));
        }
        match content.iter().next() {
            Some((mt, _)) => (mt.clone(), BodyContent::Binary),
            None => ("application/octet-stream".to_owned(), BodyContent::Binary),
        }
    }
}

fn form_fields(schema: &Schema, schemas: &BTreeMap<String, Schema>) -> Vec<FormField> {
    let obj = match &schema.kind {
        SchemaKind::Object(o) => o,
        SchemaKind::Ref(name) => match schemas.get(name).map(|s| &s.kind) {
            Some(SchemaKind::Object(o)) => o,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    obj.properties
        .iter()
        .map(|p| FormField {
            name: p.name.clone(),
            required: p.required,
            is_file: is_file(&p.schema),
            schema: p.schema.clone(),
            description: p.schema.description.clone(),
            summary: p
                .schema
                .summary
                .clone()
                .or_else(|| scalar_text(p.schema.extensions.get("x-ms-summary"))),
        })
        .collect()
}

fn is_file(s: &Schema) -> bool {
    match &s.kind {
        SchemaKind::String(StringFormat::Binary) => true,
        SchemaKind::Array(items) => matches!(items.kind, SchemaKind::String(StringFormat::Binary)),
        _ => false,
    }
}
