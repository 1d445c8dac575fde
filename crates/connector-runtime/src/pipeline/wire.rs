//! The wire stage: build the HTTP request, attach credentials only for trusted
//! origins, send it, follow redirects, and read the response body under the size cap.

use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use super::redirect::{self, Hop};
use super::{AttemptErr, BodyFactory, Mode, OutcomeBody, server_request_id};
use crate::auth::Auth;
use crate::client::{CORRELATION_HEADER, Client};
use crate::error::{Error, ErrorCode, ErrorSource, MAX_ERROR_BODY, transport_error};
use crate::rate_limit::Slot;
use crate::request::{Body, Request};
use crate::retry::parse_retry_after;

/// The pipeline's own header names, built at compile time.
const CORRELATION_NAME: http::HeaderName = http::HeaderName::from_static(CORRELATION_HEADER);
const IDEMPOTENCY_KEY_NAME: http::HeaderName = http::HeaderName::from_static("idempotency-key");

/// What one attempt received.
pub(crate) struct AttemptOk {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: OutcomeBody,
    pub(crate) from_cache: bool,
}

/// A failed wire stage: the failure and the token generation sent (for refresh-after-401).
pub(crate) type WireErr = (Box<AttemptErr>, Option<u64>);

/// The URL of `request`: its absolute URL, else the client's base URL with the request's
/// path (already percent-encoded) appended. The common case reuses the parsed base and
/// only sets the path, so the host is not parsed again on every call.
fn request_url(
    base: &reqwest::Url,
    base_text: &str,
    request: &Request,
) -> Result<reqwest::Url, Error> {
    let parse = |text: &str| {
        reqwest::Url::parse(text)
            .map_err(|e| Error::validation(format!("invalid request URL: {e}")).with_cause(e))
    };
    if let Some(absolute) = &request.absolute_url {
        return parse(absolute);
    }
    let path = request.path.as_str();
    if path.starts_with('/') && !path.contains(['?', '#']) && base.query().is_none() {
        let mut url = base.clone();
        let prefix = base.path().trim_end_matches('/');
        if prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&format!("{prefix}{path}"));
        }
        return Ok(url);
    }
    parse(&format!("{base_text}{path}"))
}

/// A failure sending the request: before the request was written (connect, DNS, TLS,
/// building) it never reached the server; anything later may have.
fn send_failure(e: reqwest::Error) -> Box<AttemptErr> {
    if e.is_connect() || e.is_builder() {
        AttemptErr::before_write(transport_error(e))
    } else {
        AttemptErr::boxed(transport_error(e))
    }
}

/// The error for a buffered body over the client's cap.
fn body_too_large(cap: usize, announced: Option<u64>) -> Error {
    let found = match announced {
        Some(n) => format!("Content-Length is {n} bytes"),
        None => "more bytes arrived".to_owned(),
    };
    let mut e = Error::new(
        ErrorCode::ResponseTooLarge,
        format!(
            "response body exceeds the client's limit of {cap} bytes ({found}); raise it with ClientBuilder::max_body_size or use a streaming call"
        ),
    )
    .with_source(ErrorSource::Transport);
    e.retryable = false;
    e
}

/// Read the whole body, failing once it grows past `cap` bytes (checked against
/// `Content-Length` first). A body arriving in one chunk is returned without a copy.
async fn read_limited(mut response: reqwest::Response, cap: usize) -> Result<Bytes, Error> {
    let announced = response.content_length();
    if announced.is_some_and(|n| n > cap as u64) {
        return Err(body_too_large(cap, announced));
    }
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    let mut total = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        total += chunk.len();
        if total > cap {
            return Err(body_too_large(cap, None));
        }
        match (&mut first, &mut rest) {
            (None, _) => first = Some(chunk),
            (Some(head), None) => {
                let size = announced.map_or(total, |n| n as usize).max(total);
                let mut buf = BytesMut::with_capacity(size);
                buf.extend_from_slice(head);
                buf.extend_from_slice(&chunk);
                rest = Some(buf);
            }
            (Some(_), Some(buf)) => buf.extend_from_slice(&chunk),
        }
    }
    Ok(match rest {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
    })
}

