//! The generated `OPERATIONS` table.

use connector_spec::{Connector, Status, Visibility};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::operations::OperationNames;

/// Emit `metadata.rs` items.
pub fn generate(connector: &Connector, names: &OperationNames) -> TokenStream {
    let rows = connector
        .operations
        .iter()
        .zip(&names.methods)
        .map(|(op, method)| {
            let lc = &op.lifecycle;
            let id = &op.id;
            let http = op.method.as_str();
            let path = &op.path;
            let family = &lc.family;
            let revision = proc_macro2::Literal::u32_unsuffixed(lc.revision);
            let status = ident(match lc.status {
                Status::Production => "Production",
                Status::Preview => "Preview",
            });
            let visibility = ident(match lc.visibility {
                Visibility::Normal => "Normal",
                Visibility::Important => "Important",
                Visibility::Advanced => "Advanced",
                Visibility::Internal => "Internal",
            });
            let deprecated = lc.deprecated;
            let trigger = match crate::triggers::trigger_kind(op) {
                Some(t) => quote!(Some(#t)),
                None => quote!(None),
            };
            let confirm = crate::platform::requires_confirmation(op, connector);
            let expires = match &lc.expires {
                Some(e) => quote!(Some(#e)),
                None => quote!(None),
            };
            quote! {
                OperationInfo {
                    id: #id,
                    method_name: #method,
                    http_method: #http,
                    path: #path,
                    family: #family,
                    revision: #revision,
                    status: Status::#status,
                    visibility: Visibility::#visibility,
                    deprecated: #deprecated,
                    expires: #expires,
                    trigger: #trigger,
                    requires_confirmation: #confirm,
                },
            }
        });
    let rows: Vec<TokenStream> = rows.collect();
    let uses = if rows.is_empty() {
        quote!(
            use connector_runtime::metadata::OperationInfo;
        )
    } else {
        quote!(
            use connector_runtime::metadata::{OperationInfo, Status, Visibility};
        )
    };
    quote! {
        #uses

        /// Every operation of this client with its lifecycle, trigger and confirmation facts,
        /// in definition order, for tooling. Preview operations are listed even when the
        /// `preview` feature is off.
        pub const OPERATIONS: &[OperationInfo] = &[
            #(#rows)*
        ];
    }
}
