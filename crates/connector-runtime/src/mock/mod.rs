//! Mocks for downstream tests (the `mock` cargo feature): what a generated crate's
//! `mock` module builds on, so a test mounts a typed expectation of one operation on a
//! [`wiremock::MockServer`] and exercises its own code without a network.
//!
//! A generated `mock::get_invoice()` wraps a [`MockRequest`]; its setters put parameters
//! through the same encoders the client sends them with ([`ParamValue`], path-segment
//! encoding, [`CollectionFormat`] joins), so a matcher matches exactly what the client
//! sends, and its responders serialize the typed body with the same `serde` code the
//! client decodes with. This module is usable directly too:
//!
//! ```
//! # async fn demo() {
//! use connector_runtime::Method;
//! use connector_runtime::mock::{MockRequest, wiremock::MockServer};
//!
//! let server = MockServer::start().await;
//! let mut invoice = MockRequest::new("GetInvoice", Method::GET, "/invoices/{invoiceId}");
//! invoice.path_param("invoiceId", "INV-1");
//! invoice
//!     .respond_json(200, &serde_json::json!({"id": "INV-1"}))
//!     .expect(1)
//!     .mount(&server)
//!     .await;
//! # }
//! ```
//!
//! Matching: the method; the path template below any base path (pin one with
//! [`MockRequest::base_path`]), a given path parameter as that exact segment and an
//! absent one as any text; each given query pair and header among the request's (others
//! may be present). Request bodies are not matched: add a `wiremock` matcher with
//! [`MockRequest::and`].

mod matcher;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
/// The mock server crate, re-exported so generated crates need no direct dependency on it.
pub use wiremock;
use wiremock::{Match, Mock, ResponseTemplate};

pub use matcher::OperationMatcher;

use crate::request::{CollectionFormat, ParamValue, Request};

/// The expected request of one operation and the extras of its response: what a
/// generated mock builder wraps. Set parameters, then turn it into a [`wiremock::Mock`]
/// with a responder (`respond_json`, `respond_empty`, …) to `mount` or `expect(n)`.
#[derive(Clone)]
pub struct MockRequest {
    /// Path (with given parameters substituted), query and headers, built by the
    /// client's own encoders.
    request: Request,
    base_path: Option<String>,
    response_headers: Vec<(String, String)>,
    extra: Vec<Arc<dyn Match>>,
}

impl fmt::Debug for MockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header and query values are left out: a test may match on a credential.
        let headers: Vec<&str> = self
            .request
            .headers
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        f.debug_struct("MockRequest")
            .field("operation", &self.request.operation)
            .field("method", &self.request.method)
            .field("path", &self.request.path)
            .field("base_path", &self.base_path)
            .field(
                "query",
                &crate::observability::redact::NamesOnlyDebug(&self.request.query),
            )
            .field("headers", &headers)
            .field("extra_matchers", &self.extra.len())
            .finish()
    }
}

