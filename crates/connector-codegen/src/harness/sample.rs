//! Representative values synthesised from the model for the harness's calls: the
//! parameter's `x-ms-test-value`, else the schema's `example`, else its default, else
//! the first enum value, else a value valid for the declared type, format, bounds,
//! lengths and (simple) pattern, with every required property of an object filled in
//! (read-only ones left out).

use connector_spec::{
    Connector, Constraints, EnumBase, IntegerFormat, Parameter, Schema, SchemaKind, StringFormat,
};
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Value, json};

/// How deep values nest before one is cut short (recursive schemas whose recursion is
/// required); real request bodies (OpenAI's evals) nest well beyond 8 levels.
const MAX_DEPTH: usize = 32;
/// From this depth on, arrays that may be empty are (ends optional recursion early).
const SHALLOW: usize = 12;

/// A representative value of `schema`.
pub fn value(schema: &Schema, connector: &Connector) -> Value {
    sample(schema, connector, 0)
}

/// A representative request body: [`value`], and when that is an empty object while
/// the schema has optional writable properties, the first of them set. An empty body
/// says little, and definitions express "one of these fields" in ways the model keeps
/// no trace of (OpenAI: `anyOf: [{required: [file_ids]}, {required: [files]}]`).
pub fn body(schema: &Schema, connector: &Connector) -> Value {
    let mut v = value(schema, connector);
    let is_empty_object = v.as_object().is_some_and(Map::is_empty);
    if let (true, Some(SchemaKind::Object(obj))) =
        (is_empty_object, resolve(schema, connector).map(|s| &s.kind))
        && let Some(p) = obj.properties.iter().find(|p| !p.schema.read_only)
        && let Value::Object(map) = &mut v
    {
        map.insert(p.name.clone(), sample(&p.schema, connector, 1));
    }
    v
}

/// A representative value of a parameter: its test value when it has one.
pub fn parameter(p: &Parameter, connector: &Connector) -> Value {
    match &p.test_value {
        Some(text) => typed_text(text, &p.schema, connector),
        None => value(&p.schema, connector),
    }
}

/// `text` (an `x-ms-test-value`) as the JSON the parameter's type deserializes from.
fn typed_text(text: &str, schema: &Schema, connector: &Connector) -> Value {
    let kind = resolve(schema, connector).map(|s| &s.kind);
    let numeric = matches!(
        kind,
        Some(SchemaKind::Integer(_) | SchemaKind::Number(_) | SchemaKind::Boolean)
    ) || matches!(
        kind,
        Some(SchemaKind::Enum(e)) if e.base != EnumBase::String
    );
    if numeric && let Ok(v) = serde_json::from_str::<Value>(text) {
        return v;
    }
    if let Some(SchemaKind::Array(items)) = kind {
        return Value::Array(vec![typed_text(text, items, connector)]);
    }
    Value::String(text.to_owned())
}

/// The named schema behind a reference chain (bounded), or the schema itself.
fn resolve<'a>(schema: &'a Schema, connector: &'a Connector) -> Option<&'a Schema> {
    let mut current = schema;
    for _ in 0..MAX_DEPTH {
        match &current.kind {
            SchemaKind::Ref(name) => current = connector.schemas.get(name)?,
            _ => return Some(current),
        }
    }
    None
}

