//! `pollingtrigger`: the state a poller needs to emulate a polling trigger over a list
//! operation (query parameters computed from the previous poll's body, the item array,
//! the next-page link). Its templates are parsed once, when the client is built.

use serde_json::Value;

use super::expr::{self, Scope, TextTemplate};
use super::params::invalid;
use super::{ConnectionValues, PolicySpec};
use crate::error::Error;
use crate::request::Request;

/// The key of `triggerConfig` naming the next-page property.
const NEXT_LINK_KEY: &str = "x-ms-triggerConfig-nextLink";

/// One `triggerConfig` entry: a query parameter and its parsed value template.
#[derive(Debug, Clone, PartialEq)]
struct QueryEntry {
    name: String,
    value: TextTemplate,
    /// Whether the value reads `triggerBody()` (the previous poll's body).
    reads_state: bool,
}

/// A `pollingtrigger` policy, ready for a poller.
#[derive(Debug, Clone, PartialEq)]
pub struct PollingTrigger {
    operations: &'static [&'static str],
    /// Query parameter name → value template (evaluated against the previous body as
    /// `triggerBody()`), in declared order.
    config: Vec<QueryEntry>,
    /// `triggerDataPath`, e.g. `@triggerBody().value`.
    data_path: TextTemplate,
    /// The response property holding the next page (default `@odata.nextLink`).
    next_link_property: String,
}

impl PollingTrigger {
    /// Reads a `pollingtrigger` spec (`triggerConfig` as JSON text); an error names the
    /// parameter that is not as expected.
    pub fn from_spec(spec: &PolicySpec) -> Result<Self, Error> {
        let config_text = spec.param("triggerConfig").unwrap_or("{}");
        let not_object = |detail: String| {
            invalid(
                spec,
                "triggerConfig",
                format!("is not a JSON object{detail}"),
            )
        };
        let config: Value =
            serde_json::from_str(config_text).map_err(|e| not_object(format!(": {e}")))?;
        let Value::Object(map) = config else {
            return Err(not_object(String::new()));
        };
        let mut next_link_property = "@odata.nextLink".to_owned();
        let mut entries = Vec::new();
        for (name, v) in map {
            let text = expr::to_text(&v);
            if name.eq_ignore_ascii_case(NEXT_LINK_KEY) {
                next_link_property = text;
            } else {
                let value = TextTemplate::parse(&text, false);
                entries.push(QueryEntry {
                    name,
                    reads_state: value.reads_trigger_body(),
                    value,
                });
            }
        }
        Ok(PollingTrigger {
            operations: spec.operations,
            config: entries,
            data_path: TextTemplate::parse(
                spec.param("triggerDataPath").unwrap_or("@triggerBody()"),
                false,
            ),
            next_link_property,
        })
    }

    /// The trigger operation(s); empty = every operation.
    pub fn operations(&self) -> &'static [&'static str] {
        self.operations
    }

    /// The response property holding the next page's link.
    pub fn next_link_property(&self) -> &str {
        &self.next_link_property
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
        for entry in &self.config {
            if previous.is_none() && entry.reads_state {
                continue;
            }
            let v = entry.value.eval(&scope)?;
            if entry.reads_state && v.is_null() {
                continue;
            }
            out.push((entry.name.clone(), expr::to_text(&v)));
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
        match self.data_path.eval(&Self::scope(&empty, Some(body))) {
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
