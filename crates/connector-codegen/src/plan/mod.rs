//! The plan: what each operation's code needs, computed once per connector before any
//! emitter runs — names, versioning, trigger and webhook facts, custom code — plus, per
//! operation and in document order, its request shape (see [`request`]). Emitters
//! (`operations`, `dynamic`, `triggers`, `metadata`, `platform`) read the plan; the plan
//! imports no emitter.

pub(crate) mod decode;
pub(crate) mod dynamic;
pub(crate) mod request;
pub(crate) mod trigger;

use connector_spec::{BodyContent, Connector, Method, Operation, Schema, SchemaKind, Status};

use crate::names::{self, Namespace};
use crate::runtime_paths;
use crate::versioning::{self, Successor};

/// Method names `Client` already has.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "builder",
    "new",
    "runtime",
    "from_runtime",
    "base_url",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "hash",
    "into",
    "from",
    "to_owned",
    "type_id",
];

/// Type names the operations module uses unqualified besides the runtime's imports
/// ([`runtime_paths::OPERATIONS_IMPORTS`]).
const RESERVED_BUILDER_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "IntoFuture",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Send",
    "Sync",
    "Sized",
    "Default",
    "Clone",
    "Debug",
    "From",
    "Into",
    "Iterator",
    // Imported by the `mock` module.
    "MockRequest",
];

/// Names for every operation, claimed before any code is emitted so that versioning
/// notes can name a newer revision's method.
pub struct OperationNames {
    /// `Client` method per operation (same order as `Connector::operations`).
    pub methods: Vec<String>,
    /// Builder type per operation.
    pub builders: Vec<String>,
}

impl OperationNames {
    /// Claim names deterministically, in document order.
    pub fn new(connector: &Connector) -> Self {
        let runtime_names = runtime_paths::OPERATIONS_IMPORTS.iter().map(|p| p.name());
        let reserved: Vec<&str> = RESERVED_BUILDER_NAMES
            .iter()
            .copied()
            .chain(runtime_names)
            .collect();
        let mut methods_ns = Namespace::with_reserved(CLIENT_METHODS);
        let mut builders_ns = Namespace::with_reserved(&reserved);
        let mut methods = Vec::new();
        let mut builders = Vec::new();
        for op in &connector.operations {
            methods.push(methods_ns.claim(&names::snake(&op.id, "operation")));
            builders.push(builders_ns.claim(&names::camel(&op.id, "Operation")));
        }
        OperationNames { methods, builders }
    }
}

/// The connector-wide plan.
pub struct Plan<'c> {
    /// The model.
    pub connector: &'c Connector,
    /// Method and builder names.
    pub names: OperationNames,
    /// One entry per operation, in document order.
    pub operations: Vec<OperationPlan<'c>>,
    /// The dynamic-metadata helpers the definition asks for, in document order.
    pub dynamic_helpers: Vec<dynamic::HelperPlan<'c>>,
}

/// What one operation's code needs that does not depend on types.
pub struct OperationPlan<'c> {
    /// The operation.
    pub op: &'c Operation,
    /// `Client` method name.
    pub method: String,
    /// Request builder type name.
    pub builder: String,
    /// The newest revision of its family, when newer than it.
    pub successor: Option<Successor>,
    /// Compiled only with the `preview` feature.
    pub preview: bool,
    /// Trigger kind (`batch`, `single`, …), when a trigger.
    pub trigger: Option<&'c str>,
    /// Subscribes a webhook: what it says about the callback and unsubscribing.
    pub webhook: Option<Webhook>,
}

/// A webhook subscription's facts.
pub struct Webhook {
    /// Where the callback URL goes (a body property path or a parameter name).
    pub callback: Option<String>,
    /// Method of the `DELETE` operation under the subscription's path, if one.
    pub unsubscribe: Option<String>,
}

impl<'c> Plan<'c> {
    /// Plans every operation of `connector`.
    pub fn new(connector: &'c Connector) -> Self {
        let names = OperationNames::new(connector);
        let operations = connector
            .operations
            .iter()
            .enumerate()
            .map(|(i, op)| OperationPlan {
                op,
                method: names.methods[i].clone(),
                builder: names.builders[i].clone(),
                successor: versioning::successor(op, &connector.operations, &names.methods),
                preview: op.lifecycle.status == Status::Preview,
                trigger: op.trigger.as_ref().map(|t| t.as_str()),
                webhook: webhook(op, connector, &names.methods),
            })
            .collect::<Vec<_>>();
        Plan {
            connector,
            names,
            dynamic_helpers: dynamic::helpers(connector, &operations),
            operations,
        }
    }
}

/// The webhook facts of `op`, when it subscribes one: its body (or a parameter) carries
/// `x-ms-notification-url`, or its path item declares `x-ms-notification-content`.
fn webhook(op: &Operation, connector: &Connector, methods: &[String]) -> Option<Webhook> {
    let field = notification_url_field(op, connector);
    let param = op.parameters.iter().find(|p| p.notification_url);
    if op.notification.is_none() && param.is_none() && field.is_none() {
        return None;
    }
    Some(Webhook {
        callback: field.or_else(|| param.map(|p| p.name.clone())),
        unsubscribe: unsubscribe(op, connector, methods),
    })
}

/// The body property carrying `x-ms-notification-url: true`, when there is one.
fn notification_url_field(op: &Operation, connector: &Connector) -> Option<String> {
    let body = op.body.as_ref()?;
    let BodyContent::Schema(schema) = &body.content else {
        return None;
    };
    find_notification_url(schema, connector, 0)
}

fn find_notification_url(schema: &Schema, connector: &Connector, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match &schema.kind {
        SchemaKind::Ref(name) => {
            find_notification_url(connector.schemas.get(name)?, connector, depth + 1)
        }
        SchemaKind::Object(obj) => obj.properties.iter().find_map(|p| {
            if p.schema.notification_url {
                Some(p.name.clone())
            } else {
                find_notification_url(&p.schema, connector, depth + 1)
                    .map(|inner| format!("{}.{inner}", p.name))
            }
        }),
        _ => None,
    }
}

/// The method of a `DELETE` operation under the subscribe operation's path, if one.
fn unsubscribe(op: &Operation, connector: &Connector, methods: &[String]) -> Option<String> {
    let prefix = op.path.trim_end_matches('/');
    connector
        .operations
        .iter()
        .zip(methods)
        .find(|(o, _)| {
            o.method == Method::Delete && o.path.starts_with(prefix) && o.path.len() > prefix.len()
        })
        .map(|(_, m)| m.clone())
}
