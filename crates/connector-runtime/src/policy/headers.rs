//! `setheader` (request and response) and `setqueryparameter`.

use serde_json::Value;

use super::expr::eval_text;
use super::{Ctx, ExistsAction, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::Request;

fn set_pair(pairs: &mut Vec<(String, String)>, name: &str, value: String, action: ExistsAction) {
    let exists = pairs.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    match action {
        ExistsAction::Override => {
            pairs.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            pairs.push((name.to_owned(), value));
        }
        ExistsAction::Skip if exists => {}
        ExistsAction::Skip | ExistsAction::Append => pairs.push((name.to_owned(), value)),
    }
}

/// `setheader` on the outgoing request.
pub(crate) fn set_header_request(
    spec: &PolicySpec,
    request: &mut Request,
    ctx: &Ctx<'_>,
) -> Result<(), Error> {
    set_request_pair(spec, request, ctx, |r| &mut r.headers)
}

/// `setqueryparameter` on the outgoing request.
pub(crate) fn set_query(
    spec: &PolicySpec,
    request: &mut Request,
    ctx: &Ctx<'_>,
) -> Result<(), Error> {
    set_request_pair(spec, request, ctx, |r| &mut r.query)
}

/// Evaluate `value` against the request, then set `name` in the pairs `pairs` selects
/// (headers or query) as `existsAction` says.
fn set_request_pair(
    spec: &PolicySpec,
    request: &mut Request,
    ctx: &Ctx<'_>,
    pairs: fn(&mut Request) -> &mut Vec<(String, String)>,
) -> Result<(), Error> {
    let name = spec.required("name")?;
    let action = ExistsAction::of(spec)?;
    let value = eval_text(
        spec.param("value").unwrap_or(""),
        &ctx.scope(request, None),
        false,
    )?;
    set_pair(pairs(request), name, value, action);
    Ok(())
}

/// `setheader` in the Response section: changes the response's headers before decoding.
pub(crate) fn set_header_response(
    spec: &PolicySpec,
    request: &Request,
    body: Option<&Value>,
    headers: &mut http::HeaderMap,
    ctx: &Ctx<'_>,
) -> Result<(), Error> {
    let name = spec.required("name")?;
    let action = ExistsAction::of(spec)?;
    let value = eval_text(
        spec.param("value").unwrap_or(""),
        &ctx.scope(request, body),
        false,
    )?;
    let n = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| policy_error(format!("policy setheader: invalid header name {name:?}")))?;
    let v = http::HeaderValue::from_str(&value).map_err(|_| {
        policy_error(format!(
            "policy setheader: the value for header {name:?} is not a valid header value"
        ))
    })?;
    match action {
        ExistsAction::Override => {
            headers.insert(n, v);
        }
        ExistsAction::Skip => {
            if !headers.contains_key(&n) {
                headers.insert(n, v);
            }
        }
        ExistsAction::Append => {
            headers.append(n, v);
        }
    }
    Ok(())
}
