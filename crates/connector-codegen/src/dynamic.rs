//! Dynamic metadata helpers on `Client`: `x-ms-dynamic-values` / `x-ms-dynamic-list`
//! parameters get a `<method>_<param>_choices` helper returning the runtime's `Choice`s;
//! bodies with `x-ms-dynamic-schema` / `x-ms-dynamic-properties` stay JSON values and
//! get a `<method>_schema` helper. A helper is generated only when the referenced
//! operation exists and can be called with what the definition supplies (the other
//! parameters become arguments); otherwise the parameter's docs say where values come
//! from. Which helpers the definition asks for is planned in [`crate::plan::dynamic`].

use connector_spec::DynamicArgument;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{Namespace, ident};
use crate::plan::dynamic::HelperPlan;
use crate::plan::request::Signature;
use crate::plan::{CLIENT_METHODS, Plan};
use crate::runtime_paths as rt;

/// Every helper the plan asks for that can be generated, in the plan's order.
pub fn helpers(
    plan: &Plan<'_>,
    signatures: &[Signature],
    imports: &mut Imports,
) -> Vec<TokenStream> {
    let mut ns = Namespace::with_reserved(CLIENT_METHODS);
    for m in &plan.names.methods {
        ns.claim(m);
    }
    let mut out = Vec::new();
    for h in &plan.dynamic_helpers {
        if ns.contains(&h.name) {
            continue;
        }
        if let Some(tokens) = helper(plan, signatures, h, imports) {
            ns.claim(&h.name);
            out.push(tokens);
        }
    }
    out
}

/// The helper `h`, when its target can be called with what the definition supplies.
fn helper(
    plan: &Plan<'_>,
    signatures: &[Signature],
    h: &HelperPlan<'_>,
    imports: &mut Imports,
) -> Option<TokenStream> {
    let (call, name, choices) = (&h.call, h.name.as_str(), h.choices);
    let mut doc = Doc::new();
    doc.line(h.doc.clone());
    let target = plan.operations.get(h.target)?;
    let sig = signatures.get(h.target)?;
    if sig.needs_body || sig.preview {
        return None;
    }
    let target_method = &target.method;
    let given = |wire: &str| {
        call.parameters
            .iter()
            .find(|p| p.name == wire)
            .map(|p| &p.argument)
    };
    let mut args_ns = Namespace::with_reserved(&["request", "response", "call", "value", "self_"]);
    let mut args = Vec::new();
    let mut call_args = Vec::new();
    let mut setters = Vec::new();
    let mut arg_names = Vec::new();
    for (wire, field, ty) in &sig.required {
        match given(wire) {
            Some(DynamicArgument::Literal(Value::String(s))) if ty.string => {
                call_args.push(quote!(#s))
            }
            Some(DynamicArgument::Literal(_)) => return None,
            _ => {
                let a = ident(&args_ns.claim(field));
                let t = &ty.tokens;
                if ty.string {
                    args.push(quote!(#a: impl Into<String>));
                } else {
                    args.push(quote!(#a: #t));
                }
                arg_names.push(code(wire));
                call_args.push(quote!(#a));
            }
        }
    }
    for (wire, setter, ty) in &sig.optional {
        let s = ident(setter);
        match given(wire) {
            Some(DynamicArgument::Literal(Value::String(v))) if ty.string => {
                setters.push(quote!(call = call.#s(#v);))
            }
            Some(DynamicArgument::Reference(_)) => {
                let a = ident(&args_ns.claim(setter));
                let t = &ty.tokens;
                args.push(quote!(#a: Option<#t>));
                arg_names.push(format!("{} (optional)", code(wire)));
                setters.push(quote! {
                    if let Some(value) = #a {
                        call = call.#s(value);
                    }
                });
            }
            _ => {}
        }
    }
    for (_, _, ty) in sig.required.iter().chain(&sig.optional) {
        if ty.named {
            imports.add("super::types");
        }
    }
    let opt = |v: &Option<&str>| match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    doc.line(format!(
        "Calls [`Client::{target_method}`] (operation {}){}.",
        code(&target.op.id),
        if arg_names.is_empty() {
            String::new()
        } else {
            format!(" with {}", arg_names.join(", "))
        }
    ));
    let (ret, read) = if choices {
        imports.runtime(rt::CHOICE);
        let (c, v, t) = (
            opt(&call.collection),
            opt(&call.value_path),
            opt(&call.title_path),
        );
        (
            quote!(Vec<Choice>),
            quote!(Choice::from_body(&response.body, #c, #v, #t)),
        )
    } else {
        let v = opt(&call.value_path);
        let (value, schema_from_body) = (rt::JSON_VALUE, rt::SCHEMA_FROM_BODY);
        (
            quote!(#value),
            quote!(#schema_from_body(&response.body, #v)),
        )
    };
    let target_id = ident(target_method);
    let fn_id = ident(name);
    let built = if setters.is_empty() {
        quote!(let request = self.#target_id(#(#call_args),*).request())
    } else {
        quote! {
            let mut call = self.#target_id(#(#call_args),*);
            #(#setters)*
            let request = call.request()
        }
    };
    let built = if sig.fallible {
        quote!(#built?;)
    } else {
        quote!(#built;)
    };
    let allow = if sig.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    let d = doc.tokens();
    Some(quote! {
        #d
        #allow
        pub async fn #fn_id(&self, #(#args),*) -> Result<#ret, Error> {
            #built
            let response = self.runtime().execute(request).await?;
            #read
        }
    })
}
