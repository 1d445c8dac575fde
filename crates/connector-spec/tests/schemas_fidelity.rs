//! Schema fidelity on the model: union dispatch values, nullability however it is
//! spelled, OpenAPI 3.1 / JSON Schema 2020-12 keywords, and located warnings for what
//! is read looser than written.

use connector_spec::*;
use serde_json::{Value, json};

fn load(v: &Value) -> Loaded {
    let bytes = serde_json::to_vec_pretty(v).expect("serializes");
    Loader::new()
        .load_bytes("openapi.json", &bytes, None)
        .unwrap_or_else(|e| panic!("load failed: {e:?}"))
}

fn doc(version: &str, schemas: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    })
}

fn schema<'c>(c: &'c Connector, name: &str) -> &'c Schema {
    c.schemas
        .get(name)
        .unwrap_or_else(|| panic!("no schema {name}"))
}

fn prop<'c>(c: &'c Connector, name: &str, property: &str) -> &'c Property {
    match &schema(c, name).kind {
        SchemaKind::Object(o) => o
            .properties
            .iter()
            .find(|p| p.name == property)
            .unwrap_or_else(|| panic!("no property {property}")),
        other => panic!("{name} is not an object: {other:?}"),
    }
}

fn tags(s: &Schema) -> Vec<(String, String)> {
    match &s.kind {
        SchemaKind::Tagged(t) => t
            .variants
            .iter()
            .map(|v| (v.tag.clone(), v.schema.clone()))
            .collect(),
        other => panic!("not a tagged union: {other:?}"),
    }
}

fn pair(tag: &str, schema: &str) -> (String, String) {
    (tag.to_owned(), schema.to_owned())
}

#[test]
fn discriminated_variants_take_their_tag_from_mapping_then_enum_const_inherited_then_name() {
    let l = load(&doc(
        "3.1.0",
        json!({
            "Message": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Developer"},
                    {"$ref": "#/components/schemas/User"},
                    {"$ref": "#/components/schemas/Assistant"},
                    {"$ref": "#/components/schemas/Tool"},
                    {"$ref": "#/components/schemas/Plain"}
                ],
                "discriminator": {"propertyName": "role", "mapping": {"tool_call": "#/components/schemas/Tool"}}
            },
            "Developer": {"type": "object", "properties": {"role": {"type": "string", "enum": ["developer"]}}},
            "User": {"type": "object", "properties": {"role": {"const": "user"}}},
            "Base": {"type": "object", "properties": {"role": {"type": "string", "enum": ["assistant"]}}},
            "Assistant": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"x": {"type": "string"}}}]},
            "Tool": {"type": "object", "properties": {"role": {"type": "string", "enum": ["tool"]}}},
            "Plain": {"type": "object", "properties": {"role": {"type": "string"}}}
        }),
    ));
    assert_eq!(
        tags(schema(&l.connector, "Message")),
        vec![
            pair("developer", "Developer"),
            pair("user", "User"),
            pair("assistant", "Assistant"),
            pair("tool_call", "Tool"),
            pair("Plain", "Plain"),
        ]
    );
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
}

#[test]
fn a_variant_that_is_itself_a_union_contributes_each_members_tag() {
    let l = load(&doc(
        "3.1.0",
        json!({
            "Event": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Delta"},
                    {"$ref": "#/components/schemas/Done"}
                ],
                "discriminator": {"propertyName": "type"}
            },
            "Delta": {
                "oneOf": [
                    {"$ref": "#/components/schemas/TextDelta"},
                    {"$ref": "#/components/schemas/AudioDelta"}
                ],
                "discriminator": {"propertyName": "type"}
            },
            "TextDelta": {"type": "object", "properties": {"type": {"const": "text.delta"}}},
            "AudioDelta": {"type": "object", "properties": {"type": {"const": "audio.delta"}}},
            "Done": {"type": "object", "properties": {"type": {"const": "done"}}}
        }),
    ));
    assert_eq!(
        tags(schema(&l.connector, "Event")),
        vec![
            pair("text.delta", "Delta"),
            pair("audio.delta", "Delta"),
            pair("done", "Done"),
        ]
    );
    assert_eq!(
        tags(schema(&l.connector, "Delta")),
        vec![
            pair("text.delta", "TextDelta"),
            pair("audio.delta", "AudioDelta")
        ]
    );
}

