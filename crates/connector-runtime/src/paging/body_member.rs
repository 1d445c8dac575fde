//! A member of a request's JSON body, set in place: where a cursor travels when the
//! definition says the next page is asked for in the body (`POST /search` with
//! `{"cursor": ...}`), not the query.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::strategies::{Cursor, set_query};
use crate::request::{Body, Request};

impl Cursor {
    /// Puts `cursor` where the next request carries it: the query parameter, or the
    /// body member; `false` when the request body cannot hold it (not a JSON object).
    pub(super) fn send(&self, request: &mut Request, cursor: String) -> bool {
        if self.cursor_in_body {
            set(request, &self.cursor_param, Value::String(cursor))
        } else {
            set_query(request, &self.cursor_param, cursor);
            true
        }
    }
}

/// Sets the member at the dot-separated `path` of `request`'s JSON body to `value`,
/// creating objects on the way (an empty body becomes `{}` first). A body that is not
/// JSON, or not an object, is left as it is: `false`.
pub(crate) fn set(request: &mut Request, path: &str, value: Value) -> bool {
    let (content_type, mut doc) = match &request.body {
        Body::Empty => ("application/json".to_owned(), Value::Object(Map::new())),
        Body::Bytes { content_type, data } if content_type.contains("json") => {
            match serde_json::from_slice::<Value>(data) {
                Ok(doc @ Value::Object(_)) => (content_type.clone(), doc),
                _ => return false,
            }
        }
        _ => return false,
    };
    let mut at = &mut doc;
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let Value::Object(m) = at else { return false };
        if segments.peek().is_none() {
            m.insert(segment.to_owned(), value);
            break;
        }
        at = m
            .entry(segment.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match serde_json::to_vec(&doc) {
        Ok(data) => {
            request.body = Body::Bytes {
                content_type,
                data: Bytes::from(data),
            };
            true
        }
        Err(_) => false,
    }
}
