//! The generated `OPERATIONS` table.

use connector_spec::{Status, Visibility};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::plan::Plan;
use crate::runtime_paths as rt;

/// Emit `metadata.rs` items: one `OperationInfo::new(..)` row per operation, with a
/// modifier only where a fact differs from the common case.
pub fn generate(plan: &Plan<'_>) -> TokenStream {
    let mut uses_visibility = false;
    let rows: Vec<TokenStream> = plan
        .operations
        .iter()
        .map(|p| {
            let (op, method) = (p.op, &p.method);
            let lc = &op.lifecycle;
            let (id, http, path) = (&op.id, op.method.as_str(), &op.path);
            let mut row = quote!(OperationInfo::new(#id, #method, #http, #path));
            if lc.family != op.id || lc.revision != 1 {
                let family = &lc.family;
                let revision = proc_macro2::Literal::u32_unsuffixed(lc.revision);
                row = quote!(#row.revision(#family, #revision));
            }
            if lc.status == Status::Preview {
                row = quote!(#row.preview());
            }
            let visibility = match lc.visibility {
                Visibility::Normal => None,
                Visibility::Important => Some("Important"),
                Visibility::Advanced => Some("Advanced"),
                Visibility::Internal => Some("Internal"),
            };
            if let Some(v) = visibility {
                uses_visibility = true;
                let v = ident(v);
                row = quote!(#row.visibility(Visibility::#v));
            }
            if lc.deprecated {
                row = quote!(#row.deprecated());
            }
            if let Some(date) = &lc.expires {
                row = quote!(#row.expires(#date));
            }
            if let Some(kind) = p.trigger {
                row = quote!(#row.trigger(#kind));
            }
            if op.requires_confirmation {
                row = quote!(#row.requires_confirmation());
            }
            quote!(#row,)
        })
        .collect();
    let (module, info, visibility) = (
        rt::METADATA,
        rt::OPERATION_INFO.ident(),
        rt::VISIBILITY.ident(),
    );
    let uses = if uses_visibility {
        quote!(
            use #module::{#info, #visibility};
        )
    } else {
        quote!(
            use #module::#info;
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
