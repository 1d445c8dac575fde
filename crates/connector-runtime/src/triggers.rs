//! Triggers: a [`Poller`] that turns a polling-trigger operation into a stream of new
//! items, and [`decode_notification`] for webhook payloads.
//!
//! Polling follows the platform's contract: `200` with items fires, `202` (or an empty
//! body) means nothing new; a `Location` header is the URL to poll next (the state is in
//! the URL) and `Retry-After` the delay before that poll. An operation with a
//! `pollingtrigger` policy is polled with the query parameters its `triggerConfig`
//! computes from the last body that carried items (`@triggerBody()`), and its items
//! are read at `triggerDataPath`.
//!
//! ```no_run
//! # async fn f(client: connector_runtime::Client) -> Result<(), connector_runtime::Error> {
//! use connector_runtime::futures::StreamExt;
//! use connector_runtime::{Method, PollItems, Poller, Request};
//!
//! let request = Request::new("ListNewTasks", Method::GET, "/tasks");
//! let mut tasks = Poller::<serde_json::Value>::new(client, request, PollItems::Property("value"))
//!     .interval(std::time::Duration::from_secs(30));
//! while let Some(task) = tasks.next().await {
//!     println!("{}", task?);
//! }
//! # Ok(()) }
//! ```

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::policy::PollingTrigger;
use crate::request::Request;

/// Default delay between polls when the server gives no `Retry-After`.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(60);

/// Where a poll response holds its items (when no `pollingtrigger` policy says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollItems {
    /// The body is one item (`x-ms-trigger: single`).
    Body,
    /// The body is an array of items.
    Array,
    /// The array is the body's property of this name (e.g. `value`).
    Property(&'static str),
}

impl PollItems {
    fn extract(self, body: Value) -> Vec<Value> {
        let at = match self {
            PollItems::Body => return vec![body],
            PollItems::Array => body,
            PollItems::Property(name) => match body {
                Value::Object(mut map) => map.remove(name).unwrap_or(Value::Null),
                _ => Value::Null,
            },
        };
        match at {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => vec![other],
        }
    }
}

/// What a poller remembers between polls; serializable so a caller can persist it and
/// resume later with [`Poller::resume`]. `Debug` shows the next URL without its query
/// values (a `Location` may carry a signature) and the body's size only.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PollState {
    /// The last response body that carried items: what `pollingtrigger` expressions read
    /// as `@triggerBody()`.
    pub last_body: Option<Value>,
    /// The URL to poll next, from the last `Location` header.
    pub next_url: Option<String>,
}

impl std::fmt::Debug for PollState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollState")
            .field("has_last_body", &self.last_body.is_some())
            .field(
                "next_url",
                &self
                    .next_url
                    .as_deref()
                    .map(crate::observability::redact::url_text_for_debug),
            )
            .finish()
    }
}

/// The new items of one poll, with the state to persist after handling them.
#[derive(Debug, Clone)]
pub struct PollBatch<T> {
    /// New items, in the order the server listed them.
    pub items: Vec<T>,
    /// The state after this poll.
    pub state: PollState,
}

