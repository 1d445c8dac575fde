//! Triggers (`x-ms-trigger`): a `poll()` stream on polling-trigger builders (the
//! runtime's `Poller`), and a typed `decode_notification` for webhook triggers
//! (`x-ms-notification-url` / `x-ms-notification-content`).

use connector_spec::{Connector, Method, Operation, Schema, SchemaKind};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use serde_json::Value;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::operations::Decode;
use crate::types::TypeSpace;

/// What a trigger adds to its operation: builder items and doc paragraphs.
#[derive(Default)]
pub struct TriggerCode {
    items: TokenStream,
    docs: Vec<String>,
}

impl TriggerCode {
    /// Adds the trigger's doc paragraphs to the operation's docs.
    pub fn doc(&self, doc: &mut Doc) {
        for d in &self.docs {
            doc.line(d.clone());
        }
    }
}

impl ToTokens for TriggerCode {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.items.to_tokens(tokens);
    }
}

/// `x-ms-trigger` of `op`, lower-case (`batch`, `single`), when it is a trigger.
pub fn trigger_kind(op: &Operation) -> Option<String> {
    match op.extensions.get("x-ms-trigger")? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_ascii_lowercase()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Whether `op` subscribes a webhook: its body (or a parameter) carries
/// `x-ms-notification-url`, or its path item declares `x-ms-notification-content`.
pub fn is_webhook(op: &Operation, connector: &Connector) -> bool {
    op.extensions.contains_key("x-ms-notification-content")
        || op
            .parameters
            .iter()
            .any(|p| p.extensions.contains_key("x-ms-notification-url"))
        || notification_url_field(op, connector).is_some()
}

/// The body property carrying `x-ms-notification-url: true`, when there is one.
fn notification_url_field(op: &Operation, connector: &Connector) -> Option<String> {
    let body = op.body.as_ref()?;
    let connector_spec::BodyContent::Schema(schema) = &body.content else {
        return None;
    };
    find_notification_url(schema, connector, 0)
}

fn find_notification_url(schema: &Schema, connector: &Connector, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match &schema.kind {
        SchemaKind::Ref(name) => {
            find_notification_url(connector.schemas.get(name)?, connector, depth + 1)
        }
        SchemaKind::Object(obj) => obj.properties.iter().find_map(|p| {
            let flagged = matches!(
                p.schema.extensions.get("x-ms-notification-url"),
                Some(Value::Bool(true))
            ) || matches!(
                p.schema.extensions.get("x-ms-notification-url"),
                Some(Value::String(s)) if s.eq_ignore_ascii_case("true")
            );
            if flagged {
                Some(p.name.clone())
            } else {
                find_notification_url(&p.schema, connector, depth + 1)
                    .map(|inner| format!("{}.{inner}", p.name))
            }
        }),
        _ => None,
    }
}

/// The trigger items of `op`'s builder.
pub fn generate(
    op: &Operation,
    connector: &Connector,
    builder: &str,
    decode: &Decode,
    fallible: bool,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> TriggerCode {
    let kind = trigger_kind(op);
    if is_webhook(op, connector) {
        return webhook(op, connector, kind.as_deref(), builder, space, imports);
    }
    match (kind, decode) {
        (Some(kind), Decode::Json(response)) => polling(
            op, connector, &kind, builder, response, fallible, space, imports,
        ),
        (Some(kind), _) => TriggerCode {
            items: quote!(),
            docs: vec![format!(
                "Trigger ({}); its response is not JSON, so no poller is generated.",
                code(&format!("x-ms-trigger: {kind}"))
            )],
        },
        (None, _) => TriggerCode::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn polling(
    op: &Operation,
    connector: &Connector,
    kind: &str,
    builder: &str,
    response: &crate::types::TypeRef,
    fallible: bool,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> TriggerCode {
    let policy = connector.policies.iter().find(|p| {
        p.template == connector_spec::PolicyTemplate::PollingTrigger && p.applies_to(&op.id)
    });
    let response_schema = op
        .success_response()
        .and_then(|r| r.schema.clone())
        .unwrap_or_default();
    let resolved = space.resolve(&response_schema).clone();
    // Where the items are: the policy's `triggerDataPath`, else the response's shape.
    let data_property = policy
        .and_then(|p| p.parameter_text("triggerDataPath"))
        .and_then(|path| {
            let rest = path
                .trim()
                .strip_prefix("@triggerBody()")?
                .strip_prefix('.')?;
            (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| rest.to_owned())
        });
    let array_property = |name: Option<&str>, space: &TypeSpace<'_>| -> Option<(String, Schema)> {
        let SchemaKind::Object(obj) = &resolved.kind else {
            return None;
        };
        let arrays: Vec<(String, Schema)> = obj
            .properties
            .iter()
            .filter_map(|p| match &space.resolve(&p.schema).kind {
                SchemaKind::Array(items) => Some((p.name.clone(), (**items).clone())),
                _ => None,
            })
            .collect();
        match name {
            Some(n) => arrays.into_iter().find(|(p, _)| p == n),
            None => {
                let value = arrays.iter().find(|(p, _)| p == "value").cloned();
                value.or_else(|| (arrays.len() == 1).then(|| arrays[0].clone()))
            }
        }
    };
    let hint = format!("{builder} Item");
    let (items_at, item) = if kind == "single" && policy.is_none() {
        (quote!(PollItems::Body), response.clone())
    } else if let Some(name) = &data_property {
        let t = match array_property(Some(name), space) {
            Some((_, items)) => space.type_for(&items, &hint),
            None => space.type_for(&Schema::default(), &hint),
        };
        (quote!(PollItems::Property(#name)), t)
    } else if let SchemaKind::Array(items) = &resolved.kind {
        let items = (**items).clone();
        (quote!(PollItems::Array), space.type_for(&items, &hint))
    } else if let Some((name, items)) = array_property(None, space) {
        (
            quote!(PollItems::Property(#name)),
            space.type_for(&items, &hint),
        )
    } else {
        (quote!(PollItems::Body), response.clone())
    };
    if item.named {
        imports.add("super::types");
    }
    imports.add("connector_runtime::PollItems");
    imports.add("connector_runtime::Poller");
    let t = &item.tokens;
    let start = if fallible {
        quote!(Poller::from_result(self.client.runtime().clone(), self.request(), #items_at))
    } else {
        quote!(Poller::new(self.client.runtime().clone(), self.request(), #items_at))
    };
    let state = if policy.is_some() {
        "the query its `pollingtrigger` policy computes from the last items"
    } else {
        "the `Location` the server returns"
    };
    let method_doc = format!(
        " Polls this trigger: a stream of new items, waiting `Retry-After` (else the \
         poller's interval) between polls and sending {state}. `202` means nothing new. \
         Configure with `.interval(..)` / `.resume(..)`; `.batches()` gives the state to persist."
    );
    let mut docs = vec![format!(
        "Polling trigger ({}): [`{builder}::poll`] streams new items.",
        code(&format!("x-ms-trigger: {kind}"))
    )];
    if op.method != Method::Get {
        docs.push("It polls with the builder's parameters and body each time.".to_owned());
    }
    TriggerCode {
        items: quote! {
            #[doc = #method_doc]
            pub fn poll(self) -> Poller<#t> {
                #start
            }
        },
        docs,
    }
}

fn webhook(
    op: &Operation,
    connector: &Connector,
    kind: Option<&str>,
    builder: &str,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> TriggerCode {
    let mut docs = Vec::new();
    let field = notification_url_field(op, connector).or_else(|| {
        op.parameters
            .iter()
            .find(|p| p.extensions.contains_key("x-ms-notification-url"))
            .map(|p| p.name.clone())
    });
    let callback = match &field {
        Some(f) => format!("the callback URL you put in {}", code(f)),
        None => "your callback URL".to_owned(),
    };
    docs.push(format!(
        "Webhook trigger{}: this call subscribes; the service then POSTs notifications to \
         {callback}. To unsubscribe, `DELETE` the URL in the response's `Location` header{}.",
        kind.map(|k| format!(" ({})", code(&format!("x-ms-trigger: {k}"))))
            .unwrap_or_default(),
        unsubscribe(op, connector)
            .map(|m| format!(" (or call [`Client::{m}`])"))
            .unwrap_or_default()
    ));
    let content = op.extensions.get("x-ms-notification-content");
    let Some(content) = content else {
        return TriggerCode {
            items: quote!(),
            docs,
        };
    };
    let schema = notification_schema(content.get("schema"), connector);
    let t = space.type_for(&schema, &format!("{builder} Notification"));
    if t.named {
        imports.add("super::types");
    }
    imports.add("connector_runtime::Error");
    let tokens = &t.tokens;
    docs.push(format!(
        "Decode the notifications with [`{builder}::decode_notification`]."
    ));
    let mut d = Doc::new();
    d.line("Decodes a notification the service sends to the callback URL (`x-ms-notification-content`).");
    d.text(content.get("description").and_then(Value::as_str));
    let d = d.tokens();
    TriggerCode {
        items: quote! {
            #d
            pub fn decode_notification(body: &[u8]) -> Result<#tokens, Error> {
                connector_runtime::triggers::decode_notification(body)
            }
        },
        docs,
    }
}

/// The model schema of a notification payload: named schemas (and arrays of them) are
/// typed; inline ones stay JSON values.
fn notification_schema(raw: Option<&Value>, connector: &Connector) -> Schema {
    let named = |v: &Value| -> Option<Schema> {
        let r = v.get("$ref")?.as_str()?;
        let name = r.rsplit('/').next()?;
        connector
            .schemas
            .contains_key(name)
            .then(|| Schema::new(SchemaKind::Ref(name.to_owned())))
    };
    let Some(raw) = raw else {
        return Schema::default();
    };
    if let Some(s) = named(raw) {
        return s;
    }
    if raw.get("type").and_then(Value::as_str) == Some("array") {
        if let Some(item) = raw.get("items").and_then(named) {
            return Schema::new(SchemaKind::Array(Box::new(item)));
        }
    }
    Schema::default()
}

/// The method of a `DELETE` operation under the subscribe operation's path, if one.
fn unsubscribe(op: &Operation, connector: &Connector) -> Option<String> {
    let prefix = op.path.trim_end_matches('/');
    let names = crate::operations::OperationNames::new(connector);
    connector
        .operations
        .iter()
        .zip(&names.methods)
        .find(|(o, _)| {
            o.method == Method::Delete && o.path.starts_with(prefix) && o.path.len() > prefix.len()
        })
        .map(|(_, m)| m.clone())
}
