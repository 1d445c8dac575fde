//! The contract harness crate (`connector-gen harness`): the generated client in
//! `client/`, a `main.rs` calling every operation once with representative arguments
//! synthesised from the model ([`sample`]), the declared responses as JSON Schema in
//! `schemas.json` ([`json_schema`]) and a fixed runner that checks each response the
//! way a contract tester checks a server and writes the report.
//!
//! The harness's calls go through the client's own methods with the client's own
//! types, so a request the server's validator rejects is a serialization bug of the
//! client, and a body the server sends that does not decode is a type bug.

mod json_schema;
mod sample;

use connector_spec::{BodyContent, Connector, ParamLocation, SecurityScheme, StatusCode};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value, json};

use crate::imports::Imports;
use crate::names::ident;
use crate::output::{GeneratedCrate, GeneratedFile};
use crate::plan::request::{self, BodyKind, RequestPlan};
use crate::plan::{OperationPlan, Plan};
use crate::types::TypeSpace;
use crate::{GenerateError, Generator, RuntimeDependency, render};
use json_schema::{Converter, Flavour};

/// The runner every harness crate carries unchanged.
const RUNNER: &str = include_str!("runner.rs.txt");

/// Where the client crate goes inside the harness crate.
const CLIENT_DIR: &str = "client";

impl Generator {
    /// Generate the contract harness crate for `connector`: a binary calling every
    /// operation of the generated client (written into `client/`) against
    /// `--base-url`, checking each response and writing a JSON report. The runtime
    /// dependency is relative to the harness crate's folder.
    pub fn generate_harness(&self, connector: &Connector) -> Result<GeneratedCrate, GenerateError> {
        let config = self.resolved_config()?;
        let runtime = self.runtime_dependency(config.as_deref());
        let mut client_gen = self.clone();
        client_gen.runtime = Some(match &runtime {
            RuntimeDependency::Path(p) if !is_absolute(p) => {
                RuntimeDependency::Path(format!("../{p}"))
            }
            other => other.clone(),
        });
        let client = client_gen.generate(connector)?;
        let client_ident = client.name.replace('-', "_");
        let plan = Plan::new(connector);
        let calls = calls(connector, &plan);
        let main = main_rs(connector, &plan, &calls, &client_ident);
        let main = render::rust_file("src/main.rs", main)?;
        let header = render::header(connector, "//");
        let mut files: Vec<GeneratedFile> = client
            .files
            .into_iter()
            .map(|f| GeneratedFile::new(&format!("{CLIENT_DIR}/{}", f.path), f.contents))
            .collect();
        files.push(GeneratedFile::new(
            "src/main.rs",
            format!("{header}\n{main}"),
        ));
        files.push(GeneratedFile::new(
            "src/runner.rs",
            format!("{header}\n{RUNNER}"),
        ));
        let schemas = schemas_json(connector);
        files.push(GeneratedFile::new(
            "schemas.json",
            serde_json::to_string_pretty(&schemas).unwrap_or_default() + "\n",
        ));
        let name = format!("{}-harness", client.name);
        let preview = plan.operations.iter().any(|p| p.preview);
        files.push(GeneratedFile::new(
            "Cargo.toml",
            cargo_toml(connector, &name, &client.name, &runtime, preview),
        ));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(GeneratedCrate {
            name,
            files,
            recorded: Default::default(),
        })
    }
}

fn is_absolute(p: &str) -> bool {
    std::path::Path::new(p).is_absolute()
}

fn cargo_toml(
    connector: &Connector,
    name: &str,
    client: &str,
    runtime: &RuntimeDependency,
    preview: bool,
) -> String {
    let toml = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let runtime = runtime.toml_value();
    let features = if preview {
        ", features = [\"preview\"]"
    } else {
        ""
    };
    format!(
        "{header}\n[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         description = \"Contract harness: calls every operation of the generated client and checks the responses\"\n\
         publish = false\n\n[dependencies]\n{client} = {{ path = \"{CLIENT_DIR}\"{features} }}\n\
         connector-runtime = {runtime}\n\
         # Response bodies are checked against the declared schemas; no remote references.\n\
         jsonschema = {{ version = \"0.61\", default-features = false }}\n\
         tokio = {{ version = \"1\", features = [\"rt\"] }}\n",
        header = render::header(connector, "#"),
        name = toml(name),
    )
}

/// One planned call: the operation and how it is made, or why it is not.
struct Call {
    id: String,
    method: String,
    path: String,
    body: Result<TokenStream, String>,
}

