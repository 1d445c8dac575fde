//! Dynamic metadata helpers on `Client`: `x-ms-dynamic-values` / `x-ms-dynamic-list`
//! parameters get a `<method>_<param>_choices` helper returning the runtime's `Choice`s;
//! bodies with `x-ms-dynamic-schema` / `x-ms-dynamic-properties` stay JSON values and
//! get a `<method>_schema` helper. A helper is generated only when the referenced
//! operation exists and can be called with what the definition supplies (the other
//! parameters become arguments); otherwise the parameter's docs say where values come
//! from.

use connector_spec::{
    BodyContent, DynamicArgument, DynamicParameter, DynamicSchema, DynamicValues, Parameter,
    Schema, SchemaKind,
};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{self, Namespace, ident};
use crate::plan::request::Signature;
use crate::plan::{CLIENT_METHODS, Plan};
use crate::runtime_paths as rt;
use crate::types::TypeSpace;

/// A call the definition describes: target operation, its parameters, where to read.
pub struct DynamicCall<'m> {
    /// The kind of extension, for docs.
    pub extension: &'static str,
    /// `operationId` of the source operation.
    pub operation_id: &'m str,
    /// Parameters of the target and how their values are given.
    pub parameters: &'m [DynamicParameter],
    /// Where the array of choices is (`value-collection` / `itemsPath`).
    pub collection: Option<&'m str>,
    /// Item value path.
    pub value_path: Option<&'m str>,
    /// Item title path.
    pub title_path: Option<&'m str>,
}

impl<'m> DynamicCall<'m> {
    /// The call of a dynamic-values parameter or property, when it names an operation.
    pub fn values(v: &'m DynamicValues) -> Option<Self> {
        Some(DynamicCall {
            extension: v.source.extension(),
            operation_id: v.operation_id.as_deref()?,
            parameters: &v.parameters,
            collection: v.collection.as_deref(),
            value_path: v.value_path.as_deref(),
            title_path: v.title_path.as_deref(),
        })
    }

    /// The call of a dynamic schema, when it names an operation.
    pub fn schema(s: &'m DynamicSchema) -> Option<Self> {
        Some(DynamicCall {
            extension: s.source.extension(),
            operation_id: s.operation_id.as_deref()?,
            parameters: &s.parameters,
            collection: None,
            value_path: s.value_path.as_deref(),
            title_path: None,
        })
    }
}

/// The dynamic-schema call of a schema, when it names an operation.
fn schema_call(schema: &Schema) -> Option<DynamicCall<'_>> {
    DynamicCall::schema(schema.dynamic_schema.as_deref()?)
}

/// The helper name for a dynamic-values parameter (also used by parameter docs).
pub fn choices_name(method: &str, param: &Parameter) -> String {
    names::snake(
        &format!("{method}_{}_choices", names::snake(&param.name, "param")),
        "choices",
    )
}

/// Every helper, in document order.
pub fn helpers(
    plan: &Plan<'_>,
    signatures: &[Signature],
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> Vec<TokenStream> {
    let mut ns = Namespace::with_reserved(CLIENT_METHODS);
    for m in &plan.names.methods {
        ns.claim(m);
    }
    let mut out = Vec::new();
    for p in &plan.operations {
        if p.preview {
            continue;
        }
        let (op, method) = (p.op, &p.method);
        for p in &op.parameters {
            let Some(call) = p.dynamic_values.as_ref().and_then(DynamicCall::values) else {
                continue;
            };
            let wanted = choices_name(method, p);
            if ns.contains(&wanted) {
                continue;
            }
            let mut doc = Doc::new();
            doc.line(format!(
                "Choices for {} of [`Client::{method}`] ({}).",
                code(&p.name),
                code(call.extension)
            ));
            if let Some(h) = helper(plan, signatures, &call, &wanted, doc, imports, true) {
                ns.claim(&wanted);
                out.push(h);
            }
        }
        let body_schema = op.body.as_ref().and_then(|b| match &b.content {
            BodyContent::Schema(s) => Some(s),
            _ => None,
        });
        // Top-level body properties are parameters too, for the designer.
        let body_properties: Vec<(String, DynamicCall<'_>)> =
            match body_schema.map(|s| &space.resolve(s).kind) {
                Some(SchemaKind::Object(obj)) => obj
                    .properties
                    .iter()
                    .filter_map(|p| {
                        let own = p.schema.dynamic_values.as_deref();
                        let call = own.and_then(DynamicCall::values).or_else(|| {
                            let resolved = space.resolve(&p.schema).dynamic_values.as_deref();
                            resolved.and_then(DynamicCall::values)
                        })?;
                        Some((p.name.clone(), call))
                    })
                    .collect(),
                _ => Vec::new(),
            };
        for (property, call) in body_properties {
            let wanted = names::snake(
                &format!("{method}_{}_choices", names::snake(&property, "field")),
                "choices",
            );
            if ns.contains(&wanted) {
                continue;
            }
            let mut doc = Doc::new();
            doc.line(format!(
                "Choices for the body property {} of [`Client::{method}`] ({}).",
                code(&property),
                code(call.extension)
            ));
            if let Some(h) = helper(plan, signatures, &call, &wanted, doc, imports, true) {
                ns.claim(&wanted);
                out.push(h);
            }
        }
        if let Some(call) =
            body_schema.and_then(|s| schema_call(s).or_else(|| schema_call(space.resolve(s))))
        {
            let wanted = names::snake(&format!("{method}_schema"), "schema");
            if !ns.contains(&wanted) {
                let mut doc = Doc::new();
                doc.line(format!(
                    "The body schema of [`Client::{method}`], known only at run time ({}).",
                    code(call.extension)
                ));
                if let Some(h) = helper(plan, signatures, &call, &wanted, doc, imports, false) {
                    ns.claim(&wanted);
                    out.push(h);
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn helper(
    plan: &Plan<'_>,
    signatures: &[Signature],
    call: &DynamicCall<'_>,
    name: &str,
    mut doc: Doc,
    imports: &mut Imports,
    choices: bool,
) -> Option<TokenStream> {
    let (index, target) = plan.find(call.operation_id)?;
    let sig = signatures.get(index)?;
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