fn sample(schema: &Schema, connector: &Connector, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    // A definition's example or default that is not of its own type (OpenAI gives
    // `item_schema: {type: object}` a JSON *string* as example) is not used.
    for given in [&schema.example, &schema.default].into_iter().flatten() {
        if fits(given, schema, connector) {
            return given.clone();
        }
    }
    let c = &schema.constraints;
    match &schema.kind {
        // An object whose shape a dynamic schema gives at run time (monday's
        // `columnValues`): an empty object, the shape the definition declares.
        SchemaKind::Any if schema.dynamic_schema.is_some() => json!({}),
        SchemaKind::Any => json!("example"),
        SchemaKind::Ref(name) => match connector.schemas.get(name) {
            Some(s) => sample(s, connector, depth + 1),
            None => Value::Null,
        },
        SchemaKind::Boolean => json!(true),
        SchemaKind::Integer(f) => {
            let low = if matches!(f, IntegerFormat::Uint32 | IntegerFormat::Uint64) {
                0.0
            } else {
                f64::MIN
            };
            json!(number(c, 1.0, 1.0).max(low).ceil() as i64)
        }
        SchemaKind::Number(_) => json!(number(c, 1.5, f64::EPSILON)),
        SchemaKind::String(format) => json!(text(format, c)),
        // Deep in a (possibly recursive) structure, an array that may be empty is.
        SchemaKind::Array(_) if depth >= SHALLOW && c.min_items.unwrap_or(0) == 0 => json!([]),
        SchemaKind::Array(items) => {
            let n = c
                .min_items
                .unwrap_or(1)
                .max(1)
                .min(c.max_items.unwrap_or(1).max(1));
            Value::Array(vec![sample(items, connector, depth + 1); n])
        }
        SchemaKind::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|i| sample(i, connector, depth + 1))
                .collect(),
        ),
        SchemaKind::Map(_) => json!({}),
        SchemaKind::Object(obj) => {
            let mut out = Map::new();
            for p in obj.properties.iter().filter(|p| p.required) {
                if p.schema.read_only {
                    continue;
                }
                out.insert(p.name.clone(), sample(&p.schema, connector, depth + 1));
            }
            Value::Object(out)
        }
        SchemaKind::Enum(e) => e.values.first().map_or(Value::Null, |v| v.value.clone()),
        SchemaKind::OneOf(variants) => variants
            .first()
            .map_or(Value::Null, |v| sample(v, connector, depth + 1)),
        SchemaKind::Tagged(t) => {
            let Some(first) = t.variants.first() else {
                return json!({});
            };
            let mut v = match connector.schemas.get(&first.schema) {
                Some(s) => sample(s, connector, depth + 1),
                None => json!({}),
            };
            if let Value::Object(map) = &mut v {
                map.insert(t.property.clone(), json!(first.tag));
            }
            v
        }
    }
}

/// Whether `v` is of `schema`'s type, members included (object properties, array
/// items, enum values, required properties present), so the client's type holds it
/// and a validator accepts it. The Power Platform wizard writes examples such as
/// `"stop_word_model": "string"` for an enum (LegalBot): those are not used.
fn fits(v: &Value, schema: &Schema, connector: &Connector) -> bool {
    fits_at(v, schema, connector, 0)
}

fn fits_at(v: &Value, schema: &Schema, connector: &Connector, depth: usize) -> bool {
    let Some(target) = resolve(schema, connector) else {
        return true;
    };
    if depth > MAX_DEPTH {
        return true;
    }
    if v.is_null() {
        return schema.nullable || target.nullable;
    }
    match (&target.kind, v) {
        (SchemaKind::Any | SchemaKind::Ref(_) | SchemaKind::OneOf(_), _) => true,
        (SchemaKind::Boolean, _) => v.is_boolean(),
        (SchemaKind::Integer(_), _) => v.is_i64() || v.is_u64(),
        (SchemaKind::Number(_), _) => v.is_number(),
        (SchemaKind::String(_), _) => v.is_string(),
        (SchemaKind::Array(items), Value::Array(values)) => values
            .iter()
            .all(|x| fits_at(x, items, connector, depth + 1)),
        (SchemaKind::Tuple(_), _) => v.is_array(),
        (SchemaKind::Map(values), Value::Object(map)) => map
            .values()
            .all(|x| fits_at(x, values, connector, depth + 1)),
        (SchemaKind::Object(obj), Value::Object(map)) => {
            let required_present = obj
                .properties
                .iter()
                .filter(|p| p.required && !p.schema.read_only)
                .all(|p| map.contains_key(&p.name));
            required_present
                && obj.properties.iter().all(|p| {
                    map.get(&p.name)
                        .is_none_or(|x| fits_at(x, &p.schema, connector, depth + 1))
                })
        }
        (SchemaKind::Tagged(_), _) => v.is_object(),
        (SchemaKind::Enum(e), _) => e.values.iter().any(|x| &x.value == v),
        _ => false,
    }
}

/// `preferred` moved inside `minimum` / `maximum` (by `step` when exclusive).
fn number(c: &Constraints, preferred: f64, step: f64) -> f64 {
    let mut v = preferred;
    if let Some(min) = c.minimum {
        let low = if c.exclusive_minimum { min + step } else { min };
        if v < low {
            v = low;
        }
    }
    if let Some(max) = c.maximum {
        let high = if c.exclusive_maximum { max - step } else { max };
        if v > high {
            v = high;
        }
    }
    v
}

