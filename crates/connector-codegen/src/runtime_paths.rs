//! Every `connector-runtime` item the generated code names, in one table: emitters
//! import an item or spell its path through these constants, never through a string of
//! their own, so a runtime rename is one edit here.
//!

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// The path of a runtime item, e.g. `connector_runtime::Request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimePath(&'static str);

impl RuntimePath {
    /// The full path, as `use` takes it.
    pub const fn path(self) -> &'static str {
        self.0
    }

    /// The item's own name (the last segment): how code refers to it once imported.
    pub fn name(self) -> &'static str {
        self.0.rsplit("::").next().unwrap_or(self.0)
    }

    /// [`RuntimePath::name`] as an identifier.
    pub fn ident(self) -> Ident {
        Ident::new(self.name(), Span::call_site())
    }
}

impl ToTokens for RuntimePath {
    /// The full path, e.g. `connector_runtime::Page`.
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut first = true;
        for segment in self.0.split("::") {
            if !first {
                tokens.append_all(quote::quote!(::));
            }
            first = false;
            tokens.append(Ident::new(segment, Span::call_site()));
        }
    }
}

/// The runtime crate itself.
pub const CRATE: RuntimePath = RuntimePath("connector_runtime");
/// Checks at compile time that the runtime speaks the generated code's support version.
pub const REQUIRE_SUPPORT: RuntimePath = RuntimePath("connector_runtime::support::require");
/// The support version this generator emits code for: `connector_runtime::support::VERSION`
/// of the runtime it is released with (a test keeps the two equal).
pub const SUPPORT_VERSION: u32 = 4;

// Client and errors.
/// The runtime client every generated `Client` wraps.
pub const CLIENT: RuntimePath = RuntimePath("connector_runtime::Client");
/// Its builder.
pub const CLIENT_BUILDER: RuntimePath = RuntimePath("connector_runtime::ClientBuilder");
/// Credentials.
pub const AUTH: RuntimePath = RuntimePath("connector_runtime::Auth");
/// The error type.
pub const ERROR: RuntimePath = RuntimePath("connector_runtime::Error");
/// Error codes.
pub const ERROR_CODE: RuntimePath = RuntimePath("connector_runtime::ErrorCode");
/// A decoded response.
pub const RESPONSE: RuntimePath = RuntimePath("connector_runtime::Response");

// Requests.
/// HTTP methods.
pub const METHOD: RuntimePath = RuntimePath("connector_runtime::Method");
/// A request under construction.
pub const REQUEST: RuntimePath = RuntimePath("connector_runtime::Request");
/// Future of a decoded body.
pub const BODY_FUTURE: RuntimePath = RuntimePath("connector_runtime::BodyFuture");
/// Future of a full response.
pub const RESPONSE_FUTURE: RuntimePath = RuntimePath("connector_runtime::ResponseFuture");
/// Body decoders (`decode::json`, `decode::text`, …).
pub const DECODE: RuntimePath = RuntimePath("connector_runtime::support::decode");
/// A file in a multipart form.
pub const FILE_PART: RuntimePath = RuntimePath("connector_runtime::FilePart");
/// A form body.
pub const FORM: RuntimePath = RuntimePath("connector_runtime::Form");
/// Raw bytes.
pub const BYTES: RuntimePath = RuntimePath("connector_runtime::bytes::Bytes");
/// How array parameters are joined.
pub const COLLECTION_FORMAT: RuntimePath =
    RuntimePath("connector_runtime::support::CollectionFormat");
/// A value that can travel as a parameter.
pub const PARAM_VALUE: RuntimePath = RuntimePath("connector_runtime::support::ParamValue");

// Mocks (the generated crate's `mock` feature).
/// The expected request of one operation.
pub const MOCK_REQUEST: RuntimePath = RuntimePath("connector_runtime::mock::MockRequest");

// Paging.
/// Where the next page's link is.
pub const NEXT_LINK: RuntimePath = RuntimePath("connector_runtime::NextLink");
/// The paging strategies module (`paging::Cursor`, `paging::Offset`, ...).
pub const PAGING: RuntimePath = RuntimePath("connector_runtime::paging");
/// One page of items.
pub const PAGE: RuntimePath = RuntimePath("connector_runtime::Page");
/// A boxed stream.
pub const BOX_STREAM: RuntimePath = RuntimePath("connector_runtime::futures::stream::BoxStream");
/// A stream of one item.
pub const STREAM_ONCE: RuntimePath = RuntimePath("connector_runtime::futures::stream::once");

