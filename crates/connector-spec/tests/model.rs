//! Behaviour of the loader on small definitions (lifecycle, schemas, bodies, paging,
//! operation names, sources and API properties): each test fails if its feature breaks.
//! Formats and versions are in `model_formats.rs`.

mod common;

use common::{load_json, op};
use connector_spec::*;
use serde_json::json;

#[test]
fn lifecycle_defaults_and_inheritance() {
    let l = load_json(json!({
        "swagger": "2.0",
        "info": {"title": "T", "version": "1.0", "x-ms-api-annotation": {"status": "Preview"}},
        "paths": {
            "/items": {
                "get": {"operationId": "GetItems", "responses": {"200": {"description": "ok"}}},
                "post": {
                    "operationId": "PostItem_V2",
                    "deprecated": true,
                    "x-ms-visibility": "IMPORTANT",
                    "x-ms-api-annotation": {"status": "Production", "family": "PostItem", "revision": "2", "expires": "2030-01-01"},
                    "responses": {"200": {"description": "ok"}}
                },
                "put": {"operationId": "Hidden", "x-ms-visibilty": "internal", "responses": {}}
            }
        }
    }));
    let c = &l.connector;
    assert_eq!(c.status, Status::Preview);
    let get = op(c, "GetItems");
    assert_eq!(get.lifecycle.family, "GetItems");
    assert_eq!(get.lifecycle.revision, 1);
    assert_eq!(
        get.lifecycle.status,
        Status::Preview,
        "inherits the API status"
    );
    assert!(!get.lifecycle.deprecated);
    assert_eq!(get.lifecycle.visibility, Visibility::Normal);
    let post = op(c, "PostItem_V2");
    assert_eq!(post.lifecycle.family, "PostItem");
    assert_eq!(post.lifecycle.revision, 2);
    assert_eq!(post.lifecycle.status, Status::Production);
    assert_eq!(post.lifecycle.expires.as_deref(), Some("2030-01-01"));
    assert!(post.lifecycle.deprecated);
    assert_eq!(post.lifecycle.visibility, Visibility::Important);
    assert_eq!(op(c, "Hidden").lifecycle.visibility, Visibility::Internal);
    // Document order: paths, then get, put, post.
    let ids: Vec<_> = c.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["GetItems", "Hidden", "PostItem_V2"]);
}

#[test]
fn root_annotation_sets_api_status() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"},
        "x-ms-api-annotation": {"status": "Preview"},
        "paths": {"/a": {"get": {"operationId": "A", "responses": {}}}}
    }));
    assert_eq!(l.connector.status, Status::Preview);
    assert_eq!(l.connector.operations[0].lifecycle.status, Status::Preview);
}

#[test]
fn all_of_is_merged() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {},
        "definitions": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "format": "int64"}, "note": {"type": "string"}}},
            "Derived": {"allOf": [
                {"$ref": "#/definitions/Base"},
                {"type": "object", "required": ["name", "note"], "properties": {"name": {"type": "string"}, "self": {"$ref": "#/definitions/Derived"}}}
            ]},
            "Described": {"description": "just a ref", "allOf": [{"$ref": "#/definitions/Base"}]},
            "Free": {"type": "object"},
            "Bag": {"type": "object", "additionalProperties": true}
        }
    }));
    let s = &l.connector.schemas;
    let SchemaKind::Object(d) = &s["Derived"].kind else {
        panic!("Derived is an object: {:?}", s["Derived"])
    };
    let props: Vec<_> = d
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(
        props,
        [
            ("id", true),
            ("note", true),
            ("name", true),
            ("self", false)
        ]
    );
    assert_eq!(d.all_of, ["Base"]);
    assert_eq!(
        d.properties[3].schema.kind,
        SchemaKind::Ref("Derived".into()),
        "recursion stays a Ref"
    );
    assert_eq!(s["Described"].kind, SchemaKind::Ref("Base".into()));
    assert_eq!(s["Described"].description.as_deref(), Some("just a ref"));
    assert_eq!(s["Free"].kind, SchemaKind::Any);
    assert_eq!(s["Bag"].kind, SchemaKind::Map(Box::default()));
}

