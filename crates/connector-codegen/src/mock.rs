//! The `mock` module of a generated crate (behind its `mock` cargo feature): per
//! operation, a function named like its `Client` method returning a typed mock builder —
//! a setter per path, query, header and cookie parameter, typed like the client's and
//! encoded by the same runtime code, and typed responders for the declared responses.
//! The matching and serving live in `connector_runtime::mock`; what is emitted here is
//! one-line calls into it.

use connector_spec::{CollectionFormat, Operation, ParamLocation, SchemaKind, StatusCode};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{Doc, code};
use crate::imports::Imports;
use crate::names::{Namespace, ident};
use crate::plan::OperationPlan;
use crate::plan::request::{Decode, ParamField, RequestPlan};
use crate::render::Body;
use crate::runtime_paths as rt;
use crate::types::{TypeRef, TypeSpace};
use crate::versioning;

pub(crate) mod text_items;

/// Path of the mock module in the crate.
pub const MOCK: &str = "src/mock.rs";

/// Methods `connector_runtime::mock_operation!` gives every mock builder, which
/// setters must not take.
const SHARED_METHODS: &[&str] = &[
    "base_path",
    "and",
    "response_header",
    "respond",
    "respond_json",
    "respond_status",
    "respond_with",
    "respond_error",
    "respond_empty",
    "clone",
    "fmt",
];

/// What a mock builder's struct must be used for.
const MUST_USE: &str = "a mock does nothing until it responds and is mounted";

/// The doc of `respond_error`.
const ERROR_DOC: &str = "Responds `status` with the operation's error body, as the client's
`error.decode_body()` reads it.";

/// The mock builders, collected per operation as the request builders are built.
pub struct Mocks {
    /// Items built since the last [`Mocks::take_items`], text printed in place where
    /// the text printer can (see [`crate::render::text_items`]), tokens elsewhere.
    items: Vec<Body>,
    /// Imports the module needs.
    imports: Imports,
    /// Print items as text where the text printer can (else always as tokens).
    text: bool,
}

impl Default for Mocks {
    fn default() -> Self {
        Mocks {
            items: Vec::new(),
            imports: Imports::default(),
            text: true,
        }
    }
}

impl Mocks {
    /// Adds the mock function, builder and its methods of one operation; `outer` are the
    /// imports the operation's type expressions need (only those the mock names are
    /// used).
    pub fn add(
        &mut self,
        p: &OperationPlan<'_>,
        req: &RequestPlan,
        space: &mut TypeSpace<'_>,
        outer: &[&str],
    ) {
        self.imports.set_gated(p.preview);
        let error = error_type(p.op, space);
        // Request bodies and form fields are not matched, so their types may be unused.
        let runtime = [
            rt::METHOD.path(),
            rt::MOCK_REQUEST.path(),
            rt::REQUEST.path(),
            rt::COLLECTION_FORMAT.path(),
        ];
        let paths: Vec<&str> = std::iter::once("super::types")
            .chain(runtime)
            .chain(outer.iter().copied())
            .collect();
        // `types` is the module, named as a path prefix; the others are the last segment.
        let names: Vec<(&str, bool)> = paths
            .iter()
            .enumerate()
            .map(|(i, path)| match i {
                0 => ("types", true),
                _ => (path.rsplit("::").next().unwrap_or(path), false),
            })
            .collect();
        let mut found = vec![false; names.len()];
        let text = match self.text {
            true => text_items::operation(p, req, error.as_ref())
                .and_then(|items| crate::render::text_items::print_items(&items)),
            false => None,
        };
        match text {
            Some(text) => {
                crate::render::text_items::mentioned(&text, &names, &mut found);
                match self.items.last_mut() {
                    Some(Body::Text(last)) => last.push_str(&text),
                    _ => self.items.push(Body::Text(text)),
                }
            }
            None => {
                let tokens = operation(p, req, error.as_ref());
                mentioned(&tokens, &names, &mut found);
                match self.items.last_mut() {
                    Some(Body::Tokens(last)) => last.extend(tokens),
                    _ => self.items.push(Body::Tokens(tokens)),
                }
            }
        }
        for (path, found) in paths.into_iter().zip(found) {
            if found {
                self.imports.add(path);
            }
        }
    }

    /// Print every item through tokens, never as text (the equivalence tests compare
    /// both ways).
    pub fn tokens_only(&mut self) {
        self.text = false;
    }

    /// The items built since the last call, in order: runs of text and of tokens.
    pub fn take_items(&mut self) -> Vec<Body> {
        std::mem::take(&mut self.items)
    }

