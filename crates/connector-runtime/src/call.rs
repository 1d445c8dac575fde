//! The futures a generated operation returns, so generated crates hold no async code.
//!
//! A generated request builder's `send` is one line — `client.send(request, decode::json)`
//! — returning a [`ResponseFuture`]; awaiting the builder itself gives a [`BodyFuture`].
//! The request pipeline and the decoding are compiled once here, not once per operation.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::BoxFuture;

use crate::client::Client;
use crate::error::Error;
use crate::pipeline::Mode;
use crate::request::Request;
use crate::response::{RawResponse, Response};

/// Turns a successful raw response into a typed one; see [`decode`].
pub type Decoder<T> = fn(RawResponse) -> Result<Response<T>, Error>;

/// The decoders generated operations pick from.
pub mod decode {
    use bytes::Bytes;
    use serde::de::DeserializeOwned;

    use crate::error::Error;
    use crate::response::{RawResponse, Response};

    /// The body as JSON (an empty body reads as `null`).
    pub fn json<T: DeserializeOwned>(raw: RawResponse) -> Result<Response<T>, Error> {
        raw.json()
    }

    /// The body as text.
    pub fn text(raw: RawResponse) -> Result<Response<String>, Error> {
        Ok(raw.text())
    }

    /// The body as bytes.
    pub fn bytes(raw: RawResponse) -> Result<Response<Bytes>, Error> {
        Ok(raw.bytes())
    }

    /// No body.
    pub fn empty(raw: RawResponse) -> Result<Response<()>, Error> {
        Ok(raw.empty())
    }
}

impl Client {
    /// Send `request` through the pipeline and decode a successful response with
    /// `decode`. An `Err` request (a parameter that failed to encode) resolves to that
    /// error without touching the network.
    pub fn send<T: Send + 'static>(
        &self,
        request: Result<Request, Error>,
        decode: Decoder<T>,
    ) -> ResponseFuture<T> {
        // The request lives inline in the call's state and every pipeline level borrows
        // it: no box of its own, and no level moves it. The call's state, the whole
        // pipeline included, is this one allocation.
        let mut request = match request {
            Ok(r) => r,
            Err(e) => return ResponseFuture(Box::pin(std::future::ready(Err(e)))),
        };
        let client = self.clone();
        // Built directly in its heap block (`Box::write` into an uninitialised box)
        // rather than on the stack and then copied: the state is ~2.2 KB, mostly
        // uninitialised until polled, and the copy wrote every cache line of a block
        // that is cold at high concurrency (callgrind's cache simulation: ~28 write
        // misses per call in this function alone).
        let state = Box::write(Box::new_uninit(), async move {
            // The pipeline's future directly (not through `execute`), and the core
            // pipeline itself when the client has no policies: fewer nesting levels to
            // poll through and to move values across.
            let outcome = if client.inner.policies.is_empty() {
                client.run_core(&mut request, Mode::Buffered, None).await?
            } else {
                client
                    .run_borrowed(&mut request, Mode::Buffered, None)
                    .await?
            };
            let raw = match outcome.into_buffered() {
                Ok(raw) => raw,
                // Buffered mode never streams; read it anyway (boxed, off the hot path).
                Err(streaming) => Box::pin(streaming.into_raw()).await?,
            };
            decode(raw)
        });
        ResponseFuture(Box::into_pin(state))
    }
}

/// A request in flight: resolves to the full [`Response`] (body, status, headers, meta).
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<T>(BoxFuture<'static, Result<Response<T>, Error>>);

impl<T> ResponseFuture<T> {
    /// Resolve to the body alone.
    pub fn into_body(self) -> BodyFuture<T> {
        BodyFuture(self)
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseFuture")
    }
}

/// A request in flight that resolves to the decoded body alone.
#[must_use = "futures do nothing unless awaited"]
pub struct BodyFuture<T>(ResponseFuture<T>);

impl<T> Future for BodyFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|result| result.map(Response::into_data))
    }
}

impl<T> fmt::Debug for BodyFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyFuture")
    }
}
