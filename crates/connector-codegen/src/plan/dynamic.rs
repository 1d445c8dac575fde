//! Which dynamic-metadata helpers to offer (`x-ms-dynamic-values` / `-list` on a
//! parameter or a top-level body property, `x-ms-dynamic-schema` / `-properties` on a
//! body) and the operation each calls. Whether a helper can be generated also depends on
//! the target's signature, which the `dynamic` emitter checks.

use connector_spec::{
    BodyContent, Connector, DynamicParameter, DynamicSchema, DynamicValues, Schema, SchemaKind,
};

use super::OperationPlan;
use crate::docs::code;
use crate::names;

/// A call the definition describes: target operation, its parameters, where to read.
pub struct DynamicCall<'m> {
    /// The kind of extension, for docs.
    pub extension: &'static str,
    /// `operationId` of the source operation.
    pub operation_id: &'m str,
    /// Parameters of the target and how their values are given.
    pub parameters: &'m [DynamicParameter],
    /// Where the array of choices is (`value-collection` / `itemsPath`).
    pub collection: Option<&'m str>,
    /// Item value path.
    pub value_path: Option<&'m str>,
    /// Item title path.
    pub title_path: Option<&'m str>,
}

impl<'m> DynamicCall<'m> {
    /// The call of a dynamic-values parameter or property, when it names an operation.
    pub fn values(v: &'m DynamicValues) -> Option<Self> {
        Some(DynamicCall {
            extension: v.source.extension(),
            operation_id: v.operation_id.as_deref()?,
            parameters: &v.parameters,
            collection: v.collection.as_deref(),
            value_path: v.value_path.as_deref(),
            title_path: v.title_path.as_deref(),
        })
    }

    /// The call of a dynamic schema, when it names an operation.
    pub fn schema(s: &'m DynamicSchema) -> Option<Self> {
        Some(DynamicCall {
            extension: s.source.extension(),
            operation_id: s.operation_id.as_deref()?,
            parameters: &s.parameters,
            collection: None,
            value_path: s.value_path.as_deref(),
            title_path: None,
        })
    }
}

/// A helper the definition asks for.
pub struct HelperPlan<'c> {
    /// The helper's wanted name (`<method>_<param>_choices`, `<method>_schema`).
    pub name: String,
    /// Its first doc line: what it gives.
    pub doc: String,
    /// The call it makes.
    pub call: DynamicCall<'c>,
    /// Index of the operation it calls.
    pub target: usize,
    /// Choices (`Vec<Choice>`) rather than a schema (JSON value).
    pub choices: bool,
}

/// Resolves references to their named schema (bounded), as the type space does.
fn resolve<'c>(connector: &'c Connector, mut schema: &'c Schema) -> &'c Schema {
    for _ in 0..64 {
        match &schema.kind {
            SchemaKind::Ref(name) => match connector.schemas.get(name) {
                Some(s) => schema = s,
                None => return schema,
            },
            _ => return schema,
        }
    }
    schema
}

/// Every helper the definition asks for whose target operation exists, in document
/// order: per operation (preview ones have none), its parameters, then its top-level
/// body properties, then its body schema.
pub fn helpers<'c>(connector: &'c Connector, ops: &[OperationPlan<'c>]) -> Vec<HelperPlan<'c>> {
    let target = |call: &DynamicCall<'_>| {
        ops.iter().position(|p| {
            p.op.id == call.operation_id || p.op.declared_id.as_deref() == Some(call.operation_id)
        })
    };
    let mut out = Vec::new();
    let mut push = |name: String, doc: String, call: DynamicCall<'c>, choices: bool| {
        if let Some(target) = target(&call) {
            out.push(HelperPlan {
                name,
                doc,
                call,
                target,
                choices,
            });
        }
    };
    for p in ops.iter().filter(|p| !p.preview) {
        let (op, method) = (p.op, &p.method);
        for param in &op.parameters {
            let Some(call) = param.dynamic_values.as_ref().and_then(DynamicCall::values) else {
                continue;
            };
            let name = names::snake(
                &format!("{method}_{}_choices", names::snake(&param.name, "param")),
                "choices",
            );
            let doc = format!(
                "Choices for {} of [`Client::{method}`] ({}).",
                code(&param.name),
                code(call.extension)
            );
            push(name, doc, call, true);
        }
        let body_schema = op.body.as_ref().and_then(|b| match &b.content {
            BodyContent::Schema(s) => Some(s),
            _ => None,
        });
        // Top-level body properties are parameters too, for the designer.
        if let Some(SchemaKind::Object(obj)) = body_schema.map(|s| &resolve(connector, s).kind) {
            for property in &obj.properties {
                let own = property.schema.dynamic_values.as_deref();
                let Some(call) = own.and_then(DynamicCall::values).or_else(|| {
                    let resolved = resolve(connector, &property.schema);
                    resolved
                        .dynamic_values
                        .as_deref()
                        .and_then(DynamicCall::values)
                }) else {
                    continue;
                };
                let name = names::snake(
                    &format!("{method}_{}_choices", names::snake(&property.name, "field")),
                    "choices",
                );
                let doc = format!(
                    "Choices for the body property {} of [`Client::{method}`] ({}).",
                    code(&property.name),
                    code(call.extension)
                );
                push(name, doc, call, true);
            }
        }
        let schema_call = |s: &'c Schema| DynamicCall::schema(s.dynamic_schema.as_deref()?);
        if let Some(call) =
            body_schema.and_then(|s| schema_call(s).or_else(|| schema_call(resolve(connector, s))))
        {
            let name = names::snake(&format!("{method}_schema"), "schema");
            let doc = format!(
                "The body schema of [`Client::{method}`], known only at run time ({}).",
                code(call.extension)
            );
            push(name, doc, call, false);
        }
    }
    out
}
