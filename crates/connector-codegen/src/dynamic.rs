//! Dynamic metadata helpers on `Client`: `x-ms-dynamic-values` / `x-ms-dynamic-list`
//! parameters get a `<method>_<param>_choices` helper returning the runtime's `Choice`s;
//! bodies with `x-ms-dynamic-schema` / `x-ms-dynamic-properties` stay JSON values and
//! get a `<method>_schema` helper. A helper is generated only when the referenced
//! operation exists and can be called with what the definition supplies (the other
//! parameters become arguments); otherwise the parameter's docs say where values come
//! from.

use connector_spec::{BodyContent, Connector, Operation, Parameter, Schema, SchemaKind};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{self, Namespace, ident};
use crate::operations::{OperationNames, Signature};
use crate::types::TypeSpace;

/// Whether a body or response schema is only known at design time.
pub fn is_dynamic_schema(schema: &Schema, space: &TypeSpace<'_>) -> bool {
    let dynamic = |s: &Schema| {
        s.extensions.contains_key("x-ms-dynamic-schema")
            || s.extensions.contains_key("x-ms-dynamic-properties")
    };
    dynamic(schema) || dynamic(space.resolve(schema))
}

/// A call the definition describes: target operation, its parameters, where to read.
pub struct DynamicCall {
    /// The kind of extension, for docs.
    pub extension: &'static str,
    /// `operationId` of the source operation.
    pub operation_id: String,
    /// Parameter name of the target -> how its value is given.
    pub parameters: Vec<(String, Source)>,
    /// Where the array of choices is (`value-collection` / `itemsPath`).
    pub collection: Option<String>,
    /// Item value path.
    pub value_path: Option<String>,
    /// Item title path.
    pub title_path: Option<String>,
}

