//! `dynamichosturl` / `dynamicsubdomain` (base URL per connection) and
//! `routerequesttoendpoint` (path and method rewrite).

use super::expr::TextTemplate;
use super::params::{invalid, required};
use super::{PolicyInputs, PolicyKind, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::Request;

/// A compiled `dynamichosturl` / `dynamicsubdomain`.
#[derive(Debug, Clone)]
pub(crate) struct DynamicHost {
    kind: PolicyKind,
    /// `urlTemplate` as written, for messages (never its value: it may carry
    /// connection data).
    written: &'static str,
    url: TextTemplate,
}

impl DynamicHost {
    pub(crate) fn compile(spec: &PolicySpec) -> Result<Self, Error> {
        let written = required(spec, "urlTemplate")?;
        Ok(DynamicHost {
            kind: spec.kind,
            written,
            url: TextTemplate::parse(written, false),
        })
    }

    /// Evaluates `urlTemplate` into the base URL that replaces scheme, host and base
    /// path (`https://` is assumed when the template has no scheme).
    pub(crate) fn base_url(
        &self,
        request: &Request,
        inputs: &PolicyInputs<'_>,
    ) -> Result<String, Error> {
        let url = self.url.eval_text(&inputs.scope(request, None))?;
        let url = url.trim().trim_end_matches('/');
        let (id, written) = (self.kind.id(), self.written);
        if url.is_empty() {
            return Err(policy_error(format!(
                "policy {id:?}: urlTemplate {written:?} evaluated to an empty URL"
            )));
        }
        let url = if url.contains("://") {
            url.to_owned()
        } else {
            format!("https://{url}")
        };
        reqwest::Url::parse(&url).map_err(|e| {
            policy_error(format!(
                "policy {id:?}: urlTemplate {written:?} did not evaluate to a valid URL: {e}"
            ))
        })?;
        Ok(url)
    }
}

/// A compiled `routerequesttoendpoint`: the new path (with `{name}` placeholders) and
/// the new method (`None`: keep the request's).
#[derive(Debug, Clone)]
pub(crate) struct Route {
    path: TextTemplate,
    method: Option<http::Method>,
}

impl Route {
    pub(crate) fn compile(spec: &PolicySpec) -> Result<Self, Error> {
        let path = TextTemplate::parse(required(spec, "newPath")?, true);
        let method = match spec.param("httpMethod").map(str::trim) {
            None => None,
            Some(m) if m.is_empty() || m.eq_ignore_ascii_case("@Request.OriginalHTTPMethod") => {
                None
            }
            Some(m) => Some(
                http::Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| {
                    invalid(spec, "httpMethod", format!("is {m:?}, not an HTTP method"))
                })?,
            ),
        };
        Ok(Route { path, method })
    }

    /// Replaces the operation path (base URL kept) and optionally the method.
    pub(crate) fn apply(
        &self,
        request: &mut Request,
        inputs: &PolicyInputs<'_>,
    ) -> Result<(), Error> {
        let path = self.path.eval_text(&inputs.scope(request, None))?;
        let path = path.trim();
        request.path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        if let Some(method) = &self.method {
            request.idempotent = matches!(
                *method,
                http::Method::GET
                    | http::Method::HEAD
                    | http::Method::OPTIONS
                    | http::Method::PUT
                    | http::Method::DELETE
            );
            request.method = method.clone();
        }
        Ok(())
    }
}