// Triggers and dynamic metadata.
/// A polling trigger's stream.
pub const POLLER: RuntimePath = RuntimePath("connector_runtime::Poller");
/// Where a poll's items are.
pub const POLL_ITEMS: RuntimePath = RuntimePath("connector_runtime::PollItems");
/// Decodes a webhook notification.
pub const DECODE_NOTIFICATION: RuntimePath =
    RuntimePath("connector_runtime::support::decode_notification");
/// One choice of a dynamic-values parameter.
pub const CHOICE: RuntimePath = RuntimePath("connector_runtime::Choice");
/// Reads a dynamic schema out of a response body.
pub const SCHEMA_FROM_BODY: RuntimePath =
    RuntimePath("connector_runtime::support::schema_from_body");
/// Any JSON value.
pub const JSON_VALUE: RuntimePath = RuntimePath("connector_runtime::serde_json::Value");

// Operation metadata.
/// The metadata module.
pub const METADATA: RuntimePath = RuntimePath("connector_runtime::metadata");
/// One row of `OPERATIONS`.
pub const OPERATION_INFO: RuntimePath = RuntimePath("connector_runtime::metadata::OperationInfo");
/// An operation's visibility.
pub const VISIBILITY: RuntimePath = RuntimePath("connector_runtime::metadata::Visibility");

// Types (used by `types.rs`).
/// Date and time.
pub const DATE_TIME: RuntimePath = RuntimePath("connector_runtime::DateTime");
/// Date.
pub const DATE: RuntimePath = RuntimePath("connector_runtime::Date");
/// An optional and nullable property: absent, `null` or a value.
pub const NULLABLE: RuntimePath = RuntimePath("connector_runtime::Nullable");
/// Lenient deserializers (`de::object!` per struct).
pub const DE: RuntimePath = RuntimePath("connector_runtime::support::de");
/// Implements an open string enum.
pub const STRING_ENUM: RuntimePath = RuntimePath("connector_runtime::support::string_enum");

// Connections and policies (used by `connection.rs`).
/// A policy template instance.
pub const POLICY_SPEC: RuntimePath = RuntimePath("connector_runtime::PolicySpec");
/// A policy template, as the runtime knows it.
pub const POLICY_KIND: RuntimePath = RuntimePath("connector_runtime::PolicyKind");
/// Connection parameter values.
pub const CONNECTION_VALUES: RuntimePath = RuntimePath("connector_runtime::ConnectionValues");
/// Reads a secret.
pub const EXPOSE_SECRET: RuntimePath = RuntimePath("connector_runtime::secrecy::ExposeSecret");
/// A secret string.
pub const SECRET_STRING: RuntimePath = RuntimePath("connector_runtime::secrecy::SecretString");
/// An OAuth session.
pub const OAUTH_SESSION: RuntimePath = RuntimePath("connector_runtime::OAuthSession");
/// OAuth authorization-code settings.
pub const AUTHORIZATION_CODE_CONFIG: RuntimePath =
    RuntimePath("connector_runtime::AuthorizationCodeConfig");

/// The names operations code uses unqualified once imported.
pub const OPERATIONS_IMPORTS: &[RuntimePath] = &[
    ERROR,
    METHOD,
    REQUEST,
    BODY_FUTURE,
    RESPONSE_FUTURE,
    DECODE,
    FILE_PART,
    FORM,
    BYTES,
    COLLECTION_FORMAT,
    NEXT_LINK,
    BOX_STREAM,
    POLLER,
    POLL_ITEMS,
    CHOICE,
    RESPONSE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_as_paths_and_names_are_their_last_segment() {
        assert_eq!(
            PAGE.to_token_stream().to_string(),
            "connector_runtime :: Page"
        );
        assert_eq!(BYTES.name(), "Bytes");
        assert_eq!(CRATE.name(), "connector_runtime");
        assert_eq!(
            DECODE_NOTIFICATION.ident().to_string(),
            "decode_notification"
        );
    }
}
