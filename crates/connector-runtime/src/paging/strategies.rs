//! Paging strategies: next link (`x-ms-pageable`), cursor / continuation token,
//! offset + limit, page number, RFC 8288 `Link` header, and custom extractors.
//!
//! Items and values are located with dot-separated paths into the JSON body
//! (`"data.items"`; `""` is the body itself). A next URL may be absolute or relative:
//! a relative one is resolved against the request that fetched the page, and every next
//! URL goes through the client's trusted-origin check like any absolute URL.

use serde_json::Value;

use crate::request::Request;

/// A decoded page response, as strategies see it. `Debug` redacts credential headers.
#[derive(Clone)]
pub struct PageResponse {
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The JSON body, with the items already taken out.
    pub body: Value,
    /// Items on this page.
    pub item_count: usize,
    /// The page's last item, before decoding (cursors taken from the last item's id).
    pub last_item: Option<Value>,
}

impl std::fmt::Debug for PageResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageResponse")
            .field(
                "headers",
                &crate::observability::redact::HeaderMapDebug(&self.headers),
            )
            .field("body", &self.body)
            .field("item_count", &self.item_count)
            .field("last_item", &self.last_item)
            .finish()
    }
}

/// How to page through a list operation.
pub trait PagingStrategy: Send + Sync {
    /// Adjust the first request (start cursor, page, offset, page size).
    fn first(&self, request: &mut Request) {
        let _ = request;
    }
    /// Take this page's items out of `body`.
    fn items(&self, body: &mut Value) -> Vec<Value>;
    /// The next request and a description of the position (link, cursor, offset or
    /// page), or `None` when there are no more pages.
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)>;
}

