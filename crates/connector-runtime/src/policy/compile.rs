//! Compiling a [`PolicySpec`] (static text) into a [`CompiledPolicy`] (parsed
//! expressions, checked names and methods), once, when the client is built.
//!
//! A template this runtime does not know, or one whose parameters are malformed (a
//! required one missing, a body path that is not a path, an unknown `existsAction`, an
//! invalid method), does not stop the build: the policy compiles to
//! [`Action::Unusable`], and every call to an operation it applies to fails with
//! `UNSUPPORTED` naming the template (and the parameter), before anything is sent.

use super::body::BodyTransform;
use super::fetch::SideValue;
use super::headers::SetPair;
use super::params::invalid;
use super::routing::{DynamicHost, Route};
use super::{PolicyKind, PolicySection, PolicySpec, PollingTrigger};
use crate::error::{Error, ErrorCode, ErrorSource};

/// A policy ready to run.
#[derive(Debug, Clone)]
pub(crate) struct CompiledPolicy {
    pub(crate) kind: PolicyKind,
    operations: &'static [&'static str],
    pub(crate) section: PolicySection,
    pub(crate) action: Action,
}

/// What a compiled policy does.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    SetHeader(SetPair),
    SetQueryParameter(SetPair),
    DynamicHost(DynamicHost),
    Route(Route),
    SetValueFromUrl(Box<SideValue>),
    Body(BodyTransform),
    /// A direct client follows the backend's next link as written; the paging layer
    /// never forwards credentials to another origin.
    UpdateNextLink,
    /// `setconnectionstatustounauthenticated` on this status.
    MarkUnauthenticated {
        status: u16,
    },
    /// Driven by a poller through `Client::polling_trigger`.
    PollingTrigger(Box<PollingTrigger>),
    /// Cannot run here: calls to the operations it applies to fail with this message.
    Unusable(String),
}

impl CompiledPolicy {
    /// Compiles `spec`; never fails (see the module documentation).
    pub(crate) fn compile(spec: &PolicySpec) -> Self {
        let section = spec.resolved_section();
        let action = match Self::action(spec, section) {
            Ok(action) => action,
            Err(e) => {
                tracing::warn!(
                    policy = spec.kind.id(),
                    "policy cannot run; calls to the operations it applies to will fail: {}",
                    e.message
                );
                Action::Unusable(e.message)
            }
        };
        CompiledPolicy {
            kind: spec.kind,
            operations: spec.operations,
            section,
            action,
        }
    }

    fn action(spec: &PolicySpec, section: PolicySection) -> Result<Action, Error> {
        if let Some(body) = BodyTransform::compile(spec) {
            return body.map(Action::Body);
        }
        Ok(match spec.kind {
            PolicyKind::SetHeader => Action::SetHeader(SetPair::compile(spec, section)?),
            PolicyKind::SetQueryParameter => {
                Action::SetQueryParameter(SetPair::compile(spec, section)?)
            }
            PolicyKind::DynamicHostUrl | PolicyKind::DynamicSubdomain => {
                Action::DynamicHost(DynamicHost::compile(spec)?)
            }
            PolicyKind::RouteRequestToEndpoint => Action::Route(Route::compile(spec)?),
            PolicyKind::SetValueFromUrl => {
                Action::SetValueFromUrl(Box::new(SideValue::compile(spec)?))
            }
            PolicyKind::UpdateNextLink => Action::UpdateNextLink,
            PolicyKind::SetConnectionStatusToUnauthenticated => Action::MarkUnauthenticated {
                status: spec
                    .param("statusCode")
                    .and_then(|c| c.trim().parse::<u16>().ok())
                    .unwrap_or(401),
            },
            PolicyKind::PollingTrigger => {
                Action::PollingTrigger(Box::new(PollingTrigger::from_spec(spec)?))
            }
            PolicyKind::Unknown(id) => {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!(
                        "policy template {id:?} is not supported by this runtime; supported: {}",
                        supported()
                    ),
                ));
            }
            // Body templates were compiled above.
            PolicyKind::SetProperty
            | PolicyKind::StringReplace
            | PolicyKind::ConvertObjectToArray
            | PolicyKind::ConvertArrayToObject
            | PolicyKind::StringToArray
            | PolicyKind::MoveProperties
            | PolicyKind::EncodePropertyValue => {
                return Err(invalid(spec, "templateId", "is not a body template".into()));
            }
        })
    }

    /// Whether it applies to operation `operation`.
    pub(crate) fn applies_to(&self, operation: &str) -> bool {
        self.operations.is_empty() || self.operations.contains(&operation)
    }

    /// The error a call to `operation` fails with when the policy cannot run.
    pub(crate) fn unusable_error(&self, operation: &str) -> Option<Error> {
        let Action::Unusable(message) = &self.action else {
            return None;
        };
        let mut e = Error::new(
            ErrorCode::Unsupported,
            format!("{message} (applied to operation {operation:?})"),
        )
        .with_source(ErrorSource::UserHook);
        e.retryable = false;
        Some(e)
    }
}

