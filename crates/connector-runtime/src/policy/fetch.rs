//! `setvaluefromurl`: a side call on the same backend (same auth, no policies) whose
//! response value is put into a header or query parameter of the main request.

use serde_json::Value;

use super::expr::{self, Root, eval_text, parse_expr};
use super::{Ctx, PolicySpec, policy_error};
use crate::client::Client;
use crate::error::Error;
use crate::request::Request;

/// Runs the side call and sets the target.
pub(crate) async fn set_value_from_url(
    client: &Client,
    spec: &PolicySpec,
    request: &mut Request,
    ctx: &Ctx<'_>,
    dynamic_base: Option<&str>,
) -> Result<(), Error> {
    let target_text = spec.required("parameterTemplate")?;
    let target = parse_expr(target_text.trim().trim_start_matches('@'))
        .map(|(e, _)| e.root)
        .filter(|r| matches!(r, Root::Header(..) | Root::Query(..)))
        .ok_or_else(|| {
            policy_error(format!(
                "policy setvaluefromurl: parameterTemplate {target_text:?} must be @headers('…') or @queryParameters('…')"
            ))
        })?;
    let url_template = spec.required("parameterValueUrl")?;
    let relative = eval_text(url_template, &ctx.scope(request, None), true)?;
    let method = spec.param("httpMethod").unwrap_or("GET").trim();
    let method =
        http::Method::from_bytes(method.to_ascii_uppercase().as_bytes()).map_err(|_| {
            policy_error(format!(
                "policy setvaluefromurl: invalid httpMethod {method:?}"
            ))
        })?;
    let url = if relative.contains("://") {
        relative
    } else {
        let base = dynamic_base.unwrap_or(client.base_url());
        let sep = if relative.starts_with('/') { "" } else { "/" };
        format!("{base}{sep}{relative}")
    };
    let mut side = Request::new(request.operation, method, request.template);
    side.absolute_url = Some(url);
    side.idempotency_key = Some(crate::pipeline::random_id());
    let outcome = client.run_without_policies(side).await.map_err(|mut e| {
        e.message = format!("policy setvaluefromurl side call failed: {}", e.message);
        e
    })?;
    let body = match outcome.body {
        crate::pipeline::OutcomeBody::Buffered(b) => b,
        crate::pipeline::OutcomeBody::Streaming(r, _slot) => {
            r.bytes().await.map_err(crate::pipeline::transport_error)?
        }
    };
    let json: Value = serde_json::from_slice(&body).map_err(|_| {
        policy_error("policy setvaluefromurl: the side call's response is not JSON".to_owned())
    })?;
    let path = spec
        .param("parameterValuePathTemplate")
        .unwrap_or("@body()");
    let mut scope = ctx.scope(request, Some(&json));
    scope.request = Some(request);
    let value = expr::eval_template(path, &scope, false)?;
    let value = expr::to_text(&value);
    match target {
        Root::Header(name, _) => {
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            request.headers.push((name, value));
        }
        Root::Query(name, _) => {
            request
                .query
                .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            request.query.push((name, value));
        }
        _ => {}
    }
    Ok(())
}
