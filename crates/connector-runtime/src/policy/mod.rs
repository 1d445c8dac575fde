//! Power Platform policy templates, run by the policy layer around the core pipeline: on
//! the request (before the attempts start) and on the response (before generated code
//! decodes it) or the failure.
//!
//! Generated code emits its connector's `policyTemplateInstances` as a static table of
//! typed [`PolicySpec`]s and the user supplies [`ConnectionValues`] at build time:
//!
//! ```
//! use connector_runtime::policy::{ConnectionValues, PolicyKind, PolicySpec};
//!
//! static POLICIES: &[PolicySpec] = &[
//!     PolicySpec::new(PolicyKind::DynamicHostUrl, &[], &[
//!         ("urlTemplate", "https://@connectionParameters('host')/api"),
//!     ]),
//!     PolicySpec::new(PolicyKind::SetHeader, &["ListItems"], &[
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
//! `ClientBuilder::build` compiles the specs once: expressions are parsed and names,
//! paths and methods checked then, and only evaluated per request. Policies run in
//! declared order, only for the operations they name (matched against
//! [`crate::Request::operation`]; no names = every operation). A template this runtime
//! does not know ([`PolicyKind::Unknown`]), or one whose parameters are malformed, does
//! not stop the build: every call to an affected operation fails with `UNSUPPORTED`
//! naming the template (and the parameter), before anything is sent.

mod body;
mod compile;
mod connection_values;
pub(crate) mod expr;
mod fetch;
mod headers;
mod layer;
mod params;
mod routing;
mod spec;
mod trigger;

use crate::error::{Error, ErrorSource};
use crate::request::Request;

pub use connection_values::ConnectionValues;
pub(crate) use fetch::SideSender;
pub(crate) use layer::{PolicyLayer, PolicyResponse};
pub use spec::{PolicyKind, PolicySection, PolicySpec};
pub use trigger::PollingTrigger;

/// The policies a client is built with and the connection values they read, before
/// they are compiled into a [`PolicyLayer`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Policies {
    pub(crate) specs: Vec<PolicySpec>,
    pub(crate) connection: ConnectionValues,
}

/// What template implementations read besides the request: the connection values and
/// the request's path parameters.
pub(crate) struct PolicyInputs<'a> {
    pub(crate) connection: &'a ConnectionValues,
    pub(crate) path_params: &'a [(String, String)],
}

impl<'a> PolicyInputs<'a> {
    /// The expression scope of `request` (and `body`, when a body is read).
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

/// A policy failing on this request's values (not retried).
pub(crate) fn policy_error(message: String) -> Error {
    let mut e = Error::validation(message).with_source(ErrorSource::UserHook);
    e.retryable = false;
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(specs: &[PolicySpec]) -> PolicyLayer {
        PolicyLayer::new(Policies {
            specs: specs.to_vec(),
            connection: ConnectionValues::new(),
        })
    }

    #[test]
    fn every_known_kind_has_a_distinct_lower_case_id() {
        let mut ids: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.id()).collect();
        assert!(ids.iter().all(|id| *id == id.to_ascii_lowercase()));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PolicyKind::ALL.len());
        assert!(!PolicyKind::Unknown("teleport").is_known());
    }

    #[test]
    fn sensitive_names_come_from_connection_reads_and_side_requests() {
        let layer = compiled(&[
            PolicySpec::new(
                PolicyKind::SetHeader,
                &[],
                &[("name", "X-Key"), ("value", "k @connectionParameters('k')")],
            ),
            PolicySpec::new(
                PolicyKind::SetHeader,
                &[],
                &[("name", "X-Plain"), ("value", "v")],
            ),
            PolicySpec::new(
                PolicyKind::SetValueFromUrl,
                &[],
                &[
                    ("parameterTemplate", "@queryParameters('token')"),
                    ("parameterValueUrl", "/t"),
                ],
            ),
        ]);
        assert_eq!(
            layer.sensitive_names(),
            (vec!["X-Key".to_owned()], vec!["token".to_owned()])
        );
    }
}
