//! The response wrapper: data, status, headers and meta.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::correlation::{CorrelationId, RequestId};
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::observability::redact::HeaderMapDebug;

/// Facts about how a response was obtained.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// When the response was received.
    pub timestamp: SystemTime,
    /// Time from the first attempt to the response.
    pub duration: Duration,
    /// Retries made before this response (0 when the first attempt succeeded).
    pub retry_count: u32,
    /// Correlation id: the server's request id, else the one the client sent.
    pub request_id: Option<RequestId>,
    /// Rate-limit status after this response, when known.
    pub rate_limit: Option<RateLimitStatus>,
    /// The correlation id the client sent (`X-Correlation-ID`).
    pub correlation_id: Option<CorrelationId>,
    /// Served from the revalidation cache after a `304 Not Modified`.
    pub from_cache: bool,
}

/// Rate-limit state as last reported by the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitStatus {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests remaining in the window.
    pub remaining: Option<u64>,
    /// When the window resets.
    pub reset: Option<SystemTime>,
    /// How long the server asked to wait.
    pub retry_after: Option<Duration>,
}

/// A successful response, undecoded. `Debug` shows the body's length and the headers
/// with credential values (`Set-Cookie`, …) redacted.
#[derive(Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// Meta.
    pub meta: ResponseMeta,
}

/// A typed response: the decoded body plus status, headers and meta. `Debug` shows the
/// headers with credential values (`Set-Cookie`, …) redacted.
#[derive(Clone)]
pub struct Response<T> {
    /// The decoded body.
    pub data: T,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Meta.
    pub meta: ResponseMeta,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &HeaderMapDebug(&self.headers))
            .field("body_len", &self.body.len())
            .field("meta", &self.meta)
            .finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("data", &self.data)
            .field("status", &self.status)
            .field("headers", &HeaderMapDebug(&self.headers))
            .field("meta", &self.meta)
            .finish()
    }
}

impl<T> Response<T> {
    /// The body alone.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Replace the body, keeping status, headers and meta.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            status: self.status,
            headers: self.headers,
            meta: self.meta,
        }
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl RawResponse {
    fn wrap<T>(self, data: T) -> Response<T> {
        Response {
            data,
            status: self.status,
            headers: self.headers,
            meta: self.meta,
        }
    }

    /// Decode the body as JSON. An empty body decodes as JSON `null`, so `Option` and
    /// `()` targets accept it.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let text: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        match serde_json::from_slice::<T>(text) {
            Ok(data) => Ok(self.wrap(data)),
            Err(e) => {
                let mut err = Error::new(
                    ErrorCode::ParsingError,
                    format!("response body is not the declared JSON: {e}"),
                )
                .with_source(ErrorSource::Deserialize);
                err.retryable = false;
                err.status = Some(self.status);
                err.request_id = self.meta.request_id.as_deref().map(str::to_owned);
                err.body = Some(
                    self.body
                        .slice(..self.body.len().min(crate::error::MAX_ERROR_BODY)),
                );
                Err(err.with_cause(e))
            }
        }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(self) -> Response<String> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        self.wrap(text)
    }

    /// The body as bytes.
    pub fn bytes(self) -> Response<Bytes> {
        let body = self.body.clone();
        self.wrap(body)
    }

    /// Ignore the body.
    pub fn empty(self) -> Response<()> {
        self.wrap(())
    }
}
