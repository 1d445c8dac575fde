//! Operations that are `$ref`s: resolved, reported once per document.

use super::Bundler;
use crate::diagnostics::{DiagnosticKind, Severity};

impl Bundler<'_> {
    /// One warning for every operation that is a `$ref` (documents that do it tend to
    /// do it for every operation): at the first, with the count.
    pub(super) fn report_operation_refs(&mut self) {
        let Some((file, first)) = self.operation_refs.first().cloned() else {
            return;
        };
        let others = self.operation_refs.len() - 1;
        let mut message = "the operation is a `$ref` (OpenAPI allows references only for whole \
                           path items); resolved"
            .to_owned();
        if others > 0 {
            message.push_str(&format!(
                ", like the {others} other operation{} of this document that are `$ref`s (this is the first)",
                if others == 1 { "" } else { "s" }
            ));
        }
        self.report(
            Severity::Warning,
            DiagnosticKind::General,
            file,
            &first,
            message,
        );
    }
}
