//! Schemas: the shape of values (bodies, responses, parameters, named definitions).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{DynamicSchema, DynamicValues, Visibility};

/// A schema with its metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Schema {
    /// The shape.
    pub kind: SchemaKind,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `x-ms-summary`.
    pub summary: Option<String>,
    /// `null` is a valid value: `nullable: true`, `x-nullable: true`, a `{type: null}`
    /// member of `anyOf`/`oneOf`, `type: [T, "null"]`, a `null` enum value, or a
    /// reference to a named schema that is nullable itself.
    pub nullable: bool,
    /// `default`.
    pub default: Option<Value>,
    /// `example`: a representative value (for synthesised arguments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Validation keywords: bounds, lengths, pattern (for synthesised arguments and
    /// contract checks).
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// `readOnly`.
    pub read_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `x-ms-visibility`.
    pub visibility: Visibility,
    /// `x-ms-dynamic-values` / `x-ms-dynamic-list` (a property whose values come from
    /// another operation).
    pub dynamic_values: Option<Box<DynamicValues>>,
    /// `x-ms-dynamic-schema` / `x-ms-dynamic-properties`: the shape is known only at
    /// design time.
    pub dynamic_schema: Option<Box<DynamicSchema>>,
    /// `x-ms-notification-url: true`: the property carries a webhook's callback URL.
    pub notification_url: bool,
    /// Every `x-*` extension on the schema, sorted by name, raw: for documentation
    /// passthrough only.
    pub extensions: BTreeMap<String, Value>,
    /// `contentMediaType`: the media type of the string's content (a binary one makes
    /// the string [`StringFormat::Binary`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// JSON Schema keywords that constrain values without changing their Rust type
    /// (`if`/`then`/`else`, `not`, `contains`, `propertyNames`, `dependentRequired`,
    /// `patternProperties`, `contentEncoding`, ...), by name, raw: for documentation and
    /// validation only.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub validation: BTreeMap<String, Value>,
}

/// The most positions a [`SchemaKind::Tuple`] is generated as a Rust tuple for (serde
/// reads tuples of up to 16); a longer tuple is read as an array of any values, with a
/// degraded-schema warning.
pub const MAX_TUPLE_POSITIONS: usize = 16;

/// Validation keywords of a schema that do not change its Rust type.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Constraints {
    /// `minimum` (numbers and integers).
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
    /// `minLength` (strings).
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (an ECMA-262 regular expression).
    pub pattern: Option<String>,
    /// `minItems` (arrays).
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

impl Constraints {
    /// No keyword is set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The shape of a schema.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub enum SchemaKind {
    /// Any JSON value (free-form, missing or unreadable schema).
    #[default]
    Any,
    /// A reference to a named schema in [`Connector::schemas`](crate::Connector::schemas).
    Ref(String),
    /// `boolean`.
    Boolean,
    /// `integer`.
    Integer(IntegerFormat),
    /// `number`.
    Number(NumberFormat),
    /// `string`.
    String(StringFormat),
    /// `array` of items.
    Array(Box<Schema>),
    /// A fixed-length array whose positions have their own schemas (`prefixItems`, or
    /// `items: [..]`), in order.
    Tuple(Vec<Schema>),
    /// An object with known properties (and possibly extra ones).
    Object(ObjectSchema),
    /// An object used as a map: `additionalProperties` with no `properties`.
    Map(Box<Schema>),
    /// A closed set of values (`enum`).
    Enum(EnumSchema),
    /// `oneOf` / `anyOf` without a usable discriminator, most specific variant first
    /// (the normalizer ranks them by how much of a value each one pins down).
    OneOf(Vec<Schema>),
    /// A discriminated union: `discriminator` (+ `x-ms-discriminator-value`).
    Tagged(TaggedSchema),
}

/// Integer formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum IntegerFormat {
    /// `int32`.
    Int32,
    /// `int64` or unspecified.
    #[default]
    Int64,
    /// `uint32`
    Uint32,
    /// `uint64`
    Uint64,
}

/// Number formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum NumberFormat {
    /// `float`.
    Float,
    /// `double`, `decimal` or unspecified.
    #[default]
    Double,
}

/// String formats that change the Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub enum StringFormat {
    /// No (or an unknown) format.
    #[default]
    Plain,
    /// `date-time`.
    DateTime,
    /// `date`.
    Date,
    /// `uuid`.
    Uuid,
    /// `byte` (base64).
    Byte,
    /// `binary` (raw bytes).
    Binary,
    /// Any other format, kept for docs.
    Other(String),
}

/// An object schema.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ObjectSchema {
    /// Properties in document order (after `allOf` merging).
    pub properties: Vec<Property>,
    /// `additionalProperties`: `None` when absent or `false`.
    pub additional: Option<Box<Schema>>,
    /// Named schemas this one was composed from via `allOf` (for docs).
    pub all_of: Vec<String>,
    /// `discriminator.propertyName`, when this is a polymorphic base.
    pub discriminator: Option<String>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    /// Name on the wire.
    pub name: String,
    /// Listed in `required`.
    pub required: bool,
    /// The property's schema.
    pub schema: Schema,
}

/// An enumeration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumSchema {
    /// The type of the values.
    pub base: EnumBase,
    /// The values, in document order, without duplicates.
    pub values: Vec<EnumValue>,
    /// `x-ms-enum.name`, when given.
    pub name: Option<String>,
    /// `x-ms-enum.modelAsString` is not false: unknown values are allowed.
    pub open: bool,
}

/// Type of enum values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EnumBase {
    /// Strings.
    String,
    /// Integers.
    Integer,
    /// Numbers.
    Number,
    /// Booleans.
    Boolean,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: Value,
    /// A preferred name (`x-ms-enum.values[].name` / `x-ms-enum-values[].displayName`).
    pub name: Option<String>,
    /// Description for the value.
    pub description: Option<String>,
}

/// A discriminated union.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedSchema {
    /// The discriminator property.
    pub property: String,
    /// The variants: tag value on the wire and the named schema it selects.
    pub variants: Vec<TaggedVariant>,
    /// The base schema's own fields, when it has any (named schema).
    pub base: Option<String>,
}

/// One variant of a discriminated union.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedVariant {
    /// Tag value.
    pub tag: String,
    /// Named schema of the variant.
    pub schema: String,
}

impl Schema {
    /// A schema of the given kind and no metadata.
    pub fn new(kind: SchemaKind) -> Self {
        Schema {
            kind,
            ..Schema::default()
        }
    }

    /// The best one-paragraph doc text: description, else x-ms-summary, else title.
    pub fn doc(&self) -> Option<&str> {
        self.description
            .as_deref()
            .or(self.summary.as_deref())
            .or(self.title.as_deref())
            .filter(|s| !s.trim().is_empty())
    }
}