#[test]
fn multi_level_inheritance_lists_every_descendant_and_an_intermediate_keeps_its_own_tag() {
    let l = load(&doc(
        "3.0.0",
        json!({
            "Animal": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}, "discriminator": {"propertyName": "kind"}},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Animal"}, {"type": "object", "properties": {"barks": {"type": "boolean"}}}], "discriminator": {"propertyName": "kind"}},
            "Puppy": {"allOf": [{"$ref": "#/components/schemas/Dog"}, {"type": "object", "properties": {"age": {"type": "integer"}}}]}
        }),
    ));
    let c = &l.connector;
    assert_eq!(
        tags(schema(c, "Animal")),
        vec![pair("Dog", "Dog"), pair("Puppy", "Puppy")]
    );
    // `Dog` is a base and a concrete type: its own tag selects its fields.
    assert_eq!(
        tags(schema(c, "Dog")),
        vec![pair("Dog", "DogBase"), pair("Puppy", "Puppy")]
    );
}

#[test]
fn nullability_is_read_however_it_is_spelled() {
    let l = load(&doc(
        "3.1.0",
        json!({
            "Error": {"anyOf": [{"type": "object", "properties": {"code": {"type": "string"}}}, {"type": "null"}]},
            "Thing": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Holder": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {"$ref": "#/components/schemas/Error"},
                    "typed": {"type": ["integer", "null"]},
                    "one_of": {"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]},
                    "sibling": {"$ref": "#/components/schemas/Thing", "description": "d"},
                    "plain": {"$ref": "#/components/schemas/Thing"}
                }
            }
        }),
    ));
    let c = &l.connector;
    let error = prop(c, "Holder", "error");
    assert!(error.required && error.schema.nullable);
    assert_eq!(error.schema.kind, SchemaKind::Ref("Error".into()));
    let typed = prop(c, "Holder", "typed");
    assert!(typed.schema.nullable);
    assert_eq!(typed.schema.kind, SchemaKind::Integer(IntegerFormat::Int64));
    assert!(prop(c, "Holder", "one_of").schema.nullable);
    let sibling = prop(c, "Holder", "sibling");
    assert_eq!(sibling.schema.kind, SchemaKind::Ref("Thing".into()));
    assert_eq!(sibling.schema.description.as_deref(), Some("d"));
    assert!(!sibling.schema.nullable);
    assert!(!prop(c, "Holder", "plain").schema.nullable);
}

#[test]
fn nullable_next_to_a_ref_is_kept_in_openapi_30_and_swagger_20() {
    let l = load(&doc(
        "3.0.3",
        json!({
            "Thing": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Holder": {"type": "object", "properties": {
                "via_all_of": {"allOf": [{"$ref": "#/components/schemas/Thing"}], "nullable": true},
                "beside": {"$ref": "#/components/schemas/Thing", "nullable": true},
                "typed": {"type": ["string", "null"]}
            }}
        }),
    ));
    let c = &l.connector;
    for p in ["via_all_of", "beside", "typed"] {
        assert!(prop(c, "Holder", p).schema.nullable, "{p}");
    }
    assert_eq!(
        prop(c, "Holder", "beside").schema.kind,
        SchemaKind::Ref("Thing".into())
    );

    let swagger = json!({
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "definitions": {
            "Thing": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Holder": {"type": "object", "properties": {
                "beside": {"$ref": "#/definitions/Thing", "x-nullable": true},
                "typed": {"type": ["string", "null"]}
            }}
        }
    });
    let bytes = serde_json::to_vec(&swagger).expect("serializes");
    let l = Loader::new()
        .load_bytes("apiDefinition.swagger.json", &bytes, None)
        .expect("loads");
    let c = &l.connector;
    assert!(prop(c, "Holder", "beside").schema.nullable);
    assert!(prop(c, "Holder", "typed").schema.nullable);
    assert_eq!(
        prop(c, "Holder", "typed").schema.kind,
        SchemaKind::String(StringFormat::Plain)
    );
}

