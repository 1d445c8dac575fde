//! Enumerations (`enum` with `x-ms-enum` / `x-ms-enum-values`) and the formats of
//! scalar schemas.

use indexmap::IndexMap;
use openapiv3::VariantOrUnknownOrEmpty;
use serde_json::Value;

use crate::model::{
    EnumBase, EnumSchema, EnumValue, IntegerFormat, NumberFormat, SchemaKind, StringFormat,
};

pub(super) fn value_fits(base: EnumBase, v: &Value) -> bool {
    match base {
        EnumBase::String => v.is_string(),
        EnumBase::Integer => v.is_i64() || v.is_u64(),
        EnumBase::Number => v.is_number(),
        EnumBase::Boolean => v.is_boolean(),
    }
}

/// An enum: values deduplicated in document order, names from `x-ms-enum` /
/// `x-ms-enum-values`. A `null` value makes the schema nullable instead.
pub(super) fn enum_kind(
    base: EnumBase,
    values: impl Iterator<Item = Value>,
    ext: &IndexMap<String, Value>,
    nullable: &mut bool,
) -> SchemaKind {
    let ms_enum = ext.get("x-ms-enum");
    let ms_values = ms_enum
        .and_then(|e| e.get("values"))
        .and_then(Value::as_array);
    let enum_values = ext.get("x-ms-enum-values").and_then(Value::as_array);
    let mut out: Vec<EnumValue> = Vec::new();
    for v in values {
        if v.is_null() {
            *nullable = true;
            continue;
        }
        if out.iter().any(|e| e.value == v) {
            continue;
        }
        let same = |x: &Value| {
            x == &v
                || (x.as_str().is_some() && x.as_str() == v.as_str())
                || (x.is_number() && v.is_number() && x.as_f64() == v.as_f64())
        };
        let described =
            ms_values.and_then(|vals| vals.iter().find(|e| e.get("value").is_some_and(same)));
        let displayed =
            enum_values.and_then(|vals| vals.iter().find(|e| e.get("value").is_some_and(same)));
        let name = described
            .and_then(|e| e.get("name"))
            .and_then(Value::as_str)
            .or_else(|| {
                displayed
                    .and_then(|e| e.get("displayName"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned);
        let description = described
            .and_then(|e| e.get("description"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        out.push(EnumValue {
            value: v,
            name,
            description,
        });
    }
    if out.is_empty() {
        return SchemaKind::Any;
    }
    SchemaKind::Enum(EnumSchema {
        base,
        values: out,
        name: ms_enum
            .and_then(|e| e.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        open: ms_enum.and_then(|e| e.get("modelAsString")) != Some(&Value::Bool(false)),
    })
}

pub(super) fn string_format(f: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> StringFormat {
    use openapiv3::StringFormat as F;
    match f {
        VariantOrUnknownOrEmpty::Item(F::Date) => StringFormat::Date,
        VariantOrUnknownOrEmpty::Item(F::DateTime) => StringFormat::DateTime,
        VariantOrUnknownOrEmpty::Item(F::Byte) => StringFormat::Byte,
        VariantOrUnknownOrEmpty::Item(F::Binary) => StringFormat::Binary,
        VariantOrUnknownOrEmpty::Item(F::Password) => StringFormat::Other("password".into()),
        VariantOrUnknownOrEmpty::Unknown(s) => string_format_str(s),
        VariantOrUnknownOrEmpty::Empty => StringFormat::Plain,
    }
}

pub(crate) fn string_format_str(s: &str) -> StringFormat {
    match s {
        "" => StringFormat::Plain,
        "date-time" => StringFormat::DateTime,
        "date" => StringFormat::Date,
        "uuid" => StringFormat::Uuid,
        "byte" => StringFormat::Byte,
        "binary" => StringFormat::Binary,
        other => StringFormat::Other(other.to_owned()),
    }
}

pub(super) fn integer_format(
    f: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>,
) -> IntegerFormat {
    match f {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntegerFormat::Int32,
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => IntegerFormat::Int64,
        VariantOrUnknownOrEmpty::Unknown(s) => integer_format_str(s),
        VariantOrUnknownOrEmpty::Empty => IntegerFormat::Int64,
    }
}

/// The format of an `integer`; without a declared format, `Uint64` when the schema's
/// own `default` or `example` is above `i64::MAX` (DigitalOcean's Kafka settings
/// default to 9223372036854776000, `Long.MAX_VALUE` rounded through a double), so the
/// client's type holds the values the definition itself gives.
pub(super) fn wide_enough(
    f: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>,
    examples: [Option<&serde_json::Value>; 2],
) -> IntegerFormat {
    let above_i64 = |v: &serde_json::Value| v.as_i64().is_none() && v.as_u64().is_some();
    match f {
        VariantOrUnknownOrEmpty::Empty if examples.into_iter().flatten().any(above_i64) => {
            IntegerFormat::Uint64
        }
        other => integer_format(other),
    }
}

pub(super) fn integer_format_str(s: &str) -> IntegerFormat {
    match s {
        "int32" => IntegerFormat::Int32,
        "uint32" => IntegerFormat::Uint32,
        "uint64" => IntegerFormat::Uint64,
        _ => IntegerFormat::Int64,
    }
}

pub(super) fn number_format(f: &VariantOrUnknownOrEmpty<openapiv3::NumberFormat>) -> NumberFormat {
    match f {
        VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => NumberFormat::Float,
        VariantOrUnknownOrEmpty::Unknown(s) => number_format_str(s),
        _ => NumberFormat::Double,
    }
}

pub(super) fn number_format_str(s: &str) -> NumberFormat {
    match s {
        "float" => NumberFormat::Float,
        _ => NumberFormat::Double,
    }
}

/// The validation keywords of a schema kind.
pub(super) fn constraints(kind: &openapiv3::SchemaKind) -> crate::model::Constraints {
    let mut c = crate::model::Constraints::default();
    match kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(t)) => {
            c.min_length = t.min_length;
            c.max_length = t.max_length;
            c.pattern = t.pattern.clone();
        }
        openapiv3::SchemaKind::Type(openapiv3::Type::Number(t)) => {
            c.minimum = t.minimum;
            c.maximum = t.maximum;
            c.exclusive_minimum = t.exclusive_minimum;
            c.exclusive_maximum = t.exclusive_maximum;
        }
        openapiv3::SchemaKind::Type(openapiv3::Type::Integer(t)) => {
            c.minimum = t.minimum.map(|v| v as f64);
            c.maximum = t.maximum.map(|v| v as f64);
            c.exclusive_minimum = t.exclusive_minimum;
            c.exclusive_maximum = t.exclusive_maximum;
        }
        openapiv3::SchemaKind::Type(openapiv3::Type::Array(t)) => {
            c.min_items = t.min_items;
            c.max_items = t.max_items;
        }
        _ => {}
    }
    c
}
