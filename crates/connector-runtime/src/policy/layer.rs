//! [`PolicyLayer`]: the compiled policies of a client, run around the core pipeline —
//! request policies before it, response or failure policies after it. The core pipeline
//! knows nothing of policies; it lends this layer a [`SideSender`] for side requests.

use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;

use super::compile::{Action, CompiledPolicy};
use super::fetch::SideSender;
use super::{
    ConnectionValues, Policies, PolicyInputs, PolicyKind, PolicySection, PollingTrigger, expr,
    policy_error,
};
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::request::Request;

/// A response the response policies can rewrite before it is decoded.
pub(crate) trait PolicyResponse {
    /// Its headers and, when buffered, its body.
    fn headers_and_body(&mut self) -> (&mut http::HeaderMap, Option<&mut Bytes>);
}

/// What the request phase leaves for the response and failure phases.
struct PolicyRun {
    /// The request as sent (after the request policies).
    request: Request,
    /// Path parameters read from the request before routing.
    path_params: Vec<(String, String)>,
}

/// The compiled policies of a client, with the connection values they read and the
/// connection status `setconnectionstatustounauthenticated` sets.
#[derive(Debug)]
pub(crate) struct PolicyLayer {
    policies: Vec<CompiledPolicy>,
    connection: ConnectionValues,
    unauthenticated: AtomicBool,
}

impl PolicyLayer {
    /// Compiles every spec, once (see [`super::compile`]).
    pub(crate) fn new(config: Policies) -> Self {
        PolicyLayer {
            policies: config.specs.iter().map(CompiledPolicy::compile).collect(),
            connection: config.connection,
            unauthenticated: AtomicBool::new(false),
        }
    }

