//! Power Platform policy templates, run by the pipeline on the request (before the
//! attempts start) and on the response (before generated code decodes it).
//!
//! Generated code emits its connector's `policyTemplateInstances` as a static table of
//! [`PolicySpec`]s and the user supplies [`ConnectionValues`] at build time:
//!
//! ```
//! use connector_runtime::policy::{ConnectionValues, PolicySpec};
//!
//! static POLICIES: &[PolicySpec] = &[
//!     PolicySpec::new("dynamichosturl", &[], &[
//!         ("urlTemplate", "https://@connectionParameters('host')/api"),
//!     ]),
//!     PolicySpec::new("setheader", &["ListItems"], &[
//!         ("name", "X-Api-Key"),
//!         ("value", "@connectionParameters('api_key')"),
//!         ("existsAction", "override"),
//!     ]),
//! ];
//!
//! let client = connector_runtime::Client::builder("https://placeholder.invalid")
//!     .policies(POLICIES)
//!     .connection_values(
//!         ConnectionValues::new()
//!             .value("host", "contoso.example")
//!             .secret("api_key", "k-123"),
//!     )
//!     .build()?;
//! # Ok::<(), connector_runtime::Error>(())
//! ```
//!
//! Policies run in declared order, only for the operations they name (matched against
//! [`crate::Request::operation`]; no names = every operation). A template id this runtime
//! does not know makes every call to an affected operation fail with `UNSUPPORTED`
//! naming the template; building the client still works.

mod body;
pub(crate) mod expr;
mod fetch;
mod headers;
mod routing;
mod trigger;

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use secrecy::{ExposeSecret, SecretString};

use crate::client::Client;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::request::Request;

pub use trigger::PollingTrigger;

/// Every template id implemented here, lower-case (ids compare case-insensitively).
pub const KNOWN_TEMPLATES: &[&str] = &[
    "setheader",
    "setqueryparameter",
    "dynamichosturl",
    "dynamicsubdomain",
    "routerequesttoendpoint",
    "setproperty",
    "updatenextlink",
    "stringreplace",
    "convertobjecttoarray",
    "convertarraytoobject",
    "stringtoarray",
    "moveproperties",
    "setvaluefromurl",
    "encodepropertyvalue",
    "setconnectionstatustounauthenticated",
    "pollingtrigger",
];

/// One policy template instance, as plain static data generated code can emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicySpec {
    /// `templateId` as written (compared case-insensitively).
    pub template: &'static str,
    /// `x-ms-apimTemplate-operationName`: operation ids in scope; empty = every operation.
    pub operations: &'static [&'static str],
    /// `x-ms-apimTemplate-policySection` (`Request`, `Response`, `Failure`); `""` = the
    /// template's default.
    pub section: &'static str,
    /// `x-ms-apimTemplateParameter.<name>` values by `<name>` (JSON-valued parameters
    /// such as `triggerConfig` as JSON text).
    pub parameters: &'static [(&'static str, &'static str)],
}

impl PolicySpec {
    /// A spec with the template's default section.
    pub const fn new(
        template: &'static str,
        operations: &'static [&'static str],
        parameters: &'static [(&'static str, &'static str)],
    ) -> Self {
        PolicySpec {
            template,
            operations,
            section: "",
            parameters,
        }
    }

    /// The same spec in `section` (`Request`, `Response` or `Failure`).
    pub const fn in_section(mut self, section: &'static str) -> Self {
        self.section = section;
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

    /// Whether the template id is implemented by this runtime.
    pub fn is_known(&self) -> bool {
        Template::of(self.template) != Template::Unknown
    }

    pub(crate) fn required(&self, name: &str) -> Result<&'static str, Error> {
        self.param(name).ok_or_else(|| {
            policy_error(format!(
                "policy {:?} is missing its required parameter {name:?}",
                self.template
            ))
        })
    }

    pub(crate) fn section_for(&self, template: Template) -> Section {
        let declared = if self.section.is_empty() {
            self.param("policySection").unwrap_or("")
        } else {
            self.section
        };
        match declared.to_ascii_lowercase().as_str() {
            "request" => Section::Request,
            "response" => Section::Response,
            "failure" => Section::Failure,
            _ => template.default_section(),
        }
    }
}

/// Where a policy runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Request,
    Response,
    Failure,
}

