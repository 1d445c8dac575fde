//! Paging: streams of pages and of items over any [`PagingStrategy`], holding one page
//! in memory at a time.

mod body_member;
mod custom;
pub mod strategies;

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::request::Request;
use crate::response::ResponseMeta;

pub use custom::CustomPaging;
pub use strategies::{
    Cursor, LinkHeader, NextLink, Offset, PageNumber, PageResponse, PagingStrategy,
};

/// A shared paging strategy.
pub type Paging = Arc<dyn PagingStrategy>;

/// One page of items. `Debug` shows a next-page URL without its query values.
#[derive(Clone)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The next page's link, cursor, offset or page number, if any.
    pub next: Option<String>,
    /// Meta of the response that carried this page.
    pub meta: ResponseMeta,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field(
                "next",
                &self
                    .next
                    .as_deref()
                    .map(crate::observability::redact::link_for_debug),
            )
            .field("meta", &self.meta)
            .finish()
    }
}

fn decode_items<T: DeserializeOwned>(items: Vec<serde_json::Value>) -> Result<Vec<T>, Error> {
    items
        .into_iter()
        .map(|v| {
            serde_json::from_value::<T>(v).map_err(|e| {
                Error::new(
                    ErrorCode::ParsingError,
                    format!("page item does not decode: {e}"),
                )
                .with_source(ErrorSource::Deserialize)
                .with_cause(e)
            })
        })
        .collect()
}

impl Client {
    /// A stream of pages fetched with `strategy`; the next page is requested only when
    /// the consumer polls, so one page is in memory at a time.
    pub fn paginate<T: DeserializeOwned + Send + 'static>(
        &self,
        mut first: Request,
        strategy: impl PagingStrategy + 'static,
    ) -> BoxStream<'static, Result<Page<T>, Error>> {
        let strategy: Paging = Arc::new(strategy);
        strategy.first(&mut first);
        self.paginate_with(first, strategy)
    }

    /// [`Self::paginate`] with a shared strategy.
    pub fn paginate_with<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Request,
        strategy: Paging,
    ) -> BoxStream<'static, Result<Page<T>, Error>> {
        let client = self.clone();
        // The state: the next request and the position that led to it (a page that
        // points at the position it was fetched from would loop forever).
        stream::try_unfold(Some((first, None)), move |next| {
            let client = client.clone();
            let strategy = strategy.clone();
            async move {
                let Some((request, position)) = next else {
                    return Ok(None);
                };
                let template = request.clone();
                let raw = client.execute(request).await?;
                let meta = raw.meta.clone();
                let headers = raw.headers.clone();
                let mut body = raw.json::<serde_json::Value>()?.data;
                let items = strategy.items(&mut body);
                let page = PageResponse {
                    headers,
                    body,
                    item_count: items.len(),
                    last_item: items.last().cloned(),
                };
                let following = strategy
                    .next(&template, &page)
                    .filter(|(desc, _)| position.as_ref() != Some(desc))
                    .map(|(desc, mut r)| {
                        resolve_relative(&client, &template, &mut r);
                        (desc, r)
                    });
                let next = following.as_ref().map(|(desc, _)| desc.clone());
                let items = decode_items::<T>(items)?;
                Ok(Some((
                    Page { items, next, meta },
                    following.map(|(desc, r)| (r, Some(desc))),
                )))
            }
        })
        .boxed()
    }

    /// A stream of items across all pages fetched with `strategy`.
    pub fn paginate_items<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Request,
        strategy: impl PagingStrategy + 'static,
    ) -> BoxStream<'static, Result<T, Error>> {
        flatten(self.paginate::<T>(first, strategy))
    }

    /// A stream of pages (`x-ms-pageable` next links).
    pub fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Request,
        paging: NextLink,
    ) -> BoxStream<'static, Result<Page<T>, Error>> {
        self.paginate(first, paging)
    }

    /// A stream of items across all pages (`x-ms-pageable` next links).
    pub fn items<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Request,
        paging: NextLink,
    ) -> BoxStream<'static, Result<T, Error>> {
        flatten(self.pages::<T>(first, paging))
    }
}

/// A next request whose URL is relative (`/v1/items?page=2`, `?page=2`) gets it
/// resolved against the URL of the request that fetched the page; the result is an
/// absolute URL like any other next link, origin-checked when sent.
fn resolve_relative(client: &Client, previous: &Request, next: &mut Request) {
    let Some(target) = &next.absolute_url else {
        return;
    };
    if url::Url::parse(target).is_ok() {
        return;
    }
    let base = match &previous.absolute_url {
        Some(absolute) => absolute.clone(),
        None => format!(
            "{}{}",
            client.base_url().trim_end_matches('/'),
            previous.path
        ),
    };
    if let Some(resolved) = url::Url::parse(&base)
        .ok()
        .and_then(|b| b.join(target).ok())
    {
        next.absolute_url = Some(resolved.to_string());
    }
}

fn flatten<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    pages
        .flat_map(|page| match page {
            Ok(p) => stream::iter(p.items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::iter(vec![Err(e)]).right_stream(),
        })
        .boxed()
}