    /// No policies: the pipeline skips the layer.
    pub(crate) fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    fn applicable<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = &'a CompiledPolicy> {
        self.policies
            .iter()
            .filter(move |p| p.applies_to(operation))
    }

    /// Header and query names whose values come from connection values (or side
    /// requests): never logged.
    pub(crate) fn sensitive_names(&self) -> (Vec<String>, Vec<String>) {
        let mut headers = Vec::new();
        let mut fields = Vec::new();
        for policy in &self.policies {
            match &policy.action {
                Action::SetHeader(p) if p.value.reads_connection() => {
                    headers.push(p.name.to_owned());
                }
                Action::SetQueryParameter(p) if p.value.reads_connection() => {
                    fields.push(p.name.to_owned());
                }
                Action::SetValueFromUrl(side) => match side.target_name() {
                    (true, name) => headers.push(name.to_owned()),
                    (false, name) => fields.push(name.to_owned()),
                },
                _ => {}
            }
        }
        (headers, fields)
    }

    /// Runs `core` (the pipeline without policies) for `request` inside the policies
    /// that apply to its operation.
    pub(crate) async fn around<'r, R, F>(
        &self,
        request: &'r mut Request,
        side: &dyn SideSender,
        core: impl FnOnce(&'r mut Request) -> F,
    ) -> Result<R, Error>
    where
        R: PolicyResponse,
        F: Future<Output = Result<R, Error>>,
    {
        let operation = request.operation;
        let with_operation = |mut e: Error| {
            e.operation = Some(operation);
            e
        };
        // Boxed so its (large) state does not size the call's future.
        let run = Box::pin(self.on_request(&mut *request, side))
            .await
            .map_err(with_operation)?;
        let result = core(request).await;
        match (result, run) {
            (Ok(mut response), Some(run)) => {
                let (headers, body) = response.headers_and_body();
                self.on_response(&run, headers, body)
                    .map_err(with_operation)?;
                Ok(response)
            }
            (Err(mut e), Some(run)) => {
                self.on_failure(&run, &mut e);
                Err(e)
            }
            (result, None) => result,
        }
    }

    /// Runs the request-section policies for `request`'s operation, in order; `None`
    /// when no response or failure policy needs the request afterwards.
    async fn on_request(
        &self,
        request: &mut Request,
        side: &dyn SideSender,
    ) -> Result<Option<PolicyRun>, Error> {
        let op = request.operation;
        if self.applicable(op).next().is_none() {
            return Ok(None);
        }
        if let Some(e) = self.applicable(op).find_map(|p| p.unusable_error(op)) {
            return Err(e);
        }
        let path_params = expr::path_params(request.template, &request.path);
        // Next-page and other absolute URLs were given by the server: no re-routing.
        let routable = request.absolute_url.is_none();
        let mut base: Option<String> = None;
        let inputs = PolicyInputs {
            connection: &self.connection,
            path_params: &path_params,
        };
        for policy in self.applicable(op) {
            if policy.section != PolicySection::Request {
                continue;
            }
            tracing::trace!(policy = policy.kind.id(), operation = op, "request policy");
            match &policy.action {
                Action::SetHeader(p) => p.apply_request(request, &inputs, |r| &mut r.headers)?,
                Action::SetQueryParameter(p) => {
                    p.apply_request(request, &inputs, |r| &mut r.query)?
                }
                Action::DynamicHost(host) if routable => {
                    let routed = host.base_url(request, &inputs)?;
                    side.trust_routed_origin(&routed);
                    base = Some(routed);
                }
                Action::Route(route) if routable => route.apply(request, &inputs)?,
                Action::SetValueFromUrl(value) => {
                    value.apply(side, request, &inputs, base.as_deref()).await?;
                }
                Action::Body(body) => body.apply_to_request(policy.kind, request, &inputs)?,
                // Polling state is driven by the poller (see `PollingTrigger`); next
                // links are followed as the backend wrote them; the others are
                // response- or failure-side.
                _ => {}
            }
        }
        if let Some(base) = base {
            request.absolute_url = Some(format!("{base}{}", request.path));
        }
        let needed_after = self
            .applicable(op)
            .any(|p| p.section != PolicySection::Request);
        Ok(needed_after.then(|| PolicyRun {
            request: request.clone(),
            path_params,
        }))
    }

    /// Runs the response-section policies on a successful response's headers and (when
    /// buffered) body, before decoding.
    fn on_response(
        &self,
        run: &PolicyRun,
        headers: &mut http::HeaderMap,
        body: Option<&mut Bytes>,
    ) -> Result<(), Error> {
        let op = run.request.operation;
        let inputs = PolicyInputs {
            connection: &self.connection,
            path_params: &run.path_params,
        };
        let mut json: Option<serde_json::Value> = body
            .as_ref()
            .and_then(|b| serde_json::from_slice(b.as_ref()).ok());
        let mut changed = false;
        for policy in self.applicable(op) {
            if policy.section != PolicySection::Response {
                continue;
            }
            tracing::trace!(policy = policy.kind.id(), operation = op, "response policy");
            match &policy.action {
                Action::SetHeader(p) => {
                    p.apply_response(&run.request, json.as_ref(), headers, &inputs)?
                }
                Action::Body(transform) => match json.as_mut() {
                    Some(v) => {
                        transform.apply(v, &run.request, &inputs)?;
                        changed = true;
                    }
                    None => tracing::warn!(
                        policy = policy.kind.id(),
                        operation = op,
                        "response body is not JSON; body policy skipped"
                    ),
                },
                _ => {}
            }
        }
        if changed && let (Some(v), Some(b)) = (json, body) {
            let bytes = serde_json::to_vec(&v)
                .map_err(|e| policy_error(format!("policy output could not be serialized: {e}")))?;
            *b = Bytes::from(bytes);
            headers.remove(http::header::CONTENT_LENGTH);
        }
        Ok(())
    }

    /// Runs the failure-section policies on an error.
    fn on_failure(&self, run: &PolicyRun, err: &mut Error) {
        for policy in self.applicable(run.request.operation) {
            if let Action::MarkUnauthenticated { status } = policy.action
                && err.status == Some(status)
            {
                self.unauthenticated.store(true, Ordering::Release);
                err.code = ErrorCode::AuthFailed;
                err.source_kind = ErrorSource::Auth;
                err.retryable = false;
                err.message.push_str(
                    "; the connection is now marked unauthenticated (policy setconnectionstatustounauthenticated): sign in again",
                );
            }
        }
    }

    /// Whether a `setconnectionstatustounauthenticated` policy marked the connection
    /// unauthenticated.
    pub(crate) fn is_unauthenticated(&self) -> bool {
        self.unauthenticated.load(Ordering::Acquire)
    }

    /// Mark the connection authenticated again.
    pub(crate) fn reset_unauthenticated(&self) {
        self.unauthenticated.store(false, Ordering::Release);
    }

    /// The `pollingtrigger` policy of `operation`; `Ok(None)` when it has none.
    pub(crate) fn polling_trigger(&self, operation: &str) -> Result<Option<PollingTrigger>, Error> {
        let Some(policy) = self
            .applicable(operation)
            .find(|p| p.kind == PolicyKind::PollingTrigger)
        else {
            return Ok(None);
        };
        match &policy.action {
            Action::PollingTrigger(trigger) => Ok(Some((**trigger).clone())),
            _ => Err(policy.unusable_error(operation).unwrap_or_else(|| {
                policy_error("policy pollingtrigger could not be compiled".to_owned())
            })),
        }
    }

    /// The connection values the policies read.
    pub(crate) fn connection_values(&self) -> &ConnectionValues {
        &self.connection
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use futures::future::BoxFuture;

    use super::*;
    use crate::policy::PolicySpec;

    /// A side-request capability with no client behind it: it records what it was asked
    /// to send and answers with a fixed body.
    struct RecordingSide {
        sent: Mutex<Vec<(http::Method, Option<String>)>>,
    }

    impl SideSender for RecordingSide {
        fn send_side(&self, request: Request) -> BoxFuture<'_, Result<Bytes, Error>> {
            if let Ok(mut sent) = self.sent.lock() {
                sent.push((request.method.clone(), request.absolute_url.clone()));
            }
            Box::pin(async { Ok(Bytes::from_static(br#"{"etag": "W/\"7\""}"#)) })
        }

        fn base_url(&self) -> &str {
            "https://api.example/v1"
        }

        fn trust_routed_origin(&self, _base: &str) {}
    }

    struct Response {
        headers: http::HeaderMap,
        body: Bytes,
    }

    impl PolicyResponse for Response {
        fn headers_and_body(&mut self) -> (&mut http::HeaderMap, Option<&mut Bytes>) {
            (&mut self.headers, Some(&mut self.body))
        }
    }

    static POLICIES: &[PolicySpec] = &[
        PolicySpec::new(
            PolicyKind::SetValueFromUrl,
            &["Update"],
            &[
                ("parameterTemplate", "@headers('If-Match')"),
                ("parameterValueUrl", "/items/{id}"),
                ("parameterValuePathTemplate", "@body().etag"),
            ],
        ),
        PolicySpec::new(
            PolicyKind::StringReplace,
            &["Update"],
            &[
                ("propertyParentPath", "@body()"),
                ("propertySubPath", "title"),
                ("sourceString", "_"),
                ("replacementString", "/"),
            ],
        )
        .in_response(),
    ];

    #[tokio::test]
    async fn the_layer_runs_around_a_core_and_sends_side_requests_through_the_capability() {
        let layer = PolicyLayer::new(Policies {
            specs: POLICIES.to_vec(),
            connection: ConnectionValues::new(),
        });
        let side = RecordingSide {
            sent: Mutex::new(Vec::new()),
        };
        let mut request = Request::new("Update", http::Method::PATCH, "/items/{id}");
        request.path = "/items/42".into();
        let seen = Mutex::new(None);
        let response = layer
            .around(&mut request, &side, |request| {
                if let Ok(mut seen) = seen.lock() {
                    *seen = Some(request.headers.clone());
                }
                async {
                    Ok(Response {
                        headers: http::HeaderMap::new(),
                        body: Bytes::from_static(br#"{"title": "a_b"}"#),
                    })
                }
            })
            .await
            .unwrap();
        let sent = side.sent.lock().unwrap().clone();
        assert_eq!(
            sent,
            [(
                http::Method::GET,
                Some("https://api.example/v1/items/42".to_owned())
            )]
        );
        assert_eq!(
            seen.lock().unwrap().clone(),
            Some(vec![("If-Match".to_owned(), "W/\"7\"".to_owned())])
        );
        assert_eq!(response.body.as_ref(), br#"{"title":"a/b"}"#);
    }

    #[tokio::test]
    async fn an_unusable_policy_fails_before_the_core_runs() {
        static BAD: &[PolicySpec] = &[PolicySpec::new(
            PolicyKind::SetHeader,
            &["Op"],
            &[("value", "no name")],
        )];
        let layer = PolicyLayer::new(Policies {
            specs: BAD.to_vec(),
            connection: ConnectionValues::new(),
        });
        let side = RecordingSide {
            sent: Mutex::new(Vec::new()),
        };
        let ran = std::sync::atomic::AtomicBool::new(false);
        let err = layer
            .around(
                &mut Request::new("Op", http::Method::GET, "/o"),
                &side,
                |_| {
                    ran.store(true, Ordering::SeqCst);
                    async {
                        Ok(Response {
                            headers: http::HeaderMap::new(),
                            body: Bytes::new(),
                        })
                    }
                },
            )
            .await
            .err()
            .unwrap();
        assert!(!ran.load(Ordering::SeqCst));
        assert_eq!(err.code, ErrorCode::Unsupported);
        assert_eq!(err.operation, Some("Op"));
        assert!(
            err.message.contains("\"setheader\"") && err.message.contains("\"name\""),
            "{}",
            err.message
        );
    }
}
