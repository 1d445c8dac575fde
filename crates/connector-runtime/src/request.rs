//! [`Request`]: the description of one call that generated code hands to the runtime.
//!
//! It is plain data (no I/O), so hooks, policies and retries can inspect and rewrite it,
//! and so generated code stays a list of `request.query(..)` lines.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::error::Error;
use crate::observability::redact::{NamesOnlyDebug, url_text_for_debug};

/// Characters left as-is in a path segment: RFC 3986 unreserved.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How array parameters are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CollectionFormat {
    /// `a,b,c`
    #[default]
    Csv,
    /// `a b c`
    Ssv,
    /// `a\tb\tc`
    Tsv,
    /// `a|b|c`
    Pipes,
    /// `name=a&name=b&name=c`
    Multi,
}

impl CollectionFormat {
    fn separator(self) -> Option<&'static str> {
        match self {
            CollectionFormat::Csv => Some(","),
            CollectionFormat::Ssv => Some(" "),
            CollectionFormat::Tsv => Some("\t"),
            CollectionFormat::Pipes => Some("|"),
            CollectionFormat::Multi => None,
        }
    }
}

/// A value that can travel in a path, query or header parameter.
///
/// Implemented for strings, numbers, booleans and the runtime's date types; generated
/// enums implement it through their wire value.
pub trait ParamValue {
    /// The value as text, before any URL encoding.
    fn to_param(&self) -> String;

    /// The value as text, borrowed when it already is text (strings, enum values), so
    /// that encoding it into a path allocates nothing more.
    fn param_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_param())
    }
}

impl ParamValue for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }

    fn param_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }

    fn param_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

macro_rules! param_via_display {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
param_via_display!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    crate::DateTime,
    crate::Date
);

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }

    fn param_text(&self) -> Cow<'_, str> {
        (**self).param_text()
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Box<T> {
    fn to_param(&self) -> String {
        (**self).to_param()
    }

    fn param_text(&self) -> Cow<'_, str> {
        (**self).param_text()
    }
}

/// A file (or any binary part) for a multipart form.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The bytes.
    pub data: Bytes,
    /// File name sent in the part's `Content-Disposition`.
    pub file_name: Option<String>,
    /// Content type of the part (default `application/octet-stream`).
    pub content_type: Option<String>,
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    /// A part from bytes.
    pub fn new(data: impl Into<Bytes>) -> Self {
        FilePart {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Set the file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Set the content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl<T: Into<Bytes>> From<T> for FilePart {
    fn from(data: T) -> Self {
        FilePart::new(data)
    }
}

/// A form body: url-encoded or multipart. `Debug` shows field names only (a form may
/// carry a password or client secret).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// `true` for `multipart/form-data`.
    pub multipart: bool,
    /// Text fields, in order.
    pub fields: Vec<(String, String)>,
    /// File parts, in order (multipart only).
    pub files: Vec<(String, FilePart)>,
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Form")
            .field("multipart", &self.multipart)
            .field("fields", &NamesOnlyDebug(&self.fields))
            .field("files", &self.files)
            .finish()
    }
}

impl Form {
    /// An empty form.
    pub fn new(multipart: bool) -> Self {
        Form {
            multipart,
            ..Form::default()
        }
    }

    /// Add a text field.
    pub fn field(&mut self, name: &str, value: impl ParamValue) {
        self.fields.push((name.to_owned(), value.to_param()));
    }

    /// Add an optional text field.
    pub fn field_opt(&mut self, name: &str, value: Option<impl ParamValue>) {
        if let Some(v) = value {
            self.field(name, v);
        }
    }

    /// Add a file part.
    pub fn file(&mut self, name: &str, part: FilePart) {
        self.files.push((name.to_owned(), part));
    }
}

/// A request body. `Debug` shows the content type and length of bytes, never the
/// payload (a JSON body may hold a secret).
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes with a content type (JSON bodies are serialized into this).
    Bytes {
        /// `Content-Type`.
        content_type: String,
        /// The payload.
        data: Bytes,
    },
    /// A form.
    Form(Form),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { content_type, data } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &data.len())
                .finish(),
            Body::Form(form) => f.debug_tuple("Form").field(form).finish(),
        }
    }
}

