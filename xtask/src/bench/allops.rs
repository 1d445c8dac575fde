//! Source of the "all operations" binaries: a `main.rs` that calls every operation of a
//! generated client once, so that the generic code each call instantiates is compiled.
//!
//! The calls are never run: `all(client)` is an `async fn` awaiting every call, and `main`
//! boxes its future as `dyn Future` (which instantiates every state machine and `poll`)
//! without polling it. Arguments come from `arg::<T>()`, which the compiler cannot prove
//! diverges, so no call is dead code.
//!
//! Every call is one a user could make: it supplies what the operation needs. Positional
//! clients take required parameters and the body as arguments; progenitor's builders take
//! them through setters (`.organization_name(arg::<types::Name>()).body(..)`), since a
//! builder sent without them fails at run time ("… was not initialized"). A builder that
//! implements `IntoFuture` (connector-gen's) is awaited directly, `client.op(args).await`:
//! the call its README shows first; progenitor's builders have only `.send().await`.

use std::path::Path;

use anyhow::{Context, Result};
use quote::ToTokens;
use syn::{FnArg, GenericParam, ImplItem, Item, PathArguments, ReturnType, Type, TypeParamBound};

/// How the client's operations are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `client.op(args).send().await` (progenitor's builder style), or
    /// `client.op(args).await` when the builder implements `IntoFuture` (connector-gen).
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
    /// The builder struct it returns (progenitor's builder style), whose required setters
    /// the call chains.
    builder: Option<String>,
}

/// The setters a builder needs before `send`, as `(setter, argument type)`.
type Setters = std::collections::BTreeMap<String, Vec<(String, String)>>;

/// Builders that implement `IntoFuture`: awaited directly (`client.op(args).await`), the
/// call connector-gen's README shows first, instead of `.send().await`.
type Awaitable = std::collections::BTreeSet<String>;

/// Methods of `impl Client` blocks that are not operations.
const NOT_OPERATIONS: &[&str] = &["runtime", "baseurl", "client", "api_version", "inner"];

/// Operation methods of inherent `impl Client` blocks in `files`, in source order, and the
/// files' top-level `use` items rewritten for a crate depending on `lib`.
fn methods(lib: &str, files: &[&Path]) -> Result<(Vec<Method>, Vec<String>, Setters, Awaitable)> {
    let mut out = Vec::new();
    let mut uses = Vec::new();
    let mut setters = Setters::new();
    let mut awaitable = Awaitable::new();
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
        required_setters(lib, &ast.items, &mut setters);
        for item in &ast.items {
            let Item::Impl(imp) = item else { continue };
            if let Some((_, path, _)) = &imp.trait_ {
                if path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "IntoFuture")
                    && let Some(name) = type_name(&imp.self_ty)
                {
                    awaitable.insert(name);
                }
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
                    builder: returned_type(&sig.output),
                });
            }
        }
    }
    Ok((out, uses, setters, awaitable))
}

/// The last path segment of a named return type (`builder::OrganizationUpdate<'_>` gives
/// `OrganizationUpdate`).
fn returned_type(output: &ReturnType) -> Option<String> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    type_name(ty)
}

/// The last path segment of a named type.
fn type_name(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    p.path.segments.last().map(|s| s.ident.to_string())
}

/// For every builder in `items` (recursing into inline modules) whose `new` leaves fields
/// `Err("… was not initialized")`, the setters of those fields and of `body`, with the
/// type each setter converts to (`V: TryInto<T>`). Crate-relative `types::` paths are
/// rewritten to `lib::types::`.
fn required_setters(lib: &str, items: &[Item], out: &mut Setters) {
    for item in items {
        match item {
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    required_setters(lib, items, out);
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(name) = type_name(&imp.self_ty) else {
                    continue;
                };
                let fns: Vec<&syn::ImplItemFn> = imp
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        ImplItem::Fn(f) => Some(f),
                        _ => None,
                    })
                    .collect();
                let Some(new) = fns.iter().find(|f| f.sig.ident == "new") else {
                    continue;
                };
                let needed = needed_fields(new);
                let mut calls = Vec::new();
                for f in &fns {
                    let setter = f.sig.ident.to_string();
                    if !needed.contains(&setter) {
                        continue;
                    }
                    if let Some(ty) = try_into_target(f) {
                        let ty = ty.replace("types ::", &format!("{lib} :: types ::"));
                        calls.push((setter, ty));
                    }
                }
                if !calls.is_empty() {
                    out.insert(name, calls);
                }
            }
            _ => {}
        }
    }
}

/// Fields `new` initialises to `Err(..)` (required), plus `body`.
fn needed_fields(new: &syn::ImplItemFn) -> Vec<String> {
    let mut fields = Vec::new();
    for stmt in &new.block.stmts {
        let syn::Stmt::Expr(syn::Expr::Struct(s), _) = stmt else {
            continue;
        };
        for field in &s.fields {
            let syn::Member::Named(ident) = &field.member else {
                continue;
            };
            let is_err = matches!(&field.expr, syn::Expr::Call(c)
                if matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("Err")));
            if is_err || ident == "body" {
                fields.push(ident.to_string());
            }
        }
    }
    fields
}

