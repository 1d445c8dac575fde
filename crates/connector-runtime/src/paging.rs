//! Paging: streams of pages and of items.

use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::request::Request;
use crate::response::ResponseMeta;

/// `x-ms-pageable` style paging: the items under one property, the next page's absolute
/// URL under another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextLink {
    /// Property holding the next page's URL; `None` means a single page.
    pub next_link: Option<String>,
    /// Property holding the items.
    pub items: String,
}

impl NextLink {
    /// Items under `items`, next page URL under `next_link`.
    pub fn new(next_link: Option<&str>, items: &str) -> Self {
        NextLink {
            next_link: next_link.map(str::to_owned),
            items: items.to_owned(),
        }
    }
}

/// One page of items.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The next page's URL, if any.
    pub next: Option<String>,
    /// Meta of the response that carried this page.
    pub meta: ResponseMeta,
}

impl Client {
    /// A stream of pages; one page is held in memory at a time.
    pub fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Request,
        paging: NextLink,
    ) -> BoxStream<'static, Result<Page<T>, Error>> {
        let client = self.clone();
        stream::try_unfold(Some(first), move |next| {
            let client = client.clone();
            let paging = paging.clone();
            async move {
                let Some(request) = next else {
                    return Ok(None);
                };
                let template = request.clone();
                let raw = client.execute(request).await?;
                let meta = raw.meta.clone();
                let mut body = raw.json::<serde_json::Map<String, serde_json::Value>>()?.data;
                let items = match body.remove(&paging.items) {
                    Some(v) => serde_json::from_value::<Vec<T>>(v).map_err(|e| {
                        Error::new(ErrorCode::ParsingError, format!("page items do not decode: {e}"))
                            .with_source(ErrorSource::Deserialize)
                            .with_cause(e)
                    })?,
                    None => Vec::new(),
                };
                let next = paging
                    .next_link
                    .as_ref()
                    .and_then(|name| body.get(name))
                    .and_then(|v| v.as_str())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned);
                let following = next.clone().map(|url| {
                    let mut r = template;
                    r.absolute_url = Some(url);
                    r.query.clear();
                    r
                });
                Ok(Some((Page { items, next, meta }, following)))
            }
        })
        .boxed()
    }

    /// A stream of items across all pages.
    pub fn items<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Request,
        paging: NextLink,
    ) -> BoxStream<'static, Result<T, Error>> {
        self.pages::<T>(first, paging)
            .flat_map(|page| match page {
                Ok(p) => stream::iter(p.items.into_iter().map(Ok).collect::<Vec<_>>()).left_stream(),
                Err(e) => stream::iter(vec![Err(e)]).right_stream(),
            })
            .boxed()
    }
}
