//! A paged operation's `items()` and `pages()` and the doc line saying how it pages:
//! the runtime strategy for the model's [`PagingPattern`], built from the names the plan
//! carries (all as string literals: definition text never becomes code).

use connector_spec::{Operation, Pageable, PagingOrigin, PagingPattern};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::code;
use crate::imports::Imports;
use crate::plan::request::Paging;
use crate::runtime_paths as rt;

/// `.name(value)` calls for the optional settings that are present.
fn settings(calls: &[(&str, &Option<String>)]) -> TokenStream {
    let calls = calls.iter().filter_map(|(name, value)| {
        let value = value.as_ref()?;
        let id = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
        Some(quote!(.#id(#value)))
    });
    quote!(#(#calls)*)
}

/// The expression building the runtime strategy for `pageable` (strategies other than
/// `NextLink` by their full path: an operation named `Cursor` must not clash).
fn strategy(pageable: &Pageable, imports: &mut Imports) -> TokenStream {
    let items = &pageable.items;
    match &pageable.pattern {
        PagingPattern::NextLink { path } => {
            imports.runtime(rt::NEXT_LINK);
            let next = match path {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            quote!(NextLink::new(#next, #items))
        }
        PagingPattern::Cursor {
            param,
            next,
            last_item_field,
            has_more,
        } => {
            let path = rt::CURSOR;
            let next = next.as_deref().unwrap_or("");
            let more = settings(&[("from_last_item", last_item_field), ("has_more", has_more)]);
            quote!(#path::new(#param, #next, #items) #more)
        }
        PagingPattern::Offset {
            param,
            limit_param,
            total,
            has_more,
        } => {
            let path = rt::OFFSET;
            let limit = limit_param.as_deref().unwrap_or("");
            let more = settings(&[("total", total), ("has_more", has_more)]);
            quote!(#path::new(#param, #limit, 0, #items) #more)
        }
        PagingPattern::Page {
            param,
            size_param,
            total_pages,
            total,
            has_more,
        } => {
            let path = rt::PAGE_NUMBER;
            let more = settings(&[
                ("page_size_param", size_param),
                ("total_pages", total_pages),
                ("total", total),
                ("has_more", has_more),
            ]);
            quote!(#path::new(#param, #items) #more)
        }
        PagingPattern::LinkHeader => {
            let path = rt::LINK_HEADER;
            quote!(#path::new(#items))
        }
    }
}

/// `items()` and `pages()` of a paged operation.
pub fn methods(pg: &Paging, fallible: bool, imports: &mut Imports) -> TokenStream {
    imports.runtime(rt::BOX_STREAM);
    let item_t = &pg.item.tokens;
    let strategy = strategy(&pg.pageable, imports);
    let (once, page) = (rt::STREAM_ONCE, rt::PAGE);
    let first = if fallible {
        quote! {
            let request = match self.request() {
                Ok(request) => request,
                Err(error) => return Box::pin(#once(async move { Err(error) })),
            };
        }
    } else {
        quote!(let request = self.request();)
    };
    quote! {
        /// Every item across all pages, fetching the next page as the stream is polled.
        pub fn items(self) -> BoxStream<'static, Result<#item_t, Error>> {
            #first
            self.client.runtime().paginate_items(request, #strategy)
        }

        /// Every page, one at a time.
        pub fn pages(self) -> BoxStream<'static, Result<#page<#item_t>, Error>> {
            #first
            self.client.runtime().paginate(request, #strategy)
        }
    }
}

fn opt(label: &str, value: &Option<String>) -> String {
    value
        .as_ref()
        .map(|v| format!(", {label} {}", code(v)))
        .unwrap_or_default()
}

/// The pattern in words, names as code spans.
fn describe(pattern: &PagingPattern) -> String {
    match pattern {
        PagingPattern::NextLink { path: Some(p) } => {
            format!("the next page's URL from {} in the response", code(p))
        }
        PagingPattern::NextLink { path: None } => "a single page".to_owned(),
        PagingPattern::Cursor {
            param,
            next,
            last_item_field,
            has_more,
        } => {
            let mut from = Vec::new();
            if let Some(n) = next {
                from.push(format!("{} in the response", code(n)));
            }
            if let Some(f) = last_item_field {
                from.push(format!("the last item's {}", code(f)));
            }
            format!(
                "a cursor sent as {} from {}{}",
                code(param),
                from.join(", else "),
                opt("while", has_more)
            )
        }
        PagingPattern::Offset {
            param,
            limit_param,
            total,
            has_more,
        } => format!(
            "an offset {}{}{}{}",
            code(param),
            opt("with limit", limit_param),
            opt("up to the total", total),
            opt("while", has_more)
        ),
        PagingPattern::Page {
            param,
            size_param,
            total_pages,
            total,
            has_more,
        } => format!(
            "a page number {}{}{}{}{}",
            code(param),
            opt("with page size", size_param),
            opt("up to the page count", total_pages),
            opt("up to the total", total),
            opt("while", has_more)
        ),
        PagingPattern::LinkHeader => "the `Link` response header (`rel=\"next\"`)".to_owned(),
    }
}

/// The doc paragraph of a paged operation's method: how it pages, where that came
/// from, and how to override a guess.
pub fn doc_line(op: &Operation, pageable: &Pageable, builder: &str) -> String {
    let how = describe(&pageable.pattern);
    let items = if pageable.items.is_empty() {
        "the body is the list".to_owned()
    } else {
        format!("items at {}", code(&pageable.items))
    };
    let origin = match &pageable.origin {
        PagingOrigin::Declared(ext) => format!("declared by {}", code(ext)),
        PagingOrigin::Inferred => format!(
            "inferred from the parameters and response; if the guess is wrong, override it with `--paging {}=...` (or `none`)",
            code(&op.id).trim_matches('`')
        ),
        PagingOrigin::Override => "set by a paging override".to_owned(),
    };
    format!(
        "Pages: {how}; {items} ({origin}). Use [`{builder}::items`] or [`{builder}::pages`] to walk them."
    )
}
