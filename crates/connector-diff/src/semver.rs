//! From model changes to the semver bump of the regenerated crate.
//!
//! Each change kind has a severity (what it does to callers of the HTTP API) and a bump
//! (what it does to the public Rust API the generator emits). The bump follows the
//! generated code as it is today:
//!
//! - generated structs are exhaustive with `pub` fields and enums are exhaustive, so any
//!   added, removed or retyped field or variant is a **major** change (struct literals and
//!   exhaustive `match`es stop compiling; cargo-semver-checks agrees);
//! - an operation is a client method plus a builder: required parameters are method
//!   arguments (adding, removing or retyping one is major), optional parameters and an
//!   optional body are builder setters (adding one is minor);
//! - a `Preview` operation is compiled only with the `preview` feature and an `Internal`
//!   one is `#[doc(hidden)]`: moving an operation into either hides it (major), out of
//!   either exposes it (minor);
//! - `#[deprecated]` is minor; paths, methods, base URLs and docs are not part of the Rust
//!   API (patch).
//!
//! When a rule is unsure it errs upwards: the bump must never be smaller than what
//! cargo-semver-checks finds on the two generated crates.

use crate::change::{Bump, Change, ChangeKind, Severity};

/// The fixed severity and bump of a change kind.
pub fn classify(kind: ChangeKind) -> (Severity, Bump) {
    use Bump::{Major, Minor, Patch};
    use ChangeKind::*;
    use Severity::{Additive, Breaking};
    match kind {
        OperationRemoved | OperationIdChanged => (Breaking, Major),
        OperationAdded => (Additive, Minor),
        PathChanged | MethodChanged | BaseUrlChanged => (Breaking, Patch),
        ParameterAddedRequired | ParameterRemoved | ParameterMadeRequired => (Breaking, Major),
        ParameterLocationChanged | TypeChanged | FormatChanged | NullableChanged => {
            (Breaking, Major)
        }
        ParameterAddedOptional => (Additive, Minor),
        // A method argument becomes a setter.
        ParameterMadeOptional => (Additive, Major),
        EnumValueRemoved => (Breaking, Major),
        // Exhaustive generated enums: a new variant breaks `match`.
        EnumValueAdded => (Additive, Major),
        RequestBodyAddedRequired | RequestBodyRemoved | RequestBodyMadeRequired => {
            (Breaking, Major)
        }
        RequestBodyAddedOptional => (Additive, Minor),
        MediaTypeChanged => (Breaking, Major),
        RequestPropertyAddedRequired | RequestPropertyRemoved | RequestPropertyMadeRequired => {
            (Breaking, Major)
        }
        // Exhaustive generated structs: any new field breaks struct literals.
        RequestPropertyAddedOptional | RequestPropertyMadeOptional => (Additive, Major),
        ResponsePropertyAdded | ResponsePropertyMadeRequired => (Additive, Major),
        ResponsePropertyRemoved | ResponsePropertyMadeOptional => (Breaking, Major),
        StatusCodeRemoved => (Breaking, Major),
        // A new success status can change the return type; a new error status the error type.
        StatusCodeAdded => (Additive, Major),
        SchemaRemoved => (Breaking, Major),
        SchemaAdded => (Additive, Minor),
        SecuritySchemeChanged | ConnectionChanged => (Breaking, Major),
        TriggerChanged | PagingChanged => (Breaking, Major),
        // Dynamic-metadata helpers are generated methods: conservatively major.
        DynamicValuesChanged => (Additive, Major),
        // Overridden per direction by the caller (see module docs).
        VisibilityChanged | StatusChanged => (Severity::Patch, Patch),
        DeprecationChanged => (Severity::Patch, Minor),
        RevisionChanged | DocsChanged => (Severity::Patch, Patch),
    }
}

/// The bump a set of changes needs: the largest of theirs, `none` without changes.
pub fn bump_of(changes: &[Change]) -> Bump {
    changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None)
}
