//! The model's schemas as JSON Schema (2020-12), for the harness's response checks:
//! named schemas go into `$defs` under stable keys (`d0`, `d1`, … in name order, so
//! no name needs escaping in a JSON pointer), inline schemas are converted in place.
//!
//! Two flavours: `conformance` keeps what the definition promises (a closed enum is an
//! `enum`, an `x-ms-enum` with `modelAsString: true` is just its base type); `strict`
//! also closes open enums, so the enum errors it adds over `conformance` count values
//! that landed in a generated enum's `Other` variant (the report's `fallbacks`).

use std::collections::BTreeMap;

use connector_spec::{
    Connector, Constraints, EnumBase, IntegerFormat, NumberFormat, Schema, SchemaKind, StringFormat,
};
use serde_json::{Map, Value, json};

/// Which enums are closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// As the definition declares.
    Conformance,
    /// Every enum closed.
    Strict,
}

/// Converts schemas of one connector; knows the `$defs` key of every named schema.
pub struct Converter<'c> {
    connector: &'c Connector,
    keys: BTreeMap<&'c str, String>,
}

impl<'c> Converter<'c> {
    /// A converter for `connector`'s schemas.
    pub fn new(connector: &'c Connector) -> Self {
        let keys = connector
            .schemas
            .keys()
            .enumerate()
            .map(|(i, name)| (name.as_str(), format!("d{i}")))
            .collect();
        Converter { connector, keys }
    }

    /// Every named schema, keyed as `$ref`s point at them.
    pub fn defs(&self, flavour: Flavour) -> Value {
        let mut defs = Map::new();
        for (name, schema) in &self.connector.schemas {
            if let Some(key) = self.keys.get(name.as_str()) {
                defs.insert(key.clone(), self.convert(schema, flavour));
            }
        }
        Value::Object(defs)
    }

    /// One schema as JSON Schema.
    pub fn convert(&self, schema: &Schema, flavour: Flavour) -> Value {
        let mut shape = self.shape(schema, flavour);
        if let Value::Object(map) = &mut shape {
            constraints(map, &schema.constraints);
        }
        if schema.nullable {
            json!({ "anyOf": [shape, { "type": "null" }] })
        } else {
            shape
        }
    }

    fn reference(&self, name: &str) -> Value {
        match self.keys.get(name) {
            Some(key) => json!({ "$ref": format!("#/$defs/{key}") }),
            // A dangling reference: the loader already reported it; accept anything.
            None => json!({}),
        }
    }

    fn shape(&self, schema: &Schema, flavour: Flavour) -> Value {
        match &schema.kind {
            SchemaKind::Any => json!({}),
            SchemaKind::Ref(name) => self.reference(name),
            SchemaKind::Boolean => json!({ "type": "boolean" }),
            // The format's range is part of the contract: a value outside it cannot be
            // held by the declared type.
            SchemaKind::Integer(IntegerFormat::Int32) => {
                json!({ "type": "integer", "minimum": i32::MIN, "maximum": i32::MAX })
            }
            SchemaKind::Integer(IntegerFormat::Uint32) => {
                json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX })
            }
            SchemaKind::Integer(IntegerFormat::Uint64) => {
                json!({ "type": "integer", "minimum": 0 })
            }
            SchemaKind::Integer(IntegerFormat::Int64) => json!({ "type": "integer" }),
            SchemaKind::Number(NumberFormat::Float) => json!({
                "type": "number",
                "minimum": f64::from(f32::MIN),
                "maximum": f64::from(f32::MAX),
            }),
            SchemaKind::Number(NumberFormat::Double) => json!({ "type": "number" }),
            SchemaKind::String(format) => string(format),
            SchemaKind::Array(items) => {
                json!({ "type": "array", "items": self.convert(items, flavour) })
            }
            SchemaKind::Tuple(items) => {
                let items: Vec<Value> = items.iter().map(|i| self.convert(i, flavour)).collect();
                json!({
                    "type": "array",
                    "prefixItems": items,
                    "minItems": items.len(),
                    "maxItems": items.len(),
                })
            }
            SchemaKind::Map(values) => {
                json!({ "type": "object", "additionalProperties": self.convert(values, flavour) })
            }
            SchemaKind::Object(obj) => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for p in &obj.properties {
                    properties.insert(p.name.clone(), self.convert(&p.schema, flavour));
                    if p.required {
                        required.push(Value::String(p.name.clone()));
                    }
                }
                let mut out = Map::new();
                out.insert("type".into(), json!("object"));
                out.insert("properties".into(), Value::Object(properties));
                if !required.is_empty() {
                    out.insert("required".into(), Value::Array(required));
                }
                if let Some(extra) = &obj.additional {
                    out.insert("additionalProperties".into(), self.convert(extra, flavour));
                }
                Value::Object(out)
            }
            SchemaKind::Enum(e) => {
                let base = match e.base {
                    EnumBase::String => "string",
                    EnumBase::Integer => "integer",
                    EnumBase::Number => "number",
                    EnumBase::Boolean => "boolean",
                };
                if flavour == Flavour::Conformance && models_as_string(schema) {
                    json!({ "type": base })
                } else {
                    let values: Vec<Value> = e.values.iter().map(|v| v.value.clone()).collect();
                    json!({ "enum": values })
                }
            }
            SchemaKind::OneOf(variants) => {
                let any: Vec<Value> = variants.iter().map(|v| self.convert(v, flavour)).collect();
                json!({ "anyOf": any })
            }
            SchemaKind::Tagged(t) => {
                let mut any: Vec<Value> = t
                    .variants
                    .iter()
                    .map(|v| self.reference(&v.schema))
                    .collect();
                if let Some(base) = &t.base {
                    any.push(self.reference(base));
                }
                json!({ "type": "object", "required": [t.property], "anyOf": any })
            }
        }
    }
}

