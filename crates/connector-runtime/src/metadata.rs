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

impl OperationInfo {
    /// A production, normally visible, current operation that is revision 1 of its own
    /// family: the common case, refined by the methods below.
    pub const fn new(
        id: &'static str,
        method_name: &'static str,
        http_method: &'static str,
        path: &'static str,
    ) -> Self {
        OperationInfo {
            id,
            method_name,
            http_method,
            path,
            family: id,
            revision: 1,
            status: Status::Production,
            visibility: Visibility::Normal,
            deprecated: false,
            expires: None,
            trigger: None,
            requires_confirmation: false,
        }
    }

    /// Revision `revision` of `family`.
    pub const fn revision(mut self, family: &'static str, revision: u32) -> Self {
        self.family = family;
        self.revision = revision;
        self
    }

    /// In Preview status.
    pub const fn preview(mut self) -> Self {
        self.status = Status::Preview;
        self
    }

    /// With this visibility.
    pub const fn visibility(mut self, visibility: Visibility) -> Self {
        self.visibility = visibility;
        self
    }

    /// Deprecated.
    pub const fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }

    /// Support ends on `date` (ISO 8601).
    pub const fn expires(mut self, date: &'static str) -> Self {
        self.expires = Some(date);
        self
    }

    /// A trigger of this `x-ms-trigger` kind (`batch` or `single`).
    pub const fn trigger(mut self, kind: &'static str) -> Self {
        self.trigger = Some(kind);
        self
    }

    /// An agent must ask the user before calling it.
    pub const fn requires_confirmation(mut self) -> Self {
        self.requires_confirmation = true;
        self
    }
}