/// One call, described: what generated code builds and the pipeline executes.
///
/// `Debug` never shows a secret: header, query and form values are replaced by
/// `[redacted]` (any of their names may be a credential's), bodies show their length,
/// and an absolute URL loses its userinfo and query values.
#[derive(Clone)]
pub struct Request {
    /// Operation id, for tracing, policies and errors.
    pub operation: &'static str,
    /// HTTP method.
    pub method: http::Method,
    /// Path template as declared, e.g. `/items/{id}`.
    pub template: &'static str,
    /// The path with parameters substituted and encoded.
    pub path: String,
    /// Query parameters, in order, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
    /// Whether this operation's method is safe to retry without an idempotency key.
    pub idempotent: bool,
    /// A per-call timeout overriding the client's.
    pub timeout: Option<std::time::Duration>,
    /// An absolute URL to call instead of base URL + path (next-page links).
    pub absolute_url: Option<String>,
    /// An idempotency key for this logical operation (sent as `Idempotency-Key` on
    /// every attempt). Generated for unsafe methods when absent and idempotency is on.
    pub idempotency_key: Option<String>,
    /// A caller's cancellation token; cancelling fails the call with `CANCELLED`.
    pub cancel: Option<tokio_util::sync::CancellationToken>,
    /// The media type the operation declares for its success response, sent as
    /// `Accept` unless the request or the client's default headers set one.
    pub accept: Option<&'static str>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("template", &self.template)
            .field("path", &self.path)
            .field("query", &NamesOnlyDebug(&self.query))
            .field("headers", &NamesOnlyDebug(&self.headers))
            .field("body", &self.body)
            .field("idempotent", &self.idempotent)
            .field("timeout", &self.timeout)
            .field(
                "absolute_url",
                &self.absolute_url.as_deref().map(url_text_for_debug),
            )
            .field("idempotency_key", &self.idempotency_key)
            .field("cancel", &self.cancel.is_some())
            .field("accept", &self.accept)
            .finish()
    }
}

impl Request {
    /// A request for `operation`, with `method` on the path `template`.
    pub fn new(operation: &'static str, method: http::Method, template: &'static str) -> Self {
        let idempotent = matches!(
            method,
            http::Method::GET
                | http::Method::HEAD
                | http::Method::OPTIONS
                | http::Method::PUT
                | http::Method::DELETE
                | http::Method::TRACE
        );
        Request {
            operation,
            method,
            template,
            path: {
                // Room for the usual parameter values, so substituting them in place
                // seldom reallocates.
                let mut path = String::with_capacity(template.len() + 32);
                path.push_str(template);
                path
            },
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            idempotent,
            timeout: None,
            absolute_url: None,
            idempotency_key: None,
            cancel: None,
            accept: None,
        }
    }

    /// Declare the media type the operation answers with (generated code passes the
    /// definition's): it is sent as `Accept` unless the request or the client's default
    /// headers set that header, in place of reqwest's `*/*`.
    pub fn accept(&mut self, media_type: &'static str) -> &mut Self {
        self.accept = Some(media_type);
        self
    }

    /// Substitute path parameter `{name}`, percent-encoding the value as one segment.
    pub fn path_param(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        let text = value.param_text();
        let encoded: Cow<'_, str> = utf8_percent_encode(&text, PATH_SEGMENT).into();
        self.substitute(name, &encoded);
        self
    }

    /// Substitute path parameter `{name}`, encoding it twice (`x-ms-url-encoding: double`).
    pub fn path_param_double(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        let text = value.param_text();
        let once: Cow<'_, str> = utf8_percent_encode(&text, PATH_SEGMENT).into();
        let twice: Cow<'_, str> = utf8_percent_encode(&once, PATH_SEGMENT).into();
        self.substitute(name, &twice);
        self
    }

    /// Replace every `{name}` of the path with `encoded`, in place. (A plain scan:
    /// `str::replace` builds a substring searcher and a second string per call.)
    fn substitute(&mut self, name: &str, encoded: &str) {
        let mut from = 0;
        while let Some(open) = self.path[from..].find('{').map(|i| from + i) {
            let after = open + 1;
            let close = after + name.len();
            if self.path[after..].starts_with(name) && self.path[close..].starts_with('}') {
                self.path.replace_range(open..=close, encoded);
                from = open + encoded.len();
            } else {
                from = after;
            }
        }
    }

    /// Add a query parameter.
    pub fn query(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        self.query.push((name.to_owned(), value.to_param()));
        self
    }

    /// Add a query parameter when present.
    pub fn query_opt(&mut self, name: &str, value: Option<impl ParamValue>) -> &mut Self {
        if let Some(v) = value {
            self.query(name, v);
        }
        self
    }

