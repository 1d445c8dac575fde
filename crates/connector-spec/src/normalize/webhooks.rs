//! Requests the service sends: OpenAPI 3.1 `webhooks` and 3.0 operation `callbacks`.
//! Each with a JSON request body becomes a [`Webhook`]; anything else is a located
//! `SkippedConstruct` warning (an error under `--strict`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{PathItem, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use super::Norm;
use crate::diagnostics::DiagnosticKind;
use crate::model::{
    BodyContent, Method, NotificationContent, Operation, Schema, Webhook, WebhookSource,
};

/// The 3.1 `webhooks` map read as path items: (name, item or why it cannot be read).
pub(crate) type WebhookItems = Vec<(String, Result<PathItem, String>)>;

/// Reads the raw `webhooks` member.
pub(crate) fn read_items(raw: Option<&Value>) -> WebhookItems {
    let Some(Value::Object(m)) = raw else {
        return Vec::new();
    };
    m.iter()
        .filter(|(k, _)| !k.starts_with("x-"))
        .map(|(k, v)| {
            let item = PathItem::deserialize(v).map_err(|e| e.to_string());
            (k.clone(), item)
        })
        .collect()
}

pub(super) fn methods(
    item: &PathItem,
) -> [(Method, &'static str, &Option<openapiv3::Operation>); 8] {
    [
        (Method::Get, "get", &item.get),
        (Method::Put, "put", &item.put),
        (Method::Post, "post", &item.post),
        (Method::Delete, "delete", &item.delete),
        (Method::Options, "options", &item.options),
        (Method::Head, "head", &item.head),
        (Method::Patch, "patch", &item.patch),
        (Method::Trace, "trace", &item.trace),
    ]
}

impl<'a> Norm<'a, '_> {
    /// OpenAPI 3.1 `webhooks`, in document order.
    pub(crate) fn webhooks(
        &mut self,
        items: &'a WebhookItems,
        schemas: &BTreeMap<String, Schema>,
    ) -> Vec<Webhook> {
        let mut out = Vec::new();
        self.path.clear();
        self.path.push("webhooks".into());
        for (name, item) in items {
            self.path.push(Cow::Borrowed(name.as_str()));
            match item {
                Ok(item) => out.extend(self.path_item_webhooks(
                    name,
                    item,
                    || WebhookSource::Webhook,
                    schemas,
                )),
                Err(e) => self.warn_kind(
                    DiagnosticKind::SkippedConstruct,
                    format!("webhook `{name}` skipped: it cannot be read ({e})"),
                ),
            }
            self.path.pop();
        }
        self.path.clear();
        out
    }

    /// Operation `callbacks`, in operation order; `operations` gives each its id.
    pub(crate) fn callbacks(
        &mut self,
        operations: &[Operation],
        schemas: &BTreeMap<String, Schema>,
    ) -> Vec<Webhook> {
        let api = self.api;
        let mut out = Vec::new();
        self.path.clear();
        self.path.push("paths".into());
        for (path, item) in &api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            self.path.push(Cow::Borrowed(path.as_str()));
            for (method, key, op) in methods(item) {
                let Some(op) = op else { continue };
                if op.callbacks.is_empty() {
                    continue;
                }
                let id = operations
                    .iter()
                    .find(|o| o.method == method && o.path == *path)
                    .map(|o| o.id.clone())
                    .unwrap_or_default();
                self.path.push(Cow::Borrowed(key));
                self.path.push("callbacks".into());
                for (name, callback) in &op.callbacks {
                    self.path.push(Cow::Borrowed(name.as_str()));
                    for (expression, cb_item) in callback {
                        self.path.push(Cow::Borrowed(expression.as_str()));
                        let source = || WebhookSource::Callback {
                            operation: id.clone(),
                            expression: expression.clone(),
                        };
                        out.extend(self.path_item_webhooks(name, cb_item, source, schemas));
                        self.path.pop();
                    }
                    self.path.pop();
                }
                self.path.pop();
                self.path.pop();
            }
            self.path.pop();
        }
        self.path.clear();
        out
    }

    /// The webhooks of one path item: one per operation with a JSON request body.
    fn path_item_webhooks(
        &mut self,
        name: &str,
        item: &'a PathItem,
        source: impl Fn() -> WebhookSource,
        schemas: &BTreeMap<String, Schema>,
    ) -> Vec<Webhook> {
        let mut out = Vec::new();
        for (method, key, op) in methods(item) {
            let Some(op) = op else { continue };
            self.path.push(Cow::Borrowed(key));
            let body = op
                .request_body
                .as_ref()
                .and_then(|rb| self.at("requestBody", |n| n.request_body(rb, schemas)));
            let payload = match body {
                Some(b) => match b.content {
                    BodyContent::Schema(schema) if super::body::is_json(&b.media_type) => {
                        Some(NotificationContent {
                            description: b.description,
                            schema,
                        })
                    }
                    _ => {
                        self.warn_kind(
                            DiagnosticKind::SkippedConstruct,
                            format!(
                                "`{name}` ({key}) is skipped: its `{}` body has no JSON \
                                 decoder",
                                b.media_type
                            ),
                        );
                        None
                    }
                },
                // Nothing to decode: the request carries no body.
                None => Some(NotificationContent {
                    description: None,
                    schema: Schema::default(),
                }),
            };
            if let Some(payload) = payload {
                out.push(Webhook {
                    name: name.to_owned(),
                    source: source(),
                    method,
                    operation_id: op.operation_id.clone(),
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    payload,
                });
            }
            self.path.pop();
        }
        out
    }
}
