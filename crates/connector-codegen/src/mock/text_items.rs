//! One operation's mock function, builder and methods as [`TextItem`]s: the same items
//! [`super::operation`] builds as tokens, described as lines of code, so they print
//! without syn and prettyplease (see [`crate::render::text_items`]). A test generates
//! crates both ways and compares them byte for byte.

use connector_spec::{CollectionFormat, ParamLocation};

use crate::docs::Doc;
use crate::names::{Namespace, ident};
use crate::plan::OperationPlan;
use crate::plan::request::{Decode, ParamField, RequestPlan};
use crate::render::text_items::{Signature, Stmt, TextFn, TextItem, type_text};
use crate::runtime_paths as rt;
use crate::types::TypeRef;
use crate::versioning;

/// The items of [`super::operation`], as text items; `None` when a type is one the
/// text printer does not spell.
pub(super) fn operation(
    p: &OperationPlan<'_>,
    req: &RequestPlan,
    error: Option<&TypeRef>,
) -> Option<Vec<TextItem>> {
    let op = p.op;
    let attrs: Vec<String> = versioning::item_attr_lines(op)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let (fn_id, builder) = (name(&p.method), name(&p.builder));
    let mock_request = rt::MOCK_REQUEST.name();
    let mut names = Namespace::with_reserved(super::SHARED_METHODS);
    let mut methods = Vec::with_capacity(req.params.len() + 2);
    for f in &req.params {
        methods.push(setter(f, &names.claim(&f.field))?);
    }
    responders(op, req, error, &mut methods)?;
    let constructor = Stmt::Call {
        head: format!("let request = {mock_request}::new"),
        args: vec![
            literal(&op.id),
            format!("Method::{}", name(op.method.as_str())),
            literal(&op.path),
        ],
        tail: ";".to_owned(),
    };
    let mut struct_attrs = attrs.clone();
    struct_attrs.push("#[derive(Debug, Clone)]".to_owned());
    struct_attrs.push(format!("#[must_use = {}]", literal(super::MUST_USE)));
    Some(vec![
        TextItem::Fn(TextFn {
            doc: super::fn_doc(p),
            attrs: attrs.clone(),
            signature: signature(format!("pub fn {fn_id}"), &[], format!(" -> {builder}")),
            body: vec![constructor, Stmt::Line(format!("{builder}(request)"))],
        }),
        TextItem::Line {
            doc: super::struct_doc(p),
            attrs: struct_attrs,
            line: format!("pub struct {builder}({mock_request});"),
        },
        TextItem::Line {
            doc: Doc::new(),
            attrs: attrs.clone(),
            line: format!("connector_runtime::mock_operation!({builder});"),
        },
        TextItem::Impl {
            attrs,
            head: builder,
            methods,
        },
    ])
}

/// A function's signature.
fn signature(head: String, params: &[String], tail: String) -> Signature {
    Signature {
        head,
        params: params.to_vec(),
        tail,
    }
}

/// An identifier as its token prints.
fn name(text: &str) -> String {
    ident(text).to_string()
}

/// A string literal as its token prints.
fn literal(value: &str) -> String {
    crate::text::literal(value).to_string()
}

/// `CollectionFormat::X`.
fn format_text(format: CollectionFormat) -> String {
    let v = match format {
        CollectionFormat::Csv => "Csv",
        CollectionFormat::Ssv => "Ssv",
        CollectionFormat::Tsv => "Tsv",
        CollectionFormat::Pipes => "Pipes",
        CollectionFormat::Multi => "Multi",
    };
    format!("{}::{v}", rt::COLLECTION_FORMAT.name())
}

/// [`super::setter`] as a text function.
fn setter(p: &ParamField, setter_name: &str) -> Option<TextFn> {
    let id = name(setter_name);
    let wire = literal(&p.wire);
    let (arg, value) = if p.ty.string {
        (
            "value: impl Into<String>".to_owned(),
            "Into::<String>::into(value)".to_owned(),
        )
    } else {
        (
            format!("value: {}", type_text(&p.ty.tokens)?),
            "value".to_owned(),
        )
    };
    let joined = p
        .list
        .map(|f| format!("{}::join(&value, {})", rt::REQUEST.name(), format_text(f)));
    let call = match (p.location, &joined) {
        (ParamLocation::Path, _) => {
            let call = if p.double {
                "path_param_double"
            } else {
                "path_param"
            };
            let v = joined.unwrap_or(value);
            format!("request.{call}({wire}, {v});")
        }
        (ParamLocation::Query, Some(_)) => {
            let f = format_text(p.list.unwrap_or_default());
            format!("request.query_list({wire}, &value, {f});")
        }
        (ParamLocation::Query, None) => format!("request.query({wire}, {value});"),
        (ParamLocation::Header, _) => {
            let v = joined.unwrap_or(value);
            format!("request.header({wire}, {v});")
        }
        (ParamLocation::Cookie, _) => {
            let v = joined.unwrap_or(value);
            format!("request.cookie({wire}, {v});")
        }
    };
    Some(TextFn {
        doc: super::setter_doc(p),
        attrs: Vec::new(),
        signature: signature(
            format!("pub fn {id}"),
            &["mut self".to_owned(), arg],
            " -> Self".to_owned(),
        ),
        body: vec![
            Stmt::Line("let request = &mut self.0;".to_owned()),
            Stmt::Line(call),
            Stmt::Line("self".to_owned()),
        ],
    })
}