    /// The head of `mock.rs`: module docs and imports.
    pub fn head(&self) -> TokenStream {
        let imports = self.imports.tokens();
        quote! {
            //! Typed mocks of every operation, for testing code that uses this crate without a
            //! network (the `mock` feature). `mock::<operation>()` returns a builder: set the
            //! parameters the request must carry (unset ones match anything), then respond with
            //! a typed body and `.mount(&server).await` the `wiremock::Mock` on a
            //! [`MockServer`](connector_runtime::mock::wiremock::MockServer) the client's base
            //! URL points at.
            #imports

            /// The mock server crate (`MockServer`, `ResponseTemplate`, matchers), re-exported
            /// so tests need no dependency of their own on it.
            pub use connector_runtime::mock::wiremock;
        }
    }
}

/// Whether `tokens` contain the identifier `name` (at any depth), as a path prefix
/// (`name::…`) when `prefix` is set — so a setter named `types` is not a use of the
/// `types` module.
#[cfg(test)]
fn mentions(tokens: &TokenStream, name: &str, prefix: bool) -> bool {
    let mut found = [false];
    mentioned(tokens, &[(name, prefix)], &mut found);
    found[0]
}

/// Sets `found[i]` when `tokens` mention `names[i]` as [`mentions`] tells, for every
/// name in one walk: iterating a token stream copies it, so a walk per name cost a copy
/// of the operation's tokens per import (3% of a large crate's instructions).
fn mentioned(tokens: &TokenStream, names: &[(&str, bool)], found: &mut [bool]) {
    let mut iter = tokens.clone().into_iter().peekable();
    while let Some(tt) = iter.next() {
        if found.iter().all(|f| *f) {
            return;
        }
        match tt {
            proc_macro2::TokenTree::Ident(id) => {
                let before_colon = matches!(
                    iter.peek(),
                    Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ':'
                );
                for ((name, prefix), found) in names.iter().zip(found.iter_mut()) {
                    if !*found && id == name && (!prefix || before_colon) {
                        *found = true;
                    }
                }
            }
            proc_macro2::TokenTree::Group(g) => mentioned(&g.stream(), names, found),
            _ => {}
        }
    }
}

/// The error body type of `op`, when its error response is a named schema.
fn error_type(op: &Operation, space: &mut TypeSpace<'_>) -> Option<TypeRef> {
    let schema = op.error_response()?.schema.as_ref()?;
    match &schema.kind {
        // The same call the operation's docs make, so no new type is created.
        SchemaKind::Ref(name) => Some(space.type_for(schema, name)),
        _ => None,
    }
}

/// The status a success responder answers with: the declared success code, else 200.
fn success_status(op: &Operation) -> u16 {
    match op.success_response().map(|r| r.status) {
        Some(StatusCode::Code(c)) => c,
        _ => 200,
    }
}

/// One operation's mock function, builder struct and methods.
fn operation(p: &OperationPlan<'_>, req: &RequestPlan, error: Option<&TypeRef>) -> TokenStream {
    let op = p.op;
    let attrs = versioning::item_attrs(op);
    let (fn_id, builder_id) = (ident(&p.method), ident(&p.builder));
    let (op_id, template) = (&op.id, &op.path);
    let http_method = ident(op.method.as_str());
    let mock_request = rt::MOCK_REQUEST.ident();
    let fn_doc = fn_doc(p).tokens();
    let struct_doc = struct_doc(p).tokens();
    let mut names = Namespace::with_reserved(SHARED_METHODS);
    let setters: Vec<TokenStream> = req
        .params
        .iter()
        .map(|f| setter(f, &names.claim(&f.field)))
        .collect();
    let responders = responders(op, req, error);
    quote! {
        #fn_doc
        #(#attrs)*
        pub fn #fn_id() -> #builder_id {
            let request = #mock_request::new(#op_id, Method::#http_method, #template);
            #builder_id(request)
        }

        #struct_doc
        #(#attrs)*
        #[derive(Debug, Clone)]
        #[must_use = #MUST_USE]
        pub struct #builder_id(#mock_request);

        #(#attrs)*
        connector_runtime::mock_operation!(#builder_id);

        #(#attrs)*
        impl #builder_id {
            #(#setters)*
            #responders
        }
    }
}

/// The doc of an operation's mock function.
fn fn_doc(p: &OperationPlan<'_>) -> Doc {
    let op = p.op;
    let mut doc = Doc::new();
    doc.line(format!(
        "Mocks [`Client::{m}`](super::Client::{m}) ({}): set the parameters to match, then respond.",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        m = p.method,
    ));
    doc
}

