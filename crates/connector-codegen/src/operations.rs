//! One method per operation on `Client`, and one request builder type per operation:
//! required parameters are method arguments, optional ones chained setters; `.send()`
//! gives the runtime's `Response<T>`, awaiting the builder gives `T`.

use connector_spec::{
    BodyContent, CollectionFormat, Connector, Operation, ParamLocation, Schema, SchemaKind,
    StringFormat,
};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::lifecycle::{self, Successor};
use crate::names::{self, Namespace, ident};
use crate::types::{TypeRef, TypeSpace};

/// Method names `Client` already has.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "builder",
    "new",
    "runtime",
    "from_runtime",
    "base_url",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "hash",
    "into",
    "from",
    "to_owned",
    "type_id",
];

/// Type names the operations module uses unqualified.
const RESERVED_BUILDER_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "Request",
    "Response",
    "Method",
    "IntoFuture",
    "BodyFuture",
    "ResponseFuture",
    "BoxStream",
    "Form",
    "FilePart",
    "Bytes",
    "CollectionFormat",
    "NextLink",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Send",
    "Sync",
    "Sized",
    "Default",
    "Clone",
    "Debug",
    "From",
    "Into",
    "Iterator",
];

/// Names for every operation, claimed before any code is emitted so that lifecycle
/// notes can name a newer revision's method.
pub struct OperationNames {
    /// `Client` method per operation (same order as `Connector::operations`).
    pub methods: Vec<String>,
    /// Builder type per operation.
    pub builders: Vec<String>,
}

impl OperationNames {
    /// Claim names deterministically, in document order.
    pub fn new(connector: &Connector) -> Self {
        let mut methods_ns = Namespace::with_reserved(CLIENT_METHODS);
        let mut builders_ns = Namespace::with_reserved(RESERVED_BUILDER_NAMES);
        let mut methods = Vec::new();
        let mut builders = Vec::new();
        for op in &connector.operations {
            methods.push(methods_ns.claim(&names::snake(&op.id, "operation")));
            builders.push(builders_ns.claim(&names::camel(&op.id, "Operation")));
        }
        OperationNames { methods, builders }
    }
}

/// The head of the generated `operations.rs` (the builders go to `emit_batch`).
pub struct Operations {
    /// The items before the request builders: `impl Client` with a method per
    /// operation, and the dynamic-value helpers.
    pub items: Vec<TokenStream>,
    /// Imports the module needs.
    pub imports: Imports,
}