#[test]
fn json_schema_2020_keywords_are_read() {
    let mut d = doc(
        "3.1.0",
        json!({
            "Holder": {
                "type": "object",
                "properties": {
                    "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]},
                    "pair": {"type": "array", "items": [{"type": "integer"}, {"type": "boolean"}]},
                    "either": {"type": ["string", "integer"], "format": "int32"},
                    "blob": {"type": "string", "contentEncoding": "base64"},
                    "shown": {"type": "string", "examples": ["x", "y"]},
                    "inner": {"$ref": "#/components/schemas/Holder/$defs/Inner"},
                    "top": {"$ref": "#/$defs/Top"}
                },
                "$defs": {"Inner": {"type": "object", "properties": {"b": {"type": "boolean"}}}}
            }
        }),
    );
    d["$defs"] = json!({"Top": {"type": "string", "enum": ["a"]}});
    let l = load(&d);
    let c = &l.connector;
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    assert_eq!(
        prop(c, "Holder", "point").schema.kind,
        SchemaKind::Tuple(vec![
            Schema::new(SchemaKind::Number(NumberFormat::Double)),
            Schema::new(SchemaKind::String(StringFormat::Plain)),
        ])
    );
    assert_eq!(
        prop(c, "Holder", "pair").schema.kind,
        SchemaKind::Tuple(vec![
            Schema::new(SchemaKind::Integer(IntegerFormat::Int64)),
            Schema::new(SchemaKind::Boolean),
        ])
    );
    // Several types: an untagged union, each member with its own keywords.
    match &prop(c, "Holder", "either").schema.kind {
        SchemaKind::OneOf(members) => {
            let kinds: Vec<&SchemaKind> = members.iter().map(|m| &m.kind).collect();
            assert_eq!(
                kinds,
                vec![
                    &SchemaKind::Integer(IntegerFormat::Int32),
                    &SchemaKind::String(StringFormat::Other("int32".into())),
                ]
            );
        }
        other => panic!("either: {other:?}"),
    }
    assert_eq!(
        prop(c, "Holder", "blob").schema.kind,
        SchemaKind::String(StringFormat::Byte)
    );
    assert_eq!(
        prop(c, "Holder", "shown").schema.kind,
        SchemaKind::String(StringFormat::Plain)
    );
    assert_eq!(
        prop(c, "Holder", "inner").schema.kind,
        SchemaKind::Ref("Inner".into())
    );
    assert!(matches!(schema(c, "Inner").kind, SchemaKind::Object(_)));
    assert_eq!(
        prop(c, "Holder", "top").schema.kind,
        SchemaKind::Ref("Top".into())
    );
    assert!(matches!(schema(c, "Top").kind, SchemaKind::Enum(_)));
}

#[test]
fn untagged_unions_put_the_most_specific_variant_first() {
    let l = load(&doc(
        "3.0.0",
        json!({
            "U": {"oneOf": [
                {"type": "string"},
                {"type": "object", "title": "Loose", "properties": {"a": {"type": "string"}}},
                {"type": "number"},
                {"type": "integer"},
                {"type": "object", "title": "Strict", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
            ]}
        }),
    ));
    let SchemaKind::OneOf(members) = &schema(&l.connector, "U").kind else {
        panic!("not a union");
    };
    let order: Vec<String> = members
        .iter()
        .map(|m| match &m.kind {
            SchemaKind::Object(_) => m.title.clone().unwrap_or_default(),
            SchemaKind::String(_) => "string".into(),
            SchemaKind::Number(_) => "number".into(),
            SchemaKind::Integer(_) => "integer".into(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(order, ["Strict", "Loose", "integer", "number", "string"]);
}

#[test]
fn what_is_read_looser_than_written_is_a_located_warning_of_its_kind() {
    let d = doc(
        "3.0.0",
        json!({
            "Free": {"type": "object"},
            "Anything": {},
            "Map": {"type": "object", "additionalProperties": {"type": "string"}},
            "Negated": {"type": "object", "patternProperties": {"^s": {"type": "string"}, "^i": {"type": "integer"}}},
            "Mixed": {"enum": ["a", 1, true]},
            "Dangling": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Missing"}}}
        }),
    );
    let l = load(&d);
    let kinds: Vec<(DiagnosticKind, &str)> = l
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.pointer.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                DiagnosticKind::DegradedSchema,
                "/components/schemas/Negated/patternProperties"
            ),
            (DiagnosticKind::DegradedSchema, "/components/schemas/Mixed"),
            (
                DiagnosticKind::UnresolvedReference,
                "/components/schemas/Dangling/properties/x"
            ),
        ]
    );
    // Under --strict they are errors.
    let bytes = serde_json::to_vec(&d).expect("serializes");
    let err = Loader::new()
        .strict(true)
        .load_bytes("openapi.json", &bytes, None)
        .expect_err("strict fails");
    assert_eq!(err.diagnostics.len(), 3);
    assert!(
        err.diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error)
    );
}

#[test]
fn every_enum_value_of_the_discriminator_property_selects_its_variant() {
    let l = load(&doc(
        "3.1.0",
        json!({
            "Tool": {
                "oneOf": [
                    {"$ref": "#/components/schemas/WebSearch"},
                    {"$ref": "#/components/schemas/FileSearch"}
                ],
                "discriminator": {"propertyName": "type"}
            },
            "WebSearch": {"type": "object", "properties": {"type": {"type": "string", "enum": ["web_search", "web_search_2025_08_26"]}}},
            "FileSearch": {"type": "object", "properties": {"type": {"const": "file_search"}}}
        }),
    ));
    assert_eq!(
        tags(schema(&l.connector, "Tool")),
        vec![
            pair("web_search", "WebSearch"),
            pair("web_search_2025_08_26", "WebSearch"),
            pair("file_search", "FileSearch"),
        ]
    );
}

