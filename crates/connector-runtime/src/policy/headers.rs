//! `setheader` (request and response) and `setqueryparameter`.

use serde_json::Value;

use super::expr::TextTemplate;
use super::params::{invalid, required};
use super::{PolicyInputs, PolicySection, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::Request;

/// `existsAction` of setheader / setqueryparameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExistsAction {
    Override,
    Skip,
    Append,
}

impl ExistsAction {
    fn of(spec: &PolicySpec) -> Result<Self, Error> {
        let text = spec.param("existsAction").unwrap_or("override").trim();
        if text.is_empty() || text.eq_ignore_ascii_case("override") {
            Ok(ExistsAction::Override)
        } else if text.eq_ignore_ascii_case("skip") {
            Ok(ExistsAction::Skip)
        } else if text.eq_ignore_ascii_case("append") {
            Ok(ExistsAction::Append)
        } else {
            Err(invalid(
                spec,
                "existsAction",
                format!("is {text:?}; expected override, skip or append"),
            ))
        }
    }
}

/// A compiled `setheader` / `setqueryparameter`: the name, the parsed value template and
/// what to do when the name is already set.
#[derive(Debug, Clone)]
pub(crate) struct SetPair {
    pub(crate) name: &'static str,
    /// The header name, checked at build, for the Response section.
    header: Option<http::HeaderName>,
    pub(crate) value: TextTemplate,
    action: ExistsAction,
}

impl SetPair {
    pub(crate) fn compile(spec: &PolicySpec, section: PolicySection) -> Result<Self, Error> {
        let name = required(spec, "name")?;
        let header =
            if section == PolicySection::Response {
                Some(http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    invalid(spec, "name", format!("is {name:?}, not a header name"))
                })?)
            } else {
                None
            };
        Ok(SetPair {
            name,
            header,
            value: TextTemplate::parse(spec.param("value").unwrap_or(""), false),
            action: ExistsAction::of(spec)?,
        })
    }

    /// Evaluates the value against the request, then sets the name in the pairs
    /// `pairs` selects (headers or query) as `existsAction` says.
    pub(crate) fn apply_request(
        &self,
        request: &mut Request,
        inputs: &PolicyInputs<'_>,
        pairs: fn(&mut Request) -> &mut Vec<(String, String)>,
    ) -> Result<(), Error> {
        let value = self.value.eval_text(&inputs.scope(request, None))?;
        let pairs = pairs(request);
        let exists = pairs.iter().any(|(n, _)| n.eq_ignore_ascii_case(self.name));
        match self.action {
            ExistsAction::Override => {
                pairs.retain(|(n, _)| !n.eq_ignore_ascii_case(self.name));
                pairs.push((self.name.to_owned(), value));
            }
            ExistsAction::Skip if exists => {}
            ExistsAction::Skip | ExistsAction::Append => {
                pairs.push((self.name.to_owned(), value));
            }
        }
        Ok(())
    }

    /// `setheader` in the Response section: changes the response's headers before
    /// decoding.
    pub(crate) fn apply_response(
        &self,
        request: &Request,
        body: Option<&Value>,
        headers: &mut http::HeaderMap,
        inputs: &PolicyInputs<'_>,
    ) -> Result<(), Error> {
        let Some(n) = self.header.clone() else {
            return Ok(());
        };
        let value = self.value.eval_text(&inputs.scope(request, body))?;
        let v = http::HeaderValue::from_str(&value).map_err(|_| {
            policy_error(format!(
                "policy setheader: the value for header {:?} is not a valid header value",
                self.name
            ))
        })?;
        match self.action {
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
}
