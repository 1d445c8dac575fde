//! `setvaluefromurl`: a side request on the same backend (same auth, no policies) whose
//! response value is put into a header or query parameter of the main request. The side
//! request goes through a [`SideSender`]: the narrow capability the core pipeline lends
//! the policy layer, not the client.

use bytes::Bytes;
use futures::future::BoxFuture;
use serde_json::Value;

use super::expr::{self, Root, TextTemplate, parse_expr};
use super::params::{invalid, required};
use super::{PolicyInputs, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::Request;

/// Sends a policy's side request through the core pipeline (auth, retries, limits; no
/// policies) and returns the whole response body.
pub(crate) trait SideSender: Sync {
    /// Sends `request`; a non-2xx status is an error.
    fn send_side(&self, request: Request) -> BoxFuture<'_, Result<Bytes, Error>>;

    /// The base URL a relative side request resolves against.
    fn base_url(&self) -> &str;

    /// The definition routes requests to `base` (`dynamichosturl`, `dynamicsubdomain`):
    /// its origin may receive the client's credentials, like the base URL's.
    fn trust_routed_origin(&self, base: &str);
}

/// Where the fetched value goes.
#[derive(Debug, Clone)]
enum Target {
    Header(String),
    Query(String),
}

/// A compiled `setvaluefromurl`.
#[derive(Debug, Clone)]
pub(crate) struct SideValue {
    target: Target,
    url: TextTemplate,
    method: http::Method,
    value_path: TextTemplate,
}

impl SideValue {
    pub(crate) fn compile(spec: &PolicySpec) -> Result<Self, Error> {
        let target_text = required(spec, "parameterTemplate")?;
        let target = match parse_expr(target_text.trim().trim_start_matches('@')) {
            Some((e, _)) => match e.root {
                Root::Header(name, _) => Some(Target::Header(name)),
                Root::Query(name, _) => Some(Target::Query(name)),
                _ => None,
            },
            None => None,
        }
        .ok_or_else(|| {
            invalid(
                spec,
                "parameterTemplate",
                format!("is {target_text:?}; expected @headers('…') or @queryParameters('…')"),
            )
        })?;
        let url = TextTemplate::parse(required(spec, "parameterValueUrl")?, true);
        let method = spec.param("httpMethod").unwrap_or("GET").trim();
        let method =
            http::Method::from_bytes(method.to_ascii_uppercase().as_bytes()).map_err(|_| {
                invalid(
                    spec,
                    "httpMethod",
                    format!("is {method:?}, not an HTTP method"),
                )
            })?;
        let value_path = spec
            .param("parameterValuePathTemplate")
            .unwrap_or("@body()");
        Ok(SideValue {
            target,
            url,
            method,
            value_path: TextTemplate::parse(value_path, false),
        })
    }

    /// The header (`true`) or query parameter (`false`) it sets.
    pub(crate) fn target_name(&self) -> (bool, &str) {
        match &self.target {
            Target::Header(n) => (true, n),
            Target::Query(n) => (false, n),
        }
    }

    /// Runs the side request and sets the target.
    pub(crate) async fn apply(
        &self,
        side: &dyn SideSender,
        request: &mut Request,
        inputs: &PolicyInputs<'_>,
        dynamic_base: Option<&str>,
    ) -> Result<(), Error> {
        let relative = self.url.eval_text(&inputs.scope(request, None))?;
        let url = if relative.contains("://") {
            relative
        } else {
            let base = dynamic_base.unwrap_or(side.base_url());
            let sep = if relative.starts_with('/') { "" } else { "/" };
            format!("{base}{sep}{relative}")
        };
        let mut side_request =
            Request::new(request.operation, self.method.clone(), request.template);
        side_request.absolute_url = Some(url);
        let body = side.send_side(side_request).await.map_err(|mut e| {
            e.message = format!("policy setvaluefromurl side call failed: {}", e.message);
            e
        })?;
        let json: Value = serde_json::from_slice(&body).map_err(|_| {
            policy_error("policy setvaluefromurl: the side call's response is not JSON".to_owned())
        })?;
        let value = self.value_path.eval(&inputs.scope(request, Some(&json)))?;
        let value = expr::to_text(&value);
        let (pairs, name) = match &self.target {
            Target::Header(name) => (&mut request.headers, name),
            Target::Query(name) => (&mut request.query, name),
        };
        pairs.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        pairs.push((name.clone(), value));
        Ok(())
    }
}