#[test]
fn enums_take_names_from_x_ms_enum_and_x_ms_enum_values() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {},
        "definitions": {
            "Color": {"type": "string", "enum": ["r", "g", "r", "b"], "x-ms-enum": {"name": "Color", "values": [
                {"value": "r", "name": "Red", "description": "warm"}, {"value": "g", "name": "Green"}]}},
            "Level": {"type": "integer", "enum": [1, 2], "x-ms-enum-values": [{"displayName": "Low", "value": 1}, {"displayName": "High", "value": 2}]},
            "Flag": {"type": "boolean", "enum": [true, false]},
            "Mismatch": {"type": "boolean", "enum": ["true", "false"]}
        }
    }));
    let s = &l.connector.schemas;
    let SchemaKind::Enum(c) = &s["Color"].kind else {
        panic!("{:?}", s["Color"])
    };
    assert_eq!(c.base, EnumBase::String);
    assert_eq!(c.name.as_deref(), Some("Color"));
    assert!(c.open, "modelAsString absent: open");
    let vals: Vec<_> = c
        .values
        .iter()
        .map(|v| (v.value.clone(), v.name.clone()))
        .collect();
    assert_eq!(
        vals,
        [
            (json!("r"), Some("Red".into())),
            (json!("g"), Some("Green".into())),
            (json!("b"), None)
        ]
    );
    assert_eq!(c.values[0].description.as_deref(), Some("warm"));
    let SchemaKind::Enum(lv) = &s["Level"].kind else {
        panic!()
    };
    assert_eq!(lv.base, EnumBase::Integer);
    assert_eq!(lv.values[1].name.as_deref(), Some("High"));
    assert!(matches!(&s["Flag"].kind, SchemaKind::Enum(e) if e.base == EnumBase::Boolean));
    assert_eq!(
        s["Mismatch"].kind,
        SchemaKind::Boolean,
        "declared type wins"
    );
}

#[test]
fn discriminator_makes_a_tagged_base() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {},
        "definitions": {
            "Pet": {"type": "object", "discriminator": "petType", "required": ["petType"], "properties": {
                "petType": {"type": "string"}, "name": {"type": "string"}}},
            "Cat": {"x-ms-discriminator-value": "cat", "allOf": [{"$ref": "#/definitions/Pet"}, {"properties": {"lives": {"type": "integer"}}}]},
            "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}, {"properties": {"bark": {"type": "boolean"}}}]},
            "Owner": {"type": "object", "properties": {"pet": {"$ref": "#/definitions/Pet"}}}
        }
    }));
    let s = &l.connector.schemas;
    let SchemaKind::Tagged(t) = &s["Pet"].kind else {
        panic!("{:?}", s["Pet"])
    };
    assert_eq!(t.property, "petType");
    let v: Vec<_> = t
        .variants
        .iter()
        .map(|v| (v.tag.as_str(), v.schema.as_str()))
        .collect();
    assert_eq!(v, [("cat", "Cat"), ("Dog", "Dog")]);
    assert_eq!(t.base.as_deref(), Some("PetBase"));
    let SchemaKind::Object(base) = &s["PetBase"].kind else {
        panic!()
    };
    assert_eq!(base.discriminator.as_deref(), Some("petType"));
    assert_eq!(base.properties.len(), 2);
    let SchemaKind::Object(cat) = &s["Cat"].kind else {
        panic!()
    };
    let names: Vec<_> = cat.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["petType", "name", "lives"]);
    assert_eq!(cat.all_of, ["Pet"]);

    // OpenAPI 3: discriminator.mapping supplies the tags.
    let doc = json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Pet": {"type": "object", "discriminator": {"propertyName": "petType", "mapping": {"kitty": "#/components/schemas/Cat"}},
                "properties": {"petType": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "properties": {"lives": {"type": "integer"}}}]},
            "Shape": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Pet"}], "discriminator": {"propertyName": "petType"}}
        }}
    });
    let c = Loader::new()
        .load_bytes("x.json", &serde_json::to_vec(&doc).unwrap(), None)
        .unwrap()
        .connector;
    let SchemaKind::Tagged(t) = &c.schemas["Pet"].kind else {
        panic!()
    };
    assert_eq!(t.variants[0].tag, "kitty");
    assert_eq!(t.base, None, "only the discriminator: no base fields");
    assert!(matches!(&c.schemas["Shape"].kind, SchemaKind::Tagged(t) if t.variants.len() == 2));
}

