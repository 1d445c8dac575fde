//! `pollingtrigger`: the state a poller needs to emulate a polling trigger over a list
//! operation (query parameters computed from the previous poll's body, the item array,
//! the next-page link).

use serde_json::Value;

use super::expr::{self, Scope, eval_template};
use super::{ConnectionValues, PolicySpec, policy_error};
use crate::error::Error;
use crate::request::Request;

/// The key of `triggerConfig` naming the next-page property.
const NEXT_LINK_KEY: &str = "x-ms-triggerConfig-nextLink";

/// A `pollingtrigger` policy, ready for a poller.
#[derive(Debug, Clone, PartialEq)]
pub struct PollingTrigger {
    /// The trigger operation(s).
    pub operations: Vec<String>,
    /// Query parameter name → value template (evaluated against the previous body as
    /// `triggerBody()`), in declared order.
    pub config: Vec<(String, String)>,
    /// `triggerDataPath`, e.g. `@triggerBody().value`.
    pub data_path: String,
    /// The response property holding the next page (default `@odata.nextLink`).
    pub next_link_property: String,
}

impl PollingTrigger {
    /// Reads a `pollingtrigger` spec (`triggerConfig` as JSON text).
    pub fn from_spec(spec: &PolicySpec) -> Result<Self, Error> {
        let config_text = spec.param("triggerConfig").unwrap_or("{}");
        let config: Value = serde_json::from_str(config_text).map_err(|e| {
            policy_error(format!(
                "policy pollingtrigger: triggerConfig is not a JSON object: {e}"
            ))
        })?;
        let Value::Object(map) = config else {
            return Err(policy_error(
                "policy pollingtrigger: triggerConfig is not a JSON object".to_owned(),
            ));
        };
        let mut next_link_property = "@odata.nextLink".to_owned();
        let mut entries = Vec::new();
        for (k, v) in map {
            let v = expr::to_text(&v);
            if k.eq_ignore_ascii_case(NEXT_LINK_KEY) {
                next_link_property = v;
            } else {
                entries.push((k, v));
            }
        }
        Ok(PollingTrigger {
            operations: spec.operations.iter().map(|s| (*s).to_owned()).collect(),
            config: entries,
            data_path: spec
                .param("triggerDataPath")
                .unwrap_or("@triggerBody()")
                .to_owned(),
            next_link_property,
        })
    }

    fn scope<'a>(connection: &'a ConnectionValues, previous: Option<&'a Value>) -> Scope<'a> {
        let mut s = Scope::connection_only(connection);
        s.trigger_body = previous;
        s
    }

    /// The query parameters of the next poll. On the first poll (`previous` is `None`)
    /// entries that read `triggerBody()` are left out; constants are always sent.
    pub fn query(
        &self,
        previous: Option<&Value>,
        connection: &ConnectionValues,
    ) -> Result<Vec<(String, String)>, Error> {
        let scope = Self::scope(connection, previous);
        let mut out = Vec::new();
        for (name, template) in &self.config {
            let reads_state = template.to_ascii_lowercase().contains("triggerbody()");
            if previous.is_none() && reads_state {
                continue;
            }
            let v = eval_template(template, &scope, false)?;
            if reads_state && v.is_null() {
                continue;
            }
            out.push((name.clone(), expr::to_text(&v)));
        }
        Ok(out)
    }

    /// Adds [`Self::query`] to `request`, replacing same-named parameters.
    pub fn apply(
        &self,
        request: &mut Request,
        previous: Option<&Value>,
        connection: &ConnectionValues,
    ) -> Result<(), Error> {
        for (name, value) in self.query(previous, connection)? {
            request.query.retain(|(n, _)| *n != name);
            request.query.push((name, value));
        }
        Ok(())
    }

    /// The items of a poll's response body (at `triggerDataPath`); a non-array value is
    /// one item, a missing one none.
    pub fn items(&self, body: &Value) -> Vec<Value> {
        let empty = ConnectionValues::default();
        match eval_template(&self.data_path, &Self::scope(&empty, Some(body)), false) {
            Ok(Value::Array(a)) => a,
            Ok(Value::Null) | Err(_) => Vec::new(),
            Ok(other) => vec![other],
        }
    }

    /// The next page's URL in a poll's response body, when present and non-empty.
    pub fn next_link(&self, body: &Value) -> Option<String> {
        body.get(&self.next_link_property)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }
}
