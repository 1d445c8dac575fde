//! The normalized connector model: one shape whatever the input version.
//!
//! Everything downstream (code generation, tooling) reads only these types. They carry
//! no OpenAPI vocabulary that depends on the input version: Swagger 2.0 `definitions`,
//! `formData` parameters and `host`/`basePath` arrive here in the same form as their
//! OpenAPI 3 counterparts.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

mod connection;
mod paging;
mod platform;
mod schema;

pub use connection::*;
pub use paging::*;
pub use platform::*;
pub use schema::*;

use crate::policy_template::PolicyInstance;

/// A whole connector definition, normalized.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connector {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The default base URL: scheme, host and base path (Swagger 2.0) or the first server
    /// (OpenAPI 3). `None` when the definition names no host.
    pub base_url: Option<String>,
    /// API-level status from `x-ms-api-annotation` (default Production).
    pub status: Status,
    /// Every operation, in document order (paths, then methods in the order
    /// get, put, post, delete, options, head, patch, trace).
    pub operations: Vec<Operation>,
    /// Named schemas (`definitions` / `components.schemas`), sorted by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Security schemes, sorted by name.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Security requirements that apply to every operation (names of `security_schemes`).
    pub security: Vec<String>,
    /// The sibling `apiProperties.json`, kept as JSON for layers that interpret it.
    pub api_properties: Option<Value>,
    /// `x-ms-capabilities` (designer capabilities, e.g. the connection test).
    pub designer_capabilities: DesignerCapabilities,
    /// `x-ms-connector-metadata`, in document order.
    pub connector_metadata: Vec<ConnectorMetadata>,
    /// Every `x-*` extension at the document root, sorted by name, raw: for
    /// documentation passthrough only. What shapes a client is read into typed fields.
    pub extensions: BTreeMap<String, Value>,
    /// The files this model was read from, with their SHA-256, in a stable order.
    pub sources: Vec<SourceFile>,
    /// How a connection is made (`apiProperties.json` `connectionParameters` and
    /// `connectionParameterSets`); `None` without `apiProperties.json` or parameters.
    pub connection: Option<Connection>,
    /// Policy template instances (`policyTemplateInstances`), in declared order (the order
    /// they run in).
    pub policies: Vec<PolicyInstance>,
    /// `capabilities` (e.g. `actions`, `triggers`), as written.
    pub capabilities: Vec<String>,
    /// Custom code (`script.csx` / `scriptOperations`), when declared.
    pub custom_code: Option<CustomCode>,
    /// Requests the service sends to the client: OpenAPI 3.1 `webhooks`, then 3.0
    /// operation `callbacks` in operation order.
    pub webhooks: Vec<Webhook>,
}

/// A request the service sends (an OpenAPI 3.1 webhook or a 3.0 callback): what the
/// client receives and decodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// The key under `webhooks`, or the callback's name.
    pub name: String,
    /// Where it is declared.
    pub source: WebhookSource,
    /// The method the service sends with.
    pub method: Method,
    /// `operationId` of the webhook's operation, when declared.
    pub operation_id: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// The JSON payload (the request body the service sends).
    pub payload: NotificationContent,
}

/// Where a [`Webhook`] is declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum WebhookSource {
    /// OpenAPI 3.1 `webhooks`.
    Webhook,
    /// A 3.0 `callbacks` entry of an operation.
    Callback {
        /// The id of the operation declaring it (see [`Operation::id`]).
        operation: String,
        /// The runtime expression of the callback URL (e.g. `{$request.body#/url}`).
        expression: String,
    },
}

/// Custom C# code that runs in the platform (cannot be reproduced by a direct client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CustomCode {
    /// The script file found next to the definition, when loaded from a folder.
    pub script_file: Option<String>,
    /// `scriptOperations`; empty = every operation.
    pub operations: Vec<String>,
}

