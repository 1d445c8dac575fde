//! Source of the "all operations" binaries: a `main.rs` that calls every operation of a
//! generated client once, so that the generic code each call instantiates is compiled.
//!
//! The calls are never run: `all(client)` is an `async fn` awaiting every call, and `main`
//! boxes its future as `dyn Future` (which instantiates every state machine and `poll`)
//! without polling it. Arguments come from `arg::<T>()`, which the compiler cannot prove
//! diverges, so no call is dead code.

use std::path::Path;

use anyhow::{Context, Result};
use quote::ToTokens;
use syn::{FnArg, GenericParam, ImplItem, Item, PathArguments, ReturnType, Type, TypeParamBound};

/// How the client's operations are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `client.op(args).send().await` (connector-gen; progenitor's builder style).
    Builder,
    /// `client.op(args).await` (progenitor's positional style).
    Positional,
}

/// One operation method of `impl Client`.
#[derive(Debug)]
struct Method {
    name: String,
    is_async: bool,
    args: Vec<String>,
}

/// Methods of `impl Client` blocks that are not operations.
const NOT_OPERATIONS: &[&str] = &["runtime", "baseurl", "client", "api_version", "inner"];

/// Operation methods of inherent `impl Client` blocks in `files`, in source order, and the
/// files' top-level `use` items rewritten for a crate depending on `lib`.
fn methods(lib: &str, files: &[&Path]) -> Result<(Vec<Method>, Vec<String>)> {
    let mut out = Vec::new();
    let mut uses = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let ast = syn::parse_file(&text).with_context(|| format!("parsing {}", file.display()))?;
        for item in &ast.items {
            if let Item::Use(u) = item {
                let mut u = u.clone();
                u.vis = syn::Visibility::Inherited;
                let text = u.to_token_stream().to_string();
                let text = text.replacen("use super ::", &format!("use {lib} ::"), 1);
                uses.push(text.replacen("use crate ::", &format!("use {lib} ::"), 1));
            }
        }
        for item in &ast.items {
            let Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            let Type::Path(ty) = &*imp.self_ty else {
                continue;
            };
            if !ty.path.is_ident("Client") {
                continue;
            }
            for item in &imp.items {
                let ImplItem::Fn(f) = item else { continue };
                // Preview operations are behind a feature of the generated crate.
                if f.attrs.iter().any(|a| a.path().is_ident("cfg")) {
                    continue;
                }
                let sig = &f.sig;
                let name = sig.ident.to_string();
                if sig.receiver().is_none() || NOT_OPERATIONS.contains(&name.as_str()) {
                    continue;
                }
                // progenitor's positional `*_stream` helpers: a second method per paged
                // operation, not an operation.
                if returns_impl(&sig.output, "Stream") {
                    continue;
                }
                if !matches!(f.vis, syn::Visibility::Public(_)) {
                    continue;
                }
                let mut args = Vec::new();
                for input in sig.inputs.iter().skip(1) {
                    let FnArg::Typed(pat) = input else { continue };
                    args.push(arg_expr(&pat.ty, &sig.generics));
                }
                out.push(Method {
                    name,
                    is_async: sig.asyncness.is_some() || returns_impl(&sig.output, "Future"),
                    args,
                });
            }
        }
    }
    Ok((out, uses))
}

/// The function returns `impl …Trait…`.
fn returns_impl(output: &ReturnType, trait_name: &str) -> bool {
    let ReturnType::Type(_, ty) = output else {
        return false;
    };
    let Type::ImplTrait(t) = &**ty else {
        return false;
    };
    t.bounds.iter().any(|b| {
        matches!(b, TypeParamBound::Trait(t) if t.path.segments.iter().any(|s| s.ident == trait_name))
    })
}

/// `arg()` for a concrete type; `arg::<T>()` for `impl Into<T>` and for a generic `B: Into<T>`.
fn arg_expr(ty: &Type, generics: &syn::Generics) -> String {
    let bounds: Option<Vec<&TypeParamBound>> = match ty {
        Type::ImplTrait(t) => Some(t.bounds.iter().collect()),
        Type::Path(p) if p.qself.is_none() => p.path.get_ident().and_then(|id| {
            generics.params.iter().find_map(|g| match g {
                GenericParam::Type(t) if &t.ident == id => Some(t.bounds.iter().collect()),
                _ => None,
            })
        }),
        _ => None,
    };
    let Some(bounds) = bounds else {
        return "arg()".to_owned();
    };
    for bound in bounds {
        let TypeParamBound::Trait(t) = bound else {
            continue;
        };
        let Some(last) = t.path.segments.last() else {
            continue;
        };
        if let PathArguments::AngleBracketed(a) = &last.arguments
            && let Some(syn::GenericArgument::Type(inner)) = a.args.first()
        {
            let inner = inner.to_token_stream().to_string();
            return if last.ident == "AsRef" && inner == "str" {
                "arg::<String>()".to_owned()
            } else {
                format!("arg::<{inner}>()")
            };
        }
    }
    "arg::<String>()".to_owned()
}

/// `main.rs` of the all-operations binary for the client crate `lib` whose sources are
/// `files`. Returns the source and the number of operations called.
pub fn main_rs(lib: &str, files: &[&Path], style: Style) -> Result<(String, usize)> {
    let (methods, uses) = methods(lib, files)?;
    let mut calls = String::new();
    for m in &methods {
        let args = m.args.join(", ");
        let call = match (style, m.is_async) {
            (_, true) => format!("client.{}({args}).await", m.name),
            (Style::Builder, false) => format!("client.{}({args}).send().await", m.name),
            (Style::Positional, false) => format!("client.{}({args})", m.name),
        };
        calls.push_str(&format!("    let _ = std::hint::black_box({call});\n"));
    }
    let source = format!(
        "//! Calls every operation of `{lib}` once (compile-time benchmark; never run).\n\
         #![allow(deprecated, dead_code, unused_imports, unused_must_use, clippy::all)]\n\n\
         {}\n\
         use std::future::Future;\n\
         use std::pin::Pin;\n\n\
         /// A value the compiler cannot prove absent.\n\
         fn arg<T>() -> T {{\n    std::hint::black_box(None::<T>).expect(\"never run\")\n}}\n\n\
         async fn all(client: {lib}::Client) {{\n{calls}}}\n\n\
         fn main() {{\n    if std::env::args().len() > 1 {{\n        \
         let fut: Pin<Box<dyn Future<Output = ()>>> = Box::pin(all(arg()));\n        \
         std::hint::black_box(fut);\n    }}\n}}\n",
        uses.join("\n")
    );
    Ok((source, methods.len()))
}
