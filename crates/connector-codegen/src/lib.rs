//! Turns a normalized [`connector_spec::Connector`] into a typed Rust client crate.
//!
//! One small API serves every way of running the generator: the CLI, `cargo xtask
//! codegen`, and a downstream `build.rs`.
//!
//! ```no_run
//! use connector_codegen::Generator;
//!
//! let loaded = connector_spec::load("specs/contoso-sales".as_ref())?;
//! let generated = Generator::new()
//!     .crate_name("contoso-sales")
//!     .runtime_version("0.1")
//!     .generate(&loaded.connector)?;
//! generated.write_to("generated/contoso-sales".as_ref())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! In a `build.rs`, [`Generator::build_module`] writes one module file into `OUT_DIR`:
//!
//! ```no_run
//! // build.rs: the connector's folder, so `apiProperties.json` beside the definition is
//! // read too (connections, policies)
//! connector_codegen::Generator::new()
//!     .build_module("connector".as_ref(), "my_connector.rs")
//!     .expect("connector client generation failed");
//! // src/lib.rs:
//! // mod my_connector { include!(concat!(env!("OUT_DIR"), "/my_connector.rs")); }
//! ```
//!
//! A `connector-gen.toml` ([`config`]) shapes the output the same way for every entry
//! point: [`Generator::config_file`] or [`Generator::config`], and `build_module` finds
//! one beside the definition by itself. It can cut the crate to a few operations (also
//! [`Generator::operations`] / [`Generator::tags`]), rename or replace schema types and
//! add derives.
//!
//! [`GeneratedCrate::write_to`] never loses a file it did not write: it writes only into
//! an empty folder or one holding its marker ([`MARKER_FILE`]), which records the options
//! and the generated files.
//!
//! Output is deterministic: the same model gives byte-identical files.

// How a crate is generated: `plan` computes once per connector what each operation
// needs (names, versioning, trigger and webhook facts; per operation, in document order,
// its request shape). The emitters (`operations`, `dynamic`, `triggers`, `platform`,
// `metadata`, `client`, `connection`, `types`) read the plan and the model's typed
// fields (never raw extension JSON), name runtime items through `runtime_paths`, and hand
// out items; `code_pieces` sequences the typed modules' items lazily, and `render` alone
// places them in their files and prints them.
mod client;
mod code_pieces;
pub mod config;
mod connection;
mod customize;
mod docs;
mod dynamic;
mod error;
mod examples;
mod generator_options;
mod harness;
mod imports;
mod layout;
mod marker;
mod metadata;
mod mock;
pub mod names;
mod operations;
mod output;
mod paging;
mod plan;
mod platform;
mod render;
mod request_statements;
mod runtime_dependency;
mod runtime_paths;
mod subset;
mod templates;
mod text;
mod triggers;
mod types;
mod versioning;
mod webhooks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use connector_spec::Connector;
use proc_macro2::TokenStream;
use quote::quote;

pub use config::{ConfigError, ConnectorConfig, OperationFilter, RuntimeConfig};
pub use error::GenerateError;
pub use marker::{MARKER_FILE, Marker, RecordedOptions};
pub use output::{FileChange, GeneratedCrate, GeneratedFile, PlannedChange, WritePlan};
pub use render::GENERATOR_VERSION;
pub use runtime_dependency::RuntimeDependency;
pub use subset::SubsetReport;

/// Generates client crates from connector models. Cheap to build; reusable.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    crate_name: Option<String>,
    /// `None`: from the configuration file, else crates.io at this generator's version.
    runtime: Option<RuntimeDependency>,
    templates: Option<PathBuf>,
    config: Option<ConnectorConfig>,
    config_file: Option<PathBuf>,
    /// Operations to include, replacing the configuration's includes when not empty.
    operations: Vec<String>,
    tags: Vec<String>,
    paging: BTreeMap<String, String>,
    recorded: RecordedOptions,
    /// Print every item through tokens (see [`Generator::tokens_only`]).
    tokens_only: bool,
}

/// The crate's parts other than `operations` and `types`, which [`code_pieces`] hands
/// out as they are built.
struct CrateParts {
    crate_docs: TokenStream,
    client: TokenStream,
    connection: Option<connection::ConnectionModule>,
    metadata: TokenStream,
    preview_count: usize,
    examples: templates::Examples,
}

/// Lints the generated code opts out of: spec text in docs is free-form markdown, and
/// operations may have many required parameters.
fn allowed_lints() -> TokenStream {
    quote!(allow(
        clippy::too_many_arguments,
        clippy::result_large_err,
        clippy::large_enum_variant,
        clippy::doc_lazy_continuation,
        clippy::doc_overindented_list_items,
        clippy::tabs_in_doc_comments,
        clippy::empty_docs,
        clippy::needless_lifetimes,
        rustdoc::bare_urls,
        rustdoc::broken_intra_doc_links,
        rustdoc::invalid_html_tags,
        rustdoc::invalid_rust_codeblocks,
        rustdoc::unescaped_backticks
    ))
}

