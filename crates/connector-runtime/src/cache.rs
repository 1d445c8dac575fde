//! Opt-in revalidation cache for GET responses carrying `ETag` or `Last-Modified`:
//! the next GET of the same URL sends `If-None-Match` / `If-Modified-Since`, and a
//! `304 Not Modified` is answered from the cache.
//!
//! Hand-written: `http-cache-reqwest` needs `reqwest-middleware` and a storage backend;
//! this keeps a bounded in-memory map and only validators, no freshness heuristics.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use http::HeaderMap;

use crate::config::CacheConfig;

/// One cached response. `Debug` redacts credential headers and shows the body's length.
#[derive(Clone)]
pub struct CachedResponse {
    /// Status of the original response.
    pub status: u16,
    /// Headers of the original response.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
    etag: Option<String>,
    last_modified: Option<String>,
    stamp: u64,
}

impl std::fmt::Debug for CachedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedResponse")
            .field("status", &self.status)
            .field(
                "headers",
                &crate::observability::redact::HeaderMapDebug(&self.headers),
            )
            .field("body_len", &self.body.len())
            .field("etag", &self.etag)
            .field("last_modified", &self.last_modified)
            .finish_non_exhaustive()
    }
}

/// The cache.
#[derive(Debug)]
pub struct ResponseCache {
    config: CacheConfig,
    entries: Mutex<(u64, HashMap<String, CachedResponse>)>,
}

impl ResponseCache {
    /// An empty cache.
    pub fn new(config: CacheConfig) -> Self {
        ResponseCache {
            config,
            entries: Mutex::new((0, HashMap::new())),
        }
    }

    /// The cached entry for `url`, if any.
    pub fn get(&self, url: &str) -> Option<CachedResponse> {
        self.entries.lock().ok()?.1.get(url).cloned()
    }

    /// Conditional headers for `url`.
    pub fn validators(&self, url: &str) -> Vec<(http::HeaderName, String)> {
        let mut out = Vec::new();
        if let Some(entry) = self.get(url) {
            if let Some(etag) = entry.etag {
                out.push((http::header::IF_NONE_MATCH, etag));
            }
            if let Some(lm) = entry.last_modified {
                out.push((http::header::IF_MODIFIED_SINCE, lm));
            }
        }
        out
    }

    /// Store a 200 response when it has validators and fits.
    pub fn store(&self, url: &str, status: u16, headers: &HeaderMap, body: &Bytes) {
        if status != 200 || body.len() > self.config.max_body_bytes {
            return;
        }
        let text = |h: http::HeaderName| {
            headers
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = text(http::header::ETAG);
        let last_modified = text(http::header::LAST_MODIFIED);
        if etag.is_none() && last_modified.is_none() {
            return;
        }
        let no_store = headers
            .get(http::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store"));
        if no_store {
            return;
        }
        let Ok(mut guard) = self.entries.lock() else {
            return;
        };
        let (clock, map) = &mut *guard;
        *clock += 1;
        if map.len() >= self.config.max_entries.max(1) && !map.contains_key(url) {
            // Evict the least recently stored entry.
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, e)| e.stamp)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(
            url.to_owned(),
            CachedResponse {
                status,
                headers: headers.clone(),
                body: body.clone(),
                etag,
                last_modified,
                stamp: *clock,
            },
        );
    }
}
