//! Composition parts (`allOf` / `oneOf` / `anyOf` members) that add no type of their
//! own: parts that only annotate, and parts that only list required properties.

use openapiv3::{AnySchema, ReferenceOr, SchemaKind as OKind};

/// Whether an inline `allOf` part only annotates (no type, no keyword that constrains).
pub(super) fn annotation_only(part: &ReferenceOr<openapiv3::Schema>) -> bool {
    match part {
        ReferenceOr::Item(s) => s.schema_kind == OKind::Any(AnySchema::default()),
        ReferenceOr::Reference { .. } => false,
    }
}

/// Whether every part is inline and only lists `required` properties.
pub(super) fn only_requires(parts: &[ReferenceOr<openapiv3::Schema>]) -> bool {
    parts.iter().all(|p| match p {
        ReferenceOr::Item(s) => match &s.schema_kind {
            OKind::Any(a) => {
                let bare = AnySchema {
                    required: a.required.clone(),
                    ..AnySchema::default()
                };
                *a == bare
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    })
}

/// Whether an annotation-only part says `nullable: true` (OpenAI:
/// `allOf: [$ref OpenAIFile, {nullable: true}]`): the composed schema admits `null`.
pub(super) fn nullable_annotation(parts: &[ReferenceOr<openapiv3::Schema>]) -> bool {
    parts.iter().any(|p| match p {
        ReferenceOr::Item(s) => annotation_only(p) && s.schema_data.nullable,
        ReferenceOr::Reference { .. } => false,
    })
}