/// A polling trigger as a [`Stream`] of new items; see the [module docs](self).
///
/// The first poll fires with whatever the server returns; later polls return only what
/// the server reports as new. The stream ends after an error (transient errors were
/// already retried by the pipeline); resume from the last [`PollBatch::state`].
#[must_use = "a poller does nothing until it is polled"]
pub struct Poller<T> {
    client: Client,
    request: Result<Request, Error>,
    items: PollItems,
    interval: Duration,
    state: PollState,
    stream: Option<BoxStream<'static, Result<T, Error>>>,
    _item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("items", &self.items)
            .field("interval", &self.interval)
            .field("started", &self.stream.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> Poller<T> {
    /// A poller sending `request` (the trigger operation) through `client`.
    pub fn new(client: Client, request: Request, items: PollItems) -> Self {
        Self::from_result(client, Ok(request), items)
    }

    /// A poller whose request could not be built: the stream yields `error` once.
    pub fn from_result(client: Client, request: Result<Request, Error>, items: PollItems) -> Self {
        Poller {
            client,
            request,
            items,
            interval: DEFAULT_POLL_INTERVAL,
            state: PollState::default(),
            stream: None,
            _item: PhantomData,
        }
    }

    /// Delay between polls when the server sends no `Retry-After` (default 60 s).
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Start from a persisted state instead of a first poll.
    pub fn resume(mut self, state: PollState) -> Self {
        self.state = state;
        self
    }

    /// Each poll that brought new items, with the state to persist after it.
    pub fn batches(self) -> BoxStream<'static, Result<PollBatch<T>, Error>> {
        let request = match self.request {
            Ok(r) => r,
            Err(e) => return stream::once(async move { Err(e) }).boxed(),
        };
        let trigger = match self.client.polling_trigger(request.operation) {
            Ok(t) => t,
            Err(e) => return stream::once(async move { Err(e) }).boxed(),
        };
        let looper = Loop {
            client: self.client,
            template: request,
            items: self.items,
            interval: self.interval,
            state: self.state,
            trigger,
            next_page: None,
            delay: None,
        };
        stream::try_unfold(looper, |mut looper| async move {
            let batch = looper.next_batch::<T>().await?;
            Ok(Some((batch, looper)))
        })
        .boxed()
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Poller<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let stream = this.stream.get_or_insert_with(|| {
            let started = Poller {
                client: this.client.clone(),
                request: std::mem::replace(
                    &mut this.request,
                    Err(Error::validation("poller already started")),
                ),
                items: this.items,
                interval: this.interval,
                state: std::mem::take(&mut this.state),
                stream: None,
                _item: PhantomData,
            };
            started
                .batches()
                .flat_map(|batch| match batch {
                    Ok(b) => stream::iter(b.items.into_iter().map(Ok)).left_stream(),
                    Err(e) => stream::iter(vec![Err(e)]).right_stream(),
                })
                .boxed()
        });
        stream.as_mut().poll_next(cx)
    }
}

/// The pause before the next poll: the server's `Retry-After` when it sent one, capped
/// by the client's bound on server-requested pauses
/// ([`RateLimitConfig::max_server_pause`](crate::RateLimitConfig::max_server_pause), the
/// bound the retry loop applies), else the poller's interval. Past the cap the poller
/// polls again at the cap (the server answers another `202` if it is still not ready)
/// rather than sleeping for however long a response asked.
fn poll_delay(retry_after: Option<Duration>, interval: Duration, cap: Duration) -> Duration {
    match retry_after {
        Some(requested) if requested > cap => {
            tracing::debug!(
                requested_ms = requested.as_millis() as u64,
                cap_ms = cap.as_millis() as u64,
                "poll: Retry-After longer than the pause cap; polling at the cap"
            );
            cap
        }
        Some(requested) => requested,
        None => interval,
    }
}

struct Loop {
    client: Client,
    template: Request,
    items: PollItems,
    interval: Duration,
    state: PollState,
    trigger: Option<PollingTrigger>,
    next_page: Option<String>,
    delay: Option<Duration>,
}

impl Loop {
    async fn next_batch<T: DeserializeOwned>(&mut self) -> Result<PollBatch<T>, Error> {
        loop {
            if let Some(delay) = self.delay.take() {
                tokio::time::sleep(delay).await;
            }
            let mut request = self.template.clone();
            let page = self.next_page.take();
            if let Some(url) = page.as_ref().or(self.state.next_url.as_ref()) {
                // The URL carries the state; the first request's query would repeat it.
                request.absolute_url = Some(url.clone());
                request.query.clear();
            } else if let Some(trigger) = &self.trigger {
                trigger.apply(
                    &mut request,
                    self.state.last_body.as_ref(),
                    self.client.connection_values(),
                )?;
            }
            let raw = self.client.execute(request).await?;
            if let Some(location) = raw
                .headers
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
            {
                self.state.next_url = Some(self.absolute(location)?);
            }
            self.delay = Some(poll_delay(
                crate::retry::parse_retry_after(&raw.headers),
                self.interval,
                self.client.inner.max_server_pause,
            ));
            if raw.status == 202
                || raw.status == 204
                || raw.body.iter().all(u8::is_ascii_whitespace)
            {
                tracing::debug!(operation = self.template.operation, "poll: nothing new");
                continue;
            }
            let body: Value = serde_json::from_slice(&raw.body).map_err(|e| {
                Error::new(
                    ErrorCode::ParsingError,
                    format!("poll response is not JSON: {e}"),
                )
                .with_source(ErrorSource::Deserialize)
                .with_cause(e)
            })?;
            let items = match &self.trigger {
                Some(trigger) => {
                    if let Some(next) = trigger.next_link(&body) {
                        // The next page of this poll: fetched at once.
                        self.next_page = Some(next);
                        self.delay = None;
                    }
                    trigger.items(&body)
                }
                None => self.items.extract(body.clone()),
            };
            if items.is_empty() {
                continue;
            }
            if page.is_none() {
                // The watermark comes from the first (newest) page of a poll.
                self.state.last_body = Some(body);
            }
            let items = items
                .into_iter()
                .map(|v| {
                    serde_json::from_value::<T>(v).map_err(|e| {
                        Error::new(
                            ErrorCode::ParsingError,
                            format!("trigger item does not decode: {e}"),
                        )
                        .with_source(ErrorSource::Deserialize)
                        .with_cause(e)
                    })
                })
                .collect::<Result<Vec<T>, Error>>()?;
            return Ok(PollBatch {
                items,
                state: self.state.clone(),
            });
        }
    }

