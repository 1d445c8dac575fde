//! Reading a policy's parameters: a required one's value, the error for a malformed one.

use super::PolicySpec;
use crate::error::Error;

/// A malformed parameter: the message names the template and the parameter.
pub(crate) fn invalid(spec: &PolicySpec, parameter: &str, problem: String) -> Error {
    Error::validation(format!(
        "policy {:?}: parameter {parameter:?} {problem}",
        spec.kind.id()
    ))
}

/// A required parameter's value.
pub(crate) fn required(spec: &PolicySpec, parameter: &str) -> Result<&'static str, Error> {
    spec.param(parameter)
        .ok_or_else(|| invalid(spec, parameter, "is required but missing".into()))
}