impl Generator {
    /// A generator with default settings: crate name from the API title, the runtime from
    /// crates.io at this generator's version, built-in templates.
    pub fn new() -> Self {
        Generator::default()
    }

    /// The crate's parts besides `operations` and `types`: crate docs, client,
    /// connection, metadata, and what the templates need.
    fn crate_parts(
        connector: &Connector,
        plan: &plan::Plan<'_>,
        subset: Option<&SubsetReport>,
    ) -> CrateParts {
        let mut doc = docs::Doc::new();
        doc.line(format!(
            "Typed client for {} (API version {}), generated by connector-gen.",
            docs::code(&connector.title),
            docs::code(&connector.version)
        ));
        doc.text(connector.description.as_deref());
        doc.line(
            "Start with [`Client::builder`]. Each operation is a method on [`Client`] \
             returning a request builder: `.send().await` gives the full [`Response`], \
             awaiting the builder gives the typed body.",
        );
        let connection = connection::generate(connector);
        platform::crate_docs(
            connector,
            &plan.names.methods,
            connection.as_ref().is_some_and(|c| c.connection),
            &mut doc,
        );
        if let Some(report) = subset {
            doc.line(subset_note(report));
        }
        if let Some(line) = webhooks::crate_doc_line(connector) {
            doc.line(line);
        }
        let preview_count = plan.operations.iter().filter(|p| p.preview).count();
        if preview_count > 0 {
            doc.line(format!(
                "{preview_count} operation(s) are in preview and compile only with the `preview` feature."
            ));
        }
        // The plan lists operations in document order, as `Examples::new` zips them.
        let methods: Vec<String> = plan.operations.iter().map(|p| p.method.clone()).collect();
        let examples = templates::Examples::new(
            connector,
            &methods,
            connection.as_ref().is_some_and(|c| c.connection),
        );
        CrateParts {
            crate_docs: doc.tokens(),
            client: client::generate(connector, connection.as_ref()),
            connection,
            metadata: metadata::generate(plan),
            preview_count,
            examples,
        }
    }

    /// The pieces of `lib.rs`, `client.rs`, `metadata.rs` and `connection.rs`.
    fn module_pieces(m: CrateParts) -> Vec<render::Piece> {
        let lints = allowed_lints();
        let doc_lines = inner_docs(&m.crate_docs);
        let (connection_mod, connection_use) = connection_items(m.connection.as_ref());
        let runtime_reexports = runtime_reexports();
        let connection_mod = connection_mod.map(|_| {
            quote! {
                mod connection;
            }
        });
        let mut pieces = vec![
            render::Piece::file(
                "src/lib.rs",
                quote! {
                    #(#doc_lines)*
                    #![#lints]

                    mod client;
                    #connection_mod
                    mod metadata;
                    /// Typed mocks of every operation for tests, over `wiremock` (the `mock` feature).
                    #[cfg(feature = "mock")]
                    pub mod mock;
                    pub mod operations;
                    pub mod types;

                    pub use client::{Client, ClientBuilder};
                    #connection_use
                    #runtime_reexports
                    pub use metadata::OPERATIONS;

                    /// The README's examples, compiled as doc tests.
                    #[cfg(doctest)]
                    #[doc = include_str!("../README.md")]
                    pub struct ReadmeDoctests;
                },
            ),
            render::Piece::file("src/client.rs", m.client),
            render::Piece::file("src/metadata.rs", m.metadata),
        ];
        if let Some(c) = m.connection {
            pieces.push(render::Piece::file("src/connection.rs", c.tokens));
        }
        pieces
    }