/// The implemented templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Template {
    SetHeader,
    SetQueryParameter,
    DynamicHostUrl,
    RouteRequestToEndpoint,
    SetProperty,
    UpdateNextLink,
    StringReplace,
    ConvertObjectToArray,
    ConvertArrayToObject,
    StringToArray,
    MoveProperties,
    SetValueFromUrl,
    EncodePropertyValue,
    SetConnectionStatusToUnauthenticated,
    PollingTrigger,
    Unknown,
}

impl Template {
    pub(crate) fn of(id: &str) -> Self {
        match id.trim().to_ascii_lowercase().as_str() {
            "setheader" => Template::SetHeader,
            "setqueryparameter" => Template::SetQueryParameter,
            "dynamichosturl" | "dynamicsubdomain" => Template::DynamicHostUrl,
            "routerequesttoendpoint" => Template::RouteRequestToEndpoint,
            "setproperty" => Template::SetProperty,
            "updatenextlink" => Template::UpdateNextLink,
            "stringreplace" => Template::StringReplace,
            "convertobjecttoarray" => Template::ConvertObjectToArray,
            "convertarraytoobject" => Template::ConvertArrayToObject,
            "stringtoarray" => Template::StringToArray,
            "moveproperties" => Template::MoveProperties,
            "setvaluefromurl" => Template::SetValueFromUrl,
            "encodepropertyvalue" => Template::EncodePropertyValue,
            "setconnectionstatustounauthenticated" => {
                Template::SetConnectionStatusToUnauthenticated
            }
            "pollingtrigger" => Template::PollingTrigger,
            _ => Template::Unknown,
        }
    }

    fn default_section(self) -> Section {
        match self {
            Template::SetConnectionStatusToUnauthenticated => Section::Failure,
            Template::UpdateNextLink => Section::Response,
            _ => Section::Request,
        }
    }
}

/// Connection parameter values supplied by the user (`@connectionParameters('name')`).
/// Every value is held as a secret: `Debug` shows names only, and errors name the
/// parameter, never its value.
#[derive(Clone, Default)]
pub struct ConnectionValues {
    values: BTreeMap<String, SecretString>,
}

impl fmt::Debug for ConnectionValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.values.keys().map(|k| (k, "[redacted]")))
            .finish()
    }
}

impl ConnectionValues {
    /// No values.
    pub fn new() -> Self {
        ConnectionValues::default()
    }

    /// Add a secret value (`securestring`, tokens).
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(name, value);
        self
    }

    /// Add a plain value (`string`, `int`, `bool`); held like a secret all the same.
    pub fn value(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.secret(name, value)
    }

    /// Set a value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values
            .insert(name.into(), SecretString::from(value.into()));
    }

    /// Whether `name` has a value (exact name, else case-insensitive).
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The names that have values.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The value of `name`, exposed (exact name, else case-insensitive).
    pub fn expose(&self, name: &str) -> Option<&str> {
        self.get(name)
    }

    /// No values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .or_else(|| {
                self.values
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .map(|v| v.expose_secret())
    }
}

/// The policies of a client and the connection values they read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policies {
    pub(crate) specs: Vec<PolicySpec>,
    pub(crate) connection: ConnectionValues,
}