    fn absolute(&self, location: &str) -> Result<String, Error> {
        if let Ok(url) = reqwest::Url::parse(location) {
            return Ok(url.into());
        }
        let base = reqwest::Url::parse(&format!("{}/", self.client.base_url()))
            .map_err(|e| Error::validation(format!("invalid base URL: {e}")))?;
        base.join(location)
            .map(String::from)
            .map_err(|e| Error::validation(format!("invalid Location header: {e}")))
    }
}

/// Decodes a webhook notification payload (the body the service POSTs to the callback
/// URL) into `T`.
pub fn decode_notification<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorCode::ParsingError,
            format!("notification payload does not decode: {e}"),
        )
        .with_source(ErrorSource::Deserialize)
        .with_cause(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_read_where_the_definition_says() {
        let body = serde_json::json!({"value": [1, 2]});
        assert_eq!(PollItems::Property("value").extract(body.clone()).len(), 2);
        assert_eq!(PollItems::Body.extract(body.clone()), vec![body]);
        assert!(
            PollItems::Property("items")
                .extract(serde_json::json!({}))
                .is_empty()
        );
        assert_eq!(PollItems::Array.extract(serde_json::json!([1])).len(), 1);
    }

    #[test]
    fn a_retry_after_past_the_pause_cap_is_capped() {
        let (interval, cap) = (Duration::from_secs(60), Duration::from_secs(30));
        let day = Duration::from_secs(86_400);
        assert_eq!(poll_delay(Some(day), interval, cap), cap);
        assert_eq!(
            poll_delay(Some(Duration::from_secs(5)), interval, cap),
            Duration::from_secs(5)
        );
        assert_eq!(poll_delay(None, interval, cap), interval);
    }

    #[test]
    fn poll_state_debug_hides_the_next_urls_query_values() {
        let state = PollState {
            last_body: Some(serde_json::json!({"token": "body-secret"})),
            next_url: Some("https://h.example/poll?sig=sig-secret&since=1".into()),
        };
        let text = format!("{state:?}");
        assert!(
            !text.contains("sig-secret") && !text.contains("body-secret"),
            "{text}"
        );
        assert!(
            text.contains("h.example/poll") && text.contains("sig="),
            "{text}"
        );
    }
}