/// The ids of the implemented templates, for messages.
fn supported() -> String {
    PolicyKind::ALL
        .iter()
        .map(|k| k.id())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Valid parameters for `kind` (exhaustive: a new kind needs a sample here).
    fn sample(kind: PolicyKind) -> &'static [(&'static str, &'static str)] {
        match kind {
            PolicyKind::SetHeader | PolicyKind::SetQueryParameter => {
                &[("name", "X-A"), ("value", "@connectionParameters('a')")]
            }
            PolicyKind::DynamicHostUrl | PolicyKind::DynamicSubdomain => {
                &[("urlTemplate", "https://@connectionParameters('host')")]
            }
            PolicyKind::RouteRequestToEndpoint => {
                &[("newPath", "/v2/{id}"), ("httpMethod", "post")]
            }
            PolicyKind::SetProperty => &[
                ("newPropertyParentPathTemplate", "@body()"),
                ("newPropertySubPathTemplate", "a"),
            ],
            PolicyKind::UpdateNextLink => &[],
            PolicyKind::StringReplace => {
                &[("propertyParentPath", "@body()"), ("sourceString", "/")]
            }
            PolicyKind::ConvertObjectToArray | PolicyKind::EncodePropertyValue => {
                &[("propertyParentPath", "@body().a")]
            }
            PolicyKind::ConvertArrayToObject => &[
                ("propertyParentPath", "@body()"),
                ("keyWithinCollectionPath", "id"),
            ],
            PolicyKind::StringToArray => &[
                ("propertyParentPath", "@body()"),
                ("childPropertyName", "v"),
            ],
            PolicyKind::MoveProperties => {
                &[("srcParentPath", "@body().a"), ("dstParentPath", "@body()")]
            }
            PolicyKind::SetValueFromUrl => &[
                ("parameterTemplate", "@queryParameters('t')"),
                ("parameterValueUrl", "/t"),
            ],
            PolicyKind::SetConnectionStatusToUnauthenticated => &[("statusCode", "403")],
            PolicyKind::PollingTrigger => &[("triggerConfig", r#"{"a": "1"}"#)],
            PolicyKind::Unknown(_) => &[],
        }
    }

    #[test]
    fn every_kind_compiles_from_valid_parameters() {
        for kind in PolicyKind::ALL {
            let spec = PolicySpec::new(*kind, &[], sample(*kind));
            let compiled = CompiledPolicy::compile(&spec);
            assert!(
                !matches!(compiled.action, Action::Unusable(_)),
                "{kind:?}: {:?}",
                compiled.action
            );
            assert_eq!(compiled.section, spec.resolved_section());
        }
    }

    #[test]
    fn malformed_parameters_compile_to_an_error_naming_template_and_parameter() {
        /// A template, its parameters, and the parameter the error must name.
        type Case = (
            PolicyKind,
            &'static [(&'static str, &'static str)],
            &'static str,
        );
        let cases: &[Case] = &[
            (PolicyKind::SetHeader, &[("value", "v")], "name"),
            (
                PolicyKind::SetQueryParameter,
                &[("name", "q"), ("existsAction", "sometimes")],
                "existsAction",
            ),
            (
                PolicyKind::RouteRequestToEndpoint,
                &[("newPath", "/x"), ("httpMethod", "NOT A METHOD")],
                "httpMethod",
            ),
            (
                PolicyKind::StringReplace,
                &[("propertyParentPath", "title"), ("sourceString", "/")],
                "propertyParentPath",
            ),
            (
                PolicyKind::SetValueFromUrl,
                &[
                    ("parameterTemplate", "@body()"),
                    ("parameterValueUrl", "/t"),
                ],
                "parameterTemplate",
            ),
            (
                PolicyKind::PollingTrigger,
                &[("triggerConfig", "[1]")],
                "triggerConfig",
            ),
        ];
        for (kind, params, parameter) in cases {
            let compiled = CompiledPolicy::compile(&PolicySpec::new(*kind, &["Op"], params));
            let err = compiled.unusable_error("Op").expect("unusable");
            assert_eq!(err.code, ErrorCode::Unsupported);
            assert!(!err.retryable);
            let id = format!("{:?}", kind.id());
            let parameter = format!("{parameter:?}");
            assert!(
                err.message.contains(&id) && err.message.contains(&parameter),
                "{}",
                err.message
            );
        }
        let unknown =
            CompiledPolicy::compile(&PolicySpec::new(PolicyKind::Unknown("beam"), &[], &[]));
        let err = unknown.unusable_error("Op").expect("unusable");
        assert!(err.message.contains("\"beam\"") && err.message.contains("setheader"));
    }
}