/// Read at most `cap` bytes of an error body; transport failures yield what arrived.
async fn read_capped(response: reqwest::Response, cap: usize) -> Bytes {
    let mut out = BytesMut::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else { break };
        let room = cap - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= cap {
            break;
        }
    }
    out.freeze()
}

fn header_name(name: &str) -> Result<http::HeaderName, Error> {
    // The pipeline's own headers have static names: no parsing, no allocation.
    if name.eq_ignore_ascii_case(CORRELATION_HEADER) {
        Ok(CORRELATION_NAME)
    } else if name.eq_ignore_ascii_case("idempotency-key") {
        Ok(IDEMPOTENCY_KEY_NAME)
    } else {
        http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::validation(format!("invalid header name {name:?}")).with_cause(e))
    }
}

/// The `Accept` value borrowing `text` (no copy, unlike `HeaderValue::from_str`, which
/// allocates on every call). `HeaderValue::from_static` panics on a byte it does not
/// allow, so the same rule (visible ASCII, space or tab) is checked first.
fn accept_value(text: &'static str) -> Result<http::HeaderValue, Error> {
    if text
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        Ok(http::HeaderValue::from_static(text))
    } else {
        Err(Error::validation(format!(
            "invalid Accept media type {text:?}"
        )))
    }
}

