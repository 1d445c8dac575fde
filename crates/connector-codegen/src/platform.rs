//! Power Platform metadata that only reaches docs (and `OPERATIONS`): connector metadata,
//! capabilities, custom code, user confirmation, trigger hints, test values.

use connector_spec::{Connector, Operation, Parameter};
use serde_json::Value;

use crate::docs::{Doc, clean, code};
use crate::operations::OperationNames;

fn method_of(connector: &Connector, names: &OperationNames, operation_id: &str) -> Option<String> {
    connector
        .operations
        .iter()
        .position(|o| o.id == operation_id || o.declared_id.as_deref() == Some(operation_id))
        .map(|i| names.methods[i].clone())
}

/// Whether custom code (`script.csx`) handles `op` in the platform.
fn has_custom_code(op: &Operation, connector: &Connector) -> bool {
    connector
        .custom_code
        .as_ref()
        .is_some_and(|c| c.operations.is_empty() || c.operations.iter().any(|o| o == &op.id))
}

/// `x-ms-require-user-confirmation` of `op`: on the operation, or in an
/// `x-ms-openai-data.operations[]` entry naming it (operation or document level).
pub fn requires_confirmation(op: &Operation, connector: &Connector) -> bool {
    let truthy = |v: Option<&Value>| match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    if truthy(op.extensions.get("x-ms-require-user-confirmation")) {
        return true;
    }
    [
        op.extensions.get("x-ms-openai-data"),
        connector.extensions.get("x-ms-openai-data"),
    ]
    .into_iter()
    .flatten()
    .filter_map(|d| d.get("operations").and_then(Value::as_array))
    .flatten()
    .any(|entry| {
        entry.get("operationId").and_then(Value::as_str) == Some(op.id.as_str())
            && truthy(entry.get("x-ms-require-user-confirmation"))
    })
}

/// Crate-level paragraphs.
pub fn crate_docs(
    connector: &Connector,
    names: &OperationNames,
    has_connection: bool,
    doc: &mut Doc,
) {
    if let Some(custom) = &connector.custom_code {
        let scope = if custom.operations.is_empty() {
            "every operation".to_owned()
        } else {
            let ops: Vec<String> = custom.operations.iter().map(|o| code(o)).collect();
            format!("operations {}", ops.join(", "))
        };
        doc.line(format!(
            "**Warning:** this connector declares custom code ({}) that runs inside Power \
             Platform for {scope}. This client calls the backend directly and does **not** \
             reproduce what that code does; check those operations' behaviour.",
            code(custom.script_file.as_deref().unwrap_or("script.csx"))
        ));
    }
    if has_connection {
        doc.line(
            "Connect with a [`Connection`] (the definition's connection parameters) through \
             [`ClientBuilder::connection`].",
        );
    }
    if !connector.policies.is_empty() {
        doc.line(format!(
            "{} policy template(s) from the definition run with the calls they apply to; see [`POLICIES`].",
            connector.policies.len()
        ));
    }
    if !connector.capabilities.is_empty() {
        let caps: Vec<String> = connector.capabilities.iter().map(|c| code(c)).collect();
        doc.line(format!("Capabilities: {}.", caps.join(", ")));
    }
    if let Some(Value::Object(caps)) = connector.extensions.get("x-ms-capabilities") {
        if let Some(op) = caps
            .get("testConnection")
            .and_then(|t| t.get("operationId"))
            .and_then(Value::as_str)
        {
            match method_of(connector, names, op) {
                Some(m) => doc.line(format!(
                    "[`Client::{m}`] tests a connection (`x-ms-capabilities.testConnection`)."
                )),
                None => doc.line(format!(
                    "The definition names {} to test a connection, but has no such operation.",
                    code(op)
                )),
            };
        }
        let others: Vec<String> = caps
            .keys()
            .filter(|k| k.as_str() != "testConnection")
            .map(|k| code(k))
            .collect();
        if !others.is_empty() {
            doc.line(format!("Designer capabilities: {}.", others.join(", ")));
        }
    }
    if let Some(Value::Array(entries)) = connector.extensions.get("x-ms-connector-metadata") {
        let lines: Vec<String> = entries
            .iter()
            .filter_map(|e| {
                let name = e.get("propertyName")?.as_str()?;
                let value = match e.get("propertyValue")? {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some(format!(
                    "- {}: {}",
                    clean(name),
                    clean(&value).replace('\n', " ")
                ))
            })
            .collect();
        if !lines.is_empty() {
            doc.line(lines.join("\n"));
        }
    }
}

/// Operation paragraphs.
pub fn operation_doc(op: &Operation, connector: &Connector, doc: &mut Doc) {
    if let Some(hint) = op
        .extensions
        .get("x-ms-trigger-hint")
        .and_then(Value::as_str)
    {
        doc.line(format!("Trigger hint: {}", clean(hint).replace('\n', " ")));
    }
    if requires_confirmation(op, connector) {
        doc.line(
            "An agent must ask the user before calling this operation \
             (`x-ms-require-user-confirmation`).",
        );
    }
    if has_custom_code(op, connector) {
        doc.line(
            "**Custom code** (`script.csx`) changes this operation inside Power Platform; \
             this client does not reproduce it.",
        );
    }
}

/// Parameter paragraphs.
pub fn param_doc(p: &Parameter, names: &OperationNames, ops: &[Operation], doc: &mut Doc) {
    if let Some(v) = p.extensions.get("x-ms-test-value") {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        doc.line(format!(
            "Test value: {}.",
            code(&clean(&text).replace('\n', " "))
        ));
    }
    if let Some(call) = crate::dynamic::values_call(&p.extensions) {
        let source = ops
            .iter()
            .position(|o| o.id == call.operation_id)
            .map(|i| format!("[`Client::{}`]", names.methods[i]))
            .unwrap_or_else(|| code(&call.operation_id));
        doc.line(format!(
            "Values come from {source} ({}).",
            code(call.extension)
        ));
    }
}
