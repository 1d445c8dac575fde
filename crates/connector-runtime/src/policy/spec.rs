//! [`PolicySpec`]: one policy template instance as static data (what generated code
//! emits), typed by [`PolicyKind`].

/// A policy template this runtime implements (or an unknown one, by id).
///
/// Generated code names the variant; the template ids live in the definition model
/// (`connector_spec::PolicyTemplate`), whose every variant codegen maps to one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// `setheader`.
    SetHeader,
    /// `setqueryparameter`.
    SetQueryParameter,
    /// `dynamichosturl`.
    DynamicHostUrl,
    /// `dynamicsubdomain` (run as `dynamichosturl`).
    DynamicSubdomain,
    /// `routerequesttoendpoint`.
    RouteRequestToEndpoint,
    /// `setproperty`.
    SetProperty,
    /// `updatenextlink`.
    UpdateNextLink,
    /// `stringreplace`.
    StringReplace,
    /// `convertobjecttoarray`.
    ConvertObjectToArray,
    /// `convertarraytoobject`.
    ConvertArrayToObject,
    /// `stringtoarray`.
    StringToArray,
    /// `moveproperties`.
    MoveProperties,
    /// `setvaluefromurl`.
    SetValueFromUrl,
    /// `encodepropertyvalue`.
    EncodePropertyValue,
    /// `setconnectionstatustounauthenticated`.
    SetConnectionStatusToUnauthenticated,
    /// `pollingtrigger`.
    PollingTrigger,
    /// A template this runtime does not implement, by its id as written: building the
    /// client works, calls to the operations it applies to fail with `UNSUPPORTED`.
    Unknown(&'static str),
}

impl PolicyKind {
    /// Every implemented template.
    pub const ALL: &'static [PolicyKind] = &[
        PolicyKind::SetHeader,
        PolicyKind::SetQueryParameter,
        PolicyKind::DynamicHostUrl,
        PolicyKind::DynamicSubdomain,
        PolicyKind::RouteRequestToEndpoint,
        PolicyKind::SetProperty,
        PolicyKind::UpdateNextLink,
        PolicyKind::StringReplace,
        PolicyKind::ConvertObjectToArray,
        PolicyKind::ConvertArrayToObject,
        PolicyKind::StringToArray,
        PolicyKind::MoveProperties,
        PolicyKind::SetValueFromUrl,
        PolicyKind::EncodePropertyValue,
        PolicyKind::SetConnectionStatusToUnauthenticated,
        PolicyKind::PollingTrigger,
    ];

    /// The template id (lower case; an unknown template's as written), for messages.
    pub const fn id(self) -> &'static str {
        match self {
            PolicyKind::SetHeader => "setheader",
            PolicyKind::SetQueryParameter => "setqueryparameter",
            PolicyKind::DynamicHostUrl => "dynamichosturl",
            PolicyKind::DynamicSubdomain => "dynamicsubdomain",
            PolicyKind::RouteRequestToEndpoint => "routerequesttoendpoint",
            PolicyKind::SetProperty => "setproperty",
            PolicyKind::UpdateNextLink => "updatenextlink",
            PolicyKind::StringReplace => "stringreplace",
            PolicyKind::ConvertObjectToArray => "convertobjecttoarray",
            PolicyKind::ConvertArrayToObject => "convertarraytoobject",
            PolicyKind::StringToArray => "stringtoarray",
            PolicyKind::MoveProperties => "moveproperties",
            PolicyKind::SetValueFromUrl => "setvaluefromurl",
            PolicyKind::EncodePropertyValue => "encodepropertyvalue",
            PolicyKind::SetConnectionStatusToUnauthenticated => {
                "setconnectionstatustounauthenticated"
            }
            PolicyKind::PollingTrigger => "pollingtrigger",
            PolicyKind::Unknown(id) => id,
        }
    }

    /// Whether this runtime implements it.
    pub const fn is_known(self) -> bool {
        !matches!(self, PolicyKind::Unknown(_))
    }

    /// Where it runs when the definition does not say.
    pub(crate) fn default_section(self) -> PolicySection {
        match self {
            PolicyKind::SetConnectionStatusToUnauthenticated => PolicySection::Failure,
            PolicyKind::UpdateNextLink => PolicySection::Response,
            _ => PolicySection::Request,
        }
    }
}

/// Where a policy runs (`x-ms-apimTemplate-policySection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicySection {
    /// On the outgoing request, before the attempts start.
    Request,
    /// On a successful response, before it is decoded.
    Response,
    /// On a failed call's error.
    Failure,
}

/// One policy template instance, as plain static data generated code can emit:
///
/// ```
/// use connector_runtime::policy::{PolicyKind, PolicySpec};
///
/// static POLICIES: &[PolicySpec] = &[PolicySpec::new(
///     PolicyKind::SetHeader,
///     &["ListItems"],
///     &[("name", "X-Api-Key"), ("value", "@connectionParameters('api_key')")],
/// )
/// .in_request()];
/// assert!(POLICIES[0].applies_to("ListItems"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicySpec {
    /// The template.
    pub kind: PolicyKind,
    /// `x-ms-apimTemplate-operationName`: operation ids in scope; empty = every operation.
    pub operations: &'static [&'static str],
    /// `x-ms-apimTemplate-policySection`; `None` = the template's default.
    pub section: Option<PolicySection>,
    /// `x-ms-apimTemplateParameter.<name>` values by `<name>` (JSON-valued parameters
    /// such as `triggerConfig` as JSON text).
    pub parameters: &'static [(&'static str, &'static str)],
}

impl PolicySpec {
    /// A spec in the template's default section.
    pub const fn new(
        kind: PolicyKind,
        operations: &'static [&'static str],
        parameters: &'static [(&'static str, &'static str)],
    ) -> Self {
        PolicySpec {
            kind,
            operations,
            section: None,
            parameters,
        }
    }

    /// The same spec in the Request section.
    pub const fn in_request(mut self) -> Self {
        self.section = Some(PolicySection::Request);
        self
    }

    /// The same spec in the Response section.
    pub const fn in_response(mut self) -> Self {
        self.section = Some(PolicySection::Response);
        self
    }

    /// The same spec in the Failure section.
    pub const fn in_failure(mut self) -> Self {
        self.section = Some(PolicySection::Failure);
        self
    }

    /// Whether it applies to operation `operation`.
    pub fn applies_to(&self, operation: &str) -> bool {
        self.operations.is_empty() || self.operations.contains(&operation)
    }

    /// A parameter's value (name compared case-insensitively).
    pub fn param(&self, name: &str) -> Option<&'static str> {
        self.parameters
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// Whether the template is implemented by this runtime.
    pub fn is_known(&self) -> bool {
        self.kind.is_known()
    }

    /// Where it runs: the declared section, else a `policySection` parameter, else the
    /// template's default.
    pub(crate) fn resolved_section(&self) -> PolicySection {
        if let Some(s) = self.section {
            return s;
        }
        match self.param("policySection").map(str::trim) {
            Some(s) if s.eq_ignore_ascii_case("request") => PolicySection::Request,
            Some(s) if s.eq_ignore_ascii_case("response") => PolicySection::Response,
            Some(s) if s.eq_ignore_ascii_case("failure") => PolicySection::Failure,
            _ => self.kind.default_section(),
        }
    }
}