/// One input file, for provenance headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The file name (not the full path, so output does not depend on the checkout location).
    pub name: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Stability of the API or an operation (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum Status {
    /// Stable; the default.
    #[default]
    Production,
    /// New and potentially unproven.
    Preview,
}

/// Intended prominence of an operation, parameter or property (`x-ms-visibility`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum Visibility {
    /// `null` or `""`.
    #[default]
    Normal,
    /// Shown prominently.
    Important,
    /// Shown after the others, possibly behind an expander.
    Advanced,
    /// Not for end users; callable but hidden.
    Internal,
}

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name, as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// The versioning facts of one operation, with seed 003's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    /// Own status, else the API's, else Production.
    pub status: Status,
    /// `x-ms-api-annotation.family`, default: the operationId.
    pub family: String,
    /// `x-ms-api-annotation.revision`, default 1.
    pub revision: u32,
    /// `x-ms-api-annotation.expires` (ISO 8601 date), as written.
    pub expires: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `x-ms-visibility` (and the misspelled `x-ms-visibilty`).
    pub visibility: Visibility,
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// `operationId`; when missing or duplicated, a stable name from method and path.
    pub id: String,
    /// The operationId as written, if any.
    pub declared_id: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL, e.g. `/invoices/{id}`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// Path-level and operation-level parameters merged (operation wins), `$ref`s resolved.
    /// Body and form fields are not here: see [`Operation::body`].
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// Responses, sorted: explicit status codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// Versioning and visibility.
    pub lifecycle: Lifecycle,
    /// How the results are paged: `x-ms-pageable`, a vendor paging extension, inferred
    /// from the parameters and response, or overridden.
    pub pageable: Option<Pageable>,
    /// Security requirement names for this operation when it overrides the document's.
    pub security: Option<Vec<String>>,
    /// `x-ms-trigger`: the operation is a trigger of this kind.
    pub trigger: Option<TriggerKind>,
    /// `x-ms-trigger-hint`.
    pub trigger_hint: Option<String>,
    /// `x-ms-notification-content` of the operation's path item (webhook payload).
    pub notification: Option<NotificationContent>,
    /// `x-ms-require-user-confirmation` on the operation, or in an
    /// `x-ms-openai-data.operations[]` entry naming it (operation or document level).
    pub requires_confirmation: bool,
    /// Every `x-*` extension on the operation, sorted by name, raw: for documentation
    /// passthrough only.
    pub extensions: BTreeMap<String, Value>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How array values are joined (`collectionFormat` / `style`+`explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum CollectionFormat {
    /// Comma separated (`csv`, OpenAPI 3 `form` without explode).
    #[default]
    Csv,
    /// Space separated.
    Ssv,
    /// Tab separated.
    Tsv,
    /// Pipe separated.
    Pipes,
    /// The parameter repeated once per value.
    Multi,
}

/// One non-body parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// Location.
    pub location: ParamLocation,
    /// `required` (always true for path parameters).
    pub required: bool,
    /// The value's schema.
    pub schema: Schema,
    /// `description`.
    pub description: Option<String>,
    /// `x-ms-summary`.
    pub summary: Option<String>,
    /// `x-ms-visibility`.
    pub visibility: Visibility,
    /// How arrays are joined.
    pub collection_format: CollectionFormat,
    /// `x-ms-url-encoding: double`.
    pub double_encoded: bool,
    /// `x-ms-test-value`, as text (JSON text when not a string).
    pub test_value: Option<String>,
    /// `x-ms-dynamic-values` / `x-ms-dynamic-list`.
    pub dynamic_values: Option<DynamicValues>,
    /// `x-ms-dynamic-tree`.
    pub dynamic_tree: Option<DynamicTree>,
    /// `x-ms-notification-url: true`: the parameter carries a webhook's callback URL.
    pub notification_url: bool,
    /// Every `x-*` extension on the parameter, sorted by name, raw: for documentation
    /// passthrough only.
    pub extensions: BTreeMap<String, Value>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// Media type to send, e.g. `application/json`.
    pub media_type: String,
    /// Whether a body must be sent.
    pub required: bool,
    /// `description` (or the body parameter's description).
    pub description: Option<String>,
    /// What the body holds.
    pub content: BodyContent,
    /// Name of the Swagger 2.0 body parameter, when there was one.
    pub param_name: Option<String>,
    /// Every `x-*` extension on the body (parameter), sorted by name, raw: for
    /// documentation passthrough only.
    pub extensions: BTreeMap<String, Value>,
}

/// What a request body holds.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BodyContent {
    /// A serialized schema (JSON, or another structured type).
    Schema(Schema),
    /// A form: `application/x-www-form-urlencoded` or `multipart/form-data`.
    Form {
        /// `true` for multipart.
        multipart: bool,
        /// The fields, in order.
        fields: Vec<FormField>,
    },
    /// Raw bytes (binary stream or plain text).
    Binary,
}

/// One field of a form body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormField {
    /// Field name.
    pub name: String,
    /// Whether it must be sent.
    pub required: bool,
    /// `true` for `type: file` / binary parts.
    pub is_file: bool,
    /// The value's schema.
    pub schema: Schema,
    /// `description`.
    pub description: Option<String>,
    /// `x-ms-summary`.
    pub summary: Option<String>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum StatusCode {
    /// An exact status.
    Code(u16),
    /// `1XX` .. `5XX`: the hundreds digit.
    Range(u8),
    /// `default`.
    Default,
}

impl StatusCode {
    /// Whether this covers a 2xx status.
    pub fn is_success(self) -> bool {
        match self {
            StatusCode::Code(c) => (200..300).contains(&c),
            StatusCode::Range(r) => r == 2,
            StatusCode::Default => false,
        }
    }
}

/// One declared response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// Status covered.
    pub status: StatusCode,
    /// `description`.
    pub description: Option<String>,
    /// Media type of the body, when one is declared.
    pub media_type: Option<String>,
    /// Body schema, when one is declared.
    pub schema: Option<Schema>,
    /// Declared response headers: name and whether `required: true`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, bool)>,
}

impl Operation {
    /// The first success response with a body schema, else the first success response.
    pub fn success_response(&self) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| r.status.is_success() && r.schema.is_some())
            .or_else(|| self.responses.iter().find(|r| r.status.is_success()))
    }

    /// The response that describes errors: `default`, else the first 4xx/5xx with a schema.
    pub fn error_response(&self) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| matches!(r.status, StatusCode::Default) && r.schema.is_some())
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| !r.status.is_success() && r.schema.is_some())
            })
    }
}
