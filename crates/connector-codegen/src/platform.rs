//! Power Platform metadata that only reaches docs (and `OPERATIONS`): connector metadata,
//! capabilities, custom code, user confirmation, trigger hints, test values.

use connector_spec::{Connector, Operation, Parameter};

use crate::docs::{Doc, clean, code};

/// The method of the operation `operation_id` names; `methods[i]` is the method of
/// `connector.operations[i]`.
fn method_of(connector: &Connector, methods: &[String], operation_id: &str) -> Option<String> {
    connector
        .operations
        .iter()
        .position(|o| o.id == operation_id || o.declared_id.as_deref() == Some(operation_id))
        .and_then(|i| methods.get(i).cloned())
}

/// Whether custom code (`script.csx`) handles `op` in the platform.
fn has_custom_code(op: &Operation, connector: &Connector) -> bool {
    connector
        .custom_code
        .as_ref()
        .is_some_and(|c| c.operations.is_empty() || c.operations.iter().any(|o| o == &op.id))
}

/// Crate-level paragraphs.
pub fn crate_docs(connector: &Connector, methods: &[String], has_connection: bool, doc: &mut Doc) {
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
    let caps = &connector.designer_capabilities;
    if let Some(op) = &caps.test_connection {
        match method_of(connector, methods, op) {
            Some(m) => doc.line(format!(
                "[`Client::{m}`] tests a connection (`x-ms-capabilities.testConnection`)."
            )),
            None => doc.line(format!(
                "The definition names {} to test a connection, but has no such operation.",
                code(op)
            )),
        };
    }
    if !caps.others.is_empty() {
        let others: Vec<String> = caps.others.iter().map(|k| code(k)).collect();
        doc.line(format!("Designer capabilities: {}.", others.join(", ")));
    }
    let lines: Vec<String> = connector
        .connector_metadata
        .iter()
        .map(|e| {
            format!(
                "- {}: {}",
                clean(&e.name),
                clean(&e.value).replace('\n', " ")
            )
        })
        .collect();
    if !lines.is_empty() {
        doc.line(lines.join("\n"));
    }
}

/// Operation paragraphs.
pub fn operation_doc(op: &Operation, connector: &Connector, doc: &mut Doc) {
    if let Some(hint) = &op.trigger_hint {
        doc.line(format!("Trigger hint: {}", clean(hint).replace('\n', " ")));
    }
    if op.requires_confirmation {
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
pub fn param_doc(p: &Parameter, methods: &[String], ops: &[Operation], doc: &mut Doc) {
    if let Some(text) = &p.test_value {
        doc.line(format!(
            "Test value: {}.",
            code(&clean(text).replace('\n', " "))
        ));
    }
    if let Some(call) = p
        .dynamic_values
        .as_ref()
        .filter(|v| v.operation_id.is_some())
    {
        let source = ops
            .iter()
            .position(|o| Some(&o.id) == call.operation_id.as_ref())
            .and_then(|i| methods.get(i))
            .map(|m| format!("[`Client::{m}`]"))
            .unwrap_or_else(|| code(call.operation_id.as_deref().unwrap_or_default()));
        doc.line(format!(
            "Values come from {source} ({}).",
            code(call.source.extension())
        ));
    }
}