    /// Generate a whole crate in memory.
    pub fn generate(&self, connector: &Connector) -> Result<GeneratedCrate, GenerateError> {
        let config = self.resolved_config()?;
        let config = config.as_deref();
        let (connector, subset) = self.shaped(connector, config)?;
        let connector = connector.as_ref();
        let crate_name = self
            .crate_name
            .clone()
            .or_else(|| config.and_then(|c| c.package.name.as_deref().map(names::crate_name)))
            .unwrap_or_else(|| names::crate_name(&connector.title));
        let runtime = self.runtime_dependency(config);
        let header = render::header(connector, "//");
        // A few dozen items print faster in place than spread over threads.
        let large = connector.operations.len() + connector.schemas.len() >= 64;
        let plan = plan::Plan::new(connector);
        let parts = Self::crate_parts(connector, &plan, subset.as_ref());
        let (preview_count, examples) = (parts.preview_count, parts.examples.clone());
        let customizer = config.and_then(|c| customize::TypeCustomizer::new(&c.types));
        let pieces = code_pieces::CodePieces::new(connector, &plan)
            .customized(customizer)
            .tokens_only(self.tokens_only)
            .chain(Self::module_pieces(parts));
        let printed = render::rust_files_streaming(large, pieces)?;
        let mut files: Vec<GeneratedFile> = printed
            .into_iter()
            .map(|(path, body)| GeneratedFile::new(&path, format!("{header}\n{body}")))
            .collect();
        let context = templates::TemplateContext {
            header: render::header_lines(connector),
            crate_ident: crate_name.replace('-', "_"),
            crate_name: crate_name.clone(),
            version: config
                .and_then(|c| c.package.version.clone())
                .unwrap_or_else(|| cargo_version(&connector.version)),
            title: text::inline(&connector.title),
            api_version: text::inline(&connector.version),
            description: one_line(connector),
            runtime_dependency: runtime.toml_value(),
            operation_count: connector.operations.len(),
            preview_count,
            examples,
        };
        for name in ["Cargo.toml", "README.md"] {
            let text = templates::render(name, self.templates.as_deref(), &context)?;
            files.push(GeneratedFile::new(name, text));
        }
        if let Some(body) =
            examples::quickstart(&context.crate_ident, &connector.title, &context.examples)?
        {
            let path = examples::quickstart_path(&context.crate_ident);
            files.push(GeneratedFile::new(&path, format!("{header}\n{body}")));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(GeneratedCrate {
            name: crate_name,
            files,
            recorded: self.recorded.clone(),
        })
    }

    /// Generate one self-contained module file, for `include!` from a `build.rs`
    /// output. The including crate needs `connector-runtime`, `serde` (with `derive`) and
    /// `serde_json` as dependencies.
    pub fn generate_module(&self, connector: &Connector) -> Result<String, GenerateError> {
        let config = self.resolved_config()?;
        let config = config.as_deref();
        let (connector, subset) = self.shaped(connector, config)?;
        let connector = connector.as_ref();
        let plan = plan::Plan::new(connector);
        let m = Self::crate_parts(connector, &plan, subset.as_ref());
        let customizer = config.and_then(|c| customize::TypeCustomizer::new(&c.types));
        // The mock module is left out: a build.rs module has no `mock` feature.
        let pieces = code_pieces::CodePieces::new(connector, &plan)
            .customized(customizer)
            .filter(|p| p.file != mock::MOCK)
            .collect();
        let mut operations = TokenStream::new();
        let mut types = TokenStream::new();
        for (file, tokens) in render::join_pieces(pieces)? {
            // The mock module is left out: a build.rs module has no `mock` feature.
            if file == code_pieces::OPERATIONS {
                operations = tokens;
            } else if file == code_pieces::TYPES {
                types = tokens;
            }
        }
        // The module lives under the including crate's lints: besides the generated
        // code's usual allowances, `missing_docs`, as schema items the definition leaves
        // undocumented have nothing to say (prost's and tonic's output is included the
        // same way). The crate's own items keep the lint.
        let allowed = allowed_lints();
        let lints = quote!(#[#allowed] #[allow(missing_docs)]);
        let strip = |t: &TokenStream| strip_inner_docs(t);
        let client = &m.client;
        let metadata = &m.metadata;
        let (connection_tokens, connection_use) = connection_items(m.connection.as_ref());
        let runtime_reexports = runtime_reexports();
        let connection_mod = connection_tokens.map(|t| {
            let t = strip(&t);
            quote! {
                #lints
                mod connection { #t }
            }
        });
        let operations = strip(&operations);
        let types = strip(&types);
        let tokens = quote! {
            #lints
            mod client { #client }
            #connection_mod
            #lints
            mod metadata { #metadata }
            /// One request builder per operation.
            #lints
            pub mod operations { #operations }
            /// A type per schema of the definition.
            #lints
            pub mod types { #types }

            pub use client::{Client, ClientBuilder};
            #connection_use
            #runtime_reexports
            pub use metadata::OPERATIONS;
        };
        let body = render::rust_file("module", tokens)?;
        Ok(format!("{}\n{body}", render::header(connector, "//")))
    }

    /// For `build.rs`: load `definition` (a file or a Power Platform folder), generate a
    /// module, and write it to `$OUT_DIR/<file_name>`. Tells Cargo to rerun when the
    /// definition changes and prints load warnings as Cargo warnings.
    pub fn build_module(
        &self,
        definition: &Path,
        file_name: &str,
    ) -> Result<PathBuf, GenerateError> {
        println!("cargo:rerun-if-changed={}", definition.display());
        let discovered;
        let generator = if self.config.is_none() && self.config_file.is_none() {
            match ConnectorConfig::discover(definition) {
                Some(path) => {
                    discovered = self.clone().config_file(path);
                    &discovered
                }
                None => self,
            }
        } else {
            self
        };
        if let Some(path) = &generator.config_file {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let loaded = connector_spec::load(definition)?;
        for warning in &loaded.diagnostics {
            println!("cargo:warning={warning}");
        }
        let text = generator.generate_module(&loaded.connector)?;
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| GenerateError::Io {
                path: PathBuf::from("$OUT_DIR"),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "OUT_DIR is not set: build_module is meant for build.rs",
                ),
            })?;
        let path = out_dir.join(file_name);
        output::write_atomically(&path, text.as_bytes())?;
        Ok(path)
    }
}

/// The `connection` module's tokens and its `pub use` line, when it exists.
fn connection_items(
    module: Option<&connection::ConnectionModule>,
) -> (Option<TokenStream>, TokenStream) {
    let Some(m) = module else {
        return (None, quote!());
    };
    let exported: Vec<proc_macro2::Ident> =
        [(m.connection, "Connection"), (m.policies, "POLICIES")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| names::ident(n))
            .collect();
    let uses = if exported.len() == 1 {
        let n = &exported[0];
        quote!(pub use connection::#n;)
    } else {
        quote!(pub use connection::{#(#exported),*};)
    };
    (Some(m.tokens.clone()), uses)
}

/// `pub use` of the runtime items a generated crate re-exports, and the compile-time
/// check that the runtime it builds against speaks the support version this generator
/// emits (a mismatch fails with a message saying which side to upgrade).
fn runtime_reexports() -> TokenStream {
    let krate = runtime_paths::CRATE;
    let items = [
        runtime_paths::ERROR,
        runtime_paths::ERROR_CODE,
        runtime_paths::RESPONSE,
    ]
    .map(runtime_paths::RuntimePath::ident);
    let require = runtime_paths::REQUIRE_SUPPORT;
    let version = proc_macro2::Literal::u32_unsuffixed(runtime_paths::SUPPORT_VERSION);
    quote! {
        pub use #krate::{#(#items),*};

        const _: () = #require(#version);
    }
}

/// `#[doc = ".."]` attributes as inner `#![doc = ".."]` ones for a crate root.
fn inner_docs(docs: &TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut iter = docs.clone().into_iter().peekable();
    while let Some(tt) = iter.next() {
        if let proc_macro2::TokenTree::Punct(p) = &tt
            && p.as_char() == '#'
            && let Some(proc_macro2::TokenTree::Group(g)) = iter.next()
        {
            let inner = g.stream();
            out.push(quote!(#![#inner]));
        }
    }
    out
}

/// Remove `//!` module docs (inner attributes) from a module's tokens, for inline modules.
fn strip_inner_docs(tokens: &TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.clone().into_iter().peekable();
    while let Some(tt) = iter.next() {
        if let proc_macro2::TokenTree::Punct(p) = &tt
            && p.as_char() == '#'
            && let Some(proc_macro2::TokenTree::Punct(bang)) = iter.peek()
            && bang.as_char() == '!'
        {
            iter.next();
            iter.next();
            continue;
        }
        out.push(tt);
    }
    out.into_iter().collect()
}

/// The crate docs' note on a subset: what was left out and how to get it.
fn subset_note(report: &SubsetReport) -> String {
    format!(
        "This crate covers {} of the definition's {} operations: {} operation(s) and {} \
         type(s) they alone use are left out. To include more, regenerate with more \
         operationIds or tags in `--operations` / `--tags` or in the `[operations]` \
         section of `connector-gen.toml`.",
        report.kept,
        report.kept + report.left_out,
        report.left_out,
        report.schemas_left_out
    )
}

fn one_line(connector: &Connector) -> String {
    connector
        .description
        .as_deref()
        .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(|l| l.chars().take(200).collect::<String>())
        .map(|l| text::inline(&l))
        .unwrap_or_else(|| format!("Typed client for {}", text::inline(&connector.title)))
}

/// A Cargo version from the API version: `1.2` -> `1.2.0`; anything else -> `0.1.0`.
fn cargo_version(api: &str) -> String {
    let parts: Vec<&str> = api
        .trim()
        .trim_start_matches(['v', 'V'])
        .split('.')
        .take(3)
        .collect();
    let numeric: Option<Vec<u64>> = parts.iter().map(|p| p.parse::<u64>().ok()).collect();
    match numeric {
        Some(mut n) if !n.is_empty() => {
            n.resize(3, 0);
            format!("{}.{}.{}", n[0], n[1], n[2])
        }
        _ => "0.1.0".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_versions_are_semver() {
        assert_eq!(cargo_version("1.2"), "1.2.0");
        assert_eq!(cargo_version("v3"), "3.0.0");
        assert_eq!(cargo_version("2021-06-01"), "0.1.0");
        assert_eq!(cargo_version("1.0.0.1"), "1.0.0");
    }
}