impl Policies {
    /// Header and query names whose values come from connection values (or side
    /// calls): never logged.
    pub(crate) fn sensitive_names(&self) -> (Vec<String>, Vec<String>) {
        let mut headers = Vec::new();
        let mut fields = Vec::new();
        for spec in &self.specs {
            match Template::of(spec.template) {
                Template::SetHeader | Template::SetQueryParameter => {
                    let secret = spec
                        .param("value")
                        .is_some_and(|v| !expr::connection_refs(v).is_empty());
                    if let (true, Some(name)) = (secret, spec.param("name")) {
                        if Template::of(spec.template) == Template::SetHeader {
                            headers.push(name.to_owned());
                        } else {
                            fields.push(name.to_owned());
                        }
                    }
                }
                Template::SetValueFromUrl => {
                    if let Some(e) = spec
                        .param("parameterTemplate")
                        .and_then(|t| expr::parse_expr(t.trim().trim_start_matches('@')))
                    {
                        match e.0.root {
                            expr::Root::Header(n, _) => headers.push(n),
                            expr::Root::Query(n, _) => fields.push(n),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        (headers, fields)
    }
}

/// What the request phase leaves for the response phase.
#[derive(Debug, Clone)]
pub(crate) struct PolicyRun {
    /// The request as sent (after the request policies).
    pub(crate) request: Request,
    /// Path parameters read from the request before routing.
    pub(crate) path_params: Vec<(String, String)>,
}

pub(crate) fn policy_error(message: String) -> Error {
    let mut e = Error::validation(message).with_source(ErrorSource::UserHook);
    e.retryable = false;
    e
}

fn unsupported(template: &str, operation: &str) -> Error {
    let mut e = Error::new(
        ErrorCode::Unsupported,
        format!(
            "policy template {template:?} (applied to operation {operation:?}) is not supported by this runtime; supported: {}",
            KNOWN_TEMPLATES.join(", ")
        ),
    )
    .with_source(ErrorSource::UserHook);
    e.retryable = false;
    e
}

impl Client {
    /// Runs the request-section policies for `request`'s operation, in order.
    pub(crate) async fn apply_request_policies(
        &self,
        request: &mut Request,
    ) -> Result<Option<PolicyRun>, Error> {
        let policies = &self.inner.policies;
        let op = request.operation;
        if !policies.specs.iter().any(|s| s.applies_to(op)) {
            return Ok(None);
        }
        let path_params = expr::path_params(request.template, &request.path);
        // Next-page and other absolute URLs were given by the server: no re-routing.
        let routable = request.absolute_url.is_none();
        let mut base: Option<String> = None;
        for spec in policies.specs.iter().filter(|s| s.applies_to(op)) {
            let template = Template::of(spec.template);
            if template == Template::Unknown {
                return Err(unsupported(spec.template, op));
            }
            if spec.section_for(template) != Section::Request {
                continue;
            }
            let ctx = Ctx {
                connection: &policies.connection,
                path_params: &path_params,
            };
            tracing::trace!(policy = spec.template, operation = op, "request policy");
            match template {
                Template::SetHeader => headers::set_header_request(spec, request, &ctx)?,
                Template::SetQueryParameter => headers::set_query(spec, request, &ctx)?,
                Template::DynamicHostUrl if routable => {
                    let host = routing::dynamic_host(spec, request, &ctx)?;
                    // The definition routes there: its origin may receive credentials.
                    self.inner.origins.trust(&host);
                    base = Some(host);
                }
                Template::RouteRequestToEndpoint if routable => {
                    routing::route(spec, request, &ctx)?;
                }
                Template::SetValueFromUrl => {
                    fetch::set_value_from_url(self, spec, request, &ctx, base.as_deref()).await?;
                }
                Template::SetProperty
                | Template::StringReplace
                | Template::ConvertObjectToArray
                | Template::ConvertArrayToObject
                | Template::StringToArray
                | Template::MoveProperties
                | Template::EncodePropertyValue => {
                    body::transform_request(template, spec, request, &ctx)?;
                }
                // Polling state is driven by the poller (see `PollingTrigger`); next
                // links are followed as the backend wrote them; the others are
                // response- or failure-side.
                _ => {}
            }
        }
        if let Some(base) = base {
            request.absolute_url = Some(format!("{base}{}", request.path));
        }
        Ok(Some(PolicyRun {
            request: request.clone(),
            path_params,
        }))
    }

    /// Runs the response-section policies on a successful response's headers and (when
    /// buffered) body, before decoding.
    pub(crate) fn apply_response_policies(
        &self,
        run: &PolicyRun,
        headers: &mut http::HeaderMap,
        body: Option<&mut Bytes>,
    ) -> Result<(), Error> {
        let policies = &self.inner.policies;
        let op = run.request.operation;
        let ctx = Ctx {
            connection: &policies.connection,
            path_params: &run.path_params,
        };
        let mut json: Option<serde_json::Value> = body
            .as_ref()
            .and_then(|b| serde_json::from_slice(b.as_ref()).ok());
        let mut changed = false;
        for spec in policies.specs.iter().filter(|s| s.applies_to(op)) {
            let template = Template::of(spec.template);
            if spec.section_for(template) != Section::Response {
                continue;
            }
            tracing::trace!(policy = spec.template, operation = op, "response policy");
            match template {
                Template::SetHeader => {
                    headers::set_header_response(spec, &run.request, json.as_ref(), headers, &ctx)?
                }
                Template::UpdateNextLink => {
                    // A direct client follows the backend's link as written; the
                    // paging layer never forwards credentials to another origin.
                }
                Template::SetProperty
                | Template::StringReplace
                | Template::ConvertObjectToArray
                | Template::ConvertArrayToObject
                | Template::StringToArray
                | Template::MoveProperties
                | Template::EncodePropertyValue => match json.as_mut() {
                    Some(v) => {
                        body::transform(template, spec, v, &run.request, &ctx)?;
                        changed = true;
                    }
                    None => tracing::warn!(
                        policy = spec.template,
                        operation = op,
                        "response body is not JSON; body policy skipped"
                    ),
                },
                _ => {}
            }
        }
        if changed && let (Some(v), Some(b)) = (json, body) {
            let bytes = serde_json::to_vec(&v)
                .map_err(|e| policy_error(format!("policy output could not be serialized: {e}")))?;
            *b = Bytes::from(bytes);
            headers.remove(http::header::CONTENT_LENGTH);
        }
        Ok(())
    }

    /// Runs the failure-section policies on an error.
    pub(crate) fn apply_failure_policies(&self, run: &PolicyRun, err: &mut Error) {
        let policies = &self.inner.policies;
        let op = run.request.operation;
        for spec in policies.specs.iter().filter(|s| s.applies_to(op)) {
            if Template::of(spec.template) == Template::SetConnectionStatusToUnauthenticated {
                let code = spec
                    .param("statusCode")
                    .and_then(|c| c.trim().parse::<u16>().ok())
                    .unwrap_or(401);
                if err.status == Some(code) {
                    self.inner
                        .connection_unauthenticated
                        .store(true, std::sync::atomic::Ordering::Release);
                    err.code = ErrorCode::AuthFailed;
                    err.source_kind = ErrorSource::Auth;
                    err.retryable = false;
                    err.message.push_str(
                        "; the connection is now marked unauthenticated (policy setconnectionstatustounauthenticated): sign in again",
                    );
                }
            }
        }
    }

    /// Whether a `setconnectionstatustounauthenticated` policy marked the connection
    /// unauthenticated; cleared by [`Client::set_auth`] or
    /// [`Client::reset_connection_status`].
    pub fn is_connection_unauthenticated(&self) -> bool {
        self.inner
            .connection_unauthenticated
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Mark the connection authenticated again (after the user signed in again).
    pub fn reset_connection_status(&self) {
        self.inner
            .connection_unauthenticated
            .store(false, std::sync::atomic::Ordering::Release);
    }

    /// The `pollingtrigger` policy of `operation`, for a poller; `Ok(None)` when the
    /// operation has none.
    pub fn polling_trigger(&self, operation: &str) -> Result<Option<PollingTrigger>, Error> {
        self.inner
            .policies
            .specs
            .iter()
            .find(|s| {
                Template::of(s.template) == Template::PollingTrigger && s.applies_to(operation)
            })
            .map(PollingTrigger::from_spec)
            .transpose()
    }

    /// The connection values the client was built with.
    pub fn connection_values(&self) -> &ConnectionValues {
        &self.inner.policies.connection
    }
}

/// What template implementations read besides the request.
pub(crate) struct Ctx<'a> {
    pub(crate) connection: &'a ConnectionValues,
    pub(crate) path_params: &'a [(String, String)],
}

impl<'a> Ctx<'a> {
    pub(crate) fn scope(
        &self,
        request: &'a Request,
        body: Option<&'a serde_json::Value>,
    ) -> expr::Scope<'a> {
        expr::Scope {
            connection: self.connection,
            request: Some(request),
            path_params: self.path_params,
            body,
            item: None,
            trigger_body: None,
        }
    }
}

/// `existsAction` of setheader / setqueryparameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExistsAction {
    Override,
    Skip,
    Append,
}

impl ExistsAction {
    pub(crate) fn of(spec: &PolicySpec) -> Result<Self, Error> {
        match spec
            .param("existsAction")
            .unwrap_or("override")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "override" => Ok(ExistsAction::Override),
            "skip" => Ok(ExistsAction::Skip),
            "append" => Ok(ExistsAction::Append),
            other => Err(policy_error(format!(
                "policy {:?}: unknown existsAction {other:?} (expected override, skip or append)",
                spec.template
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_values_never_show_secrets() {
        let v = ConnectionValues::new().secret("api_key", "s3cr3t");
        let shown = format!("{v:?}");
        assert!(shown.contains("api_key") && !shown.contains("s3cr3t"));
        assert_eq!(v.get("API_KEY"), Some("s3cr3t"));
    }

    #[test]
    fn template_ids_compare_case_insensitively() {
        for id in KNOWN_TEMPLATES {
            assert_ne!(Template::of(&id.to_ascii_uppercase()), Template::Unknown);
        }
        assert_eq!(Template::of("DynamicSubdomain"), Template::DynamicHostUrl);
        assert_eq!(Template::of("teleport"), Template::Unknown);
    }
}