    /// Add an array query parameter joined per `format`.
    pub fn query_list<T: ParamValue>(
        &mut self,
        name: &str,
        values: &[T],
        format: CollectionFormat,
    ) -> &mut Self {
        match format.separator() {
            Some(sep) => {
                let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
                self.query.push((name.to_owned(), joined.join(sep)));
            }
            None => {
                for v in values {
                    self.query.push((name.to_owned(), v.to_param()));
                }
            }
        }
        self
    }

    /// Join array values for a path or header parameter.
    pub fn join<T: ParamValue>(values: &[T], format: CollectionFormat) -> String {
        let sep = format.separator().unwrap_or(",");
        let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        joined.join(sep)
    }

    /// Add a header.
    pub fn header(&mut self, name: &str, value: impl ParamValue) -> &mut Self {
        self.headers.push((name.to_owned(), value.to_param()));
        self
    }

    /// Add a header when present.
    pub fn header_opt(&mut self, name: &str, value: Option<impl ParamValue>) -> &mut Self {
        if let Some(v) = value {
            self.header(name, v);
        }
        self
    }

    /// Serialize `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<&mut Self, Error> {
        let data = serde_json::to_vec(body).map_err(|e| {
            Error::validation(format!("request body could not be serialized: {e}")).with_cause(e)
        })?;
        self.body = Body::Bytes {
            content_type: "application/json".to_owned(),
            data: data.into(),
        };
        Ok(self)
    }

    /// Send raw bytes with a content type.
    pub fn bytes(&mut self, content_type: &str, data: impl Into<Bytes>) -> &mut Self {
        self.body = Body::Bytes {
            content_type: content_type.to_owned(),
            data: data.into(),
        };
        self
    }

    /// Send a form.
    pub fn form(&mut self, form: Form) -> &mut Self {
        self.body = Body::Form(form);
        self
    }

    /// Use `key` as this operation's idempotency key (e.g. a hash of stable inputs).
    pub fn idempotency_key(&mut self, key: impl Into<String>) -> &mut Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Cancel the call when `token` is cancelled.
    pub fn cancel_token(&mut self, token: tokio_util::sync::CancellationToken) -> &mut Self {
        self.cancel = Some(token);
        self
    }

    /// Override the client's timeout for this call.
    pub fn timeout(&mut self, timeout: std::time::Duration) -> &mut Self {
        self.timeout = Some(timeout);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_replace_every_exact_placeholder_and_nothing_else() {
        let mut r = Request::new("op", http::Method::GET, "/a/{id}/b/{idx}/{id}/{}/{i");
        r.path_param("id", "x y/z");
        assert_eq!(r.path, "/a/x%20y%2Fz/b/{idx}/x%20y%2Fz/{}/{i");
        r.path_param("idx", 7u32);
        assert_eq!(r.path, "/a/x%20y%2Fz/b/7/x%20y%2Fz/{}/{i");
        // A value that looks like a placeholder is encoded, never substituted again.
        let mut r = Request::new("op", http::Method::GET, "/{a}/{b}");
        r.path_param("a", "{b}").path_param("b", "é");
        assert_eq!(r.path, "/%7Bb%7D/%C3%A9");
        let mut r = Request::new("op", http::Method::GET, "/{a}");
        r.path_param_double("a", "a/b");
        assert_eq!(r.path, "/a%252Fb");
        r.path_param("missing", "v");
        assert_eq!(r.path, "/a%252Fb");
    }

    #[test]
    fn debug_shows_names_but_never_header_query_form_or_body_values() {
        let mut r = Request::new("op", http::Method::POST, "/items");
        r.header("Ocp-Apim-Subscription-Key", "hdr-secret-1")
            .header("Authorization", "Bearer hdr-secret-2")
            .query("code", "query-secret-3")
            .bytes("application/json", r#"{"password":"body-secret-4"}"#);
        r.absolute_url = Some("https://user:url-secret-5@h.example/next?sig=url-secret-6".into());
        let text = format!("{r:?}");
        for secret in [
            "hdr-secret-1",
            "hdr-secret-2",
            "query-secret-3",
            "body-secret-4",
        ]
        .into_iter()
        .chain(["url-secret-5", "url-secret-6"])
        {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        for name in [
            "Ocp-Apim-Subscription-Key",
            "Authorization",
            "code",
            "sig",
            "h.example",
        ] {
            assert!(text.contains(name), "{name} missing: {text}");
        }
        let mut form = Form::new(false);
        form.field("client_secret", "form-secret-7");
        r.form(form);
        let text = format!("{r:?}");
        assert!(
            !text.contains("form-secret-7") && text.contains("client_secret"),
            "{text}"
        );
    }
}
