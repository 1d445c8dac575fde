//! Policy templates (`apiProperties.json` `policyTemplateInstances`): the one list of
//! template ids this project knows ([`PolicyTemplate`]) and the model of one instance
//! ([`PolicyInstance`]).
//!
//! Codegen maps every [`PolicyTemplate`] variant to the runtime's constructor with an
//! exhaustive `match`, so a template added here does not compile until it is mapped.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::Value;

/// A policy template, by its `templateId` (ids compare case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PolicyTemplate {
    /// `setheader`: sets a request (or response) header.
    SetHeader,
    /// `setqueryparameter`: sets a query parameter.
    SetQueryParameter,
    /// `dynamichosturl`: the base URL comes from connection values.
    DynamicHostUrl,
    /// `dynamicsubdomain`: the older name of `dynamichosturl`.
    DynamicSubdomain,
    /// `routerequesttoendpoint`: rewrites the path (and method).
    RouteRequestToEndpoint,
    /// `setproperty`: sets a JSON body property.
    SetProperty,
    /// `updatenextlink`: rewrites the next-page link.
    UpdateNextLink,
    /// `stringreplace`: replaces text in a JSON body property.
    StringReplace,
    /// `convertobjecttoarray`: turns an object into `[{key, value}]`.
    ConvertObjectToArray,
    /// `convertarraytoobject`: turns an array into an object keyed by a property.
    ConvertArrayToObject,
    /// `stringtoarray`: splits a delimited string into an array of objects.
    StringToArray,
    /// `moveproperties`: moves a JSON body subtree.
    MoveProperties,
    /// `setvaluefromurl`: a side request whose result becomes a header or query value.
    SetValueFromUrl,
    /// `encodepropertyvalue`: percent-encodes a JSON body property.
    EncodePropertyValue,
    /// `setconnectionstatustounauthenticated`: a status marks the connection signed out.
    SetConnectionStatusToUnauthenticated,
    /// `pollingtrigger`: the state of a polling trigger.
    PollingTrigger,
    /// Any other id, as written: kept so calls to the operations it applies to can fail
    /// clearly at run time.
    Unknown(String),
}

impl PolicyTemplate {
    /// Every known template, in a stable order.
    pub const ALL: &'static [PolicyTemplate] = &[
        PolicyTemplate::SetHeader,
        PolicyTemplate::SetQueryParameter,
        PolicyTemplate::DynamicHostUrl,
        PolicyTemplate::DynamicSubdomain,
        PolicyTemplate::RouteRequestToEndpoint,
        PolicyTemplate::SetProperty,
        PolicyTemplate::UpdateNextLink,
        PolicyTemplate::StringReplace,
        PolicyTemplate::ConvertObjectToArray,
        PolicyTemplate::ConvertArrayToObject,
        PolicyTemplate::StringToArray,
        PolicyTemplate::MoveProperties,
        PolicyTemplate::SetValueFromUrl,
        PolicyTemplate::EncodePropertyValue,
        PolicyTemplate::SetConnectionStatusToUnauthenticated,
        PolicyTemplate::PollingTrigger,
    ];

    /// The template of `templateId` `id` (trimmed, compared case-insensitively);
    /// [`PolicyTemplate::Unknown`] keeps an unknown id as written.
    pub fn from_id(id: &str) -> Self {
        let trimmed = id.trim();
        Self::ALL
            .iter()
            .find(|t| t.id().eq_ignore_ascii_case(trimmed))
            .cloned()
            .unwrap_or_else(|| PolicyTemplate::Unknown(id.to_owned()))
    }

    /// The template id: lower case for a known template, as written for an unknown one.
    pub fn id(&self) -> &str {
        match self {
            PolicyTemplate::SetHeader => "setheader",
            PolicyTemplate::SetQueryParameter => "setqueryparameter",
            PolicyTemplate::DynamicHostUrl => "dynamichosturl",
            PolicyTemplate::DynamicSubdomain => "dynamicsubdomain",
            PolicyTemplate::RouteRequestToEndpoint => "routerequesttoendpoint",
            PolicyTemplate::SetProperty => "setproperty",
            PolicyTemplate::UpdateNextLink => "updatenextlink",
            PolicyTemplate::StringReplace => "stringreplace",
            PolicyTemplate::ConvertObjectToArray => "convertobjecttoarray",
            PolicyTemplate::ConvertArrayToObject => "convertarraytoobject",
            PolicyTemplate::StringToArray => "stringtoarray",
            PolicyTemplate::MoveProperties => "moveproperties",
            PolicyTemplate::SetValueFromUrl => "setvaluefromurl",
            PolicyTemplate::EncodePropertyValue => "encodepropertyvalue",
            PolicyTemplate::SetConnectionStatusToUnauthenticated => {
                "setconnectionstatustounauthenticated"
            }
            PolicyTemplate::PollingTrigger => "pollingtrigger",
            PolicyTemplate::Unknown(id) => id,
        }
    }

    /// Whether this project implements the template.
    pub fn is_known(&self) -> bool {
        !matches!(self, PolicyTemplate::Unknown(_))
    }

    /// Whether it sets the base URL (`dynamichosturl` / `dynamicsubdomain`).
    pub fn routes_host(&self) -> bool {
        matches!(
            self,
            PolicyTemplate::DynamicHostUrl | PolicyTemplate::DynamicSubdomain
        )
    }
}

