//! The Power Platform extensions that shape a client (`x-ms-trigger`,
//! `x-ms-dynamic-*`, `x-ms-notification-*`, `x-ms-capabilities`, …), read once by the
//! loader into typed values. Layers downstream read these, never the raw extension maps.

use serde::Serialize;
use serde_json::Value;

use super::Schema;

/// `x-ms-trigger` of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum TriggerKind {
    /// `batch`: each poll may return several items.
    Batch,
    /// `single`: each poll returns one item.
    Single,
    /// Any other value, lower-case, as written.
    Other(String),
}

impl TriggerKind {
    /// The kind as the definition names it, lower-case (`batch`, `single`, …).
    pub fn as_str(&self) -> &str {
        match self {
            TriggerKind::Batch => "batch",
            TriggerKind::Single => "single",
            TriggerKind::Other(s) => s,
        }
    }
}

/// `x-ms-notification-content` of a webhook trigger's path item: the payload the
/// service sends to the callback URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotificationContent {
    /// `description`.
    pub description: Option<String>,
    /// The payload: a named schema (or an array of one) when `schema` references one,
    /// otherwise any JSON value.
    pub schema: Schema,
}

/// Which extension described a dynamic-values call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DynamicValuesSource {
    /// `x-ms-dynamic-values` (`value-collection`, `value-path`, `value-title`).
    Values,
    /// `x-ms-dynamic-list` (`itemsPath`, `itemValuePath`, `itemTitlePath`).
    List,
}

impl DynamicValuesSource {
    /// The extension's name.
    pub fn extension(self) -> &'static str {
        match self {
            DynamicValuesSource::Values => "x-ms-dynamic-values",
            DynamicValuesSource::List => "x-ms-dynamic-list",
        }
    }
}

/// How one parameter of the operation a dynamic call names gets its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DynamicArgument {
    /// A literal value (`{"value": …}` or a bare scalar).
    Literal(Value),
    /// Another parameter of the calling operation (`{"parameter": …}` /
    /// `{"parameterReference": …}`), named when the definition names it.
    Reference(Option<String>),
}

/// A parameter of the operation a dynamic call names, and how its value is given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicParameter {
    /// The target operation's parameter name.
    pub name: String,
    /// Where its value comes from.
    pub argument: DynamicArgument,
}

/// `x-ms-dynamic-values` (else `x-ms-dynamic-list`): the values a parameter may take
/// come from calling another operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicValues {
    /// Which extension said so.
    pub source: DynamicValuesSource,
    /// `operationId` of the operation to call; `None` when a designer capability
    /// supplies the values instead.
    pub operation_id: Option<String>,
    /// `capability` (e.g. `file-picker`): a designer feature supplies the values.
    pub capability: Option<String>,
    /// Its parameters, in document order.
    pub parameters: Vec<DynamicParameter>,
    /// Where the array of values is in the response (`value-collection` / `itemsPath`).
    pub collection: Option<String>,
    /// Path of an item's value (`value-path` / `itemValuePath`).
    pub value_path: Option<String>,
    /// Path of an item's title (`value-title` / `itemTitlePath`).
    pub title_path: Option<String>,
}

/// Which extension described a dynamic schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DynamicSchemaSource {
    /// `x-ms-dynamic-schema` (`value-path`).
    Schema,
    /// `x-ms-dynamic-properties` (`itemValuePath`).
    Properties,
}

impl DynamicSchemaSource {
    /// The extension's name.
    pub fn extension(self) -> &'static str {
        match self {
            DynamicSchemaSource::Schema => "x-ms-dynamic-schema",
            DynamicSchemaSource::Properties => "x-ms-dynamic-properties",
        }
    }
}

/// `x-ms-dynamic-schema` (else `x-ms-dynamic-properties`): the schema is known only at
/// design time, from calling another operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicSchema {
    /// Which extension said so.
    pub source: DynamicSchemaSource,
    /// `operationId` of the operation that returns the schema; `None` when the
    /// extension names none (the schema is still dynamic).
    pub operation_id: Option<String>,
    /// Its parameters, in document order.
    pub parameters: Vec<DynamicParameter>,
    /// Where the schema is in the response (`value-path` / `itemValuePath`).
    pub value_path: Option<String>,
}

/// One operation call of an `x-ms-dynamic-tree` (`open` or `browse`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicTreeCall {
    /// `operationId`.
    pub operation_id: String,
    /// `parameters`, in document order.
    pub parameters: Vec<DynamicParameter>,
    /// `itemValuePath`.
    pub value_path: Option<String>,
    /// `itemTitlePath`.
    pub title_path: Option<String>,
    /// `itemIsParent`.
    pub is_parent: Option<String>,
}

/// `x-ms-dynamic-tree`: a parameter's value is picked by browsing a hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicTree {
    /// `settings.canSelectParentNodes`.
    pub can_select_parents: bool,
    /// `settings.canSelectLeafNodes` (default true).
    pub can_select_leaves: bool,
    /// `open`: lists the root's children.
    pub open: Option<DynamicTreeCall>,
    /// `browse`: lists a node's children.
    pub browse: Option<DynamicTreeCall>,
}

/// `x-ms-capabilities` at the document root: designer capabilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DesignerCapabilities {
    /// `testConnection.operationId`: the operation that tests a connection.
    pub test_connection: Option<String>,
    /// The other capability names, in the order the document's map keeps them.
    pub others: Vec<String>,
}

/// One `x-ms-connector-metadata` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorMetadata {
    /// `propertyName`.
    pub name: String,
    /// `propertyValue`, as text (JSON text when not a string).
    pub value: String,
}
