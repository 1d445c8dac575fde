//! Triggers (`x-ms-trigger`): a `poll()` stream on polling-trigger builders (the
//! runtime's `Poller`), and a typed `decode_notification` for webhook triggers
//! (`x-ms-notification-url` / `x-ms-notification-content`).

use connector_spec::{Connector, Method, Operation, Schema, SchemaKind};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::plan::request::Decode;
use crate::plan::{OperationPlan, Webhook};
use crate::runtime_paths as rt;
use crate::types::{TypeRef, TypeSpace};

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

/// The trigger items of `op`'s builder.
pub fn generate(
    plan: &OperationPlan<'_>,
    connector: &Connector,
    decode: &Decode,
    fallible: bool,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> TriggerCode {
    let (op, kind, builder) = (plan.op, plan.trigger, plan.builder.as_str());
    if let Some(hook) = &plan.webhook {
        return webhook(op, hook, kind, builder, space, imports);
    }
    match (kind, decode) {
        (Some(kind), Decode::Json(response)) => polling(
            op, connector, kind, builder, response, fallible, space, imports,
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
    response: &TypeRef,
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
    imports.runtime(rt::POLL_ITEMS);
    imports.runtime(rt::POLLER);
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
    hook: &Webhook,
    kind: Option<&str>,
    builder: &str,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> TriggerCode {
    let mut docs = Vec::new();
    let callback = match &hook.callback {
        Some(f) => format!("the callback URL you put in {}", code(f)),
        None => "your callback URL".to_owned(),
    };
    docs.push(format!(
        "Webhook trigger{}: this call subscribes; the service then POSTs notifications to \
         {callback}. To unsubscribe, `DELETE` the URL in the response's `Location` header{}.",
        kind.map(|k| format!(" ({})", code(&format!("x-ms-trigger: {k}"))))
            .unwrap_or_default(),
        hook.unsubscribe
            .as_ref()
            .map(|m| format!(" (or call [`Client::{m}`])"))
            .unwrap_or_default()
    ));
    let Some(content) = &op.notification else {
        return TriggerCode {
            items: quote!(),
            docs,
        };
    };
    let t = space.type_for(&content.schema, &format!("{builder} Notification"));
    if t.named {
        imports.add("super::types");
    }
    imports.runtime(rt::ERROR);
    let tokens = &t.tokens;
    let decode_notification = rt::DECODE_NOTIFICATION;
    docs.push(format!(
        "Decode the notifications with [`{builder}::decode_notification`]."
    ));
    let mut d = Doc::new();
    d.line("Decodes a notification the service sends to the callback URL (`x-ms-notification-content`).");
    d.text(content.description.as_deref());
    let d = d.tokens();
    TriggerCode {
        items: quote! {
            #d
            pub fn decode_notification(body: &[u8]) -> Result<#tokens, Error> {
                #decode_notification(body)
            }
        },
        docs,
    }
}
