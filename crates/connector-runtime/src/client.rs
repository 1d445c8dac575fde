//! [`Client`]: configuration plus the pipeline that executes a [`Request`].

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use tracing::Instrument;

use crate::auth::Auth;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::request::{Body, Request};
use crate::response::{RawResponse, ResponseMeta};

/// Default per-request timeout (seed 004).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default `User-Agent`: this runtime's name and version.
pub const DEFAULT_USER_AGENT: &str = concat!("connector-runtime/", env!("CARGO_PKG_VERSION"));

/// A configured connector client. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base_url: String,
    http: reqwest::Client,
    auth: Auth,
    default_headers: Vec<(String, String)>,
    default_query: Vec<(String, String)>,
    timeout: Duration,
}

/// Builder for [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    user_agent: String,
    auth: Auth,
    default_headers: Vec<(String, String)>,
    default_query: Vec<(String, String)>,
}

impl ClientBuilder {
    /// A builder for a client calling `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            auth: Auth::None,
            default_headers: Vec::new(),
            default_query: Vec::new(),
        }
    }

    /// Replace the base URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Per-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Credentials.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// A query parameter sent with every request.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_query.push((name.into(), value.into()));
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        reqwest::Url::parse(&base_url).map_err(|e| {
            Error::new(
                ErrorCode::ValidationError,
                format!("invalid base URL {base_url:?}: {e}"),
            )
            .with_cause(e)
        })?;
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| {
                Error::new(ErrorCode::Unsupported, "HTTP client could not be built")
                    .with_source(ErrorSource::Transport)
                    .with_cause(e)
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                http,
                auth: self.auth,
                default_headers: self.default_headers,
                default_query: self.default_query,
                timeout: self.timeout,
            }),
        })
    }
}

impl Client {
    /// A builder for a client calling `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Execute `request`; a non-2xx status becomes an [`Error`] keeping the body.
    pub async fn execute(&self, mut request: Request) -> Result<RawResponse, Error> {
        let started = Instant::now();
        let span = tracing::info_span!(
            "connector.operation",
            operation = request.operation,
            method = %request.method,
            path = request.template,
        );
        async move {
            for (name, value) in &self.inner.default_query {
                request.query.push((name.clone(), value.clone()));
            }
            self.inner.auth.apply(&mut request);
            let outcome = self.send_once(&request).await;
            outcome.map_err(|mut e| {
                e.operation = Some(request.operation);
                e.elapsed = started.elapsed();
                e
            })
            .map(|(status, headers, body)| RawResponse {
                status,
                meta: ResponseMeta {
                    timestamp: SystemTime::now(),
                    duration: started.elapsed(),
                    retry_count: 0,
                    request_id: request_id(&headers),
                    rate_limit: None,
                },
                headers,
                body,
            })
        }
        .instrument(span)
        .await
    }

    async fn send_once(
        &self,
        request: &Request,
    ) -> Result<(u16, http::HeaderMap, Bytes), Error> {
        let url = match &request.absolute_url {
            Some(url) => url.clone(),
            None => format!("{}{}", self.inner.base_url, request.path),
        };
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .timeout(request.timeout.unwrap_or(self.inner.timeout));
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in self.inner.default_headers.iter().chain(&request.headers) {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content_type, data } => builder
                .header(http::header::CONTENT_TYPE, content_type.as_str())
                .body(data.clone()),
            Body::Form(form) if form.multipart => {
                let mut mp = reqwest::multipart::Form::new();
                for (name, value) in &form.fields {
                    mp = mp.text(name.clone(), value.clone());
                }
                for (name, file) in &form.files {
                    let mut part = reqwest::multipart::Part::bytes(file.data.to_vec());
                    if let Some(file_name) = &file.file_name {
                        part = part.file_name(file_name.clone());
                    }
                    let ct = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    part = part.mime_str(ct).map_err(|e| {
                        Error::validation(format!("invalid content type {ct:?}")).with_cause(e)
                    })?;
                    mp = mp.part(name.clone(), part);
                }
                builder.multipart(mp)
            }
            Body::Form(form) => builder.form(&form.fields),
        };
        let response = builder.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport_error)?;
        if (200..300).contains(&status) {
            Ok((status, headers, body))
        } else {
            let mut err = Error::from_status(status, body);
            err.request_id = request_id(&headers);
            Err(err)
        }
    }
}

fn request_id(headers: &http::HeaderMap) -> Option<String> {
    ["x-request-id", "x-ms-request-id", "x-correlation-id", "request-id"]
        .iter()
        .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()))
        .map(str::to_owned)
}

fn transport_error(e: reqwest::Error) -> Error {
    let code = if e.is_timeout() {
        ErrorCode::Timeout
    } else if e.is_decode() {
        ErrorCode::ParsingError
    } else {
        ErrorCode::NetworkError
    };
    Error::new(code, "request failed in transport")
        .with_source(ErrorSource::Transport)
        .with_cause(e)
}