/// The validation keywords the definition declares.
fn constraints(map: &mut Map<String, Value>, c: &Constraints) {
    let mut put = |key: &str, v: Value| {
        map.insert(key.to_owned(), v);
    };
    if let Some(min) = c.minimum {
        put(
            if c.exclusive_minimum {
                "exclusiveMinimum"
            } else {
                "minimum"
            },
            json!(min),
        );
    }
    if let Some(max) = c.maximum {
        put(
            if c.exclusive_maximum {
                "exclusiveMaximum"
            } else {
                "maximum"
            },
            json!(max),
        );
    }
    if let Some(n) = c.min_length {
        put("minLength", json!(n));
    }
    if let Some(n) = c.max_length {
        put("maxLength", json!(n));
    }
    if let Some(p) = &c.pattern {
        put("pattern", json!(p));
    }
    if let Some(n) = c.min_items {
        put("minItems", json!(n));
    }
    if let Some(n) = c.max_items {
        put("maxItems", json!(n));
    }
}

/// `x-ms-enum` says unknown values are part of the contract (`modelAsString: true`).
fn models_as_string(schema: &Schema) -> bool {
    schema
        .extensions
        .get("x-ms-enum")
        .and_then(|e| e.get("modelAsString"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn string(format: &StringFormat) -> Value {
    // Formats are annotations in 2020-12 (the validator does not assert them), kept so
    // a reader of schemas.json sees what the definition declared.
    let format = match format {
        StringFormat::Plain | StringFormat::Binary => None,
        StringFormat::DateTime => Some("date-time"),
        StringFormat::Date => Some("date"),
        StringFormat::Uuid => Some("uuid"),
        StringFormat::Byte => Some("byte"),
        StringFormat::Other(other) => Some(other.as_str()),
    };
    match format {
        Some(f) => json!({ "type": "string", "format": f }),
        None => json!({ "type": "string" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::tests::load;

    const DEFINITION: &str = r##"
swagger: "2.0"
info: { title: T, version: "1" }
paths: {}
definitions:
  Ticket:
    type: object
    required: [state]
    properties:
      state: { type: string, enum: [open, closed], x-ms-enum: { name: State, modelAsString: true } }
      kind: { type: string, enum: [a, b] }
      count: { type: integer, format: int32, minimum: 0 }
      code: { type: string, pattern: "^[A-Z]+$" }
"##;

    fn converter_and_schema() -> (Connector, Schema) {
        let c = load(DEFINITION);
        let s = c.schemas.get("Ticket").cloned().expect("Ticket");
        (c, s)
    }

    #[test]
    fn open_enums_are_closed_only_in_the_strict_flavour() {
        let (c, s) = converter_and_schema();
        let conv = Converter::new(&c);
        let conformance = conv.convert(&s, Flavour::Conformance);
        let strict = conv.convert(&s, Flavour::Strict);
        let props = |v: &Value, p: &str| v["properties"][p].clone();
        assert_eq!(props(&conformance, "state"), json!({ "type": "string" }));
        assert_eq!(
            props(&strict, "state"),
            json!({ "enum": ["open", "closed"] })
        );
        assert_eq!(props(&conformance, "kind"), json!({ "enum": ["a", "b"] }));
        assert_eq!(conformance["required"], json!(["state"]));
    }

    #[test]
    fn bounds_patterns_and_format_ranges_are_kept() {
        let (c, s) = converter_and_schema();
        let v = Converter::new(&c).convert(&s, Flavour::Conformance);
        assert_eq!(
            v["properties"]["count"],
            json!({ "type": "integer", "minimum": 0.0, "maximum": i32::MAX })
        );
        assert_eq!(
            v["properties"]["code"],
            json!({ "type": "string", "pattern": "^[A-Z]+$" })
        );
    }
}