/// A string valid for the format, the pattern when it is simple enough to follow, and
/// the length bounds.
fn text(format: &StringFormat, c: &Constraints) -> String {
    if let Some(s) = c.pattern.as_deref().and_then(matching) {
        return s;
    }
    let mut s = string(format).to_owned();
    if let Some(min) = c.min_length {
        while s.chars().count() < min {
            s.push('x');
        }
    }
    if let Some(max) = c.max_length {
        s = s.chars().take(max).collect();
    }
    s
}

/// A short string `pattern` matches (the regex parsed by `regex-syntax`, every choice
/// its first branch, every repetition its minimum), or `None` for patterns with
/// look-around or other parts this walk cannot satisfy.
fn matching(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    emit(&hir, &mut out, 0)?;
    Some(out)
}

fn emit(hir: &Hir, out: &mut String, depth: usize) -> Option<()> {
    if depth > 32 || out.len() > 256 {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(()),
        HirKind::Literal(lit) => {
            out.push_str(std::str::from_utf8(&lit.0).ok()?);
            Some(())
        }
        HirKind::Class(Class::Unicode(class)) => {
            let first = class.ranges().first()?;
            // Prefer a letter or digit when the class has one.
            let pick = class
                .ranges()
                .iter()
                .flat_map(|r| [r.start(), r.end()])
                .find(|ch| ch.is_ascii_alphanumeric())
                .unwrap_or(first.start());
            out.push(pick);
            Some(())
        }
        HirKind::Class(Class::Bytes(class)) => {
            let first = class.ranges().first()?;
            out.push(char::from(first.start()));
            Some(())
        }
        HirKind::Repetition(rep) => {
            let times = rep
                .min
                .max(u32::from(rep.max.is_none_or(|m| m > 0) && rep.min == 0));
            for _ in 0..times.min(64) {
                emit(&rep.sub, out, depth + 1)?;
            }
            Some(())
        }
        HirKind::Capture(cap) => emit(&cap.sub, out, depth + 1),
        HirKind::Concat(parts) => parts.iter().try_for_each(|p| emit(p, out, depth + 1)),
        HirKind::Alternation(branches) => emit(branches.first()?, out, depth + 1),
    }
}