impl MockRequest {
    /// Expects `operation`'s `method` on the path `template` (as the client declares it).
    pub fn new(operation: &'static str, method: http::Method, template: &'static str) -> Self {
        MockRequest {
            request: Request::new(operation, method, template),
            base_path: None,
            response_headers: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// Expects path parameter `{name}` to be `value`, encoded as the client encodes it.
    /// Without it the segment matches any value. Only the first value given counts.
    pub fn path_param(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        self.request.path_param(name, value);
        self
    }

    /// [`MockRequest::path_param`] for a doubly encoded parameter
    /// (`x-ms-url-encoding: double`).
    pub fn path_param_double(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        self.request.path_param_double(name, value);
        self
    }

    /// Expects query parameter `name` to be `value` (replacing an earlier expectation of
    /// `name`).
    pub fn query(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        self.request.query.retain(|(k, _)| k != name);
        self.request.query(name, value);
        self
    }

    /// Expects array query parameter `name` to be `values`, joined per `format` as the
    /// client joins them (with `Multi`, each value must be among the pairs).
    pub fn query_list<T: ParamValue>(
        &mut self,
        name: &str,
        values: &[T],
        format: CollectionFormat,
    ) -> &mut Self {
        self.request.query.retain(|(k, _)| k != name);
        self.request.query_list(name, values, format);
        self
    }

    /// Expects header `name` to be `value` (replacing an earlier expectation of `name`).
    pub fn header(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        self.request
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.request.header(name, value);
        self
    }

    /// Expects cookie `name` to be `value`, among the request's `Cookie` pairs.
    pub fn cookie(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        let pair = format!("{name}={}", value.to_param());
        self.request.header("Cookie", pair);
        self
    }

    /// Expects the path right below `base_path` (the path of the client's base URL, e.g.
    /// `/api`); by default any base path is accepted.
    pub fn base_path(&mut self, base_path: impl Into<String>) -> &mut Self {
        self.base_path = Some(base_path.into());
        self
    }

    /// Adds a `wiremock` matcher, e.g. `body_json(..)` to also match the request body.
    pub fn and(&mut self, matcher: impl Match + 'static) -> &mut Self {
        self.extra.push(Arc::new(matcher));
        self
    }

    /// Adds a header to the response.
    pub fn response_header(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> &mut Self {
        self.response_headers.push((name.into(), value.into()));
        self
    }

    /// The matcher of the expected request (without the extra matchers).
    pub fn matcher(&self) -> OperationMatcher {
        OperationMatcher::new(
            self.request.method.clone(),
            &self.request.path,
            self.base_path.as_deref(),
            self.request.query.clone(),
            self.request.headers.clone(),
        )
    }

    /// A mock answering the expected request with `response` (plus the response
    /// headers set), named after the operation.
    pub fn respond(self, response: ResponseTemplate) -> Mock {
        let mut builder = Mock::given(self.matcher());
        for extra in self.extra {
            builder = builder.and(SharedMatch(extra));
        }
        let mut response = response;
        for (name, value) in &self.response_headers {
            response = response.append_header(name.as_str(), value.as_str());
        }
        builder.respond_with(response).named(self.request.operation)
    }

    /// Answers with `status` and `body` as JSON, serialized by its `Serialize` impl — the
    /// same field names and representations the client decodes. A body that cannot be
    /// serialized (a map with non-text keys) answers `500` with the reason as text
    /// instead of panicking in the server.
    pub fn respond_json<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Mock {
        let response = match serde_json::to_vec(body) {
            Ok(bytes) => template(status).set_body_raw(bytes, "application/json"),
            Err(e) => {
                tracing::error!(operation = self.request.operation, error = %e, "mock body could not be serialized");
                template(500).set_body_raw(
                    format!("mock body could not be serialized: {e}"),
                    "text/plain",
                )
            }
        };
        self.respond(response)
    }

    /// Answers with `status` and `text` as `media_type` (e.g. `text/plain`).
    pub fn respond_text(self, status: u16, media_type: &str, text: &str) -> Mock {
        self.respond(template(status).set_body_raw(text.as_bytes().to_vec(), media_type))
    }

    /// Answers with `status` and raw `bytes` as `media_type`.
    pub fn respond_bytes(self, status: u16, media_type: &str, bytes: impl Into<Vec<u8>>) -> Mock {
        self.respond(template(status).set_body_raw(bytes.into(), media_type))
    }

    /// Answers with `status` and no body.
    pub fn respond_empty(self, status: u16) -> Mock {
        self.respond(template(status))
    }
}

/// A response with `status`, or `500` when `status` is not a valid HTTP status (so a
/// typo in a test fails its assertions rather than panicking inside the server).
fn template(status: u16) -> ResponseTemplate {
    let status =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    ResponseTemplate::new(status)
}

/// An extra matcher shared between clones of a [`MockRequest`].
struct SharedMatch(Arc<dyn Match>);

impl Match for SharedMatch {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.0.matches(request)
    }
}

/// The methods every generated mock builder shares, on a newtype over [`MockRequest`]:
/// `base_path`, `and`, `response_header`, `respond`, `respond_json` and
/// `respond_status`. Generated `mock` modules invoke it once per operation; the
/// operation's typed setters and responders are generated next to it.
///
/// ```
/// use connector_runtime::Method;
/// use connector_runtime::mock::MockRequest;
///
/// /// Mock of `GET /health`.
/// #[derive(Debug, Clone)]
/// pub struct Health(MockRequest);
///
/// connector_runtime::mock_operation!(Health);
///
/// let mock = Health(MockRequest::new("Health", Method::GET, "/health"))
///     .base_path("/api")
///     .respond_status(204);
/// # let _ = mock;
/// ```
#[macro_export]
macro_rules! mock_operation {
    ($name:ident) => {
        impl $name {
            /// Matches only requests right below this base path (the path of the client's
            /// base URL, e.g. `/api`); by default any base path matches.
            pub fn base_path(
                mut self,
                base_path: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.0.base_path(base_path);
                self
            }

            /// Also requires `matcher`, e.g. `wiremock::matchers::body_json(..)`.
            pub fn and(mut self, matcher: impl $crate::mock::wiremock::Match + 'static) -> Self {
                self.0.and(matcher);
                self
            }

            /// Adds a header to the response.
            pub fn response_header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.0.response_header(name, value);
                self
            }

            /// Responds with `response` as given (any status, body, delay).
            pub fn respond(
                self,
                response: $crate::mock::wiremock::ResponseTemplate,
            ) -> $crate::mock::wiremock::Mock {
                self.0.respond(response)
            }

            /// Responds `status` with any serializable `body` as JSON.
            pub fn respond_json<T: $crate::serde::Serialize + ?Sized>(
                self,
                status: u16,
                body: &T,
            ) -> $crate::mock::wiremock::Mock {
                self.0.respond_json(status, body)
            }

            /// Responds `status` with no body.
            pub fn respond_status(self, status: u16) -> $crate::mock::wiremock::Mock {
                self.0.respond_empty(status)
            }
        }
    };
}