/// [`super::responders`] as text functions, pushed onto `methods`.
fn responders(
    op: &connector_spec::Operation,
    req: &RequestPlan,
    error: Option<&TypeRef>,
    methods: &mut Vec<TextFn>,
) -> Option<()> {
    let status = super::success_status(op);
    let mock = "wiremock::Mock";
    let media = literal(&super::success_media(op));
    let returns = format!(" -> {mock}");
    let responder = |name: &str, params: &[String]| {
        signature(format!("pub fn {name}"), params, returns.clone())
    };
    let (doc, signature, body) = match &req.decode {
        Decode::Json(t) => (
            super::json_doc(status),
            responder(
                "respond_with",
                &[
                    "self".to_owned(),
                    format!("body: {}", type_text(&super::borrowed(&t.tokens))?),
                ],
            ),
            format!("self.0.respond_json({status}, body)"),
        ),
        Decode::Text => (
            super::media_doc(status, op),
            responder(
                "respond_with",
                &["self".to_owned(), "body: &str".to_owned()],
            ),
            format!("self.0.respond_text({status}, {media}, body)"),
        ),
        Decode::Bytes => (
            super::media_doc(status, op),
            responder(
                "respond_with",
                &["self".to_owned(), "body: impl Into<Vec<u8>>".to_owned()],
            ),
            format!("self.0.respond_bytes({status}, {media}, body)"),
        ),
        Decode::Empty => (
            super::empty_doc(status),
            responder("respond_empty", &["self".to_owned()]),
            format!("self.0.respond_empty({status})"),
        ),
    };
    methods.push(TextFn {
        doc,
        attrs: Vec::new(),
        signature,
        body: vec![Stmt::Line(body)],
    });
    if let Some(e) = error {
        let mut doc = Doc::new();
        doc.line(super::ERROR_DOC);
        methods.push(TextFn {
            doc,
            attrs: Vec::new(),
            signature: responder(
                "respond_error",
                &[
                    "self".to_owned(),
                    "status: u16".to_owned(),
                    format!("body: {}", type_text(&super::borrowed(&e.tokens))?),
                ],
            ),
            body: vec![Stmt::Line("self.0.respond_json(status, body)".to_owned())],
        });
    }
    Some(())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    use connector_spec::Connector;

    use crate::plan::{Plan, request};
    use crate::render::text_items::print_items;
    use crate::types::TypeSpace;

    /// For each operation of `connector`: its mock items printed from tokens by
    /// prettyplease, and printed as text (`None`: declined).
    fn both_ways(connector: &Connector) -> Vec<(String, Option<String>)> {
        let plan = Plan::new(connector);
        let mut space = TypeSpace::new(connector);
        let mut out = Vec::new();
        for p in &plan.operations {
            let req = request::request(p, &plan.names.methods, connector, &mut space);
            let error = super::super::error_type(p.op, &mut space);
            let tokens = super::super::operation(p, &req, error.as_ref());
            let file = syn::parse2::<syn::File>(tokens).expect("mock tokens parse");
            let text = super::operation(p, &req, error.as_ref()).and_then(|i| print_items(&i));
            out.push((prettyplease::unparse(&file), text));
        }
        out
    }

    pub(crate) fn load(relative: &str) -> Connector {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        connector_spec::load(&path).expect("loads").connector
    }

    pub(crate) fn load_text(name: &str, text: &str) -> Connector {
        connector_spec::Loader::new()
            .load_bytes(name, text.as_bytes(), None)
            .expect("loads")
            .connector
    }

    /// What the text printers are checked over: our specs, the hostile definition and
    /// the widths document, each with the name an assertion reports.
    pub(crate) fn text_printing_inputs() -> Vec<(String, Connector)> {
        let mut inputs: Vec<(String, Connector)> = [
            "../../specs/acme-tickets",
            "../../specs/contoso-sales",
            "../../specs/contoso-tasks",
            "../../specs/lifecycle-demo",
            "../../tests/fixtures/hostile",
        ]
        .into_iter()
        .map(|p| (p.to_owned(), load(p)))
        .collect();
        inputs.push(("widths".to_owned(), load_text("w.json", &widths_document())));
        inputs
    }

    /// An OpenAPI document whose operations have names and paths of every width
    /// around prettyplease's margin, parameters of every location and list format,
    /// and each kind of response.
    pub(crate) fn widths_document() -> String {
        let mut paths = Vec::new();
        for n in 0..48 {
            // Names of 3 to 40 columns and paths of 2 to 96, in different cycles.
            let name = format!("op{n}{}", "w".repeat(n * 7 % 38));
            let segment = "s".repeat(2 * n);
            paths.push(format!(
                r##""/{segment}/{{{name}}}": {{ "get": {{
                    "operationId": "{name}",
                    "parameters": [
                        {{ "name": "{name}", "in": "path", "required": true, "schema": {{ "type": "string" }} }},
                        {{ "name": "q{name}", "in": "query", "schema": {{ "type": "array", "items": {{ "type": "integer" }} }}, "style": "pipeDelimited", "explode": false }},
                        {{ "name": "h{name}", "in": "header", "schema": {{ "type": "integer" }} }},
                        {{ "name": "c{name}", "in": "cookie", "schema": {{ "type": "string" }} }}
                    ],
                    "responses": {{
                        "{status}": {{ "description": "ok", "content": {{ "{media}": {{ "schema": {schema} }} }} }},
                        "default": {{ "description": "error", "content": {{ "application/json": {{ "schema": {{ "$ref": "#/components/schemas/Problem" }} }} }} }}
                    }}
                }} }}"##,
                status = 200 + n % 3,
                media = ["application/json", "text/plain", "application/octet-stream"][n % 3],
                schema = [
                    r##"{ "type": "array", "items": { "$ref": "#/components/schemas/ProblemReportedByTheServerWhenTheRequestFails" } }"##,
                    r#"{ "type": "string" }"#,
                    r#"{ "type": "string", "format": "binary" }"#
                ][n % 3],
            ));
        }
        let schemas = [
            r#""Problem": { "type": "object", "properties": { "m": { "type": "string" } } }"#,
            r#""ProblemReportedByTheServerWhenTheRequestFails": { "type": "object" }"#,
        ];
        format!(
            r#"{{ "openapi": "3.0.3", "info": {{ "title": "Widths", "version": "1" }},
                "paths": {{ {} }}, "components": {{ "schemas": {{ {} }} }} }}"#,
            paths.join(","),
            schemas.join(",")
        )
    }

    #[test]
    fn each_mock_prints_as_text_exactly_as_its_tokens_print() {
        let connectors = text_printing_inputs();
        // Per input: printed as text, declined.
        let mut counts = Vec::new();
        for (name, connector) in &connectors {
            let (mut printed, mut declined) = (0, 0);
            for (tokens, text) in both_ways(connector) {
                match text {
                    Some(text) => {
                        assert_eq!(text, tokens, "{name}");
                        printed += 1;
                    }
                    None => declined += 1,
                }
            }
            counts.push((name.as_str(), printed, declined));
        }
        // Our specs and the hostile definition print as text; of the widths, the
        // widest are left to prettyplease.
        for (name, printed, declined) in counts {
            match name {
                "widths" => assert!(printed > 0 && declined > 0, "{printed} / {declined}"),
                _ => assert!(
                    printed > 0 && declined == 0,
                    "{name}: {printed} / {declined}"
                ),
            }
        }
    }

    #[test]
    fn a_call_too_wide_for_the_margin_is_broken_as_prettyplease_breaks_it() {
        let connector = load_text("w.json", &widths_document());
        let broken = both_ways(&connector)
            .into_iter()
            .filter_map(|(_, text)| text)
            .filter(|text| text.contains("let request = MockRequest::new(\n"))
            .count();
        assert!(broken > 0, "some constructors are broken over lines");
        let signatures = both_ways(&connector)
            .into_iter()
            .filter_map(|(_, text)| text)
            .filter(|text| text.contains("(\n        self,\n"))
            .count();
        assert!(
            signatures > 0,
            "some responder signatures are broken over lines"
        );
    }
}
