//! JSON Schema keywords the OpenAPI 3.0 reader has no field for are never dropped in
//! silence: they are represented in the type, recorded as validation metadata, or
//! warned about as a degraded schema at their location.

use connector_spec::*;
use serde_json::{Value, json};

fn load(schemas: Value) -> Loaded {
    load_version("3.1.0", schemas)
}

fn load_version(version: &str, schemas: Value) -> Loaded {
    let d = json!({
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    });
    let bytes = serde_json::to_vec_pretty(&d).expect("serializes");
    Loader::new()
        .load_bytes("openapi.json", &bytes, None)
        .unwrap_or_else(|e| panic!("load failed: {e:?}"))
}

fn schema<'c>(l: &'c Loaded, name: &str) -> &'c Schema {
    l.connector
        .schemas
        .get(name)
        .unwrap_or_else(|| panic!("no schema {name}"))
}

fn object<'c>(l: &'c Loaded, name: &str) -> &'c ObjectSchema {
    match &schema(l, name).kind {
        SchemaKind::Object(o) => o,
        other => panic!("{name} is not an object: {other:?}"),
    }
}

fn warnings(l: &Loaded) -> Vec<(DiagnosticKind, String)> {
    l.diagnostics
        .iter()
        .map(|d| (d.kind, d.pointer.clone()))
        .collect()
}

#[test]
fn pattern_properties_of_one_shape_are_a_map_of_that_shape() {
    let l = load(json!({
        "Labels": {"type": "object", "patternProperties": {"^[a-z]+$": {"type": "string"}}},
        "Tagged": {
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "patternProperties": {"^x-": {"type": "integer"}, "^y-": {"type": "integer"}}
        }
    }));
    assert_eq!(warnings(&l), vec![]);
    assert_eq!(
        schema(&l, "Labels").kind,
        SchemaKind::Map(Box::new(Schema::new(SchemaKind::String(
            StringFormat::Plain
        ))))
    );
    assert!(
        schema(&l, "Labels")
            .validation
            .contains_key("patternProperties")
    );
    let tagged = object(&l, "Tagged");
    assert_eq!(
        tagged.additional.as_deref().map(|s| &s.kind),
        Some(&SchemaKind::Integer(IntegerFormat::Int64))
    );
}

#[test]
fn pattern_properties_of_several_shapes_are_any_values_with_a_located_warning() {
    let l = load(json!({
        "Mixed": {"type": "object", "patternProperties": {
            "^s": {"type": "string"}, "^i": {"type": "integer"}
        }}
    }));
    assert_eq!(
        warnings(&l),
        vec![(
            DiagnosticKind::DegradedSchema,
            "/components/schemas/Mixed/patternProperties".to_owned()
        )]
    );
    assert_eq!(schema(&l, "Mixed").kind, SchemaKind::Map(Box::default()));
}

#[test]
fn unevaluated_properties_read_as_additional_properties() {
    let l = load(json!({
        "Closed": {"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": false},
        "Open": {"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": {"type": "integer"}}
    }));
    assert_eq!(warnings(&l), vec![]);
    assert_eq!(object(&l, "Closed").additional, None);
    assert_eq!(
        object(&l, "Open").additional.as_deref().map(|s| &s.kind),
        Some(&SchemaKind::Integer(IntegerFormat::Int64))
    );
}

#[test]
fn validation_only_keywords_keep_the_type_and_are_recorded_without_warnings() {
    let l = load(json!({
        "Shape": {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "not": {"enum": ["none"]}},
                "tags": {"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}, "minContains": 1},
                "extra": {"type": "object", "additionalProperties": {"type": "string"}, "propertyNames": {"pattern": "^[a-z]+$"}}
            },
            "if": {"properties": {"kind": {"const": "circle"}}},
            "then": {"properties": {"radius": {"type": "number"}}, "required": ["radius"]},
            "else": {"properties": {"side": {"type": "number"}}},
            "dependentRequired": {"radius": ["kind"]},
            "dependentSchemas": {"side": {"properties": {"unit": {"type": "string"}}}}
        },
        "NotAString": {"not": {"type": "string"}}
    }));
    assert_eq!(warnings(&l), vec![]);
    let shape = schema(&l, "Shape");
    let recorded: Vec<&str> = shape.validation.keys().map(String::as_str).collect();
    assert_eq!(
        recorded,
        vec![
            "dependentRequired",
            "dependentSchemas",
            "else",
            "if",
            "then"
        ]
    );
    let o = object(&l, "Shape");
    let names: Vec<(&str, bool)> = o
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    // Properties a branch adds are fields (optional: the branch may not apply).
    assert_eq!(
        names,
        vec![
            ("kind", false),
            ("tags", false),
            ("extra", false),
            ("radius", false),
            ("side", false),
            ("unit", false)
        ]
    );
    let field = |n: &str| {
        &o.properties
            .iter()
            .find(|p| p.name == n)
            .expect("field")
            .schema
    };
    assert_eq!(field("kind").kind, SchemaKind::String(StringFormat::Plain));
    assert!(field("kind").validation.contains_key("not"));
    assert!(matches!(field("tags").kind, SchemaKind::Array(_)));
    assert!(field("tags").validation.contains_key("contains"));
    assert!(field("tags").validation.contains_key("minContains"));
    assert!(matches!(field("extra").kind, SchemaKind::Map(_)));
    assert!(field("extra").validation.contains_key("propertyNames"));
    assert_eq!(schema(&l, "NotAString").kind, SchemaKind::Any);
    assert!(schema(&l, "NotAString").validation.contains_key("not"));
}

