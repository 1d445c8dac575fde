//! The structured error every call returns.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

/// Machine-readable error code (seed 004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Network connectivity issues.
    NetworkError,
    /// The request exceeded its timeout.
    Timeout,
    /// Authentication or authorization failed (401, 403).
    AuthFailed,
    /// Rate limit exceeded (429).
    RateLimit,
    /// Malformed or invalid request (other 4xx).
    InvalidRequest,
    /// 404.
    NotFound,
    /// 409 / 412.
    Conflict,
    /// Server-side error (5xx).
    ServerError,
    /// The response could not be parsed.
    ParsingError,
    /// Data validation failed before sending.
    ValidationError,
    /// The caller cancelled the request.
    Cancelled,
    /// The operation is not supported.
    Unsupported,
    /// A buffered response body exceeded the client's limit
    /// ([`crate::ClientBuilder::max_body_size`]).
    ResponseTooLarge,
}

impl ErrorCode {
    /// The code as seed 004 spells it, e.g. `RATE_LIMIT`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NetworkError => "NETWORK_ERROR",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::AuthFailed => "AUTH_FAILED",
            ErrorCode::RateLimit => "RATE_LIMIT",
            ErrorCode::InvalidRequest => "INVALID_REQUEST",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::ServerError => "SERVER_ERROR",
            ErrorCode::ParsingError => "PARSING_ERROR",
            ErrorCode::ValidationError => "VALIDATION_ERROR",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::Unsupported => "UNSUPPORTED",
            ErrorCode::ResponseTooLarge => "RESPONSE_TOO_LARGE",
        }
    }

    /// The code for an HTTP error status.
    pub fn from_status(status: u16) -> Self {
        match status {
            401 | 403 => ErrorCode::AuthFailed,
            404 | 410 => ErrorCode::NotFound,
            408 => ErrorCode::Timeout,
            409 | 412 => ErrorCode::Conflict,
            429 => ErrorCode::RateLimit,
            500..=599 => ErrorCode::ServerError,
            _ => ErrorCode::InvalidRequest,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The subsystem an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorSource {
    /// Sending or receiving bytes, or an HTTP error status.
    Transport,
    /// Credentials.
    Auth,
    /// The rate limiter or circuit breaker.
    RateLimit,
    /// Decoding a response.
    Deserialize,
    /// A user hook or policy.
    UserHook,
    /// Anything else.
    Unknown,
}

/// Largest error body kept, in bytes.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// A structured connector error: code, status, retryability, correlation and cause.
///
/// Never contains credentials: request headers are not kept, and bodies are only the
/// server's response.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}{}", status_suffix(*.status))]
pub struct Error {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Human-readable, one line.
    pub message: String,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// Whether retrying may succeed.
    pub retryable: bool,
    /// Correlation id (the server's request id, else the one the client sent).
    pub request_id: Option<String>,
    /// Subsystem.
    pub source_kind: ErrorSource,
    /// Operation id of the call, when known.
    pub operation: Option<&'static str>,
    /// Attempt number (1-based) that produced this error.
    pub attempt: u32,
    /// Time since the logical operation started.
    pub elapsed: Duration,
    /// The server's error body, capped at [`MAX_ERROR_BODY`].
    pub body: Option<Bytes>,
    /// The pause the server asked for (`Retry-After`, rate-limit reset), when it did.
    pub retry_after: Option<Duration>,
    /// The underlying cause.
    #[source]
    pub cause: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

fn status_suffix(status: Option<u16>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}

impl Error {
    /// A new error with the given code and message; other fields empty.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let retryable = matches!(
            code,
            ErrorCode::NetworkError
                | ErrorCode::Timeout
                | ErrorCode::RateLimit
                | ErrorCode::ServerError
        );
        Error {
            code,
            message: message.into(),
            status: None,
            retryable,
            request_id: None,
            source_kind: ErrorSource::Unknown,
            operation: None,
            attempt: 1,
            elapsed: Duration::ZERO,
            body: None,
            retry_after: None,
            cause: None,
        }
    }

    /// Set the subsystem.
    pub fn with_source(mut self, source: ErrorSource) -> Self {
        self.source_kind = source;
        self
    }

    /// Keep the underlying cause.
    pub fn with_cause(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// An error for an HTTP error status, keeping (a capped copy of) the body.
    pub fn from_status(status: u16, body: Bytes) -> Self {
        let code = ErrorCode::from_status(status);
        let mut err = Error::new(code, format!("server answered {status}"));
        err.status = Some(status);
        err.retryable = matches!(status, 408 | 425 | 429 | 500..=599);
        err.source_kind = ErrorSource::Transport;
        let kept = if body.len() > MAX_ERROR_BODY {
            body.slice(..MAX_ERROR_BODY)
        } else {
            body
        };
        if !kept.is_empty() {
            err.body = Some(kept);
        }
        err
    }

    /// A validation error (bad input detected before sending).
    pub fn validation(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::ValidationError, message)
    }

    /// Decode the server's error body into the type the definition declares.
    pub fn decode_body<T: DeserializeOwned>(&self) -> Option<T> {
        self.body
            .as_ref()
            .and_then(|b| serde_json::from_slice(b).ok())
    }

    /// The server's error body as text (lossy).
    pub fn body_text(&self) -> Option<String> {
        self.body
            .as_ref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

/// A transport failure as the pipeline's error.
pub(crate) fn transport_error(e: reqwest::Error) -> Error {
    let (code, message) = if e.is_timeout() {
        (ErrorCode::Timeout, "request timed out in transport")
    } else if e.is_builder() {
        (ErrorCode::ValidationError, "request could not be built")
    } else if e.is_decode() && !is_interrupted(&e) {
        (
            ErrorCode::ParsingError,
            "response body could not be decoded",
        )
    } else if e.is_decode() {
        (
            ErrorCode::NetworkError,
            "connection lost while reading the body",
        )
    } else if e.is_connect() {
        (ErrorCode::NetworkError, "connection failed")
    } else if e.is_body() {
        (
            ErrorCode::NetworkError,
            "connection failed while transferring the body",
        )
    } else {
        (ErrorCode::NetworkError, "request failed in transport")
    };
    let mut err = Error::new(code, message).with_source(ErrorSource::Transport);
    // reqwest's Display includes the URL, which may carry an API key in the query:
    // keep the cause without the URL.
    err.cause = Some(Box::new(e.without_url()));
    err
}

/// Whether an I/O failure (reset, EOF before the promised length) sits in the chain:
/// reqwest reports those as "decode" errors while reading the body.
fn is_interrupted(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io.kind() != std::io::ErrorKind::InvalidData;
        }
        source = s.source();
    }
    false
}
