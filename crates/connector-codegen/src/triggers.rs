//! Triggers (`x-ms-trigger`): a `poll()` stream on polling-trigger builders (the
//! runtime's `Poller`), and a typed `decode_notification` for webhook triggers
//! (`x-ms-notification-url` / `x-ms-notification-content`).

use connector_spec::{Method, Operation};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::plan::trigger::{PollItemsAt, TriggerPlan};
use crate::plan::{OperationPlan, Webhook};
use crate::runtime_paths as rt;
use crate::types::TypeRef;

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

/// The trigger items of a builder and its doc paragraphs, from the trigger's plan.
pub fn generate(
    plan: &OperationPlan<'_>,
    trigger: &TriggerPlan,
    fallible: bool,
    imports: &mut Imports,
) -> TriggerCode {
    let builder = plan.builder.as_str();
    match trigger {
        TriggerPlan::None => TriggerCode::default(),
        TriggerPlan::NotJson { kind } => TriggerCode {
            items: quote!(),
            docs: vec![format!(
                "Trigger ({}); its response is not JSON, so no poller is generated.",
                code(&format!("x-ms-trigger: {kind}"))
            )],
        },
        TriggerPlan::Polling {
            kind,
            items_at,
            item,
            policy,
        } => polling(
            plan.op, kind, builder, items_at, item, *policy, fallible, imports,
        ),
        TriggerPlan::Webhook { kind, notification } => match &plan.webhook {
            Some(hook) => webhook(
                hook,
                kind.as_deref(),
                builder,
                notification.as_ref(),
                imports,
            ),
            None => TriggerCode::default(),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn polling(
    op: &Operation,
    kind: &str,
    builder: &str,
    items_at: &PollItemsAt,
    item: &TypeRef,
    policy: bool,
    fallible: bool,
    imports: &mut Imports,
) -> TriggerCode {
    let items_at = match items_at {
        PollItemsAt::Body => quote!(PollItems::Body),
        PollItemsAt::Array => quote!(PollItems::Array),
        PollItemsAt::Property(name) => quote!(PollItems::Property(#name)),
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
    let state = if policy {
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
    hook: &Webhook,
    kind: Option<&str>,
    builder: &str,
    notification: Option<&(TypeRef, Option<String>)>,
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
    let Some((t, description)) = notification else {
        return TriggerCode {
            items: quote!(),
            docs,
        };
    };
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
    d.text(description.as_deref());
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
