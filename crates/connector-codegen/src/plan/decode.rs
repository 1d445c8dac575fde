//! How an operation's success body decodes: read by the request and trigger plans.

use crate::types::TypeRef;

/// How the success body decodes.
pub enum Decode {
    /// JSON into this type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Bytes.
    Bytes,
    /// Nothing.
    Empty,
}
