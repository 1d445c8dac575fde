//! One method per operation on `Client`, and one request builder type per operation:
//! required parameters are method arguments, optional ones chained setters; `.send()`
//! gives the runtime's `Response<T>`, awaiting the builder gives `T`. Reads the plan
//! ([`crate::plan`]); the trigger, dynamic-helper and platform-doc emitters add their
//! parts.

mod client_method;

use connector_spec::SchemaKind;
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::ident;
use crate::plan::request::{self, BodyKind, Decode, ParamField, RequestPlan};
use crate::plan::{OperationPlan, Plan};
use crate::render::Body;
use crate::render::text_items::type_text;
use crate::request_statements;
use crate::runtime_paths as rt;
use crate::types::TypeSpace;
use crate::versioning;

/// The head of the generated `operations.rs` (the builders come in batches from
/// [`Builders`]).
pub struct Operations {
    /// `impl Client` with a method per operation (text where the text printer could
    /// print every method), unless there are no operations.
    pub client_impl: Option<Body>,
    /// The items after `impl Client` and before the request builders: the
    /// dynamic-value helpers.
    pub items: Vec<TokenStream>,
    /// Imports the module needs.
    pub imports: Imports,
    /// The head of the `mock` module (its builders come in batches from
    /// [`Builders::take_mocks`]).
    pub mock_head: TokenStream,
}

/// Request builders per batch [`Builders`] hands out: enough that a batch is worth
/// a printing job, few enough that printing starts early.
const BUILDER_BATCH: usize = 16;

/// Builds the request builders in batches, in document order, and last the head that
/// needs every operation.
#[derive(Default)]
pub struct Builders {
    /// The next operation to build.
    next: usize,
    imports: Imports,
    /// The `Client` method of each operation built.
    methods: Vec<Body>,
    /// Every item through tokens, none printed as text.
    tokens_only: bool,
    /// How each operation built is called.
    signatures: Vec<request::Signature>,
    /// The mock builder of each operation built (the crate's `mock` feature).
    mocks: crate::mock::Mocks,
}