/// How an operation's `Client` method is called, for helpers that call it.
#[derive(Clone)]
pub struct Signature {
    /// Required arguments, in order: wire name, builder field, type.
    pub required: Vec<(String, String, TypeRef)>,
    /// Optional parameters (setters): wire name, setter, type.
    pub optional: Vec<(String, String, TypeRef)>,
    /// A required body or file argument the helper cannot supply.
    pub needs_body: bool,
    /// `request()` returns a `Result`.
    pub fallible: bool,
    /// Preview-gated.
    pub preview: bool,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

struct ParamField {
    /// Sent when the caller sets nothing (a required parameter with a default).
    default: Option<String>,
    wire: String,
    location: ParamLocation,
    field: String,
    ty: TypeRef,
    required: bool,
    list: Option<CollectionFormat>,
    double: bool,
    doc: Doc,
}

enum BodyKind {
    None,
    Json { ty: TypeRef, required: bool },
    Bytes { media: String, required: bool },
    Form { multipart: bool },
}

pub(crate) enum Decode {
    Json(TypeRef),
    Text,
    Bytes,
    Empty,
}

/// Emit every operation: the request builders to `emit_batch` in batches, in document
/// order, as they are built, each with the type items built since the last batch; the
/// rest, which needs every operation, returned.
pub fn generate(
    connector: &Connector,
    names: &OperationNames,
    space: &mut TypeSpace<'_>,
    emit_batch: &mut dyn FnMut(TokenStream, Vec<TokenStream>),
) -> Operations {
    let mut imports = Imports::default();
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    let mut signatures = Vec::new();
    for (i, op) in connector.operations.iter().enumerate() {
        let successor = lifecycle::successor(op, &connector.operations, &names.methods);
        imports.set_gated(lifecycle::is_preview(op));
        space.imports.set_gated(false);
        let ctx = Ctx {
            connector,
            names,
            index: i,
        };
        let (m, b, sig) = operation(op, &ctx, successor.as_ref(), space, &mut imports);
        signatures.push(sig);
        for path in space.take_outer_imports() {
            imports.add(path);
        }
        methods.push(m);
        builders.push(b);
        if builders.len() == BUILDER_BATCH {
            emit_batch(quote!(#(#builders)*), space.take_items());
            builders.clear();
        }
    }
    if !builders.is_empty() {
        emit_batch(quote!(#(#builders)*), space.take_items());
    }
    imports.set_gated(false);
    let helpers = crate::dynamic::helpers(connector, names, &signatures, space, &mut imports);
    let mut items = Vec::new();
    if !methods.is_empty() {
        // `impl Client` stays even when every method in it is preview-gated.
        imports.add("super::Client");
        items.push(quote! {
            impl Client {
                #(#methods)*
            }
        });
    }
    if !helpers.is_empty() {
        items.push(quote! {
            /// Dynamic values and schemas (`x-ms-dynamic-*`): what the definition's designer
            /// would offer, fetched from the operations it names.
            impl Client {
                #(#helpers)*
            }
        });
    }
    Operations { items, imports }
}

/// Request builders per batch handed to `emit_batch`: enough that a batch is worth
/// a printing job, few enough that printing starts early.
const BUILDER_BATCH: usize = 16;

/// What an operation's code reads besides the operation.
struct Ctx<'a> {
    connector: &'a Connector,
    names: &'a OperationNames,
    index: usize,
}

fn operation(
    op: &Operation,
    ctx: &Ctx<'_>,
    successor: Option<&Successor>,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
) -> (TokenStream, TokenStream, Signature) {
    let method = ctx.names.methods[ctx.index].as_str();
    let builder = ctx.names.builders[ctx.index].as_str();
    imports.add("super::Client");
    imports.add("connector_runtime::Error");
    imports.add("connector_runtime::Method");
    imports.add("connector_runtime::Request");
    imports.add("connector_runtime::BodyFuture");
    imports.add("connector_runtime::ResponseFuture");
    imports.add("connector_runtime::decode");
    imports.add("std::future::IntoFuture");

    let mut fields_ns =
        Namespace::with_reserved(&["client", "self_", "poll", "decode_notification"]);
    let body_kind = body_kind(op, builder, space);
    let body_field = match body_kind {
        BodyKind::Json { .. } | BodyKind::Bytes { .. } => Some(fields_ns.claim("body")),
        _ => None,
    };

    let mut params = Vec::new();
    for p in &op.parameters {
        let field = fields_ns.claim(&names::snake(&p.name, "param"));
        let hint = format!("{builder} {}", p.name);
        let (ty, list) = param_type(&p.schema, &hint, p.collection_format, space);
        let mut doc = Doc::new();
        doc.text(p.description.as_deref().or(p.summary.as_deref()));
        crate::platform::param_doc(p, ctx.names, &ctx.connector.operations, &mut doc);
        // A required parameter with a default becomes optional: the default is sent
        // when the caller sets nothing, as the platform does.
        let default = p
            .schema
            .default
            .as_ref()
            .filter(|_| p.required && list.is_none())
            .and_then(|d| match d {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            });
        if let Some(d) = &default {
            doc.line(format!("Default: {}.", code(d)));
        }
        params.push(ParamField {
            default: default.clone(),
            wire: p.name.clone(),
            location: p.location,
            field,
            ty,
            required: (p.required || p.location == ParamLocation::Path) && default.is_none(),
            list,
            double: p.double_encoded,
            doc,
        });
    }
    let mut form_fields = Vec::new();
    if let Some(body) = &op.body {
        if let BodyContent::Form { fields, .. } = &body.content {
            for f in fields {
                let field = fields_ns.claim(&names::snake(&f.name, "field"));
                let mut doc = Doc::new();
                doc.text(f.description.as_deref().or(f.summary.as_deref()));
                let (ty, list) = if f.is_file {
                    imports.add("connector_runtime::FilePart");
                    (
                        TypeRef {
                            tokens: quote!(FilePart),
                            named: false,
                            string: false,
                        },
                        None,
                    )
                } else {
                    let hint = format!("{builder} {}", f.name);
                    param_type(&f.schema, &hint, CollectionFormat::Csv, space)
                };
                form_fields.push((
                    f.is_file,
                    ParamField {
                        default: None,
                        wire: f.name.clone(),
                        location: ParamLocation::Query,
                        field,
                        ty,
                        required: f.required,
                        list,
                        double: false,
                        doc,
                    },
                ));
            }
        }
    }
    for p in params.iter().chain(form_fields.iter().map(|(_, p)| p)) {
        if p.ty.named {
            imports.add("super::types");
        }
    }

    let decode = decode_kind(op, builder, space);
    if let Decode::Json(t) = &decode {
        if t.named {
            imports.add("super::types");
        }
    }
    if let BodyKind::Json { ty, .. } = &body_kind {
        if ty.named {
            imports.add("super::types");
        }
    }

    // Struct fields, method arguments, setters.
    let mut struct_fields = vec![quote!(client: Client,)];
    let mut args = Vec::new();
    let mut inits = vec![quote!(client: self.clone(),)];
    let mut setters = Vec::new();

    let all_fields: Vec<(&ParamField, bool)> = params
        .iter()
        .map(|p| (p, false))
        .chain(form_fields.iter().map(|(is_file, p)| (p, *is_file)))
        .collect();
    let mut required_fields: Vec<(&ParamField, bool)> = all_fields
        .iter()
        .filter(|(p, _)| p.required)
        .copied()
        .collect();
    // Path parameters first, in template order, then the rest as declared.
    required_fields.sort_by_key(|(p, _)| {
        if p.location == ParamLocation::Path {
            (
                0,
                op.path
                    .find(&format!("{{{}}}", p.wire))
                    .unwrap_or(usize::MAX),
            )
        } else {
            (1, 0)
        }
    });

    let push_required = |p: &ParamField,
                         is_file: bool,
                         args: &mut Vec<TokenStream>,
                         inits: &mut Vec<TokenStream>| {
        let id = ident(&p.field);
        let t = &p.ty.tokens;
        if is_file {
            args.push(quote!(#id: impl Into<FilePart>));
            inits.push(quote!(#id: #id.into(),));
        } else if p.ty.string {
            args.push(quote!(#id: impl Into<String>));
            inits.push(quote!(#id: #id.into(),));
        } else {
            args.push(quote!(#id: #t));
            inits.push(quote!(#id,));
        }
    };
    for (p, is_file) in &required_fields {
        push_required(p, *is_file, &mut args, &mut inits);
    }
    for (p, is_file) in &all_fields {
        let id = ident(&p.field);
        let t = &p.ty.tokens;
        if p.required {
            struct_fields.push(quote!(#id: #t,));
            continue;
        }
        struct_fields.push(quote!(#id: Option<#t>,));
        inits.push(quote!(#id: None,));
        let mut doc = p.doc.clone();
        if doc.is_empty() {
            doc.line(format!("Sets {}.", code(&p.wire)));
        }
        let d = doc.tokens();
        let (arg, val) = if *is_file {
            (quote!(value: impl Into<FilePart>), quote!(value.into()))
        } else if p.ty.string {
            (quote!(value: impl Into<String>), quote!(value.into()))
        } else {
            (quote!(value: #t), quote!(value))
        };
        setters.push(quote! {
            #d
            pub fn #id(mut self, #arg) -> Self {
                self.#id = Some(#val);
                self
            }
        });
    }
    match (&body_kind, &body_field) {
        (BodyKind::Json { ty, required }, Some(name)) => {
            let id = ident(name);
            let t = &ty.tokens;
            if *required {
                struct_fields.push(quote!(#id: #t,));
                args.push(quote!(#id: #t));
                inits.push(quote!(#id,));
            } else {
                struct_fields.push(quote!(#id: Option<#t>,));
                inits.push(quote!(#id: None,));
                setters.push(quote! {
                    /// Sets the request body.
                    pub fn #id(mut self, value: #t) -> Self {
                        self.#id = Some(value);
                        self
                    }
                });
            }
        }
        (BodyKind::Bytes { required, .. }, Some(name)) => {
            imports.add("connector_runtime::bytes::Bytes");
            let id = ident(name);
            if *required {
                struct_fields.push(quote!(#id: Bytes,));
                args.push(quote!(#id: impl Into<Bytes>));
                inits.push(quote!(#id: #id.into(),));
            } else {
                struct_fields.push(quote!(#id: Option<Bytes>,));
                inits.push(quote!(#id: None,));
                setters.push(quote! {
                    /// Sets the request body.
                    pub fn #id(mut self, value: impl Into<Bytes>) -> Self {
                        self.#id = Some(value.into());
                        self
                    }
                });
            }
        }
        _ => {}
    }

    // Building the runtime request.
    let op_id = &op.id;
    let template = &op.path;
    let http_method = ident(op.method.as_str());
    let mut build: Vec<TokenStream> = Vec::new();
    for p in &params {
        build.push(param_statement(p, imports));
    }
    let mut fallible = false;
    match (&body_kind, &body_field) {
        (BodyKind::Json { required, .. }, Some(name)) => {
            fallible = true;
            let id = ident(name);
            build.push(if *required {
                quote!(request.json(&self.#id)?;)
            } else {
                quote! {
                    if let Some(body) = &self.#id {
                        request.json(body)?;
                    }
                }
            });
        }
        (BodyKind::Bytes { media, required }, Some(name)) => {
            let id = ident(name);
            build.push(if *required {
                quote!(request.bytes(#media, self.#id.clone());)
            } else {
                quote! {
                    if let Some(body) = &self.#id {
                        request.bytes(#media, body.clone());
                    }
                }
            });
        }
        (BodyKind::Form { multipart }, _) if form_fields.is_empty() => {
            imports.add("connector_runtime::Form");
            build.push(quote!(request.form(Form::new(#multipart));));
        }
        (BodyKind::Form { multipart }, _) => {
            imports.add("connector_runtime::Form");
            let mut stmts = vec![quote!(let mut form = Form::new(#multipart);)];
            for (is_file, p) in &form_fields {
                let id = ident(&p.field);
                let wire = &p.wire;
                stmts.push(match (is_file, p.required, p.list.is_some()) {
                    (true, true, _) => quote!(form.file(#wire, self.#id.clone());),
                    (true, false, _) => quote! {
                        if let Some(file) = &self.#id {
                            form.file(#wire, file.clone());
                        }
                    },
                    (false, true, true) => {
                        quote!(form.field(#wire, Request::join(&self.#id, connector_runtime::CollectionFormat::Csv));)
                    }
                    (false, false, true) => quote! {
                        if let Some(values) = &self.#id {
                            form.field(#wire, Request::join(values, connector_runtime::CollectionFormat::Csv));
                        }
                    },
                    (false, true, false) => quote!(form.field(#wire, &self.#id);),
                    (false, false, false) => quote!(form.field_opt(#wire, self.#id.as_ref());),
                });
            }
            stmts.push(quote!(request.form(form);));
            build.push(quote!(#(#stmts)*));
        }
        _ => {}
    }

    let (output, decoder) = match &decode {
        Decode::Json(t) => {
            let t = &t.tokens;
            (quote!(#t), quote!(decode::json))
        }
        Decode::Text => (quote!(String), quote!(decode::text)),
        Decode::Bytes => {
            imports.add("connector_runtime::bytes::Bytes");
            (quote!(Bytes), quote!(decode::bytes))
        }
        Decode::Empty => (quote!(()), quote!(decode::empty)),
    };

    let new_request = quote!(Request::new(#op_id, Method::#http_method, #template));
    let simple = build.is_empty() && !fallible;
    if !simple {
        build.insert(0, quote!(let mut request = #new_request;));
    }
    let builder_id = ident(builder);
    let method_id = ident(method);
    let (request_fn, sent_request) = if fallible {
        (
            quote! {
                fn request(&self) -> Result<Request, Error> {
                    #(#build)*
                    Ok(request)
                }
            },
            quote!(self.request()),
        )
    } else {
        (
            if simple {
                quote! {
                    fn request(&self) -> Request {
                        #new_request
                    }
                }
            } else {
                quote! {
                    fn request(&self) -> Request {
                        #(#build)*
                        request
                    }
                }
            },
            quote!(Ok(self.request())),
        )
    };

    // Paging helpers.
    let paging = op.pageable.as_ref().map(|pg| {
        imports.add("connector_runtime::NextLink");
        imports.add("connector_runtime::futures::stream::BoxStream");
        let item = page_item(op, &pg.item_name, builder, space);
        if item.named {
            imports.add("super::types");
        }
        let item_t = item.tokens;
        let items_name = &pg.item_name;
        let next = match &pg.next_link_name {
            Some(n) => quote!(Some(#n)),
            None => quote!(None),
        };
        let first = if fallible {
            quote! {
                let request = match self.request() {
                    Ok(request) => request,
                    Err(error) => return Box::pin(connector_runtime::futures::stream::once(async move { Err(error) })),
                };
            }
        } else {
            quote!(let request = self.request();)
        };
        quote! {
            /// Every item across all pages, fetching the next page as the stream is polled.
            pub fn items(self) -> BoxStream<'static, Result<#item_t, Error>> {
                #first
                self.client.runtime().items(request, NextLink::new(#next, #items_name))
            }

            /// Every page, one at a time.
            pub fn pages(self) -> BoxStream<'static, Result<connector_runtime::Page<#item_t>, Error>> {
                #first
                self.client.runtime().pages(request, NextLink::new(#next, #items_name))
            }
        }
    });

    let signature = Signature {
        required: required_fields
            .iter()
            .map(|(p, _)| (p.wire.clone(), p.field.clone(), p.ty.clone()))
            .collect(),
        optional: all_fields
            .iter()
            .filter(|(p, is_file)| !p.required && !is_file)
            .map(|(p, _)| (p.wire.clone(), p.field.clone(), p.ty.clone()))
            .collect(),
        needs_body: required_fields.iter().any(|(_, is_file)| *is_file)
            || matches!(
                body_kind,
                BodyKind::Json { required: true, .. } | BodyKind::Bytes { required: true, .. }
            ),
        fallible,
        preview: lifecycle::is_preview(op),
        deprecated: op.lifecycle.deprecated,
    };
    let trigger = crate::triggers::generate(
        op,
        ctx.connector,
        builder,
        &decode,
        fallible,
        space,
        imports,
    );

    // Docs.
    let mut doc = Doc::new();
    doc.text(op.summary.as_deref());
    doc.text(op.description.as_deref());
    lifecycle::doc_lines(op, successor, &mut doc);
    trigger.doc(&mut doc);
    crate::platform::operation_doc(op, ctx.connector, &mut doc);
    doc.line(format!(
        "Sends `{} {}` (operation {}).",
        op.method.as_str(),
        op.path.replace('`', "'"),
        code(&op.id)
    ));
    if op.pageable.is_some() {
        doc.line(format!(
            "Paged: use [`{builder}::items`] or [`{builder}::pages`] to follow next links."
        ));
    }
    if let Some(err) = op.error_response().and_then(|r| r.schema.as_ref()) {
        if let SchemaKind::Ref(name) = &err.kind {
            let t = space
                .type_for(err, name)
                .tokens
                .to_string()
                .replace(' ', "");
            doc.line(format!(
                "On an error status the server's body decodes with `error.decode_body::<{t}>()`."
            ));
        }
    }
    let d = doc.tokens();
    let method_attrs = lifecycle::method_attrs(op, successor);
    let item_attrs = lifecycle::item_attrs(op);
    let builder_doc = if setters.is_empty() {
        format!(
            " Request builder for [`Client::{method}`]: `.send().await` for the full response or `.await` for the body."
        )
    } else {
        format!(
            " Request builder for [`Client::{method}`]: set optional parameters, then `.send().await` for the full response or `.await` for the body."
        )
    };

    let method_item = quote! {
        #d
        #method_attrs
        pub fn #method_id(&self, #(#args),*) -> #builder_id {
            #builder_id {
                #(#inits)*
            }
        }
    };
    let builder_item = quote! {
        #[doc = #builder_doc]
        #(#item_attrs)*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder_id {
            #(#struct_fields)*
        }

        #(#item_attrs)*
        impl #builder_id {
            #(#setters)*

            #request_fn

            /// Sends the request; resolves to the full response, its body decoded into `data`.
            pub fn send(self) -> ResponseFuture<#output> {
                self.client.runtime().send(#sent_request, #decoder)
            }

            #paging

            #trigger
        }

        #(#item_attrs)*
        impl IntoFuture for #builder_id {
            type Output = Result<#output, Error>;
            type IntoFuture = BodyFuture<#output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send().into_body()
            }
        }
    };
    (method_item, builder_item, signature)
}

fn param_statement(p: &ParamField, imports: &mut Imports) -> TokenStream {
    let id = ident(&p.field);
    let wire = &p.wire;
    let format = p.list.map(|f| {
        let v = ident(match f {
            CollectionFormat::Csv => "Csv",
            CollectionFormat::Ssv => "Ssv",
            CollectionFormat::Tsv => "Tsv",
            CollectionFormat::Pipes => "Pipes",
            CollectionFormat::Multi => "Multi",
        });
        quote!(connector_runtime::CollectionFormat::#v)
    });
    let _ = imports;
    if let Some(default) = &p.default {
        let call = match p.location {
            ParamLocation::Path if p.double => quote!(path_param_double),
            ParamLocation::Path => quote!(path_param),
            ParamLocation::Header | ParamLocation::Cookie => quote!(header),
            ParamLocation::Query => quote!(query),
        };
        return quote! {
            match &self.#id {
                Some(value) => request.#call(#wire, value),
                None => request.#call(#wire, #default),
            };
        };
    }
    match (p.location, p.required, &format) {
        (ParamLocation::Path, _, None) => {
            if p.double {
                quote!(request.path_param_double(#wire, &self.#id);)
            } else {
                quote!(request.path_param(#wire, &self.#id);)
            }
        }
        (ParamLocation::Path, _, Some(f)) => {
            if p.double {
                quote!(request.path_param_double(#wire, Request::join(&self.#id, #f));)
            } else {
                quote!(request.path_param(#wire, Request::join(&self.#id, #f));)
            }
        }
        (ParamLocation::Query, true, None) => quote!(request.query(#wire, &self.#id);),
        (ParamLocation::Query, false, None) => quote!(request.query_opt(#wire, self.#id.as_ref());),
        (ParamLocation::Query, true, Some(f)) => quote!(request.query_list(#wire, &self.#id, #f);),
        (ParamLocation::Query, false, Some(f)) => quote! {
            if let Some(values) = &self.#id {
                request.query_list(#wire, values, #f);
            }
        },
        (ParamLocation::Header, true, None) => quote!(request.header(#wire, &self.#id);),
        (ParamLocation::Header, false, None) => {
            quote!(request.header_opt(#wire, self.#id.as_ref());)
        }
        (ParamLocation::Header, true, Some(f)) => {
            quote!(request.header(#wire, Request::join(&self.#id, #f));)
        }
        (ParamLocation::Header, false, Some(f)) => quote! {
            if let Some(values) = &self.#id {
                request.header(#wire, Request::join(values, #f));
            }
        },
        (ParamLocation::Cookie, required, f) => {
            let value = match f {
                Some(f) => quote!(Request::join(v, #f)),
                None => quote!(connector_runtime::ParamValue::to_param(v)),
            };
            let prefix = format!("{wire}=");
            if required {
                quote! {
                    let v = &self.#id;
                    request.header("Cookie", format!("{}{}", #prefix, #value));
                }
            } else {
                quote! {
                    if let Some(v) = &self.#id {
                        request.header("Cookie", format!("{}{}", #prefix, #value));
                    }
                }
            }
        }
    }
}

/// The field type of a parameter: values that cannot travel as text become JSON values.
fn param_type(
    schema: &Schema,
    hint: &str,
    format: CollectionFormat,
    space: &mut TypeSpace<'_>,
) -> (TypeRef, Option<CollectionFormat>) {
    let resolved = space.resolve(schema).clone();
    if let SchemaKind::Array(items) = &resolved.kind {
        let element = if space.is_param_capable(items, 0) {
            space.type_for(items, &format!("{hint} Item"))
        } else {
            space.type_for(&Schema::default(), hint)
        };
        let t = &element.tokens;
        let ty = TypeRef {
            tokens: quote!(Vec<#t>),
            named: element.named,
            string: false,
        };
        return (ty, Some(format));
    }
    if space.is_param_capable(schema, 0) {
        (space.type_for(schema, hint), None)
    } else {
        (space.type_for(&Schema::default(), hint), None)
    }
}

fn is_json(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.contains("json") || m == "*/*"
}

fn body_kind(op: &Operation, builder: &str, space: &mut TypeSpace<'_>) -> BodyKind {
    let Some(body) = &op.body else {
        return BodyKind::None;
    };
    match &body.content {
        BodyContent::Form { multipart, .. } => BodyKind::Form {
            multipart: *multipart,
        },
        BodyContent::Binary => BodyKind::Bytes {
            media: body.media_type.clone(),
            required: body.required,
        },
        BodyContent::Schema(schema) if crate::dynamic::is_dynamic_schema(schema, space) => {
            BodyKind::Json {
                ty: space.type_for(&Schema::default(), builder),
                required: body.required,
            }
        }
        BodyContent::Schema(schema) => {
            let resolved = space.resolve(schema);
            let raw = matches!(resolved.kind, SchemaKind::String(StringFormat::Binary))
                || (!is_json(&body.media_type) && matches!(resolved.kind, SchemaKind::String(_)));
            if raw {
                BodyKind::Bytes {
                    media: body.media_type.clone(),
                    required: body.required,
                }
            } else {
                let ty = space.type_for(schema, &format!("{builder} Body"));
                BodyKind::Json {
                    ty,
                    required: body.required,
                }
            }
        }
    }
}

fn decode_kind(op: &Operation, builder: &str, space: &mut TypeSpace<'_>) -> Decode {
    let Some(response) = op.success_response() else {
        return Decode::Empty;
    };
    let Some(schema) = &response.schema else {
        return Decode::Empty;
    };
    let media = response.media_type.as_deref().unwrap_or("application/json");
    let resolved = space.resolve(schema);
    if matches!(resolved.kind, SchemaKind::String(StringFormat::Binary)) {
        return Decode::Bytes;
    }
    if is_json(media) && crate::dynamic::is_dynamic_schema(schema, space) {
        return Decode::Json(space.type_for(&Schema::default(), builder));
    }
    if !is_json(media) {
        let m = media.to_ascii_lowercase();
        if m.starts_with("text/") || m.contains("xml") || m.contains("html") {
            return Decode::Text;
        }
        return Decode::Bytes;
    }
    Decode::Json(space.type_for(schema, &format!("{builder} Response")))
}

fn page_item(op: &Operation, item_name: &str, builder: &str, space: &mut TypeSpace<'_>) -> TypeRef {
    let schema = op
        .success_response()
        .and_then(|r| r.schema.as_ref())
        .map(|s| space.resolve(s).clone());
    let items = schema.and_then(|s| match s.kind {
        SchemaKind::Object(obj) => obj
            .properties
            .into_iter()
            .find(|p| p.name == item_name)
            .and_then(|p| match space.resolve(&p.schema).kind.clone() {
                SchemaKind::Array(items) => Some(*items),
                _ => None,
            }),
        _ => None,
    });
    match items {
        Some(items) => space.type_for(&items, &format!("{builder} Item")),
        None => space.type_for(&Schema::default(), builder),
    }
}
