//! Streaming responses: raw chunks (chunked transfer) and Server-Sent Events.
//!
//! Backpressure is natural: chunks are read from the socket only when the consumer
//! polls. Dropping the stream cancels the transfer and releases the concurrency slot.
//! The SSE parser is hand-written (≈40 lines) because the SSE crates
//! (`eventsource-stream`, `reqwest-eventsource`) either bring their own retrying
//! client — a second HTTP path — or pin other reqwest versions.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures::stream::{BoxStream, Stream, StreamExt};

use crate::client::Client;
use crate::error::transport_error;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::pipeline::{Mode, OutcomeBody};
use crate::request::Request;
use crate::response::ResponseMeta;

/// A streaming response body.
pub struct ByteStream {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// Meta (retry count, request id…) of the response.
    pub meta: ResponseMeta,
    inner: BoxStream<'static, Result<Bytes, Error>>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// `event:` (empty means `message`).
    pub event: String,
    /// `data:` lines joined with `\n`.
    pub data: String,
    /// `id:`.
    pub id: Option<String>,
    /// `retry:` in milliseconds.
    pub retry: Option<u64>,
}

fn stream_error(e: reqwest::Error) -> Error {
    let mut err = transport_error(e);
    err.code = ErrorCode::NetworkError;
    err.retryable = true;
    err.message = "stream interrupted".to_owned();
    err
}

impl Client {
    /// Send `request` through the pipeline (retries apply until headers arrive) and
    /// stream the body.
    pub async fn stream(&self, request: Request) -> Result<ByteStream, Error> {
        let outcome = self.run(Box::new(request), Mode::Streaming, None).await?;
        let inner = match outcome.body {
            OutcomeBody::Streaming(response, slot) => response
                .bytes_stream()
                .map(move |c| {
                    let _hold = &slot;
                    c.map_err(stream_error)
                })
                .boxed(),
            OutcomeBody::Buffered(b) => futures::stream::iter([Ok(b)]).boxed(),
        };
        Ok(ByteStream {
            status: outcome.status,
            headers: outcome.headers,
            meta: outcome.meta,
            inner,
        })
    }

    /// Stream Server-Sent Events (`Accept: text/event-stream` is added).
    pub async fn sse(
        &self,
        mut request: Request,
    ) -> Result<BoxStream<'static, Result<SseEvent, Error>>, Error> {
        if !request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
        {
            request.header("Accept", "text/event-stream");
        }
        let bytes = self.stream(request).await?;
        Ok(sse_events(bytes.boxed()))
    }
}

/// Parse a byte stream as Server-Sent Events.
pub fn sse_events(
    bytes: BoxStream<'static, Result<Bytes, Error>>,
) -> BoxStream<'static, Result<SseEvent, Error>> {
    struct State {
        bytes: BoxStream<'static, Result<Bytes, Error>>,
        buf: BytesMut,
        done: bool,
    }
    futures::stream::unfold(
        State {
            bytes,
            buf: BytesMut::new(),
            done: false,
        },
        |mut st| async move {
            loop {
                if let Some(event) = take_event(&mut st.buf, st.done) {
                    return Some((event, st));
                }
                if st.done {
                    return None;
                }
                match st.bytes.next().await {
                    Some(Ok(chunk)) => st.buf.extend_from_slice(&chunk),
                    Some(Err(e)) => {
                        st.done = true;
                        st.buf.clear();
                        return Some((Err(e), st));
                    }
                    None => st.done = true,
                }
            }
        },
    )
    .boxed()
}

fn take_event(buf: &mut BytesMut, eof: bool) -> Option<Result<SseEvent, Error>> {
    loop {
        let text = std::str::from_utf8(buf).ok();
        let end = text.and_then(|t| {
            t.find("\n\n")
                .map(|i| (i, 2))
                .or_else(|| t.find("\r\n\r\n").map(|i| (i, 4)))
        });
        let block = match end {
            Some((i, sep)) => {
                let block = buf.split_to(i + sep);
                String::from_utf8_lossy(&block[..i]).into_owned()
            }
            None if eof && !buf.is_empty() => {
                let block = buf.split();
                String::from_utf8_lossy(&block).into_owned()
            }
            None => {
                if text.is_none() && buf.len() > 1 << 20 {
                    buf.clear();
                    return Some(Err(Error::new(
                        ErrorCode::ParsingError,
                        "SSE stream is not UTF-8",
                    )
                    .with_source(ErrorSource::Deserialize)));
                }
                return None;
            }
        };
        let mut ev = SseEvent::default();
        let mut data: Vec<&str> = Vec::new();
        let mut any = false;
        for line in block.lines() {
            if line.starts_with(':') || line.is_empty() {
                continue;
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (line, ""),
            };
            any = true;
            match field {
                "event" => ev.event = value.to_owned(),
                "data" => data.push(value),
                "id" => ev.id = Some(value.to_owned()),
                "retry" => ev.retry = value.parse().ok(),
                _ => {}
            }
        }
        ev.data = data.join("\n");
        if any {
            return Some(Ok(ev));
        }
        if buf.is_empty() {
            return None;
        }
    }
}
