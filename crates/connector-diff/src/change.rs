//! What a diff reports: changes, their kinds and severities, revision findings, the bump.

use serde::Serialize;

use connector_spec::LineCol;

/// How a change affects existing callers of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Documentation or metadata only.
    Patch,
    /// New capability; existing callers keep working.
    Additive,
    /// Existing callers can break.
    Breaking,
}

/// The semver bump the regenerated crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Docs or behaviour only; the public Rust API is unchanged.
    Patch,
    /// New public items only.
    Minor,
    /// Something a user's code can depend on was removed or changed.
    Major,
}

impl Bump {
    /// Lower-case name (`major`, `minor`, `patch`, `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What changed. Each kind has a fixed severity and a fixed effect on the generated Rust
/// API (see `docs/diff.md` and [`crate::semver`]), except where noted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// An operation is gone.
    OperationRemoved,
    /// A new operation.
    OperationAdded,
    /// Same method and path, another operationId (the generated method is renamed).
    OperationIdChanged,
    /// Same operationId, another path.
    PathChanged,
    /// Same operationId, another HTTP method.
    MethodChanged,
    /// A new required parameter (a new argument of the generated method).
    ParameterAddedRequired,
    /// A new optional parameter (a new builder setter).
    ParameterAddedOptional,
    /// A parameter is gone.
    ParameterRemoved,
    /// An optional parameter became required.
    ParameterMadeRequired,
    /// A required parameter became optional.
    ParameterMadeOptional,
    /// A parameter moved (path, query, header, cookie).
    ParameterLocationChanged,
    /// A value's type changed (string to integer, object to array, ...).
    TypeChanged,
    /// A value's format changed (int32 to int64, date to date-time, ...).
    FormatChanged,
    /// A value became nullable or stopped being nullable.
    NullableChanged,
    /// An enum lost a value.
    EnumValueRemoved,
    /// An enum gained a value.
    EnumValueAdded,
    /// A request body appeared and must be sent.
    RequestBodyAddedRequired,
    /// A request body appeared and may be omitted.
    RequestBodyAddedOptional,
    /// The request body is gone.
    RequestBodyRemoved,
    /// An optional request body became required.
    RequestBodyMadeRequired,
    /// The request or response media type changed.
    MediaTypeChanged,
    /// A request object gained a required property.
    RequestPropertyAddedRequired,
    /// A request object gained an optional property.
    RequestPropertyAddedOptional,
    /// A request object lost a property.
    RequestPropertyRemoved,
    /// A request property became required.
    RequestPropertyMadeRequired,
    /// A required request property became optional (its field becomes an `Option`).
    RequestPropertyMadeOptional,
    /// A response object gained a property.
    ResponsePropertyAdded,
    /// A response object lost a property.
    ResponsePropertyRemoved,
    /// A response property is no longer guaranteed.
    ResponsePropertyMadeOptional,
    /// A response property is now always present (its field stops being an `Option`).
    ResponsePropertyMadeRequired,
    /// A declared response status is gone.
    StatusCodeRemoved,
    /// A new declared response status.
    StatusCodeAdded,
    /// A named schema (a generated type) is gone.
    SchemaRemoved,
    /// A new named schema (a new generated type).
    SchemaAdded,
    /// Security schemes or requirements changed.
    SecuritySchemeChanged,
    /// A connection parameter appeared, disappeared or changed.
    ConnectionChanged,
    /// The default base URL changed.
    BaseUrlChanged,
    /// `x-ms-visibility` changed.
    VisibilityChanged,
    /// Preview/Production status changed.
    StatusChanged,
    /// `deprecated` or `expires` changed.
    DeprecationChanged,
    /// `x-ms-api-annotation` family or revision changed.
    RevisionChanged,
    /// `x-ms-trigger`, its hint or the notification content changed.
    TriggerChanged,
    /// Paging changed: declared (`x-ms-pageable`, ...) or inferred; the message says
    /// which, and what changed.
    PagingChanged,
    /// `x-ms-dynamic-values` / `-tree` / `-schema` changed.
    DynamicValuesChanged,
    /// Summaries, descriptions, titles or defaults changed.
    DocsChanged,
}

/// Where a change sits in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The file's name (the definition, or `apiProperties.json`).
    pub file: String,
    /// JSON pointer into the definition (the closest existing node when the exact one
    /// is not in this file).
    pub pointer: String,
    /// Line and column of the pointer in the file, when found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LineCol>,
}

/// One change between the old and the new definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// How it affects callers of the API.
    pub severity: Severity,
    /// The bump this change alone asks of the regenerated crate.
    pub bump: Bump,
    /// The operationId (new side's when renamed), when the change is in an operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The named schema, when the change is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Where it is in the old file (absent for additions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Site>,
    /// Where it is in the new file (absent for removals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Site>,
    /// One line saying what changed.
    pub message: String,
}

/// A seed-003 revision rule a change violates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionRule {
    /// A breaking change to an operation in place (same operationId and revision).
    BreakingInPlace,
    /// A new revision that does not follow the family's previous revision.
    RevisionOutOfSequence,
    /// Two operations with the same family and revision.
    DuplicateRevision,
    /// Status went from Production back to Preview.
    StatusRegressed,
    /// `expires` on an operation that is not deprecated.
    ExpiresWithoutDeprecation,
    /// An operation removed without having been deprecated first.
    RemovedWithoutDeprecation,
}

/// One revision-discipline finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionFinding {
    /// The rule.
    pub rule: RevisionRule,
    /// The operation.
    pub operation: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

/// Counts of changes by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Additive changes.
    pub additive: usize,
    /// Patch-level changes.
    pub patch: usize,
}

/// The result of comparing two definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// The bump the regenerated crate needs.
    pub semver: Bump,
    /// Every change, operations first (in the new definition's order), then schemas.
    pub changes: Vec<Change>,
    /// Seed-003 findings.
    pub revision_findings: Vec<RevisionFinding>,
    /// Counts by severity.
    pub summary: Summary,
}