/// `allOf` with one reference and a sibling `required` (DigitalOcean's request bodies)
/// requires those properties: it is not collapsed into the looser reference.
#[test]
fn all_of_one_reference_with_sibling_required_requires_those_properties() {
    let l = load(&doc(
        "3.0.0",
        json!({
            "ProjectBase": {"type": "object", "properties": {
                "id": {"type": "string", "readOnly": true},
                "name": {"type": "string"},
                "purpose": {"type": "string"},
                "description": {"type": "string"}
            }},
            "ProjectCreate": {"allOf": [{"$ref": "#/components/schemas/ProjectBase"}],
                              "required": ["name", "purpose"]},
            "Alias": {"allOf": [{"$ref": "#/components/schemas/ProjectBase"}]}
        }),
    ));
    let c = &l.connector;
    assert!(prop(c, "ProjectCreate", "name").required);
    assert!(prop(c, "ProjectCreate", "purpose").required);
    assert!(!prop(c, "ProjectCreate", "description").required);
    assert!(!prop(c, "ProjectCreate", "id").required);
    // Without `required` the single reference is still the referenced schema.
    assert_eq!(
        schema(c, "Alias").kind,
        SchemaKind::Ref("ProjectBase".into())
    );
}

/// An `integer` without a format whose own default or example is above `i64::MAX`
/// (DigitalOcean's Kafka `flush_ms`) is read as `uint64`, so the client can hold the
/// value the definition gives; smaller values keep the `int64` default.
#[test]
fn an_integer_whose_default_is_above_i64_max_is_uint64() {
    let big = json!(9_223_372_036_854_776_000u64);
    let l = load(&doc(
        "3.0.0",
        json!({
            "Config": {"type": "object", "properties": {
                "flush_ms": {"type": "integer", "default": big, "example": big},
                "flush_messages": {"type": "integer", "example": big},
                "segment_ms": {"type": "integer", "default": 604800000},
                "declared": {"type": "integer", "format": "int64", "default": 1}
            }}
        }),
    ));
    let c = &l.connector;
    let kind = |p: &str| prop(c, "Config", p).schema.kind.clone();
    assert_eq!(kind("flush_ms"), SchemaKind::Integer(IntegerFormat::Uint64));
    assert_eq!(
        kind("flush_messages"),
        SchemaKind::Integer(IntegerFormat::Uint64)
    );
    assert_eq!(
        kind("segment_ms"),
        SchemaKind::Integer(IntegerFormat::Int64)
    );
    assert_eq!(kind("declared"), SchemaKind::Integer(IntegerFormat::Int64));
}

/// `allOf` of one reference and parts that only annotate it (DigitalOcean's
/// `tags: allOf: [$ref existing_tags_array, {description, example}]`) is the
/// referenced schema, an array here, not an empty object.
#[test]
fn all_of_one_reference_and_annotations_is_the_reference() {
    let l = load(&doc(
        "3.0.0",
        json!({
            "Tags": {"type": "array", "items": {"type": "string"}, "nullable": true},
            "Firewall": {"type": "object", "properties": {
                "tags": {"allOf": [
                    {"$ref": "#/components/schemas/Tags"},
                    {"description": "The firewall's tags.", "example": "gateway"}
                ]}
            }}
        }),
    ));
    let c = &l.connector;
    assert_eq!(
        prop(c, "Firewall", "tags").schema.kind,
        SchemaKind::Ref("Tags".into())
    );
}

/// `allOf: [$ref X, {nullable: true}]` (OpenAI's `Upload.file`, `RunObject.tool_choice`)
/// is X, nullable.
#[test]
fn all_of_one_reference_and_a_nullable_annotation_is_the_nullable_reference() {
    let l = load(&doc(
        "3.0.0",
        json!({
            "File": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Upload": {"type": "object", "properties": {
                "file": {"allOf": [
                    {"$ref": "#/components/schemas/File"},
                    {"nullable": true, "description": "The ready file."}
                ]}
            }}
        }),
    ));
    let file = &prop(&l.connector, "Upload", "file").schema;
    assert_eq!(file.kind, SchemaKind::Ref("File".into()));
    assert!(file.nullable);
}

/// An object whose `anyOf` parts only name required properties (OpenAI's
/// `CreateVectorStoreFileBatchRequest`: `file_ids` or `files`) keeps its properties; it
/// is not a union of empty variants.
#[test]
fn an_any_of_of_required_lists_beside_properties_is_the_object() {
    let l = load(&doc(
        "3.0.0",
        json!({
            "Batch": {"type": "object", "additionalProperties": false,
                "properties": {
                    "file_ids": {"type": "array", "items": {"type": "string"}},
                    "files": {"type": "array", "items": {"type": "string"}}
                },
                "anyOf": [{"required": ["file_ids"]}, {"required": ["files"]}]}
        }),
    ));
    let c = &l.connector;
    assert!(!prop(c, "Batch", "file_ids").required);
    assert!(!prop(c, "Batch", "files").required);
}
