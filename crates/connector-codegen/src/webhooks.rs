//! Typed decoders for the requests a service sends: OpenAPI 3.1 `webhooks` and 3.0
//! `callbacks`. Like the Power Platform webhook triggers' `decode_notification`, each is
//! a function of `operations.rs` turning the body the service POSTs into its type.

use connector_spec::{Connector, Webhook, WebhookSource};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{Namespace, ident, snake};
use crate::runtime_paths as rt;
use crate::types::TypeSpace;

/// One decoder function per webhook and callback, in model order.
pub fn decoders(
    connector: &Connector,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> Vec<TokenStream> {
    let names = decoder_names(connector);
    connector
        .webhooks
        .iter()
        .zip(&names)
        .map(|(hook, name)| decoder(hook, name, space, imports))
        .collect()
}

/// The decoder functions' names, in model order (unique).
pub fn decoder_names(connector: &Connector) -> Vec<String> {
    let mut names = Namespace::default();
    connector
        .webhooks
        .iter()
        .map(|hook| names.claim(&format!("decode_{}", snake(&base_name(hook), "webhook"))))
        .collect()
}

/// The crate docs' line about the decoders, when there are any.
pub fn crate_doc_line(connector: &Connector) -> Option<String> {
    let names = decoder_names(connector);
    if names.is_empty() {
        return None;
    }
    let links: Vec<String> = names
        .iter()
        .map(|n| format!("[`{n}`](operations::{n})"))
        .collect();
    Some(format!(
        "Requests the service sends to you (webhooks and callbacks) decode with {}.",
        links.join(", ")
    ))
}

fn base_name(hook: &Webhook) -> String {
    match &hook.source {
        WebhookSource::Webhook => hook.name.clone(),
        WebhookSource::Callback { operation, .. } => format!("{operation} {}", hook.name),
    }
}

fn decoder(
    hook: &Webhook,
    fn_name: &str,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> TokenStream {
    let base = base_name(hook);
    let what = match &hook.source {
        WebhookSource::Webhook => format!(
            "Decodes the {} request of webhook {} (OpenAPI `webhooks`) that the service \
             sends to you.",
            hook.method.as_str(),
            code(&hook.name)
        ),
        WebhookSource::Callback {
            operation,
            expression,
        } => format!(
            "Decodes the {} request of callback {} of operation {} that the service sends \
             to {}.",
            hook.method.as_str(),
            code(&hook.name),
            code(operation),
            code(expression)
        ),
    };
    let hint = format!("{base} Payload");
    let t = space.type_for(&hook.payload.schema, &hint);
    for path in space.take_outer_imports() {
        imports.add(path);
    }
    if t.named {
        imports.add("super::types");
    }
    imports.runtime(rt::ERROR);
    let decode = rt::DECODE_NOTIFICATION;
    let mut d = Doc::new();
    d.line(what);
    d.text(hook.summary.as_deref());
    d.text(hook.description.as_deref());
    d.text(hook.payload.description.as_deref());
    let d = d.tokens();
    let tokens = &t.tokens;
    let f = ident(fn_name);
    quote! {
        #d
        pub fn #f(body: &[u8]) -> Result<#tokens, Error> {
            #decode(body)
        }
    }
}