/// Every operation's call, in document order. Types are planned exactly as the client
/// generator plans them (same order, same namespace), so the names agree.
fn calls(connector: &Connector, plan: &Plan<'_>) -> Vec<Call> {
    let mut space = TypeSpace::new(connector);
    while space.next_named_batch().is_some() {}
    let mut imports = Imports::default();
    let mut out = Vec::new();
    for p in &plan.operations {
        imports.set_gated(p.preview);
        space.imports.set_gated(false);
        let req = request::request(p, &plan.names.methods, connector, &mut space);
        let _ = crate::operations::operation(p, &req, plan, &mut space, &mut imports, false);
        space.take_outer_imports();
        space.take_items();
        let body = if p.webhook.is_some() {
            Err("webhook subscription: the harness serves no callback URL".to_owned())
        } else {
            Ok(call_tokens(connector, p, &req))
        };
        out.push(Call {
            id: p.op.id.clone(),
            method: p.op.method.as_str().to_owned(),
            path: p.op.path.clone(),
            body,
        });
    }
    out
}

fn json_literal(v: &Value) -> Literal {
    Literal::string(&serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
}

/// `client.method(args…).setter(value)….send().await?;`
fn call_tokens(connector: &Connector, p: &OperationPlan<'_>, req: &RequestPlan) -> TokenStream {
    let op = p.op;
    let form_fields = match op.body.as_ref().map(|b| &b.content) {
        Some(BodyContent::Form { fields, .. }) => fields.as_slice(),
        _ => &[],
    };
    let value_of = |field: &request::ParamField| -> Value {
        let is_form = req.form_fields.iter().any(|f| std::ptr::eq(f, field));
        if is_form {
            form_fields
                .iter()
                .find(|f| f.name == field.wire)
                .map_or(Value::Null, |f| sample::value(&f.schema, connector))
        } else {
            op.parameters
                .iter()
                .find(|q| q.name == field.wire && q.location == field.location)
                .map_or(Value::Null, |q| sample::parameter(q, connector))
        }
    };
    let mut args = Vec::new();
    for field in req.required_fields(op) {
        if field.is_file {
            args.push(quote!(runner::file()));
            continue;
        }
        let t = &field.ty.tokens;
        let json = json_literal(&value_of(field));
        args.push(quote!(runner::arg::<#t>(#json)?));
    }
    match &req.body {
        BodyKind::Json { ty, required: true } => {
            let schema = match op.body.as_ref().map(|b| &b.content) {
                Some(BodyContent::Schema(s)) => sample::body(s, connector),
                _ => json!({}),
            };
            let t = &ty.tokens;
            let json = json_literal(&schema);
            args.push(quote!(runner::arg::<#t>(#json)?));
        }
        BodyKind::Bytes { required: true, .. } => {
            args.push(quote!(connector_runtime::bytes::Bytes::from_static(
                b"connector-gen harness"
            )));
        }
        _ => {}
    }
    // A required form whose fields are all optional would go out empty, which a
    // validator reads as no body at all (Twilio's token endpoint): fill its fields.
    let fill_form = op.body.as_ref().is_some_and(|b| b.required)
        && !form_fields.is_empty()
        && form_fields.iter().all(|f| !f.required);
    let mut setters = Vec::new();
    for field in req.fields().filter(|f| !f.required && !f.is_file) {
        let has_test_value = op.parameters.iter().any(|q| {
            q.name == field.wire && q.location == field.location && q.test_value.is_some()
        });
        let form_to_fill = fill_form && req.form_fields.iter().any(|f| std::ptr::eq(f, field));
        if !has_test_value && !form_to_fill {
            continue;
        }
        let setter = ident(&field.field);
        let t = &field.ty.tokens;
        let json = json_literal(&value_of(field));
        setters.push(quote!(.#setter(runner::arg::<#t>(#json)?)));
    }
    let method = ident(&p.method);
    quote! {
        client.#method(#(#args),*) #(#setters)* .send().await?;
    }
}

fn main_rs(connector: &Connector, _plan: &Plan<'_>, calls: &[Call], client: &str) -> TokenStream {
    let client = ident(client);
    let ops = calls.iter().map(|c| {
        let (id, method, path) = (&c.id, &c.method, &c.path);
        let skip = match &c.body {
            Ok(_) => quote!(None),
            Err(reason) => quote!(Some(#reason)),
        };
        quote!(Operation { id: #id, method: #method, path: #path, skip: #skip },)
    });
    let arms = calls.iter().filter_map(|c| {
        let id = &c.id;
        c.body.as_ref().ok().map(|body| quote!(#id => { #body }))
    });
    let auth = auth_statements(connector);
    let doc = format!(
        " Contract harness for `{}`: calls every operation once against `--base-url`, checks \
         each response against the definition and writes a JSON report (`--report`).",
        crate::text::inline(&connector.title).replace('`', "'")
    );
    quote! {
        #![doc = #doc]
        #![allow(deprecated, unused_imports, unused_variables, unused_mut, unreachable_code)]
        #![allow(clippy::all)]

        mod runner;

        use std::collections::BTreeMap;

        use #client::types;
        use connector_runtime::bytes::Bytes;
        use connector_runtime::{Auth, ClientBuilder, Date, DateTime, FilePart, serde_json};
        use runner::{CallError, Operation};

        /// Every operation of the definition, in document order.
        const OPERATIONS: &[Operation] = &[#(#ops)*];

        /// The declared responses as JSON Schema.
        const SCHEMAS: &str = include_str!("../schemas.json");

        fn main() -> std::process::ExitCode {
            runner::main(OPERATIONS, SCHEMAS, auth, |runtime, id| {
                call(#client::Client::from_runtime(runtime), id)
            })
        }

        /// Placeholder credentials for every declared security scheme, from
        /// `HARNESS_CREDENTIAL_<SCHEME>` when set.
        fn auth(mut b: ClientBuilder) -> ClientBuilder {
            #(#auth)*
            b
        }

        /// Calls operation `id` once with representative arguments.
        async fn call(client: #client::Client, id: &'static str) -> Result<(), CallError> {
            match id {
                #(#arms)*
                other => return Err(CallError::Argument(format!("no call for {other}"))),
            }
            Ok(())
        }
    }
}

fn auth_statements(connector: &Connector) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut token_auth = false;
    for (scheme, s) in &connector.security_schemes {
        let cred = quote!(runner::credential(#scheme));
        match s {
            SecurityScheme::ApiKey { name, location } => out.push(match location {
                ParamLocation::Query => quote!(b = b.default_query(#name, #cred);),
                ParamLocation::Cookie => {
                    quote!(b = b.default_header("Cookie", format!("{}={}", #name, #cred));)
                }
                _ => quote!(b = b.redact_header(#name).default_header(#name, #cred);),
            }),
            SecurityScheme::Basic if !token_auth => {
                token_auth = true;
                out.push(quote!(b = b.auth(Auth::basic("harness", #cred));));
            }
            SecurityScheme::Bearer | SecurityScheme::OAuth2 { .. } if !token_auth => {
                token_auth = true;
                out.push(quote!(b = b.auth(Auth::bearer(#cred));));
            }
            _ => {}
        }
    }
    out
}

/// `{"defs", "strict_defs", "operations": {id: [{status, media_type, schema, strict}]}}`.
fn schemas_json(connector: &Connector) -> Value {
    let conv = Converter::new(connector);
    let mut operations = Map::new();
    for op in &connector.operations {
        let responses: Vec<Value> = op
            .responses
            .iter()
            .map(|r| {
                let status = match r.status {
                    StatusCode::Code(c) => c.to_string(),
                    StatusCode::Range(d) => format!("{d}XX"),
                    StatusCode::Default => "default".to_owned(),
                };
                let schema = r.schema.as_ref();
                let required_headers: Vec<&str> = r
                    .headers
                    .iter()
                    .filter(|(_, required)| *required)
                    .map(|(name, _)| name.as_str())
                    .collect();
                json!({
                    "status": status,
                    "media_type": r.media_type,
                    "headers": required_headers,
                    "schema": schema.map(|s| conv.convert(s, Flavour::Conformance)),
                    "strict": schema.map(|s| conv.convert(s, Flavour::Strict)),
                })
            })
            .collect();
        operations.insert(op.id.clone(), Value::Array(responses));
    }
    json!({
        "defs": conv.defs(Flavour::Conformance),
        "strict_defs": conv.defs(Flavour::Strict),
        "operations": operations,
    })
}

#[cfg(test)]
mod tests {
    use crate::Generator;
    use connector_spec::Connector;

    /// The connector of a small inline definition, for the harness modules' tests: a
    /// Swagger 2.0 JSON one when it opens with `{`, else a YAML one.
    pub(super) fn load(def: &str) -> Connector {
        let name = if def.trim_start().starts_with('{') {
            "apiDefinition.swagger.json"
        } else {
            "t.yaml"
        };
        connector_spec::Loader::new()
            .load_bytes(name, def.as_bytes(), None)
            .expect("loads")
            .connector
    }

    /// A required form whose fields are all optional (Twilio's `CreateOauth2Token`) is
    /// sent with its fields set: an empty form reads as no body to a validator.
    #[test]
    fn a_required_form_of_optional_fields_is_filled() {
        let def = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /token:
    post:
      operationId: CreateToken
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                grant_type: { type: string }
                scope: { type: string }
      responses:
        "200": { description: ok }
"##;
        let c = load(def);
        let harness = Generator::new()
            .crate_name("t")
            .generate_harness(&c)
            .expect("generates");
        let main = &harness.file("src/main.rs").expect("main.rs").contents;
        assert!(
            main.contains(".grant_type(") && main.contains(".scope("),
            "both optional fields are set:\n{main}"
        );
    }
}
