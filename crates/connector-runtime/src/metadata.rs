//! Operation metadata that generated crates publish in their `OPERATIONS` table, for
//! tooling (catalogues, linters, UIs) that needs the lifecycle facts without parsing the
//! definition again.

/// Stability of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Stable.
    Production,
    /// New and potentially unproven; compiled only with the crate's `preview` feature.
    Preview,
}

/// Intended prominence of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    /// No particular prominence.
    Normal,
    /// Shown prominently.
    Important,
    /// Shown after the others.
    Advanced,
    /// Not for end users; hidden from docs but callable.
    Internal,
}

/// One operation of a generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// `operationId`.
    pub id: &'static str,
    /// Name of the `Client` method.
    pub method_name: &'static str,
    /// HTTP method.
    pub http_method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Family of revisions this operation belongs to.
    pub family: &'static str,
    /// Revision within the family (1-based).
    pub revision: u32,
    /// Status.
    pub status: Status,
    /// Visibility.
    pub visibility: Visibility,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// Projected end of support (ISO 8601 date), when declared.
    pub expires: Option<&'static str>,
    /// `x-ms-trigger` (`batch` or `single`) when the operation is a trigger.
    pub trigger: Option<&'static str>,
    /// `x-ms-require-user-confirmation`: an agent must ask the user before calling it.
    pub requires_confirmation: bool,
}
