//! Swagger 2.0 and OpenAPI 3.x, JSON and YAML, give one model: the same definition in
//! each format loads the same, media types are chosen alike, 3.1's nullable types read.

mod common;

use common::{load_json, op};
use connector_spec::*;
use serde_json::json;

fn swagger2_doc() -> serde_json::Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "Contoso", "version": "1.2", "description": "d"},
        "host": "api.contoso.com", "basePath": "/v1/", "schemes": ["https"],
        "consumes": ["application/json"], "produces": ["application/json"],
        "x-ms-connector-metadata": [{"propertyName": "Website", "propertyValue": "x"}],
        "paths": {
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "get": {
                    "operationId": "GetItem", "summary": "Get", "tags": ["items"],
                    "parameters": [
                        {"$ref": "#/parameters/top"},
                        {"name": "fields", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "csv", "x-ms-summary": "Fields", "x-ms-visibility": "advanced"},
                        {"name": "X-Trace", "in": "header", "type": "integer", "format": "int32", "x-ms-url-encoding": "double"}
                    ],
                    "responses": {
                        "default": {"description": "error", "schema": {"$ref": "#/definitions/Error"}},
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}},
                        "404": {"description": "missing"}
                    },
                    "x-ms-pageable": {"nextLinkName": "@odata.nextLink"}
                },
                "put": {
                    "operationId": "PutItem",
                    "parameters": [{"name": "body", "in": "body", "required": true, "x-ms-summary": "Item", "schema": {"$ref": "#/definitions/Item"}}],
                    "responses": {"201": {"description": "created", "schema": {"type": "string", "x-nullable": true}}},
                    "security": [{"oauth": ["write"]}]
                }
            }
        },
        "parameters": {"top": {"name": "$top", "in": "query", "type": "integer", "default": 10}},
        "definitions": {
            "Item": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "kind": {"type": "string", "enum": ["a", "b"], "x-ms-enum": {"name": "Kind", "modelAsString": false}},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "when": {"type": "string", "format": "date-time", "x-nullable": true}
            }},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}}
        },
        "securityDefinitions": {
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://login/a", "tokenUrl": "https://login/t", "scopes": {"write": "w", "read": "r"}}
        },
        "security": [{"key": []}]
    })
}

fn openapi3_doc() -> serde_json::Value {
    json!({
        "openapi": "3.0.1",
        "info": {"title": "Contoso", "version": "1.2", "description": "d"},
        "servers": [{"url": "https://api.contoso.com/v1"}],
        "x-ms-connector-metadata": [{"propertyName": "Website", "propertyValue": "x"}],
        "paths": {
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "GetItem", "summary": "Get", "tags": ["items"],
                    "parameters": [
                        {"$ref": "#/components/parameters/top"},
                        {"name": "fields", "in": "query", "style": "form", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}, "x-ms-summary": "Fields", "x-ms-visibility": "advanced"},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "integer", "format": "int32"}, "x-ms-url-encoding": "double"}
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                        "404": {"description": "missing"},
                        "default": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    },
                    "x-ms-pageable": {"nextLinkName": "@odata.nextLink"}
                },
                "put": {
                    "operationId": "PutItem",
                    "requestBody": {"required": true, "x-ms-summary": "Item", "x-codegen-request-body-name": "body",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                    "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"type": "string", "nullable": true, "x-nullable": true}}}}},
                    "security": [{"oauth": ["write"]}]
                }
            }
        },
        "components": {
            "parameters": {"top": {"name": "$top", "in": "query", "schema": {"type": "integer", "default": 10}}},
            "schemas": {
                "Item": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "kind": {"type": "string", "enum": ["a", "b"], "x-ms-enum": {"name": "Kind", "modelAsString": false}},
                    "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                    "when": {"type": "string", "format": "date-time", "nullable": true, "x-nullable": true}
                }},
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}}
            },
            "securitySchemes": {
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "oauth": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://login/a", "tokenUrl": "https://login/t", "scopes": {"write": "w", "read": "r"}}}}
            }
        },
        "security": [{"key": []}]
    })
}