#[test]
fn form_data_becomes_a_form_body() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"},
        "paths": {
            "/upload": {"post": {"operationId": "Upload", "consumes": ["multipart/form-data"], "parameters": [
                {"name": "file", "in": "formData", "type": "file", "required": true, "x-ms-summary": "File"},
                {"name": "note", "in": "formData", "type": "string", "description": "A note"}
            ], "responses": {"200": {"description": "ok"}}}},
            "/token": {"post": {"operationId": "Token", "parameters": [
                {"name": "grant_type", "in": "formData", "type": "string", "required": true}
            ], "responses": {"200": {"description": "ok"}}}}
        }
    }));
    let c = &l.connector;
    let up = op(c, "Upload").body.as_ref().unwrap();
    assert_eq!(up.media_type, "multipart/form-data");
    let BodyContent::Form { multipart, fields } = &up.content else {
        panic!("{up:?}")
    };
    assert!(*multipart);
    assert_eq!(fields.len(), 2);
    assert!(fields[0].is_file && fields[0].required);
    assert_eq!(fields[0].summary.as_deref(), Some("File"));
    assert!(!fields[1].is_file && !fields[1].required);
    assert_eq!(fields[1].description.as_deref(), Some("A note"));
    let tok = op(c, "Token").body.as_ref().unwrap();
    assert_eq!(tok.media_type, "application/x-www-form-urlencoded");
    assert!(
        matches!(&tok.content, BodyContent::Form { multipart: false, fields } if fields.len() == 1)
    );
    assert!(op(c, "Token").parameters.is_empty());
}

#[test]
fn pageable_defaults_and_null_next_link() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {
            "get": {"operationId": "A", "x-ms-pageable": {}, "responses": {}},
            "post": {"operationId": "B", "x-ms-pageable": {"nextLinkName": null, "itemName": "items"}, "responses": {}}
        }}
    }));
    let a = op(&l.connector, "A").pageable.clone().unwrap();
    assert_eq!(
        (a.pattern, a.items.as_str()),
        (
            PagingPattern::NextLink {
                path: Some("nextLink".into())
            },
            "value"
        )
    );
    let b = op(&l.connector, "B").pageable.clone().unwrap();
    assert_eq!(
        (b.pattern, b.items.as_str()),
        (PagingPattern::NextLink { path: None }, "items")
    );
}

#[test]
fn missing_and_duplicate_operation_ids_get_stable_names() {
    let l = load_json(json!({
        "swagger": "2.0", "info": {"title": "T", "version": "1"},
        "paths": {
            "/items/{id}": {"get": {"responses": {}}, "delete": {"operationId": "Dup", "responses": {}}},
            "/things": {"get": {"operationId": "Dup", "responses": {}}, "post": {"operationId": "get_things", "responses": {}}},
            "/things/": {"get": {"responses": {}}}
        }
    }));
    let ids: Vec<_> = l
        .connector
        .operations
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "get_items_by_id",
            "Dup",
            "get_things_2",
            "get_things",
            "get_things_3"
        ]
    );
    let dup = &l.connector.operations[2];
    assert_eq!(dup.declared_id.as_deref(), Some("Dup"));
    assert_eq!(dup.lifecycle.family, "get_things_2");
    assert_eq!(l.connector.operations[0].declared_id, None);
    assert_eq!(l.diagnostics.len(), 1, "{:?}", l.diagnostics);
    assert!(l.diagnostics[0].message.contains("duplicate operationId"));
    assert_eq!(l.diagnostics[0].pointer, "/paths/~1things/get/operationId");
}

