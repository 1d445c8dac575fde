//! The bodies of the generated `Connection::validate` (required values present) and
//! `Connection::values` (what policies read as `@connectionParameters('name')`).

use proc_macro2::TokenStream;
use quote::quote;

use super::params::{Field, Kind, Shape};
use crate::names::ident;

/// `validate()`: `VALIDATION_ERROR` naming the missing required values.
pub(super) fn validate_body(shape: &Shape) -> TokenStream {
    let any_required = shape.fields().any(|f| f.required);
    if any_required {
        let checks = shape.per_variant(&|v| {
            let req: Vec<&Field> = v.fields.iter().filter(|f| f.required).collect();
            let stmts = req.iter().map(|f| {
                let id = ident(&f.id);
                let name = &f.label;
                quote!(if #id.is_none() { missing.push(#name); })
            });
            (
                req.iter().map(|f| f.id.clone()).collect(),
                quote!(#(#stmts)*),
            )
        });
        quote! {
            let mut missing: Vec<&str> = Vec::new();
            #checks
            if missing.is_empty() {
                Ok(())
            } else {
                let missing = missing.join(", ");
                let message = format!("the connection is missing required value(s): {missing}");
                Err(Error::validation(message))
            }
        }
    } else {
        quote!(Ok(()))
    }
}

/// `values()`: every non-OAuth value by its wire name, defaults filling what is unset.
pub(super) fn values_body(shape: &Shape) -> TokenStream {
    let any_value = shape.fields().any(|f| !matches!(f.kind, Kind::OAuth(_)));
    if any_value {
        let fill = shape.per_variant(&|v| {
            let fs: Vec<&Field> = v
                .fields
                .iter()
                .filter(|f| !matches!(f.kind, Kind::OAuth(_)))
                .collect();
            let stmts = fs.iter().map(|f| {
                let id = ident(&f.id);
                let wire = &f.wire;
                let value = match f.kind {
                    Kind::Secret => quote!(value.expose_secret()),
                    Kind::Text => quote!(value.as_str()),
                    _ => quote!(value.to_string()),
                };
                match &f.default {
                    Some(d) => quote! {
                        match #id {
                            Some(value) => values.insert(#wire, #value),
                            None => values.insert(#wire, #d),
                        }
                    },
                    None => quote! {
                        if let Some(value) = #id {
                            values.insert(#wire, #value);
                        }
                    },
                }
            });
            (
                fs.iter().map(|f| f.id.clone()).collect(),
                quote!(#(#stmts)*),
            )
        });
        quote! {
            let mut values = ConnectionValues::new();
            #fill
            values
        }
    } else {
        quote!(ConnectionValues::new())
    }
}