#[test]
fn swagger2_and_openapi3_give_the_same_model() {
    let mut a = load_json(swagger2_doc()).connector;
    let bytes = serde_json::to_vec(&openapi3_doc()).unwrap();
    let mut b = Loader::new()
        .load_bytes("openapi.json", &bytes, None)
        .unwrap()
        .connector;
    a.sources.clear();
    b.sources.clear();
    // The Swagger body parameter name comes from `x-codegen-request-body-name` in OAS3,
    // which is also kept as an extension there.
    if let Some(body) = b.operations.iter_mut().find_map(|o| o.body.as_mut()) {
        body.extensions.remove("x-codegen-request-body-name");
    }
    assert_eq!(a, b);

    // And the shared model is what we expect.
    assert_eq!(a.base_url.as_deref(), Some("https://api.contoso.com/v1"));
    let get = op(&a, "GetItem");
    let names: Vec<_> = get.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["id", "$top", "fields", "X-Trace"]);
    assert!(get.parameters[0].required);
    assert_eq!(get.parameters[1].schema.default, Some(json!(10)));
    assert_eq!(get.parameters[2].collection_format, CollectionFormat::Csv);
    assert_eq!(get.parameters[2].summary.as_deref(), Some("Fields"));
    assert_eq!(get.parameters[2].visibility, Visibility::Advanced);
    assert!(get.parameters[3].double_encoded);
    let statuses: Vec<_> = get.responses.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::Code(200),
            StatusCode::Code(404),
            StatusCode::Default
        ]
    );
    assert_eq!(
        get.success_response()
            .unwrap()
            .schema
            .as_ref()
            .unwrap()
            .kind,
        SchemaKind::Ref("Item".into())
    );
    assert_eq!(
        get.pageable,
        Some(Pageable {
            items: "value".into(),
            pattern: PagingPattern::NextLink {
                path: Some("@odata.nextLink".into())
            },
            origin: PagingOrigin::Declared("x-ms-pageable".into()),
        })
    );
    let put = op(&a, "PutItem");
    let body = put.body.as_ref().unwrap();
    assert_eq!(body.media_type, "application/json");
    assert_eq!(body.param_name.as_deref(), Some("body"));
    assert!(body.required);
    assert_eq!(body.extensions.get("x-ms-summary"), Some(&json!("Item")));
    assert_eq!(put.security, Some(vec!["oauth".to_owned()]));
    assert!(put.responses[0].schema.as_ref().unwrap().nullable);
    assert_eq!(a.security, ["key"]);
    assert_eq!(
        a.security_schemes["oauth"],
        SecurityScheme::OAuth2 {
            flow: "authorizationCode".into(),
            authorization_url: Some("https://login/a".into()),
            token_url: Some("https://login/t".into()),
            refresh_url: None,
            scopes: vec!["read".into(), "write".into()],
        }
    );
    assert_eq!(
        a.security_schemes["key"],
        SecurityScheme::ApiKey {
            name: "X-Key".into(),
            location: ParamLocation::Header
        }
    );
    let SchemaKind::Object(item) = &a.schemas["Item"].kind else {
        panic!("Item is an object")
    };
    let props: Vec<_> = item.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(props, ["id", "kind", "tags", "when"]);
    assert!(item.properties[0].required);
    assert_eq!(
        item.properties[0].schema.kind,
        SchemaKind::String(StringFormat::Uuid)
    );
    assert!(
        matches!(&item.properties[1].schema.kind, SchemaKind::Enum(e) if e.name.as_deref() == Some("Kind") && !e.open)
    );
    assert_eq!(
        item.properties[2].schema.kind,
        SchemaKind::Map(Box::new(Schema::new(SchemaKind::String(
            StringFormat::Plain
        ))))
    );
    assert!(item.properties[3].schema.nullable);
    assert!(a.extensions.contains_key("x-ms-connector-metadata"));
}

#[test]
fn media_type_choice() {
    let doc = json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"},
        "paths": {"/f": {"get": {"operationId": "F", "responses": {
            "200": {"description": "file", "content": {"application/octet-stream": {"schema": {"type": "string"}}}},
            "201": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}},
            "202": {"description": "json", "content": {"text/plain": {}, "application/vnd.x+json": {"schema": {"type": "integer"}}}},
            "2XX": {"description": "range"}
        }}}}
    });
    let c = Loader::new()
        .load_bytes("x.json", &serde_json::to_vec(&doc).unwrap(), None)
        .unwrap()
        .connector;
    let r = &c.operations[0].responses;
    assert_eq!(
        r[0].schema.as_ref().unwrap().kind,
        SchemaKind::String(StringFormat::Binary)
    );
    assert_eq!(
        (r[1].media_type.as_deref(), r[1].schema.is_none()),
        (Some("text/plain"), true)
    );
    assert_eq!(r[2].media_type.as_deref(), Some("application/vnd.x+json"));
    assert_eq!(r[3].status, StatusCode::Range(2));
}

#[test]
fn yaml_and_openapi_31_nullable_types() {
    let yaml = r#"
openapi: 3.1.0
info:
  title: Y
  version: "2"
servers:
  - url: https://{region}.example.com/api/
    variables:
      region:
        default: eu
paths:
  /a:
    get:
      operationId: A
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                type: [string, "null"]
components:
  schemas:
    N:
      oneOf:
        - type: integer
        - type: 'null'
"#;
    let c = Loader::new()
        .load_bytes("openapi.yaml", yaml.as_bytes(), None)
        .unwrap()
        .connector;
    assert_eq!(c.base_url.as_deref(), Some("https://eu.example.com/api"));
    let s = c.operations[0].responses[0].schema.as_ref().unwrap();
    assert_eq!(s.kind, SchemaKind::String(StringFormat::Plain));
    assert!(s.nullable);
    assert_eq!(
        c.schemas["N"].kind,
        SchemaKind::Integer(IntegerFormat::Int64)
    );
    assert!(c.schemas["N"].nullable);
}