/// How a target parameter's value is given.
pub enum Source {
    /// A literal.
    Literal(Value),
    /// Another parameter of the calling operation (caller supplies it).
    Reference,
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn sources(params: Option<&Value>) -> Vec<(String, Source)> {
    let Some(Value::Object(map)) = params else {
        return Vec::new();
    };
    map.iter()
        .map(|(name, v)| {
            let source = match v {
                Value::Object(o) if o.contains_key("parameter") => Source::Reference,
                Value::Object(o) if o.contains_key("parameterReference") => Source::Reference,
                Value::Object(o) if o.contains_key("value") => {
                    Source::Literal(o.get("value").cloned().unwrap_or(Value::Null))
                }
                Value::Object(_) | Value::Array(_) | Value::Null => Source::Reference,
                other => Source::Literal(other.clone()),
            };
            (name.clone(), source)
        })
        .collect()
}

/// The dynamic-values call of a parameter (`x-ms-dynamic-values`, else
/// `x-ms-dynamic-list`).
pub fn values_call(ext: &std::collections::BTreeMap<String, Value>) -> Option<DynamicCall> {
    if let Some(v) = ext.get("x-ms-dynamic-values") {
        if let Some(op) = text(v.get("operationId")) {
            return Some(DynamicCall {
                extension: "x-ms-dynamic-values",
                operation_id: op,
                parameters: sources(v.get("parameters")),
                collection: text(v.get("value-collection")),
                value_path: text(v.get("value-path")),
                title_path: text(v.get("value-title")),
            });
        }
    }
    let v = ext.get("x-ms-dynamic-list")?;
    Some(DynamicCall {
        extension: "x-ms-dynamic-list",
        operation_id: text(v.get("operationId"))?,
        parameters: sources(v.get("parameters")),
        collection: text(v.get("itemsPath")),
        value_path: text(v.get("itemValuePath")),
        title_path: text(v.get("itemTitlePath")),
    })
}

/// The dynamic-schema call of a schema (`x-ms-dynamic-schema`, else
/// `x-ms-dynamic-properties`).
pub fn schema_call(schema: &Schema) -> Option<DynamicCall> {
    if let Some(v) = schema.extensions.get("x-ms-dynamic-schema") {
        if let Some(op) = text(v.get("operationId")) {
            return Some(DynamicCall {
                extension: "x-ms-dynamic-schema",
                operation_id: op,
                parameters: sources(v.get("parameters")),
                collection: None,
                value_path: text(v.get("value-path")),
                title_path: None,
            });
        }
    }
    let v = schema.extensions.get("x-ms-dynamic-properties")?;
    Some(DynamicCall {
        extension: "x-ms-dynamic-properties",
        operation_id: text(v.get("operationId"))?,
        parameters: sources(v.get("parameters")),
        collection: None,
        value_path: text(v.get("itemValuePath")),
        title_path: None,
    })
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
    connector: &Connector,
    names: &OperationNames,
    signatures: &[Signature],
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> Vec<TokenStream> {
    let mut ns = Namespace::with_reserved(crate::operations::CLIENT_METHODS);
    for m in &names.methods {
        ns.claim(m);
    }
    let mut out = Vec::new();
    for (i, op) in connector.operations.iter().enumerate() {
        if signatures[i].preview {
            continue;
        }
        let method = &names.methods[i];
        for p in &op.parameters {
            let Some(call) = values_call(&p.extensions) else {
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
            if let Some(h) = helper(
                connector, names, signatures, &call, &wanted, doc, imports, true,
            ) {
                ns.claim(&wanted);
                out.push(h);
            }
        }
        let body_schema = op.body.as_ref().and_then(|b| match &b.content {
            BodyContent::Schema(s) => Some(s),
            _ => None,
        });
        // Top-level body properties are parameters too, for the designer.
        let body_properties: Vec<(String, DynamicCall)> =
            match body_schema.map(|s| &space.resolve(s).kind) {
                Some(SchemaKind::Object(obj)) => obj
                    .properties
                    .iter()
                    .filter_map(|p| {
                        let call = values_call(&p.schema.extensions)
                            .or_else(|| values_call(&space.resolve(&p.schema).extensions))?;
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
            if let Some(h) = helper(
                connector, names, signatures, &call, &wanted, doc, imports, true,
            ) {
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
                if let Some(h) = helper(
                    connector, names, signatures, &call, &wanted, doc, imports, false,
                ) {
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
    connector: &Connector,
    names: &OperationNames,
    signatures: &[Signature],
    call: &DynamicCall,
    name: &str,
    mut doc: Doc,
    imports: &mut Imports,
    choices: bool,
) -> Option<TokenStream> {
    let (index, target): (usize, &Operation) =
        connector.operations.iter().enumerate().find(|(_, o)| {
            o.id == call.operation_id || o.declared_id.as_deref() == Some(&call.operation_id)
        })?;
    let sig = &signatures[index];
    if sig.needs_body || sig.preview {
        return None;
    }
    let target_method = &names.methods[index];
    let given = |wire: &str| {
        call.parameters
            .iter()
            .find(|(n, _)| n == wire)
            .map(|(_, s)| s)
    };
    let mut args_ns = Namespace::with_reserved(&["request", "response", "call", "value", "self_"]);
    let mut args = Vec::new();
    let mut call_args = Vec::new();
    let mut setters = Vec::new();
    let mut arg_names = Vec::new();
    for (wire, field, ty) in &sig.required {
        match given(wire) {
            Some(Source::Literal(Value::String(s))) if ty.string => call_args.push(quote!(#s)),
            Some(Source::Literal(_)) => return None,
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
            Some(Source::Literal(Value::String(v))) if ty.string => {
                setters.push(quote!(call = call.#s(#v);))
            }
            Some(Source::Reference) => {
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
    let opt = |v: &Option<String>| match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    doc.line(format!(
        "Calls [`Client::{target_method}`] (operation {}){}.",
        code(&target.id),
        if arg_names.is_empty() {
            String::new()
        } else {
            format!(" with {}", arg_names.join(", "))
        }
    ));
    let (ret, read) = if choices {
        imports.add("connector_runtime::Choice");
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
        (
            quote!(connector_runtime::serde_json::Value),
            quote!(connector_runtime::dynamic::schema_from_body(&response.body, #v)),
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
