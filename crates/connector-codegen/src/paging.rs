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

/// `Some("value")` or `None`.
fn option(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The expression building the runtime strategy for `pageable` (strategies other than
/// `NextLink` through the `paging` module: a builder named `Cursor` must not clash).
fn strategy(pageable: &Pageable, imports: &mut Imports) -> TokenStream {
    let items = &pageable.items;
    match &pageable.pattern {
        PagingPattern::NextLink { path } => {
            imports.runtime(rt::NEXT_LINK);
            let next = option(path);
            quote!(NextLink::new(#next, #items))
        }
        PagingPattern::Cursor {
            param,
            in_body,
            next,
            last_item_field,
            has_more,
        } => {
            imports.runtime(rt::PAGING);
            let path = quote!(paging::Cursor);
            let next = next.as_deref().unwrap_or("");
            let (last, more) = (option(last_item_field), option(has_more));
            let with = quote!(#path::with(#param, #next, #items, #last, #more));
            if *in_body {
                quote!(#path { cursor_in_body: true, ..#with })
            } else {
                with
            }
        }
        PagingPattern::Offset {
            param,
            limit_param,
            total,
            has_more,
        } => {
            imports.runtime(rt::PAGING);
            let path = quote!(paging::Offset);
            let limit = limit_param.as_deref().unwrap_or("");
            let (total, more) = (option(total), option(has_more));
            quote!(#path::with(#param, #limit, #items, #total, #more))
        }
        PagingPattern::Page {
            param,
            size_param,
            total_pages,
            total,
            has_more,
            first_page,
        } => {
            imports.runtime(rt::PAGING);
            let path = quote!(paging::PageNumber);
            let size = option(size_param);
            let (pages, total, more) = (option(total_pages), option(total), option(has_more));
            let with = quote!(#path::with(#param, #size, #items, #pages, #total, #more));
            if *first_page == 1 {
                with
            } else {
                let start = proc_macro2::Literal::u64_unsuffixed(*first_page);
                quote!(#path { start_page: #start, ..#with })
            }
        }
        PagingPattern::LinkHeader => {
            imports.runtime(rt::PAGING);
            let path = quote!(paging::LinkHeader);
            quote!(#path::new(#items))
        }
    }
}

/// `items()` and `pages()` of a paged operation.
pub fn methods(pg: &Paging, fallible: bool, imports: &mut Imports) -> TokenStream {
    imports.runtime(rt::BOX_STREAM);
    let item_t = &pg.item.tokens;
    let strategy = strategy(&pg.pageable, imports);
    // Bound first: a strategy call nested in the method chain would be laid out
    // differently from rustfmt.
    let strategy = quote!(let strategy = #strategy;);
    let page = rt::PAGE;
    let first = if fallible {
        // Imported, so the arm fits on one line as rustfmt and prettyplease both print it.
        imports.runtime(rt::STREAM_ONCE);
        let once = rt::STREAM_ONCE.ident();
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
            #strategy
            self.client.runtime().paginate_items(request, strategy)
        }

        /// Every page, one at a time.
        pub fn pages(self) -> BoxStream<'static, Result<#page<#item_t>, Error>> {
            #first
            #strategy
            self.client.runtime().paginate(request, strategy)
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
            in_body,
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
                "a cursor sent as {}{} from {}{}",
                code(param),
                if *in_body { " in the request body" } else { "" },
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
            first_page,
        } => format!(
            "a page number {}{}{}{}{}{}",
            code(param),
            if *first_page == 1 {
                String::new()
            } else {
                format!(" starting at {first_page}")
            },
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