/// The value at a dot-separated `path` in `body`.
pub fn lookup<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(body);
    }
    // A property whose name contains dots (`@odata.nextLink`) wins over a path.
    if let Some(v) = body.get(path) {
        return Some(v);
    }
    path.split('.').try_fold(body, |v, key| match v {
        Value::Object(m) => m.get(key),
        Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// Take the array at `path` out of `body` (empty when absent).
pub fn take_items(body: &mut Value, path: &str) -> Vec<Value> {
    let target = if path.is_empty() {
        Some(body)
    } else if body.get(path).is_some() {
        body.get_mut(path)
    } else {
        path.split('.').try_fold(body, |v, key| match v {
            Value::Object(m) => m.get_mut(key),
            _ => None,
        })
    };
    match target.map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn set_query(request: &mut Request, name: &str, value: String) {
    request.query.retain(|(k, _)| k != name);
    request.query.push((name.to_owned(), value));
}

/// Sets `name` unless the caller already did.
fn default_query(request: &mut Request, name: &str, value: String) {
    if !request.query.iter().any(|(k, _)| k == name) {
        request.query.push((name.to_owned(), value));
    }
}

/// The numeric value of query parameter `name` in `request`.
fn query_number(request: &Request, name: &str) -> Option<u64> {
    request
        .query
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// False only when the boolean at `path` is present and false.
fn more(page: &PageResponse, path: Option<&String>) -> bool {
    path.and_then(|p| lookup(&page.body, p))
        .and_then(Value::as_bool)
        != Some(false)
}

/// The number at `path`, when there is one.
fn count_at(page: &PageResponse, path: Option<&String>) -> Option<u64> {
    path.and_then(|p| lookup(&page.body, p))
        .and_then(Value::as_u64)
}

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

impl PagingStrategy for NextLink {
    fn items(&self, body: &mut Value) -> Vec<Value> {
        take_items(body, &self.items)
    }
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)> {
        let name = self.next_link.as_ref()?;
        let url = lookup(&page.body, name).and_then(text)?;
        let mut r = previous.clone();
        r.absolute_url = Some(url.clone());
        r.query.clear();
        Some((url, r))
    }
}

/// Cursor / continuation-token paging: the next cursor is read from the body and sent
/// back in a query parameter (or, with `cursor_in_body`, a JSON request body member).
#[derive(Debug, Clone)]
pub struct Cursor {
    /// Query parameter carrying the cursor (with `cursor_in_body`: the dot path of the
    /// request body member).
    pub cursor_param: String,
    /// The cursor is a member of the JSON request body, not a query parameter.
    pub cursor_in_body: bool,
    /// Path of the next cursor in the body.
    pub next_cursor: String,
    /// Path of the items.
    pub items: String,
    /// Optional boolean "has more" path; when present and false, paging stops.
    pub has_more: Option<String>,
    /// Initial cursor.
    pub start_cursor: Option<String>,
    /// Page size: (parameter, value).
    pub page_size: Option<(String, u64)>,
    /// When `next_cursor` is empty or absent from the body: this field of the page's
    /// last item is the cursor (`starting_after` / `after` with the last item's `id`).
    pub last_item_field: Option<String>,
}

impl Cursor {
    /// Cursor paging with `cursor_param`, next cursor at `next_cursor`, items at `items`.
    pub fn new(cursor_param: &str, next_cursor: &str, items: &str) -> Self {
        Cursor {
            cursor_param: cursor_param.to_owned(),
            cursor_in_body: false,
            next_cursor: next_cursor.to_owned(),
            items: items.to_owned(),
            has_more: None,
            start_cursor: None,
            page_size: None,
            last_item_field: None,
        }
    }

    /// Every setting at once (what generated code calls): cursor in `cursor_param`,
    /// read from `next_cursor` (may be `""`), else from the last item's
    /// `last_item_field`; stop when `has_more` is false.
    pub fn with(
        cursor_param: &str,
        next_cursor: &str,
        items: &str,
        last_item_field: Option<&str>,
        has_more: Option<&str>,
    ) -> Self {
        Cursor {
            last_item_field: last_item_field.map(str::to_owned),
            has_more: has_more.map(str::to_owned),
            ..Cursor::new(cursor_param, next_cursor, items)
        }
    }

    /// Stop when the boolean at `path` is false.
    pub fn has_more(mut self, path: &str) -> Self {
        self.has_more = Some(path.to_owned());
        self
    }

    /// Take the cursor from the last item's `field` when the body has none at
    /// `next_cursor` (which may be `""`).
    pub fn from_last_item(mut self, field: &str) -> Self {
        self.last_item_field = Some(field.to_owned());
        self
    }
}

impl PagingStrategy for Cursor {
    fn first(&self, request: &mut Request) {
        if let Some(c) = &self.start_cursor {
            self.send(request, c.clone());
        }
        if let Some((p, n)) = &self.page_size {
            default_query(request, p, n.to_string());
        }
    }
    fn items(&self, body: &mut Value) -> Vec<Value> {
        take_items(body, &self.items)
    }
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)> {
        if !more(page, self.has_more.as_ref()) {
            return None;
        }
        let from_body = (!self.next_cursor.is_empty())
            .then(|| lookup(&page.body, &self.next_cursor).and_then(text))
            .flatten();
        let cursor = from_body.or_else(|| {
            let field = self.last_item_field.as_ref()?;
            page.last_item
                .as_ref()
                .and_then(|i| lookup(i, field))
                .and_then(text)
        })?;
        let mut r = previous.clone();
        if !self.send(&mut r, cursor.clone()) {
            return None;
        }
        Some((cursor, r))
    }
}

/// Offset + limit paging; stops on a short page (or at `total` when given).
#[derive(Debug, Clone)]
pub struct Offset {
    /// Offset parameter.
    pub offset_param: String,
    /// Limit parameter.
    pub limit_param: String,
    /// Page size.
    pub limit: u64,
    /// Starting offset.
    pub start: u64,
    /// Path of the items.
    pub items: String,
    /// Optional path of the total count.
    pub total: Option<String>,
    /// Optional boolean "has more" path; when present and false, paging stops.
    pub has_more: Option<String>,
}

impl Offset {
    /// Offset paging. A `limit` of 0 leaves the page size to the server (or to the
    /// caller's own `limit_param`); an empty `limit_param` means there is none. The
    /// caller's own offset and limit, when the first request has them, are kept.
    pub fn new(offset_param: &str, limit_param: &str, limit: u64, items: &str) -> Self {
        Offset {
            offset_param: offset_param.to_owned(),
            limit_param: limit_param.to_owned(),
            limit,
            start: 0,
            items: items.to_owned(),
            total: None,
            has_more: None,
        }
    }

    /// Every setting at once (what generated code calls): the server's (or the
    /// caller's) page size, stopping at the total at `total` or when `has_more` is false.
    pub fn with(
        offset_param: &str,
        limit_param: &str,
        items: &str,
        total: Option<&str>,
        has_more: Option<&str>,
    ) -> Self {
        Offset {
            total: total.map(str::to_owned),
            has_more: has_more.map(str::to_owned),
            ..Offset::new(offset_param, limit_param, 0, items)
        }
    }

    /// Stop once the offset reaches the number at `path`.
    pub fn total(mut self, path: &str) -> Self {
        self.total = Some(path.to_owned());
        self
    }

    /// Stop when the boolean at `path` is false.
    pub fn has_more(mut self, path: &str) -> Self {
        self.has_more = Some(path.to_owned());
        self
    }

    fn current(&self, r: &Request) -> u64 {
        query_number(r, &self.offset_param).unwrap_or(self.start)
    }

    /// The page size asked for: the request's limit, else the configured one (0:
    /// unknown).
    fn page_size(&self, r: &Request) -> u64 {
        if self.limit_param.is_empty() {
            return self.limit;
        }
        query_number(r, &self.limit_param).unwrap_or(self.limit)
    }
}

impl PagingStrategy for Offset {
    fn first(&self, request: &mut Request) {
        default_query(request, &self.offset_param, self.start.to_string());
        if self.limit > 0 && !self.limit_param.is_empty() {
            default_query(request, &self.limit_param, self.limit.to_string());
        }
    }
    fn items(&self, body: &mut Value) -> Vec<Value> {
        take_items(body, &self.items)
    }
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)> {
        let size = self.page_size(previous);
        if page.item_count == 0
            || (size > 0 && (page.item_count as u64) < size)
            || !more(page, self.has_more.as_ref())
        {
            return None;
        }
        let next = self.current(previous) + page.item_count as u64;
        if count_at(page, self.total.as_ref()).is_some_and(|total| next >= total) {
            return None;
        }
        let mut r = previous.clone();
        set_query(&mut r, &self.offset_param, next.to_string());
        Some((next.to_string(), r))
    }
}

/// Page-number paging; stops on an empty or short page, or at `total_pages`.
#[derive(Debug, Clone)]
pub struct PageNumber {
    /// Page parameter.
    pub page_param: String,
    /// Page-size parameter and value.
    pub page_size: Option<(String, u64)>,
    /// First page number (default 1).
    pub start_page: u64,
    /// Path of the items.
    pub items: String,
    /// Optional path of the total page count.
    pub total_pages: Option<String>,
    /// Optional path of the total item count.
    pub total: Option<String>,
    /// Optional boolean "has more" path; when present and false, paging stops.
    pub has_more: Option<String>,
}

impl PageNumber {
    /// Page-number paging from page 1 (or the caller's own page, when the first
    /// request has one).
    pub fn new(page_param: &str, items: &str) -> Self {
        PageNumber {
            page_param: page_param.to_owned(),
            page_size: None,
            start_page: 1,
            items: items.to_owned(),
            total_pages: None,
            total: None,
            has_more: None,
        }
    }

    /// Every setting at once (what generated code calls): see
    /// [`Self::page_size_param`], [`Self::total_pages`], [`Self::total`] and
    /// [`Self::has_more`].
    pub fn with(
        page_param: &str,
        page_size_param: Option<&str>,
        items: &str,
        total_pages: Option<&str>,
        total: Option<&str>,
        has_more: Option<&str>,
    ) -> Self {
        PageNumber {
            page_size: page_size_param.map(|p| (p.to_owned(), 0)),
            total_pages: total_pages.map(str::to_owned),
            total: total.map(str::to_owned),
            has_more: has_more.map(str::to_owned),
            ..PageNumber::new(page_param, items)
        }
    }

    /// The page-size parameter, its value left to the caller (0: the server's
    /// default, so a short page cannot be told apart and paging stops on an empty one).
    pub fn page_size_param(mut self, param: &str) -> Self {
        self.page_size = Some((param.to_owned(), 0));
        self
    }

    /// Stop at the page count at `path`.
    pub fn total_pages(mut self, path: &str) -> Self {
        self.total_pages = Some(path.to_owned());
        self
    }

    /// Stop once the pages seen cover the item count at `path`.
    pub fn total(mut self, path: &str) -> Self {
        self.total = Some(path.to_owned());
        self
    }

    /// Stop when the boolean at `path` is false.
    pub fn has_more(mut self, path: &str) -> Self {
        self.has_more = Some(path.to_owned());
        self
    }
}

impl PagingStrategy for PageNumber {
    fn first(&self, request: &mut Request) {
        default_query(request, &self.page_param, self.start_page.to_string());
        if let Some((p, n)) = &self.page_size
            && *n > 0
        {
            default_query(request, p, n.to_string());
        }
    }
    fn items(&self, body: &mut Value) -> Vec<Value> {
        take_items(body, &self.items)
    }
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)> {
        if page.item_count == 0 || !more(page, self.has_more.as_ref()) {
            return None;
        }
        let size = self
            .page_size
            .as_ref()
            .map(|(p, n)| query_number(previous, p).unwrap_or(*n))
            .unwrap_or(0);
        if size > 0 && (page.item_count as u64) < size {
            return None;
        }
        let current = query_number(previous, &self.page_param).unwrap_or(self.start_page);
        // Pages seen so far, counted from the first page (0- or 1-based).
        let seen = (current + 1).saturating_sub(self.start_page.min(1));
        if count_at(page, self.total_pages.as_ref()).is_some_and(|total| seen >= total) {
            return None;
        }
        if size > 0 && count_at(page, self.total.as_ref()).is_some_and(|total| seen * size >= total)
        {
            return None;
        }
        let next = current + 1;
        let mut r = previous.clone();
        set_query(&mut r, &self.page_param, next.to_string());
        Some((next.to_string(), r))
    }
}

/// RFC 8288 `Link: <url>; rel="next"` paging.
#[derive(Debug, Clone)]
pub struct LinkHeader {
    /// Path of the items (`""` when the body is the array).
    pub items: String,
}

impl LinkHeader {
    /// Link-header paging with items at `items`.
    pub fn new(items: &str) -> Self {
        LinkHeader {
            items: items.to_owned(),
        }
    }
}

/// The `rel="next"` target of `Link` headers.
pub fn next_link_from_header(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let mut parts = link.split(';');
            let target = parts.next()?.trim();
            let url = target.strip_prefix('<')?.strip_suffix('>')?;
            let is_next = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("rel=")
                    .map(|r| {
                        r.trim_matches('"')
                            .split_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("next"))
                    })
                    .unwrap_or(false)
            });
            is_next.then(|| url.to_owned())
        })
}

impl PagingStrategy for LinkHeader {
    fn items(&self, body: &mut Value) -> Vec<Value> {
        take_items(body, &self.items)
    }
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)> {
        let url = next_link_from_header(&page.headers)?;
        let mut r = previous.clone();
        r.absolute_url = Some(url.clone());
        r.query.clear();
        Some((url, r))
    }
}
