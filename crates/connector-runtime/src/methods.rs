//! Convenience request methods (`get`, `post`, `put`, `patch`, `delete`) and `batch`.
//! All go through [`Client::execute`]: there is one HTTP path.

use futures::StreamExt;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::response::RawResponse;

/// The path template recorded for ad-hoc calls made with the convenience methods.
pub const AD_HOC_TEMPLATE: &str = "{ad-hoc}";

/// Results of a batch, in input order; failures do not stop other items.
#[derive(Debug)]
pub struct BatchResult {
    /// One result per request, in the order given.
    pub results: Vec<Result<RawResponse, Error>>,
}

impl BatchResult {
    /// Number of successful items.
    pub fn succeeded(&self) -> usize {
        self.results.iter().filter(|r| r.is_ok()).count()
    }

    /// Number of failed items.
    pub fn failed(&self) -> usize {
        self.results.len() - self.succeeded()
    }

    /// Whether some, but not all, items failed.
    pub fn is_partial_failure(&self) -> bool {
        let failed = self.failed();
        failed > 0 && failed < self.results.len()
    }
}

fn ad_hoc(operation: &'static str, method: http::Method, path: &str) -> Request {
    let mut r = Request::new(operation, method, AD_HOC_TEMPLATE);
    if path.starts_with("http://") || path.starts_with("https://") {
        r.absolute_url = Some(path.to_owned());
    } else if path.starts_with('/') {
        r.path = path.to_owned();
    } else {
        r.path = format!("/{path}");
    }
    r
}

impl Client {
    /// A request for `method` on `path` (relative to the base URL, or absolute),
    /// to customise and pass to [`Client::execute`].
    pub fn build_request(&self, method: http::Method, path: &str) -> Request {
        ad_hoc("request", method, path)
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<RawResponse, Error> {
        self.execute(ad_hoc("get", http::Method::GET, path)).await
    }

    /// `POST path` with a JSON body.
    pub async fn post<B: Serialize + ?Sized>(
        &self,
        path: &str,
        data: &B,
    ) -> Result<RawResponse, Error> {
        let mut r = ad_hoc("post", http::Method::POST, path);
        r.json(data)?;
        self.execute(r).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put<B: Serialize + ?Sized>(
        &self,
        path: &str,
        data: &B,
    ) -> Result<RawResponse, Error> {
        let mut r = ad_hoc("put", http::Method::PUT, path);
        r.json(data)?;
        self.execute(r).await
    }

    /// `PATCH path` with a JSON body.
    pub async fn patch<B: Serialize + ?Sized>(
        &self,
        path: &str,
        data: &B,
    ) -> Result<RawResponse, Error> {
        let mut r = ad_hoc("patch", http::Method::PATCH, path);
        r.json(data)?;
        self.execute(r).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<RawResponse, Error> {
        self.execute(ad_hoc("delete", http::Method::DELETE, path))
            .await
    }

    /// Execute `requests` with at most `concurrency` in flight (on top of the client's
    /// own concurrency limit); every item gets its own result, in input order.
    pub async fn batch(&self, requests: Vec<Request>, concurrency: usize) -> BatchResult {
        let results = futures::stream::iter(requests)
            .map(|r| self.execute(r))
            .buffered(concurrency.max(1))
            .collect()
            .await;
        BatchResult { results }
    }
}
