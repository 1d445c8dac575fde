//! What each position of a document holds, so a `$ref` there is resolved the right way
//! (a schema is named, anything else inlined, literal data left alone).

pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What a position of the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    Root,
    Components,
    Paths,
    PathItem,
    Operation,
    Callbacks,
    Callback,
    /// An operation's `responses`: keys are status codes (`default` too).
    Responses,
    Schema,
    SchemaMap,
    SchemaList,
    /// Literal values (`example`, `default`, `enum`, …): never resolved.
    Data,
    Other,
}

pub(super) fn child_ctx(ctx: Ctx, key: &str) -> Ctx {
    let ext = key.starts_with("x-");
    match ctx {
        Ctx::Root => match key {
            "paths" | "webhooks" => Ctx::Paths,
            "components" => Ctx::Components,
            "definitions" => Ctx::SchemaMap,
            _ => Ctx::Other,
        },
        Ctx::Components => match key {
            "schemas" => Ctx::SchemaMap,
            "pathItems" => Ctx::Paths,
            "callbacks" => Ctx::Callbacks,
            _ => Ctx::Other,
        },
        Ctx::Paths | Ctx::Callback if !ext => Ctx::PathItem,
        Ctx::PathItem if METHODS.contains(&key) => Ctx::Operation,
        Ctx::Operation if key == "callbacks" => Ctx::Callbacks,
        Ctx::Operation if key == "responses" => Ctx::Responses,
        Ctx::Responses => Ctx::Other,
        Ctx::Callbacks => Ctx::Callback,
        Ctx::SchemaMap => Ctx::Schema,
        Ctx::SchemaList => Ctx::Schema,
        Ctx::Schema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                Ctx::SchemaMap
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => Ctx::SchemaList,
            "items"
            | "additionalProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "additionalItems" => Ctx::Schema,
            "example" | "examples" | "default" | "enum" | "const" => Ctx::Data,
            _ => Ctx::Other,
        },
        Ctx::Data => Ctx::Data,
        _ => match key {
            "schema" => Ctx::Schema,
            "example" | "default" | "value" | "enum" => Ctx::Data,
            _ => Ctx::Other,
        },
    }
}
