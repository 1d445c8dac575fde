//! What the core pipeline lends the policy layer ([`crate::policy`]): access to a
//! successful outcome's headers and buffered body, and a narrow capability for side
//! requests — never the client itself.

use bytes::Bytes;

use super::{Mode, Outcome, OutcomeBody};
use crate::client::Client;
use crate::error::Error;
use crate::policy::{PolicyResponse, SideSender};
use crate::request::Request;

/// The policy layer rewrites a successful outcome's headers and buffered body.
impl PolicyResponse for Outcome {
    fn headers_and_body(&mut self) -> (&mut http::HeaderMap, Option<&mut Bytes>) {
        let body = match &mut self.body {
            OutcomeBody::Buffered(bytes) => Some(bytes),
            OutcomeBody::Streaming(..) => None,
        };
        (&mut self.headers, body)
    }
}

/// Side requests (`setvaluefromurl`) run the core pipeline (auth, limits, retries, origin
/// scoping; no policies).
impl SideSender for Client {
    fn send_side(&self, request: Request) -> futures::future::BoxFuture<'_, Result<Bytes, Error>> {
        Box::pin(async move {
            let mut request = request;
            let outcome = self.run_core(&mut request, Mode::Buffered, None).await?;
            Ok(outcome.into_raw().await?.body)
        })
    }

    fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    fn trust_routed_origin(&self, base: &str) {
        self.inner.origins.trust(base);
    }
}
