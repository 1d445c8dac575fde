//! The generated `POLICIES` table: one typed `PolicySpec` per policy template instance,
//! static data the runtime compiles once when the client is built.

use connector_spec::{Connector, PolicyInstance, PolicySection, PolicyTemplate};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::runtime_paths as rt;

/// The runtime's `PolicyKind` for `template`. Exhaustive on purpose (no `_` arm): a
/// template added to `connector_spec::PolicyTemplate` does not compile until it is
/// mapped here. Ids are emitted as string literals by `quote`, never spliced as code.
pub(crate) fn runtime_kind(template: &PolicyTemplate) -> TokenStream {
    match template {
        PolicyTemplate::SetHeader => quote!(PolicyKind::SetHeader),
        PolicyTemplate::SetQueryParameter => quote!(PolicyKind::SetQueryParameter),
        PolicyTemplate::DynamicHostUrl => quote!(PolicyKind::DynamicHostUrl),
        PolicyTemplate::DynamicSubdomain => quote!(PolicyKind::DynamicSubdomain),
        PolicyTemplate::RouteRequestToEndpoint => quote!(PolicyKind::RouteRequestToEndpoint),
        PolicyTemplate::SetProperty => quote!(PolicyKind::SetProperty),
        PolicyTemplate::UpdateNextLink => quote!(PolicyKind::UpdateNextLink),
        PolicyTemplate::StringReplace => quote!(PolicyKind::StringReplace),
        PolicyTemplate::ConvertObjectToArray => quote!(PolicyKind::ConvertObjectToArray),
        PolicyTemplate::ConvertArrayToObject => quote!(PolicyKind::ConvertArrayToObject),
        PolicyTemplate::StringToArray => quote!(PolicyKind::StringToArray),
        PolicyTemplate::MoveProperties => quote!(PolicyKind::MoveProperties),
        PolicyTemplate::SetValueFromUrl => quote!(PolicyKind::SetValueFromUrl),
        PolicyTemplate::EncodePropertyValue => quote!(PolicyKind::EncodePropertyValue),
        PolicyTemplate::SetConnectionStatusToUnauthenticated => {
            quote!(PolicyKind::SetConnectionStatusToUnauthenticated)
        }
        PolicyTemplate::PollingTrigger => quote!(PolicyKind::PollingTrigger),
        PolicyTemplate::Unknown(id) => {
            let id = id.as_str();
            quote!(PolicyKind::Unknown(#id))
        }
    }
}

/// One row of the table.
fn row(policy: &PolicyInstance) -> TokenStream {
    let kind = runtime_kind(&policy.template);
    let ops = policy.operations.iter().map(String::as_str);
    let params = policy.parameters.keys().map(|name| {
        let value = policy.parameter_text(name).unwrap_or_default();
        let name = name.as_str();
        quote!((#name, #value))
    });
    let spec = quote!(PolicySpec::new(#kind, &[#(#ops),*], &[#(#params),*]));
    match policy.section {
        None => quote!(#spec,),
        Some(PolicySection::Request) => quote!(#spec.in_request(),),
        Some(PolicySection::Response) => quote!(#spec.in_response(),),
        Some(PolicySection::Failure) => quote!(#spec.in_failure(),),
    }
}

/// `pub const POLICIES`, or `None` when the connector has no policies.
pub(crate) fn table(connector: &Connector, imports: &mut Imports) -> Option<TokenStream> {
    if connector.policies.is_empty() {
        return None;
    }
    imports.add(rt::POLICY_KIND.path());
    imports.add(rt::POLICY_SPEC.path());
    let rows = connector.policies.iter().map(row);
    let mut doc = Doc::new();
    doc.line(
        "The definition's policy templates (`policyTemplateInstances`), in the order they \
         run; [`Client::builder`](super::Client::builder) installs them and the runtime \
         compiles them once, when the client is built.",
    );
    let unknown: Vec<String> = connector
        .policies
        .iter()
        .filter(|p| !p.template.is_known())
        .map(|p| code(p.template.id()))
        .collect();
    if !unknown.is_empty() {
        doc.line(format!(
            "Not supported by the runtime: {}. Calls to the operations they apply to fail \
             with `UNSUPPORTED`.",
            unknown.join(", ")
        ));
    }
    let d = doc.tokens();
    Some(quote! {
        #d
        pub const POLICIES: &[PolicySpec] = &[
            #(#rows)*
        ];
    })
}
