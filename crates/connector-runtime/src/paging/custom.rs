//! Paging with caller-supplied extractors, for APIs no built-in strategy fits.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::strategies::{PageResponse, PagingStrategy, set_query};
use crate::request::Request;

type ItemsFn = dyn Fn(&mut Value) -> Vec<Value> + Send + Sync;
type CursorFn = dyn Fn(&PageResponse) -> Option<String> + Send + Sync;
type HasNextFn = dyn Fn(&PageResponse) -> bool + Send + Sync;

/// Paging with caller-supplied extractors (`extract_items`, `extract_next_cursor`,
/// `has_next_page`); the cursor is sent back in `cursor_param`, or used as an absolute
/// URL when it starts with `http`.
#[derive(Clone)]
pub struct CustomPaging {
    cursor_param: String,
    extract_items: Arc<ItemsFn>,
    extract_next_cursor: Arc<CursorFn>,
    has_next_page: Option<Arc<HasNextFn>>,
}

impl fmt::Debug for CustomPaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomPaging")
            .field("cursor_param", &self.cursor_param)
            .finish_non_exhaustive()
    }
}

impl CustomPaging {
    /// Custom paging.
    pub fn new(
        cursor_param: &str,
        extract_items: impl Fn(&mut Value) -> Vec<Value> + Send + Sync + 'static,
        extract_next_cursor: impl Fn(&PageResponse) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        CustomPaging {
            cursor_param: cursor_param.to_owned(),
            extract_items: Arc::new(extract_items),
            extract_next_cursor: Arc::new(extract_next_cursor),
            has_next_page: None,
        }
    }

    /// Decide separately whether more pages exist.
    pub fn has_next_page(
        mut self,
        f: impl Fn(&PageResponse) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.has_next_page = Some(Arc::new(f));
        self
    }
}

impl PagingStrategy for CustomPaging {
    fn items(&self, body: &mut Value) -> Vec<Value> {
        (self.extract_items)(body)
    }
    fn next(&self, previous: &Request, page: &PageResponse) -> Option<(String, Request)> {
        if let Some(f) = &self.has_next_page
            && !f(page)
        {
            return None;
        }
        let cursor = (self.extract_next_cursor)(page)?;
        let mut r = previous.clone();
        if cursor.starts_with("http://") || cursor.starts_with("https://") {
            r.absolute_url = Some(cursor.clone());
            r.query.clear();
        } else {
            set_query(&mut r, &self.cursor_param, cursor.clone());
        }
        Some((cursor, r))
    }
}