impl Builders {
    /// The next [`BUILDER_BATCH`] request builders with the type items built since the
    /// last batch; `None` once every operation is built.
    pub fn next_batch(
        &mut self,
        plan: &Plan<'_>,
        space: &mut TypeSpace<'_>,
    ) -> Option<(TokenStream, Vec<TokenStream>)> {
        let connector = plan.connector;
        let mut builders = Vec::new();
        while let Some(p) = plan.operations.get(self.next) {
            self.next += 1;
            self.imports.set_gated(p.preview);
            space.imports.set_gated(false);
            let req = request::request(p, &plan.names.methods, connector, space);
            let text = !self.tokens_only;
            let (m, b) = operation(p, &req, plan, space, &mut self.imports, text);
            let outer = space.take_outer_imports();
            for path in &outer {
                self.imports.add(path);
            }
            self.mocks.add(p, &req, space, &outer);
            self.signatures.push(req.signature);
            self.methods.push(m);
            builders.push(b);
            if builders.len() == BUILDER_BATCH {
                break;
            }
        }
        (!builders.is_empty()).then(|| (quote!(#(#builders)*), space.take_items()))
    }

    /// The mock builders built since the last call, in order (empty when none).
    pub fn take_mocks(&mut self) -> Vec<crate::render::Body> {
        self.mocks.take_items()
    }

    /// Print the mock builders through tokens only (see [`crate::mock::Mocks::tokens_only`]).
    pub fn tokens_only(&mut self) {
        self.tokens_only = true;
        self.mocks.tokens_only();
    }

    /// The head of `operations.rs`, once every batch is out.
    pub fn finish(mut self, plan: &Plan<'_>) -> Operations {
        let imports = &mut self.imports;
        imports.set_gated(false);
        let helpers = crate::dynamic::helpers(plan, &self.signatures, imports);
        let methods = std::mem::take(&mut self.methods);
        let mut items = Vec::new();
        let client_impl = (!methods.is_empty()).then(|| {
            // `impl Client` stays even when every method in it is preview-gated.
            imports.add("super::Client");
            match self.tokens_only {
                false => client_method::client_impl(methods),
                true => {
                    // With `tokens_only`, `operation` builds every method as tokens.
                    let methods = methods.into_iter().filter_map(|m| match m {
                        Body::Tokens(t) => Some(t),
                        Body::Text(_) => None,
                    });
                    Body::Tokens(quote!(impl Client { #(#methods)* }))
                }
            }
        });
        if !helpers.is_empty() {
            items.push(quote! {
                /// Dynamic values and schemas (`x-ms-dynamic-*`): what the definition's designer
                /// would offer, fetched from the operations it names.
                impl Client {
                    #(#helpers)*
                }
            });
        }
        Operations {
            client_impl,
            items,
            imports: self.imports,
            mock_head: self.mocks.head(),
        }
    }
}

/// The `Client` method and the request builder of one operation.
pub(crate) fn operation(
    p: &OperationPlan<'_>,
    req: &RequestPlan,
    plan: &Plan<'_>,
    space: &mut TypeSpace<'_>,
    imports: &mut Imports,
    text: bool,
) -> (Body, TokenStream) {
    let op = p.op;
    imports.add("super::Client");
    for item in [
        rt::ERROR,
        rt::METHOD,
        rt::REQUEST,
        rt::BODY_FUTURE,
        rt::RESPONSE_FUTURE,
        rt::DECODE,
    ] {
        imports.runtime(item);
    }
    imports.add("std::future::IntoFuture");
    if req.form_fields.iter().any(|f| f.is_file) {
        imports.runtime(rt::FILE_PART);
    }
    if req
        .form_fields
        .iter()
        .chain(&req.params)
        .any(|f| f.list.is_some())
    {
        imports.runtime(rt::COLLECTION_FORMAT);
    }
    if req.uses_types {
        imports.add("super::types");
    }
    let fields = BuilderFields::new(req, op);
    let (output, decoder) = decoded(&req.decode, imports);
    let request_fn = request_fn(p, req, imports);
    let sent_request = if req.fallible {
        quote!(self.request())
    } else {
        quote!(Ok(self.request()))
    };
    let paging = req
        .paging
        .as_ref()
        .map(|pg| crate::paging::methods(pg, req.fallible, imports));
    let trigger = crate::triggers::generate(p, &req.trigger, req.fallible, imports);
    if fields.uses_bytes {
        imports.runtime(rt::BYTES);
    }

    let mut doc = Doc::new();
    doc.text(op.summary.as_deref());
    doc.text(op.description.as_deref());
    versioning::doc_lines(op, p.successor.as_ref(), &mut doc);
    trigger.doc(&mut doc);
    crate::platform::operation_doc(op, plan.connector, &mut doc);
    let builder = &p.builder;
    doc.line(format!(
        "Sends `{} {}` (operation {}).",
        op.method.as_str(),
        op.path.replace('`', "'"),
        code(&op.id)
    ));
    if let Some(pageable) = &op.pageable {
        doc.line(crate::paging::doc_line(op, pageable, builder));
    }
    if let Some(err) = op.error_response().and_then(|r| r.schema.as_ref())
        && let SchemaKind::Ref(name) = &err.kind
    {
        let t = space
            .type_for(err, name)
            .tokens
            .to_string()
            .replace(' ', "");
        doc.line(format!(
            "On an error status the server's body decodes with `error.decode_body::<{t}>()`."
        ));
    }
    let item_attrs = versioning::item_attrs(op);
    let builder_id = ident(builder);
    let method_id = ident(&p.method);
    let text_method = match (text, &fields.args_text) {
        (true, Some(args)) => client_method::ClientMethod {
            doc: &doc,
            attrs: versioning::method_attr_lines(op, p.successor.as_ref()),
            method: &method_id.to_string(),
            builder: &builder_id.to_string(),
            args: args.clone(),
            inits: fields.inits_text.clone(),
        }
        .print(),
        _ => None,
    };
    let BuilderFields {
        struct_fields,
        args,
        inits,
        setters,
        ..
    } = fields;
    let method = &p.method;
    let builder_doc = if setters.is_empty() {
        format!(
            " Request builder for [`Client::{method}`]: `.send().await` for the full response or `.await` for the body."
        )
    } else {
        format!(
            " Request builder for [`Client::{method}`]: set optional parameters, then `.send().await` for the full response or `.await` for the body."
        )
    };
    let method_item = match text_method {
        Some(text) => Body::Text(text),
        None => {
            let d = doc.tokens();
            let method_attrs = versioning::method_attrs(op, p.successor.as_ref());
            Body::Tokens(quote! {
                #d
                #method_attrs
                pub fn #method_id(&self, #(#args),*) -> #builder_id {
                    #builder_id {
                        #(#inits)*
                    }
                }
            })
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
    (method_item, builder_item)
}

/// The builder's struct fields, the method's arguments and initializers, and setters.
struct BuilderFields {
    struct_fields: Vec<TokenStream>,
    args: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    setters: Vec<TokenStream>,
    uses_bytes: bool,
    /// `args` as printed, unless a type is one the text printer does not spell.
    args_text: Option<Vec<String>>,
    /// `inits` as printed, without their commas.
    inits_text: Vec<String>,
}

impl BuilderFields {
    fn new(req: &RequestPlan, op: &connector_spec::Operation) -> Self {
        let mut f = BuilderFields {
            struct_fields: vec![quote!(client: Client,)],
            args: Vec::new(),
            inits: vec![quote!(client: self.clone(),)],
            setters: Vec::new(),
            uses_bytes: false,
            args_text: Some(Vec::new()),
            inits_text: vec!["client: self.clone()".to_owned()],
        };
        for p in req.required_fields(op) {
            let id = ident(&p.field);
            let t = &p.ty.tokens;
            if p.is_file {
                f.args.push(quote!(#id: impl Into<FilePart>));
                f.inits.push(quote!(#id: #id.into(),));
                f.text_arg(
                    format!("{id}: impl Into<FilePart>"),
                    format!("{id}: {id}.into()"),
                );
            } else if p.ty.string {
                f.args.push(quote!(#id: impl Into<String>));
                f.inits.push(quote!(#id: #id.into(),));
                f.text_arg(
                    format!("{id}: impl Into<String>"),
                    format!("{id}: {id}.into()"),
                );
            } else {
                f.args.push(quote!(#id: #t));
                f.inits.push(quote!(#id,));
                let arg = type_text(t).map(|t| format!("{id}: {t}"));
                f.text_arg_or_decline(arg, id.to_string());
            }
        }
        for p in req.fields() {
            f.field(p);
        }
        f.body(req);
        f
    }

    /// A method argument and its initializer, as printed.
    fn text_arg(&mut self, arg: String, init: String) {
        self.text_arg_or_decline(Some(arg), init);
    }

    /// [`BuilderFields::text_arg`]; `None`: the argument's type has no text.
    fn text_arg_or_decline(&mut self, arg: Option<String>, init: String) {
        match (arg, &mut self.args_text) {
            (Some(arg), Some(args)) => args.push(arg),
            _ => self.args_text = None,
        }
        self.inits_text.push(init);
    }

    /// A parameter's struct field, and its setter when optional.
    fn field(&mut self, p: &ParamField) {
        let id = ident(&p.field);
        let t = &p.ty.tokens;
        if p.required {
            self.struct_fields.push(quote!(#id: #t,));
            return;
        }
        self.struct_fields.push(quote!(#id: Option<#t>,));
        self.inits.push(quote!(#id: None,));
        self.inits_text.push(format!("{id}: None"));
        let mut doc = p.doc.clone();
        if doc.is_empty() {
            doc.line(format!("Sets {}.", code(&p.wire)));
        }
        let d = doc.tokens();
        let (arg, val) = if p.is_file {
            (quote!(value: impl Into<FilePart>), quote!(value.into()))
        } else if p.ty.string {
            (quote!(value: impl Into<String>), quote!(value.into()))
        } else {
            (quote!(value: #t), quote!(value))
        };
        self.setters.push(quote! {
            #d
            pub fn #id(mut self, #arg) -> Self {
                self.#id = Some(#val);
                self
            }
        });
    }

    /// The body's struct field, argument or setter.
    fn body(&mut self, req: &RequestPlan) {
        let Some(name) = &req.body_field else { return };
        let id = ident(name);
        let (t, required, into) = match &req.body {
            BodyKind::Json { ty, required } => (ty.tokens.clone(), *required, false),
            BodyKind::Bytes { required, .. } => {
                self.uses_bytes = true;
                (quote!(Bytes), *required, true)
            }
            _ => return,
        };
        if required {
            self.struct_fields.push(quote!(#id: #t,));
            let t_text = type_text(&t);
            if into {
                self.args.push(quote!(#id: impl Into<#t>));
                self.inits.push(quote!(#id: #id.into(),));
                let arg = t_text.map(|t| format!("{id}: impl Into<{t}>"));
                self.text_arg_or_decline(arg, format!("{id}: {id}.into()"));
            } else {
                self.args.push(quote!(#id: #t));
                self.inits.push(quote!(#id,));
                let arg = t_text.map(|t| format!("{id}: {t}"));
                self.text_arg_or_decline(arg, id.to_string());
            }
            return;
        }
        self.struct_fields.push(quote!(#id: Option<#t>,));
        self.inits.push(quote!(#id: None,));
        self.inits_text.push(format!("{id}: None"));
        self.setters.push(if into {
            quote! {
                /// Sets the request body.
                pub fn #id(mut self, value: impl Into<#t>) -> Self {
                    self.#id = Some(value.into());
                    self
                }
            }
        } else {
            quote! {
                /// Sets the request body.
                pub fn #id(mut self, value: #t) -> Self {
                    self.#id = Some(value);
                    self
                }
            }
        });
    }
}

/// The output type and decoder of the success body.
fn decoded(decode: &Decode, imports: &mut Imports) -> (TokenStream, TokenStream) {
    match decode {
        Decode::Json(t) => {
            let t = &t.tokens;
            (quote!(#t), quote!(decode::json))
        }
        Decode::Text => (quote!(String), quote!(decode::text)),
        Decode::Bytes => {
            imports.runtime(rt::BYTES);
            (quote!(Bytes), quote!(decode::bytes))
        }
        Decode::Empty => (quote!(()), quote!(decode::empty)),
    }
}

/// `fn request(&self)`: the runtime request from the builder's fields.
fn request_fn(p: &OperationPlan<'_>, req: &RequestPlan, imports: &mut Imports) -> TokenStream {
    let op = p.op;
    let (op_id, template) = (&op.id, &op.path);
    let http_method = ident(op.method.as_str());
    let mut build: Vec<TokenStream> = req
        .accept
        .iter()
        .map(|media| quote!(request.accept(#media);))
        .collect();
    build.extend(req.params.iter().map(request_statements::param_statement));
    build.extend(request_statements::body_statement(req, imports));
    let new_request = quote!(Request::new(#op_id, Method::#http_method, #template));
    if req.fallible {
        return quote! {
            fn request(&self) -> Result<Request, Error> {
                let mut request = #new_request;
                #(#build)*
                Ok(request)
            }
        };
    }
    if build.is_empty() {
        return quote! {
            fn request(&self) -> Request {
                #new_request
            }
        };
    }
    quote! {
        fn request(&self) -> Request {
            let mut request = #new_request;
            #(#build)*
            request
        }
    }
}
