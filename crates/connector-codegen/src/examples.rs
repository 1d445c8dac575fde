//! `examples/<crate>_quickstart.rs` of a generated crate: a program that builds the
//! client, lists its operations and, when pointed at a server through environment
//! variables, makes one call. It needs no network by default, so it runs anywhere
//! (`cargo run --example <crate>_quickstart`), and it compiles with the crate's other
//! targets, so a generator change that breaks the public API a user starts from fails
//! the build.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::GenerateError;
use crate::templates::Examples;

/// Path of the example inside the crate. The crate's name is part of it: generated
/// crates often share a workspace, where examples of the same name collide.
pub fn quickstart_path(crate_ident: &str) -> String {
    format!("examples/{crate_ident}_quickstart.rs")
}

/// The example's source (without the generated-file header), or `None` when the crate
/// name is not a usable Rust identifier (Cargo refuses such a package anyway).
pub fn quickstart(
    crate_ident: &str,
    title: &str,
    examples: &Examples,
) -> Result<Option<String>, GenerateError> {
    let file = quickstart_path(crate_ident);
    let Ok(krate) = syn::parse_str::<syn::Ident>(crate_ident) else {
        return Ok(None);
    };
    let prefix = crate_ident.to_ascii_uppercase();
    let url_var = format!("{prefix}_BASE_URL");
    let mut docs = vec![
        format!(
            " Quickstart for the {} client: builds a client and lists its operations.",
            crate::docs::code(title)
        ),
        String::new(),
    ];
    let credential = examples.example_auth.as_deref().map(|setter| {
        let var = format!("{prefix}_{}", setter.to_ascii_uppercase());
        let setter = format_ident!("{}", setter);
        docs.push(format!(" `{var}`, when set, is passed to `.{setter}(…)`."));
        quote! {
            if let Ok(secret) = std::env::var(#var) {
                builder = builder.#setter(secret);
            }
        }
    });
    let call = match examples.example_method.as_deref() {
        Some(call) => {
            let expr = syn::parse_str::<syn::Expr>(&format!("client.{call}")).map_err(|e| {
                GenerateError::InvalidCode {
                    file: file.clone(),
                    message: e.to_string(),
                }
            })?;
            docs.push(format!(
                " With `{url_var}` set (e.g. to a local mock server), it also calls `{call}` there."
            ));
            Some((expr, call.to_owned()))
        }
        None => {
            docs.push(format!(
                " `{url_var}`, when set, replaces `Client::DEFAULT_BASE_URL`."
            ));
            None
        }
    };
    docs.extend([
        String::new(),
        format!(" Run it with `cargo run --example {crate_ident}_quickstart`."),
    ]);
    let client = if call.is_some() {
        quote!(client)
    } else {
        quote!(_client)
    };
    let call = call.map(|(expr, text)| {
        let name = text.split('(').next().unwrap_or(&text);
        let done = format!("{name}: HTTP {{status}} in {{duration:?}}");
        quote! {
            if std::env::var_os(#url_var).is_some() {
                let response = #expr.send().await?;
                let (status, duration) = (response.status, response.meta.duration);
                println!(#done);
            }
        }
    });
    let tokens: TokenStream = quote! {
        #(#![doc = #docs])*

        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let mut builder = #krate::Client::builder();
            if let Ok(url) = std::env::var(#url_var) {
                builder = builder.base_url(url);
            }
            #credential
            let #client = builder.build()?;
            for operation in #krate::OPERATIONS {
                let (verb, path) = (operation.http_method, operation.path);
                let method = operation.method_name;
                println!("{verb} {path} -> Client::{method}");
            }
            #call
            Ok(())
        }
    };
    crate::render::rust_file(&file, tokens).map(Some)
}