/// The doc of an operation's mock builder.
fn struct_doc(p: &OperationPlan<'_>) -> Doc {
    let mut doc = Doc::new();
    doc.line(format!(
        "Mock of [`Client::{}`](super::Client::{}), from [`{}`]: unset parameters match any value.",
        p.method, p.method, p.method
    ));
    doc
}

/// The doc of a parameter's setter.
fn setter_doc(p: &ParamField) -> Doc {
    let mut doc = p.doc.clone();
    if doc.is_empty() {
        doc.line(format!("Sets {}.", code(&p.wire)));
    }
    doc.line("Matches only requests carrying this value; any value when not set.");
    doc
}

/// The media type a text or bytes responder declares.
fn success_media(op: &Operation) -> String {
    op.success_response()
        .and_then(|r| r.media_type.clone())
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// The doc of a JSON `respond_with`.
fn json_doc(status: u16) -> Doc {
    let mut doc = Doc::new();
    doc.line(format!(
        "Responds `{status}` with `body` as JSON, serialized as the client decodes it."
    ));
    doc
}

/// The doc of a text or bytes `respond_with`.
fn media_doc(status: u16, op: &Operation) -> Doc {
    let mut doc = Doc::new();
    doc.line(format!(
        "Responds `{status}` with `body` as {}.",
        code(&success_media(op))
    ));
    doc
}

/// The doc of `respond_empty`.
fn empty_doc(status: u16) -> Doc {
    let mut doc = Doc::new();
    doc.line(format!("Responds `{status}` with no body."));
    doc
}

/// The `CollectionFormat::X` expression of a list parameter.
fn format_tokens(format: CollectionFormat) -> TokenStream {
    let v = ident(match format {
        CollectionFormat::Csv => "Csv",
        CollectionFormat::Ssv => "Ssv",
        CollectionFormat::Tsv => "Tsv",
        CollectionFormat::Pipes => "Pipes",
        CollectionFormat::Multi => "Multi",
    });
    let path = rt::COLLECTION_FORMAT.ident();
    quote!(#path::#v)
}

/// The setter of one parameter: typed as the client's, encoded by the runtime call the
/// client's `request()` makes for it.
fn setter(p: &ParamField, name: &str) -> TokenStream {
    let id = ident(name);
    let wire = &p.wire;
    let t = &p.ty.tokens;
    let (arg, value) = if p.ty.string {
        (
            quote!(value: impl Into<String>),
            quote!(Into::<String>::into(value)),
        )
    } else {
        (quote!(value: #t), quote!(value))
    };
    let request = rt::REQUEST.ident();
    let joined = p.list.map(|f| {
        let f = format_tokens(f);
        quote!(#request::join(&value, #f))
    });
    let call = match (p.location, &joined) {
        (ParamLocation::Path, _) => {
            let call = if p.double {
                quote!(path_param_double)
            } else {
                quote!(path_param)
            };
            let v = joined.clone().unwrap_or(value);
            quote!(request.#call(#wire, #v);)
        }
        (ParamLocation::Query, Some(_)) => {
            let f = format_tokens(p.list.unwrap_or_default());
            quote!(request.query_list(#wire, &value, #f);)
        }
        (ParamLocation::Query, None) => quote!(request.query(#wire, #value);),
        (ParamLocation::Header, _) => {
            let v = joined.clone().unwrap_or(value);
            quote!(request.header(#wire, #v);)
        }
        (ParamLocation::Cookie, _) => {
            let v = joined.clone().unwrap_or(value);
            quote!(request.cookie(#wire, #v);)
        }
    };
    let d = setter_doc(p).tokens();
    quote! {
        #d
        pub fn #id(mut self, #arg) -> Self {
            let request = &mut self.0;
            #call
            self
        }
    }
}

/// `respond_with` (or `respond_empty`) for the success response and `respond_error` for
/// a named error body.
fn responders(op: &Operation, req: &RequestPlan, error: Option<&TypeRef>) -> TokenStream {
    let code_ = success_status(op);
    let status = proc_macro2::Literal::u16_unsuffixed(code_);
    let mock = quote!(wiremock::Mock);
    let media = success_media(op);
    let success = match &req.decode {
        Decode::Json(t) => {
            let t = borrowed(&t.tokens);
            let doc = json_doc(code_).tokens();
            quote! {
                #doc
                pub fn respond_with(self, body: #t) -> #mock {
                    self.0.respond_json(#status, body)
                }
            }
        }
        Decode::Text => {
            let doc = media_doc(code_, op).tokens();
            quote! {
                #doc
                pub fn respond_with(self, body: &str) -> #mock {
                    self.0.respond_text(#status, #media, body)
                }
            }
        }
        Decode::Bytes => {
            let doc = media_doc(code_, op).tokens();
            quote! {
                #doc
                pub fn respond_with(self, body: impl Into<Vec<u8>>) -> #mock {
                    self.0.respond_bytes(#status, #media, body)
                }
            }
        }
        Decode::Empty => {
            let doc = empty_doc(code_).tokens();
            quote! {
                #doc
                pub fn respond_empty(self) -> #mock {
                    self.0.respond_empty(#status)
                }
            }
        }
    };
    let error = error.map(|e| {
        let t = borrowed(&e.tokens);
        let mut doc = Doc::new();
        doc.line(ERROR_DOC);
        let doc = doc.tokens();
        quote! {
            #doc
            pub fn respond_error(self, status: u16, body: #t) -> #mock {
                self.0.respond_json(status, body)
            }
        }
    });
    quote!(#success #error)
}

/// How a responder borrows a body of type `ty`: `&T`, or `&[T]` for `Vec<T>` (what
/// `clippy::ptr_arg` asks for, and what a caller's array or vector both give).
fn borrowed(ty: &TokenStream) -> TokenStream {
    if let Ok(syn::Type::Path(path)) = syn::parse2::<syn::Type>(ty.clone())
        && path.qself.is_none()
        && path.path.segments.len() == 1
        && let Some(segment) = path.path.segments.first()
        && segment.ident == "Vec"
        && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
        && let [syn::GenericArgument::Type(item)] = args.args.iter().collect::<Vec<_>>()[..]
    {
        return quote!(&[#item]);
    }
    quote!(&#ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_borrowed_as_slices_and_the_rest_by_reference() {
        let text = |t: TokenStream| borrowed(&t).to_string();
        assert_eq!(text(quote!(Vec<types::Task>)), "& [types :: Task]");
        assert_eq!(text(quote!(types::Task)), "& types :: Task");
        assert_eq!(
            text(quote!(BTreeMap<String, Vec<i64>>)),
            "& BTreeMap < String , Vec < i64 >>"
        );
    }

    #[test]
    fn long_constructor_signatures_are_laid_out_as_rustfmt_does() {
        let body =
            "    let request = MockRequest::new(\"Op\", Method::GET, \"/\");\n    X(request)\n}\n";
        // `pub fn name() -> Ret` fits in 100 columns: only the brace moves.
        let (name, ret) = ("a".repeat(42), "B".repeat(45));
        let text = format!("pub fn {name}() -> {ret} {{\n{body}");
        let expected = format!("pub fn {name}() -> {ret}\n{{\n{body}");
        assert_eq!(crate::layout::finish(&text), expected);
        // It does not: the line breaks before `->`.
        let (name, ret) = ("a".repeat(50), "B".repeat(50));
        let text = format!("pub fn {name}() -> {ret} {{\n{body}");
        let expected = format!("pub fn {name}()\n-> {ret} {{\n{body}");
        assert_eq!(crate::layout::finish(&text), expected);
    }

    #[test]
    fn one_walk_finds_each_name_as_a_walk_per_name_does() {
        let tokens = quote!(
            fn f(x: Vec<types::Task>, r: Request) -> Method {
                let y: DateTime = types;
                { CollectionFormat::Csv }
            }
        );
        let names = [
            ("types", true),
            ("Request", false),
            ("Method", false),
            ("CollectionFormat", false),
            ("MockRequest", false),
            ("Date", false),
            ("DateTime", false),
        ];
        let mut found = [false; 7];
        mentioned(&tokens, &names, &mut found);
        let one_by_one: Vec<bool> = names
            .iter()
            .map(|(name, prefix)| mentions(&tokens, name, *prefix))
            .collect();
        assert_eq!(found.to_vec(), one_by_one);
        assert_eq!(found, [true, true, true, true, false, false, true]);
    }

    #[test]
    fn mentions_finds_identifiers_inside_groups_only_as_whole_names() {
        let tokens = quote!(
            fn f(x: Vec<types::Task>) {
                let y: DateTime;
            }
        );
        assert!(mentions(&tokens, "types", true));
        assert!(mentions(&tokens, "DateTime", false));
        assert!(!mentions(&tokens, "Date", false));
        assert!(!mentions(&tokens, "BTreeMap", false));
        let setter = quote!(
            pub fn types(mut self, value: i64) -> Self {
                self
            }
        );
        assert!(!mentions(&setter, "types", true));
        assert!(mentions(&setter, "types", false));
    }
}
