//! `dynamichosturl` / `dynamicsubdomain` (base URL per connection) and
//! `routerequesttoendpoint` (path and method rewrite).

use super::expr::eval_text;
use super::{Ctx, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::Request;

/// Evaluates `urlTemplate` into the base URL that replaces scheme, host and base path
/// (`https://` is assumed when the template has no scheme).
pub(crate) fn dynamic_host(
    spec: &PolicySpec,
    request: &Request,
    ctx: &Ctx<'_>,
) -> Result<String, Error> {
    let template = spec.required("urlTemplate")?;
    let url = eval_text(template, &ctx.scope(request, None), false)?;
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() {
        return Err(policy_error(format!(
            "policy {:?}: urlTemplate {template:?} evaluated to an empty URL",
            spec.template
        )));
    }
    let url = if url.contains("://") {
        url.to_owned()
    } else {
        format!("https://{url}")
    };
    // The message names the template, not the value (it may carry connection data).
    reqwest::Url::parse(&url).map_err(|e| {
        policy_error(format!(
            "policy {:?}: urlTemplate {template:?} did not evaluate to a valid URL: {e}",
            spec.template
        ))
    })?;
    Ok(url)
}

/// Replaces the operation path (base URL kept) and optionally the method.
pub(crate) fn route(spec: &PolicySpec, request: &mut Request, ctx: &Ctx<'_>) -> Result<(), Error> {
    let template = spec.required("newPath")?;
    let path = eval_text(template, &ctx.scope(request, None), true)?;
    let path = path.trim();
    request.path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if let Some(m) = spec.param("httpMethod") {
        let m = m.trim();
        if !m.is_empty() && !m.eq_ignore_ascii_case("@Request.OriginalHTTPMethod") {
            let method =
                http::Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| {
                    policy_error(format!(
                        "policy routerequesttoendpoint: invalid httpMethod {m:?}"
                    ))
                })?;
            request.idempotent = matches!(
                method,
                http::Method::GET
                    | http::Method::HEAD
                    | http::Method::OPTIONS
                    | http::Method::PUT
                    | http::Method::DELETE
            );
            request.method = method;
        }
    }
    Ok(())
}