/// A form body (URL-encoded or multipart), through reqwest's builder: it encodes the
/// form and sets the content type. Rare, so the builder's moves are not on the hot path.
fn with_form(
    client: &reqwest::Client,
    request: reqwest::Request,
    form: &crate::request::Form,
) -> Result<reqwest::Request, Error> {
    let builder = reqwest::RequestBuilder::from_parts(client.clone(), request);
    let builder = if form.multipart {
        let mut mp = reqwest::multipart::Form::new();
        for (name, value) in &form.fields {
            mp = mp.text(name.clone(), value.clone());
        }
        for (name, file) in &form.files {
            let mut part = reqwest::multipart::Part::stream(reqwest::Body::from(file.data.clone()));
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
    } else {
        builder.form(&form.fields)
    };
    builder.build().map_err(transport_error)
}

/// Set `body` as the request's body (`Body::Bytes` with its content type); a form goes
/// through [`with_form`].
fn set_body(
    client: &reqwest::Client,
    mut request: reqwest::Request,
    body: &Body,
) -> Result<reqwest::Request, Error> {
    match body {
        Body::Empty => {}
        Body::Bytes { content_type, data } => {
            let v = http::HeaderValue::from_str(content_type).map_err(|e| {
                Error::validation(format!("invalid content type {content_type:?}")).with_cause(e)
            })?;
            request.headers_mut().append(http::header::CONTENT_TYPE, v);
            *request.body_mut() = Some(reqwest::Body::from(data.clone()));
        }
        Body::Form(form) => return with_form(client, request, form),
    }
    Ok(request)
}

impl Client {
    /// The wire request for one hop of an attempt, and whether it goes bare (to an
    /// origin that may not receive credentials: then no header or query parameter
    /// whose name is secret is added, and secret parameters of the URL are removed).
    /// `correlation_id` is the pipeline's own id to send (`None` when the caller set
    /// the header).
    fn build_http_request(
        &self,
        request: &Request,
        hop: &Hop,
        body_factory: Option<&BodyFactory>,
        correlation_id: Option<&str>,
    ) -> Result<(reqwest::Request, bool), Error> {
        let inner = &self.inner;
        let (mut url, bare) = match &hop.url {
            Some(url) => (url.clone(), hop.bare),
            None => {
                let url = request_url(&inner.base, &inner.base_url, request)?;
                // Relative requests go to the base origin: no lookup on the hot path.
                let bare = request.absolute_url.is_some() && !inner.origins.is_trusted(&url);
                (url, bare)
            }
        };
        let redactor = &inner.redactor;
        if bare {
            redirect::strip_secret_query(&mut url, redactor);
        }
        let first_hop = hop.url.is_none();
        if first_hop && (!inner.default_query.is_empty() || !request.query.is_empty()) {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in inner.default_query.iter().chain(&request.query) {
                if !bare || !redactor.is_sensitive_field(k) {
                    pairs.append_pair(k, v);
                }
            }
        }
        let method = hop.method.clone().unwrap_or_else(|| request.method.clone());
        // The wire request is built directly, not through `reqwest::RequestBuilder`: each
        // builder call takes and returns the 272-byte builder by value, and those moves
        // (seven per call) wrote cold cache lines on every call. Credentials in the URL
        // go through reqwest's builder, which moves them into an `Authorization` header.
        let mut http_request = if url.username().is_empty() && url.password().is_none() {
            reqwest::Request::new(method, url)
        } else {
            inner
                .http
                .request(method, url)
                .build()
                .map_err(transport_error)?
        };
        let headers = http_request.headers_mut();
        // The client's default headers replace any of the same name (as
        // `RequestBuilder::headers` does); secret ones are left out of a bare request.
        for name in inner.default_headers.keys() {
            if bare && redactor.is_sensitive_header(name.as_str()) {
                continue;
            }
            headers.remove(name);
            for value in inner.default_headers.get_all(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        if let Some(id) = correlation_id {
            let v = http::HeaderValue::from_str(id)
                .map_err(|e| Error::validation("invalid correlation id").with_cause(e))?;
            headers.append(CORRELATION_NAME, v);
        }
        for (name, value) in &request.headers {
            if bare && redactor.is_sensitive_header(name) {
                continue;
            }
            let v = http::HeaderValue::from_str(value).map_err(|e| {
                Error::validation(format!("invalid value for header {name:?}")).with_cause(e)
            })?;
            headers.append(header_name(name)?, v);
        }
        // The operation's declared media type, unless a header or a default set one.
        if let Some(media) = request.accept
            && !headers.contains_key(http::header::ACCEPT)
        {
            headers.insert(http::header::ACCEPT, accept_value(media)?);
        }
        if !hop.without_body {
            match body_factory {
                Some(factory) => *http_request.body_mut() = Some(factory()?),
                None => http_request = set_body(&inner.http, http_request, &request.body)?,
            }
        }
        Ok((http_request, bare))
    }

    /// One attempt on the wire: send (following redirects), then read the body as
    /// `mode` says. Returns the token generation used, for refresh-after-401.
    pub(crate) async fn send_attempt(
        &self,
        request: &Request,
        auth: &Auth,
        mode: &Mode,
        body_factory: Option<&BodyFactory>,
        correlation_id: Option<&str>,
        slot: Slot,
    ) -> Result<(AttemptOk, Option<u64>), WireErr> {
        let inner = &self.inner;
        let mut hop = Hop::default();
        let mut generation = None;
        let mut cache_key = None;
        let mut response = loop {
            // The wire request lives in this block only, so the attempt's state does
            // not keep room for it across the later awaits.
            let (pending, bare) = {
                let (mut http_request, bare) = self
                    .build_http_request(request, &hop, body_factory, correlation_id)
                    .map_err(|e| (AttemptErr::before_write(e), generation))?;
                // Conditional request from the revalidation cache (first hop only).
                if let (Some(cache), &http::Method::GET, None) =
                    (&inner.cache, &request.method, &hop.url)
                {
                    let key = http_request.url().as_str().to_owned();
                    for (name, value) in cache.validators(&key) {
                        if let Ok(v) = http::HeaderValue::from_str(&value) {
                            http_request.headers_mut().insert(name, v);
                        }
                    }
                    cache_key = Some(key);
                }
                if !bare {
                    generation = auth
                        .authenticate(&mut http_request)
                        .await
                        .map_err(|e| (AttemptErr::before_write(e), None))?;
                }
                if tracing::enabled!(tracing::Level::DEBUG) {
                    tracing::debug!(
                        url = %inner.redactor.url(http_request.url()),
                        headers = %inner.redactor.headers(http_request.headers()),
                        bare,
                        hop = hop.count,
                        "sending request"
                    );
                }
                (inner.http.execute(http_request), bare)
            };
            let response = pending.await.map_err(|e| (send_failure(e), generation))?;
            let status = response.status().as_u16();
            if !redirect::is_redirect(status) {
                break response;
            }
            hop.bare = bare;
            let method = hop.method.as_ref().unwrap_or(&request.method);
            match redirect::next_hop(
                &hop,
                response.url(),
                method,
                status,
                response.headers(),
                &inner.redirect,
            ) {
                Ok(Some(next)) => {
                    tracing::debug!(status, bare = next.bare, "following redirect");
                    hop = next;
                }
                Ok(None) => break response,
                Err(e) => return Err((AttemptErr::boxed(e), generation)),
            }
        };
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        tracing::debug!(status, "response headers received");
        if status == 304
            && let (Some(cache), Some(key)) = (&inner.cache, &cache_key)
            && let Some(hit) = cache.get(key)
        {
            drop(slot);
            return Ok((
                AttemptOk {
                    status: hit.status,
                    headers: hit.headers,
                    body: OutcomeBody::Buffered(hit.body),
                    from_cache: true,
                },
                generation,
            ));
        }
        if !(200..300).contains(&status) {
            let retry_after = parse_retry_after(&headers);
            // Boxed: error bodies are rare, and their reader would otherwise size every
            // attempt's state.
            let body = Box::pin(read_capped(response, MAX_ERROR_BODY)).await;
            let mut err = Error::from_status(status, body);
            err.request_id = server_request_id(&headers);
            err.retry_after = retry_after;
            if status == 401 || status == 403 {
                err.source_kind = ErrorSource::Auth;
            } else if status == 429 {
                err.source_kind = ErrorSource::RateLimit;
            }
            return Err((
                Box::new(AttemptErr {
                    error: err,
                    retry_after,
                    headers: Some(headers),
                    may_have_reached: true,
                }),
                generation,
            ));
        }
        match mode {
            Mode::Streaming => Ok((
                AttemptOk {
                    status,
                    headers,
                    body: OutcomeBody::Streaming(response, slot),
                    from_cache: false,
                },
                generation,
            )),
            Mode::Buffered => {
                let body = read_limited(response, inner.max_body_size)
                    .await
                    .map_err(|e| (AttemptErr::boxed(e), generation))?;
                drop(slot);
                inner.metrics.received(body.len());
                if let (Some(cache), Some(key)) = (&inner.cache, &cache_key) {
                    cache.store(key, status, &headers, &body);
                }
                Ok((
                    AttemptOk {
                        status,
                        headers,
                        body: OutcomeBody::Buffered(body),
                        from_cache: false,
                    },
                    generation,
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_for(base: &str, request: &Request) -> String {
        let base = base.trim_end_matches('/');
        let parsed = reqwest::Url::parse(base).expect("base parses");
        request_url(&parsed, base, request)
            .expect("url builds")
            .to_string()
    }

    #[test]
    fn request_urls_join_the_base_path_and_keep_encoding() {
        let mut r = Request::new("op", http::Method::GET, "/items/{id}");
        r.path_param("id", "a/b c");
        assert_eq!(
            url_for("https://api.example.com", &r),
            "https://api.example.com/items/a%2Fb%20c"
        );
        assert_eq!(
            url_for("https://api.example.com/v2/", &r),
            "https://api.example.com/v2/items/a%2Fb%20c"
        );
        // A template carrying its own query falls back to a full parse.
        let q = Request::new("op", http::Method::GET, "/search?api-version=1");
        assert_eq!(
            url_for("http://127.0.0.1:8080/base", &q),
            "http://127.0.0.1:8080/base/search?api-version=1"
        );
        let mut abs = Request::new("op", http::Method::GET, "/ignored");
        abs.absolute_url = Some("https://other.example/next?page=2".into());
        assert_eq!(
            url_for("https://api.example.com", &abs),
            "https://other.example/next?page=2"
        );
    }
}