/// `T` of a setter `fn x<V>(self, value: V) -> Self where V: TryInto<T>`.
fn try_into_target(f: &syn::ImplItemFn) -> Option<String> {
    let predicates = f.sig.generics.where_clause.as_ref()?.predicates.iter();
    let bounds = f.sig.generics.params.iter().filter_map(|g| match g {
        GenericParam::Type(t) => Some(t.bounds.iter()),
        _ => None,
    });
    let where_bounds = predicates.filter_map(|p| match p {
        syn::WherePredicate::Type(t) => Some(t.bounds.iter()),
        _ => None,
    });
    for bound in bounds.flatten().chain(where_bounds.flatten()) {
        let TypeParamBound::Trait(t) = bound else {
            continue;
        };
        let Some(last) = t.path.segments.last() else {
            continue;
        };
        if last.ident != "TryInto" {
            continue;
        }
        if let PathArguments::AngleBracketed(a) = &last.arguments
            && let Some(syn::GenericArgument::Type(inner)) = a.args.first()
        {
            return Some(inner.to_token_stream().to_string());
        }
    }
    None
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
    let (methods, uses, setters, awaitable) = methods(lib, files)?;
    let mut calls = String::new();
    for m in &methods {
        let args = m.args.join(", ");
        let mut chain = String::new();
        if let Some(needed) = m.builder.as_ref().and_then(|b| setters.get(b)) {
            for (setter, ty) in needed {
                chain.push_str(&format!(".{setter}(arg::<{ty}>())"));
            }
        }
        let into_future =
            chain.is_empty() && m.builder.as_ref().is_some_and(|b| awaitable.contains(b));
        let call = match (style, m.is_async) {
            (_, true) => format!("client.{}({args}).await", m.name),
            (Style::Builder, false) if into_future => format!("client.{}({args}).await", m.name),
            (Style::Builder, false) => format!("client.{}({args}){chain}.send().await", m.name),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of progenitor's builder-style output, cut down to one operation.
    const PROGENITOR_BUILDER: &str = r#"
        pub struct Client;
        impl Client {
            pub fn organization_update(&self) -> builder::OrganizationUpdate<'_> {
                builder::OrganizationUpdate::new(self)
            }
        }
        pub mod builder {
            use super::types;
            pub struct OrganizationUpdate<'a> {
                client: &'a super::Client,
                organization_name: Result<types::Name, String>,
                limit: Result<Option<u32>, String>,
                body: Result<types::builder::OrganizationUpdate, String>,
            }
            impl<'a> OrganizationUpdate<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self {
                        client: client,
                        organization_name: Err("organization_name was not initialized".to_string()),
                        limit: Ok(None),
                        body: Ok(::std::default::Default::default()),
                    }
                }
                pub fn organization_name<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::Name>,
                {
                    self
                }
                pub fn limit<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<u32>,
                {
                    self
                }
                pub fn body<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::OrganizationUpdate>,
                    <V as std::convert::TryInto<types::OrganizationUpdate>>::Error: std::fmt::Display,
                {
                    self
                }
            }
        }
    "#;

    #[test]
    fn builder_calls_set_required_parameters_and_body_but_not_optional_ones() {
        let dir = std::env::temp_dir().join(format!("allops-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lib.rs");
        std::fs::write(&file, PROGENITOR_BUILDER).unwrap();
        let (source, operations) = main_rs("nexus", &[file.as_path()], Style::Builder).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(operations, 1);
        assert!(
            source.contains(
                "client.organization_update()\
                 .organization_name(arg::<nexus :: types :: Name>())\
                 .body(arg::<nexus :: types :: OrganizationUpdate>())\
                 .send().await"
            ),
            "{source}"
        );
        assert!(!source.contains(".limit("), "{source}");
    }

    #[test]
    fn builders_that_implement_into_future_are_awaited_directly() {
        const OURS: &str = r#"
            pub struct Client;
            impl Client {
                pub fn get_disk(&self, id: impl Into<String>) -> GetDisk { todo!() }
                pub fn list_disks(&self) -> ListDisks { todo!() }
            }
            pub struct GetDisk;
            impl GetDisk {
                pub fn send(self) -> ResponseFuture<Disk> { todo!() }
            }
            impl IntoFuture for GetDisk {
                type Output = Result<Disk, Error>;
                type IntoFuture = BodyFuture<Disk>;
                fn into_future(self) -> Self::IntoFuture { todo!() }
            }
            pub struct ListDisks;
            impl ListDisks {
                pub fn send(self) -> ResponseFuture<Vec<Disk>> { todo!() }
            }
        "#;
        let dir = std::env::temp_dir().join(format!("allops-await-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("operations.rs");
        std::fs::write(&file, OURS).unwrap();
        let (source, operations) = main_rs("ours", &[file.as_path()], Style::Builder).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(operations, 2);
        assert!(
            source.contains("client.get_disk(arg::<String>()).await"),
            "{source}"
        );
        assert!(
            source.contains("client.list_disks().send().await"),
            "{source}"
        );
    }
}