/// A string valid for `format` (a plain word when the format is unknown).
fn string(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::DateTime => "2024-01-15T10:30:00Z",
        StringFormat::Date => "2024-01-15",
        StringFormat::Uuid => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        StringFormat::Byte => "aGFybmVzcw==",
        StringFormat::Binary | StringFormat::Plain => "example",
        StringFormat::Other(other) => match other.to_ascii_lowercase().as_str() {
            "email" | "idn-email" => "user@example.com",
            "uri" | "url" | "iri" | "uri-reference" => "https://example.com/",
            "hostname" | "idn-hostname" => "example.com",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "time" => "10:30:00Z",
            "duration" => "PT1H",
            "int32" | "int64" | "integer" => "1",
            "password" => "harness-password",
            _ => "example",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::tests::load;

    const DEFINITION: &str = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /items/{n}:
    get:
      operationId: GetItem
      parameters:
        - { name: n, in: path, required: true, schema: { type: integer }, x-ms-test-value: "42" }
        - { name: s, in: query, schema: { type: string, enum: [Open, Paid] } }
        - { name: d, in: query, schema: { type: string, enum: [Open, Paid], default: Paid } }
        - { name: e, in: query, schema: { type: string, format: email } }
        - { name: p, in: query, schema: { type: string, pattern: "^INV-[0-9]{2,}$" } }
        - { name: b, in: query, schema: { type: integer, minimum: 5, maximum: 9 } }
        - { name: l, in: query, schema: { type: string, minLength: 9 } }
        - { name: x, in: query, example: "from-example", schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
components:
  schemas:
    Item:
      type: object
      required: [id, when]
      properties:
        id: { type: string, readOnly: true }
        when: { type: string, format: date-time }
        note: { type: string }
"##;

    #[test]
    fn objects_get_their_required_writable_properties_with_format_valid_values() {
        let c = load(DEFINITION);
        let v = value(&Schema::new(SchemaKind::Ref("Item".into())), &c);
        assert_eq!(v, json!({ "when": "2024-01-15T10:30:00Z" }));
    }

    #[test]
    fn parameters_use_test_values_defaults_first_enum_values_and_formats() {
        let c = load(DEFINITION);
        let params = &c.operations[0].parameters;
        let values: Vec<Value> = params.iter().map(|p| parameter(p, &c)).collect();
        assert_eq!(
            values,
            vec![
                json!(42),
                json!("Open"),
                json!("Paid"),
                json!("user@example.com"),
                json!("INV-00"),
                json!(5),
                json!("examplexx"),
                json!("from-example"),
            ]
        );
    }

    /// Twelve levels of required nesting, a recursive node, and an example that is
    /// not of its schema's type.
    const NESTED: &str = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    L0: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L1" } } }
    L1: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L2" } } }
    L2: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L3" } } }
    L3: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L4" } } }
    L4: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L5" } } }
    L5: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L6" } } }
    L6: { type: object, required: [next], properties: { next: { $ref: "#/components/schemas/L7" } } }
    L7: { type: object, required: [leaf], properties: { leaf: { type: array, items: { type: string } } } }
    Node:
      type: object
      required: [name, children]
      properties:
        name: { type: string }
        children: { type: array, items: { $ref: "#/components/schemas/Node" } }
    Config:
      type: object
      required: [item_schema]
      properties:
        item_schema:
          type: object
          example: "{\"type\": \"object\"}"
          required: [type]
          properties: { type: { type: string } }
"##;

    fn has_null(v: &Value) -> bool {
        match v {
            Value::Null => true,
            Value::Array(a) => a.iter().any(has_null),
            Value::Object(m) => m.values().any(has_null),
            _ => false,
        }
    }

    #[test]
    fn deep_required_nesting_is_filled_and_recursion_ends_in_an_empty_array() {
        let c = load(NESTED);
        let deep = value(&Schema::new(SchemaKind::Ref("L0".into())), &c);
        assert!(!has_null(&deep), "no value cut short: {deep}");
        let leaf = deep.pointer("/next/next/next/next/next/next/next/leaf");
        assert!(leaf.is_some_and(Value::is_array), "{deep}");
        let node = value(&Schema::new(SchemaKind::Ref("Node".into())), &c);
        assert!(!has_null(&node), "recursion ends in [], not null: {node}");
    }

    #[test]
    fn an_example_not_of_its_schemas_type_is_not_used() {
        let c = load(NESTED);
        let v = value(&Schema::new(SchemaKind::Ref("Config".into())), &c);
        assert_eq!(v, json!({ "item_schema": { "type": "example" } }));
    }

    #[test]
    fn an_example_whose_member_breaks_an_enum_is_not_used() {
        let def = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    Keywords:
      type: object
      example: { model: string, count: 0 }
      properties:
        model: { type: string, enum: [None, Basic], default: None }
        count: { type: integer }
"##;
        let c = load(def);
        let v = value(&Schema::new(SchemaKind::Ref("Keywords".into())), &c);
        assert_eq!(v, json!({}), "the wizard's placeholder example is not sent");
    }

    #[test]
    fn a_dynamic_schema_object_is_an_empty_object() {
        let def = r##"{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {},
          "definitions": {"Values": {"type": "object",
            "x-ms-dynamic-schema": {"operationId": "GetSchema", "parameters": {}, "value-path": "schema"}}}}"##;
        let c = load(def);
        let v = value(&Schema::new(SchemaKind::Ref("Values".into())), &c);
        assert_eq!(v, json!({}));
    }

    #[test]
    fn an_empty_body_gets_its_first_writable_property() {
        let def = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    Batch:
      type: object
      properties:
        id: { type: string, readOnly: true }
        file_ids: { type: array, minItems: 1, items: { type: string } }
        files: { type: array, items: { type: string } }
      anyOf: [{ required: [file_ids] }, { required: [files] }]
"##;
        let c = load(def);
        let v = body(&Schema::new(SchemaKind::Ref("Batch".into())), &c);
        assert_eq!(v, json!({ "file_ids": ["example"] }));
    }
}