impl fmt::Display for PolicyTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Serialized as its id.
impl Serialize for PolicyTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// Where a policy runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PolicySection {
    /// On the outgoing request.
    Request,
    /// On the response.
    Response,
    /// When the backend call failed.
    Failure,
}

/// One `policyTemplateInstances` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyInstance {
    /// `templateId`, typed.
    pub template: PolicyTemplate,
    /// `title`.
    pub title: Option<String>,
    /// `type` (`PollingTrigger` for pollingtrigger).
    pub kind: Option<String>,
    /// `x-ms-apimTemplate-operationName`: the operations it applies to; empty = every
    /// operation.
    pub operations: Vec<String>,
    /// `x-ms-apimTemplate-policySection`, when given.
    pub section: Option<PolicySection>,
    /// The `x-ms-apimTemplateParameter.<name>` values by `<name>` (strings, except e.g.
    /// `triggerConfig` objects and integer `statusCode`).
    pub parameters: BTreeMap<String, Value>,
}

impl PolicyInstance {
    /// Whether it applies to the operation `operation_id`.
    pub fn applies_to(&self, operation_id: &str) -> bool {
        self.operations.is_empty() || self.operations.iter().any(|o| o == operation_id)
    }

    /// A parameter's value as text (strings as-is, other JSON as JSON text).
    pub fn parameter_text(&self, name: &str) -> Option<String> {
        self.parameters.get(name).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_case_insensitively() {
        for t in PolicyTemplate::ALL {
            assert!(t.is_known());
            assert_eq!(&PolicyTemplate::from_id(t.id()), t);
            assert_eq!(&PolicyTemplate::from_id(&t.id().to_ascii_uppercase()), t);
        }
        assert_eq!(
            PolicyTemplate::from_id(" DynamicHostUrl "),
            PolicyTemplate::DynamicHostUrl
        );
        let unknown = PolicyTemplate::from_id("Teleport");
        assert_eq!(unknown, PolicyTemplate::Unknown("Teleport".into()));
        assert!(!unknown.is_known());
        assert_eq!(unknown.id(), "Teleport");
    }

    #[test]
    fn every_known_id_is_distinct_lower_case_and_serializes_as_itself() {
        let mut ids: Vec<&str> = PolicyTemplate::ALL.iter().map(PolicyTemplate::id).collect();
        assert!(ids.iter().all(|id| *id == id.to_ascii_lowercase()));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PolicyTemplate::ALL.len());
        assert_eq!(
            serde_json::to_value(PolicyTemplate::SetHeader).ok(),
            Some(Value::String("setheader".into()))
        );
    }
}