#[test]
fn sources_and_api_properties() {
    let def = serde_json::to_vec(
        &json!({"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}),
    )
    .unwrap();
    let props = br##"{"properties": {"iconBrandColor": "#fff"}}"##;
    let l = Loader::new()
        .load_bytes("apiDefinition.swagger.json", &def, Some(props))
        .unwrap();
    let names: Vec<_> = l
        .connector
        .sources
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["apiDefinition.swagger.json", "apiProperties.json"]);
    assert_eq!(l.connector.sources[0].sha256.len(), 64);
    assert!(
        l.connector.sources[1]
            .sha256
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_ne!(l.connector.sources[0].sha256, l.connector.sources[1].sha256);
    assert_eq!(
        l.connector.api_properties,
        Some(json!({"properties": {"iconBrandColor": "#fff"}}))
    );
    assert_eq!(l.connector.base_url, None);

    // A broken apiProperties.json is only a warning.
    let l = Loader::new()
        .load_bytes("apiDefinition.swagger.json", &def, Some(b"{\"a\": [1, 2"))
        .unwrap();
    assert_eq!(l.connector.api_properties, None);
    assert_eq!(l.diagnostics.len(), 1);
    assert_eq!(l.diagnostics[0].severity, Severity::Warning);
    assert_eq!(l.diagnostics[0].file.to_str(), Some("apiProperties.json"));
}

#[test]
fn folder_layout_loads() {
    let dir = std::env::temp_dir().join(format!("connector-spec-folder-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("apiDefinition.swagger.json"),
        r#"{"swagger": "2.0", "info": {"title": "F", "version": "1"}, "host": "h.example", "paths": {}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("apiProperties.json"), r#"{"properties": {}}"#).unwrap();
    let l = load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(l.connector.title, "F");
    assert_eq!(l.connector.base_url.as_deref(), Some("https://h.example"));
    assert_eq!(l.connector.sources.len(), 2);
    assert!(l.connector.api_properties.is_some());
}

#[test]
fn api_properties_are_interpreted_with_located_warnings() {
    let dir = std::env::temp_dir().join(format!("connector-spec-props-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("apiDefinition.swagger.json"),
        r#"{"swagger": "2.0", "info": {"title": "P", "version": "1"}, "host": "h.example", "paths": {}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("apiProperties.json"),
        r#"{"properties": {
  "capabilities": ["triggers"],
  "connectionParameters": {"api_key": {"type": "securestring",
      "uiDefinition": {"constraints": {"required": "true"}}}},
  "policyTemplateInstances": [
    {"templateId": "SetHeader", "parameters": {"x-ms-apimTemplateParameter.name": "X-Key",
       "x-ms-apimTemplate-operationName": ["A"]}},
    {"templateId": "teleport", "parameters": {}}
  ]}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("script.csx"),
        "public class Script : ScriptBase {}",
    )
    .unwrap();
    let l = load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let c = &l.connector;
    assert_eq!(c.capabilities, ["triggers"]);
    let conn = c.connection.as_ref().unwrap();
    assert_eq!(conn.parameters[0].name, "api_key");
    assert!(conn.parameters[0].required);
    assert_eq!(c.policies.len(), 2);
    assert_eq!(c.policies[0].operations, ["A"]);
    assert!(c.policies[0].template.is_known() && !c.policies[1].template.is_known());
    let code = c.custom_code.as_ref().unwrap();
    assert_eq!(code.script_file.as_deref(), Some("script.csx"));
    assert!(code.operations.is_empty());
    assert_eq!(l.diagnostics.len(), 1, "{:?}", l.diagnostics);
    let d = &l.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.file.ends_with("apiProperties.json"));
    assert_eq!(
        d.pointer,
        "/properties/policyTemplateInstances/1/templateId"
    );
    assert_eq!(d.location.map(|l| l.line), Some(8));
    assert!(d.message.contains("teleport"), "{}", d.message);
    assert_eq!(
        connector_spec::PolicyTemplate::from_id("DynamicHostUrl"),
        connector_spec::PolicyTemplate::DynamicHostUrl
    );
    assert_eq!(connector_spec::PolicyTemplate::ALL.len(), 16);
}