#[test]
fn a_conditional_branch_with_a_reference_is_a_degraded_schema() {
    let l = load(json!({
        "Base": {"type": "object", "properties": {"b": {"type": "string"}}},
        "Cond": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "if": {"required": ["a"]},
            "then": {"$ref": "#/components/schemas/Base"}
        }
    }));
    assert_eq!(
        warnings(&l),
        vec![(
            DiagnosticKind::DegradedSchema,
            "/components/schemas/Cond/then".to_owned()
        )]
    );
}

#[test]
fn content_encoding_and_media_type_choose_bytes_types_and_are_kept() {
    for version in ["3.0.3", "3.1.0"] {
        let l = load_version(
            version,
            json!({
                "Upload": {"type": "object", "properties": {
                    "encoded": {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"},
                    "raw": {"type": "string", "contentMediaType": "application/octet-stream"},
                    "doc": {"type": "string", "contentMediaType": "application/json"}
                }}
            }),
        );
        assert_eq!(warnings(&l), vec![], "{version}");
        let o = object(&l, "Upload");
        let field = |n: &str| {
            &o.properties
                .iter()
                .find(|p| p.name == n)
                .expect("field")
                .schema
        };
        assert_eq!(
            field("encoded").kind,
            SchemaKind::String(StringFormat::Byte)
        );
        assert_eq!(field("encoded").media_type.as_deref(), Some("image/png"));
        assert_eq!(
            field("encoded").validation.get("contentEncoding"),
            Some(&json!("base64"))
        );
        assert_eq!(field("raw").kind, SchemaKind::String(StringFormat::Binary));
        assert_eq!(field("doc").kind, SchemaKind::String(StringFormat::Plain));
        assert_eq!(field("doc").media_type.as_deref(), Some("application/json"));
    }
}

#[test]
fn a_tuple_longer_than_rust_tuples_is_a_degraded_schema_and_a_short_one_is_not() {
    let positions: Vec<Value> = (0..MAX_TUPLE_POSITIONS + 1)
        .map(|_| json!({"type": "integer"}))
        .collect();
    let l = load(json!({
        "Long": {"type": "array", "prefixItems": positions},
        "Short": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]}
    }));
    assert_eq!(
        warnings(&l),
        vec![(
            DiagnosticKind::DegradedSchema,
            "/components/schemas/Long".to_owned()
        )]
    );
    assert!(matches!(&schema(&l, "Long").kind, SchemaKind::Tuple(p) if p.len() == 17));
}

#[test]
fn a_dynamic_reference_is_a_degraded_schema() {
    let l = load(json!({
        "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}}}
    }));
    assert_eq!(
        warnings(&l),
        vec![(
            DiagnosticKind::DegradedSchema,
            "/components/schemas/Tree/properties/children/items/$dynamicRef".to_owned()
        )]
    );
}

#[test]
fn a_discriminator_mapping_to_no_schema_is_an_unresolved_reference() {
    let l = load(json!({
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}],
            "discriminator": {"propertyName": "kind", "mapping": {
                "cat": "#/components/schemas/Cat",
                "dog": "#/components/schemas/Dog"
            }}
        }
    }));
    assert_eq!(
        warnings(&l),
        vec![(
            DiagnosticKind::UnresolvedReference,
            "/components/schemas/Pet/discriminator/mapping/dog".to_owned()
        )]
    );
}

#[test]
fn a_recursive_reference_to_the_named_schema_itself_is_a_reference_to_it() {
    // OpenAI's `CompoundFilter`: `filters: [oneOf: [ComparisonFilter, $recursiveRef: "#"]]`.
    let l = load(json!({
        "Leaf": {"type": "object", "properties": {"key": {"type": "string"}}},
        "Compound": {"type": "object", "properties": {"filters": {"type": "array", "items": {
            "oneOf": [{"$ref": "#/components/schemas/Leaf"}, {"$recursiveRef": "#"}]
        }}}}
    }));
    assert_eq!(warnings(&l), vec![]);
    let filters = &object(&l, "Compound").properties[0].schema;
    let SchemaKind::Array(items) = &filters.kind else {
        panic!("filters is not an array: {filters:?}");
    };
    let SchemaKind::OneOf(variants) = &items.kind else {
        panic!("items are not a union: {items:?}");
    };
    let kinds: Vec<&SchemaKind> = variants.iter().map(|v| &v.kind).collect();
    assert!(
        kinds.contains(&&SchemaKind::Ref("Compound".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&&SchemaKind::Ref("Leaf".into())),
        "{kinds:?}"
    );
}
