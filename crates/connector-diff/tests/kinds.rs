//! One focused before/after pair per change kind: the kind is reported with its severity
//! and bump, at the right operation and with located pointers.

mod common;

use common::*;
use connector_diff::{Bump, ChangeKind as K, Severity as S};
use serde_json::{Value, json};

const OP: &str = "/paths/~1items/get";

struct Case {
    name: &'static str,
    before: Value,
    after: Value,
    kind: K,
    severity: S,
    bump: Bump,
}

fn case(name: &'static str, after: Value, kind: K, severity: S, bump: Bump) -> Case {
    Case {
        name,
        before: base(),
        after,
        kind,
        severity,
        bump,
    }
}

fn param(p: Value) -> Value {
    with(&base(), &format!("{OP}/parameters/1"), p)
}

fn body_op(body: Value) -> Value {
    let b = base();
    with(
        &b,
        "/paths/~1items/post",
        json!({
            "operationId": "AddItem",
            "parameters": [{"name": "body", "in": "body", "required": true, "schema": body}],
            "responses": {"200": {"description": "ok"}}
        }),
    )
}

fn cases() -> Vec<Case> {
    let b = base();
    let obj = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    vec![
        case(
            "operation removed",
            without(&b, "/paths/~1items"),
            K::OperationRemoved,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "operation added",
            with(
                &b,
                "/paths/~1other",
                json!({"get": {"operationId": "Other", "responses": {"200": {"description": "ok"}}}}),
            ),
            K::OperationAdded,
            S::Additive,
            Bump::Minor,
        ),
        case(
            "operationId renamed",
            with(&b, &format!("{OP}/operationId"), json!("ListItems")),
            K::OperationIdChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "path changed",
            {
                let op = b.pointer(OP).cloned().unwrap_or_default();
                with(
                    &without(&b, "/paths/~1items"),
                    "/paths/~1things",
                    json!({"get": op}),
                )
            },
            K::PathChanged,
            S::Breaking,
            Bump::Patch,
        ),
        case(
            "method changed",
            {
                let op = b.pointer(OP).cloned().unwrap_or_default();
                with(
                    &without(&b, "/paths/~1items"),
                    "/paths/~1items",
                    json!({"post": op}),
                )
            },
            K::MethodChanged,
            S::Breaking,
            Bump::Patch,
        ),
        case(
            "parameter added required",
            param(json!({"name": "q", "in": "query", "type": "string", "required": true})),
            K::ParameterAddedRequired,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "parameter added optional",
            param(json!({"name": "q", "in": "query", "type": "string"})),
            K::ParameterAddedOptional,
            S::Additive,
            Bump::Minor,
        ),
        case(
            "parameter removed",
            with(&b, &format!("{OP}/parameters"), json!([])),
            K::ParameterRemoved,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "parameter made required",
            with(&b, &format!("{OP}/parameters/0/required"), json!(true)),
            K::ParameterMadeRequired,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "parameter location changed",
            with(&b, &format!("{OP}/parameters/0/in"), json!("header")),
            K::ParameterLocationChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "parameter type changed",
            with(&b, &format!("{OP}/parameters/0/type"), json!("string")),
            K::TypeChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "parameter format changed",
            with(&b, &format!("{OP}/parameters/0/format"), json!("int64")),
            K::FormatChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "enum value removed",
            with(&b, "/definitions/Item/properties/kind/enum", json!(["a"])),
            K::EnumValueRemoved,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "enum value added",
            with(
                &b,
                "/definitions/Item/properties/kind/enum",
                json!(["a", "b", "c"]),
            ),
            K::EnumValueAdded,
            S::Additive,
            Bump::Major,
        ),
        case(
            "response property removed",
            without(&b, "/definitions/Item/properties/name"),
            K::ResponsePropertyRemoved,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "response property added (exhaustive struct: major)",
            with(
                &b,
                "/definitions/Item/properties/size",
                json!({"type": "integer"}),
            ),
            K::ResponsePropertyAdded,
            S::Additive,
            Bump::Major,
        ),
        case(
            "response property made optional",
            with(&b, "/definitions/Item/required", json!([])),
            K::ResponsePropertyMadeOptional,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "response property type changed",
            with(
                &b,
                "/definitions/Item/properties/name/type",
                json!("integer"),
            ),
            K::TypeChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "nullable changed",
            with(
                &b,
                "/definitions/Item/properties/name/x-nullable",
                json!(true),
            ),
            K::NullableChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "status code removed",
            with(
                &b,
                &format!("{OP}/responses"),
                json!({"201": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}),
            ),
            K::StatusCodeRemoved,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "error status added without schema",
            with(
                &b,
                &format!("{OP}/responses/404"),
                json!({"description": "missing"}),
            ),
            K::StatusCodeAdded,
            S::Additive,
            Bump::Patch,
        ),
        case(
            "schema added",
            with(&b, "/definitions/Other", obj.clone()),
            K::SchemaAdded,
            S::Additive,
            Bump::Minor,
        ),
        case(
            "security scheme changed",
            with(
                &b,
                "/securityDefinitions",
                json!({"key": {"type": "apiKey", "name": "X-Key", "in": "header"}}),
            ),
            K::SecuritySchemeChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "base URL changed",
            with(&b, "/host", json!("api2.example.com")),
            K::BaseUrlChanged,
            S::Breaking,
            Bump::Patch,
        ),
        case(
            "visibility changed to internal",
            with(&b, &format!("{OP}/x-ms-visibility"), json!("internal")),
            K::VisibilityChanged,
            S::Patch,
            Bump::Major,
        ),
        case(
            "visibility changed to important",
            with(&b, &format!("{OP}/x-ms-visibility"), json!("important")),
            K::VisibilityChanged,
            S::Patch,
            Bump::Patch,
        ),
        case(
            "status changed to preview",
            with(
                &b,
                &format!("{OP}/x-ms-api-annotation"),
                json!({"status": "Preview"}),
            ),
            K::StatusChanged,
            S::Patch,
            Bump::Major,
        ),
        case(
            "deprecated",
            with(&b, &format!("{OP}/deprecated"), json!(true)),
            K::DeprecationChanged,
            S::Patch,
            Bump::Minor,
        ),
        case(
            "trigger changed",
            with(&b, &format!("{OP}/x-ms-trigger"), json!("batch")),
            K::TriggerChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "paging changed",
            with(
                &b,
                &format!("{OP}/x-ms-pageable"),
                json!({"nextLinkName": "next"}),
            ),
            K::PagingChanged,
            S::Breaking,
            Bump::Major,
        ),
        case(
            "dynamic values changed",
            with(
                &b,
                &format!("{OP}/parameters/0/x-ms-dynamic-values"),
                json!({"operationId": "GetItems", "value-path": "id"}),
            ),
            K::DynamicValuesChanged,
            S::Additive,
            Bump::Major,
        ),
        case(
            "docs changed",
            with(&b, &format!("{OP}/summary"), json!("List the items")),
            K::DocsChanged,
            S::Patch,
            Bump::Patch,
        ),
        Case {
            name: "request body added required",
            before: b.clone(),
            after: with(
                &b,
                &format!("{OP}/parameters/1"),
                json!({"name": "body", "in": "body", "required": true, "schema": obj.clone()}),
            ),
            kind: K::RequestBodyAddedRequired,
            severity: S::Breaking,
            bump: Bump::Major,
        },
        Case {
            name: "request body removed",
            before: with(
                &b,
                &format!("{OP}/parameters/1"),
                json!({"name": "body", "in": "body", "schema": obj.clone()}),
            ),
            after: b.clone(),
            kind: K::RequestBodyRemoved,
            severity: S::Breaking,
            bump: Bump::Major,
        },
        Case {
            name: "request property added required",
            before: body_op(obj.clone()),
            after: body_op(
                json!({"type": "object", "required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            ),
            kind: K::RequestPropertyAddedRequired,
            severity: S::Breaking,
            bump: Bump::Major,
        },
        Case {
            name: "request property added optional",
            before: body_op(obj.clone()),
            after: body_op(
                json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            ),
            kind: K::RequestPropertyAddedOptional,
            severity: S::Additive,
            bump: Bump::Major,
        },
        Case {
            name: "request property removed",
            before: body_op(obj.clone()),
            after: body_op(json!({"type": "object", "properties": {"c": {"type": "string"}}})),
            kind: K::RequestPropertyRemoved,
            severity: S::Breaking,
            bump: Bump::Major,
        },
        Case {
            name: "request property made required",
            before: body_op(obj.clone()),
            after: body_op(
                json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
            ),
            kind: K::RequestPropertyMadeRequired,
            severity: S::Breaking,
            bump: Bump::Major,
        },
        Case {
            name: "schema removed",
            before: with(&b, "/definitions/Other", obj.clone()),
            after: b.clone(),
            kind: K::SchemaRemoved,
            severity: S::Breaking,
            bump: Bump::Major,
        },
        Case {
            name: "media type changed",
            before: body_op(obj.clone()),
            after: with(
                &body_op(obj.clone()),
                "/paths/~1items/post/consumes",
                json!(["application/xml"]),
            ),
            kind: K::MediaTypeChanged,
            severity: S::Breaking,
            bump: Bump::Major,
        },
    ]
}

#[test]
fn each_change_kind_is_classified() {
    let mut failures = Vec::new();
    for c in cases() {
        let r = diff(&c.before, &c.after);
        let hit = r.changes.iter().find(|x| x.kind == c.kind);
        match hit {
            None => failures.push(format!(
                "{}: no {:?} in {:?}",
                c.name,
                c.kind,
                r.changes.iter().map(|x| x.kind).collect::<Vec<_>>()
            )),
            Some(x) if x.severity != c.severity || x.bump != c.bump => failures.push(format!(
                "{}: {:?} is {:?}/{:?}, expected {:?}/{:?}",
                c.name, c.kind, x.severity, x.bump, c.severity, c.bump
            )),
            Some(x) => {
                let located = x
                    .old
                    .iter()
                    .chain(x.new.iter())
                    .all(|s| s.location.is_some());
                if !located || (x.old.is_none() && x.new.is_none()) {
                    failures.push(format!("{}: sites not located: {x:?}", c.name));
                }
            }
        }
        if r.semver < c.bump {
            failures.push(format!(
                "{}: overall bump {:?} below {:?}",
                c.name, r.semver, c.bump
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn identical_definitions_have_no_changes_and_no_bump() {
    let r = diff(&base(), &base());
    assert!(r.changes.is_empty(), "{:?}", r.changes);
    assert_eq!(r.semver, Bump::None);
}

#[test]
fn swagger2_to_openapi3_migration_of_the_same_api_is_not_a_change() {
    let oas3 = json!({
        "openapi": "3.0.1",
        "info": {"title": "Items", "version": "1.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {"/items": {"get": {
            "operationId": "GetItems",
            "summary": "Get items",
            "parameters": [{"name": "top", "in": "query", "schema": {"type": "integer", "format": "int32"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}
        }}},
        "components": {"schemas": item()}
    });
    let r = diff(&base(), &oas3);
    let real: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.kind != K::DocsChanged)
        .collect();
    assert!(real.is_empty(), "{real:?}");
    assert!(r.semver <= Bump::Patch);
}

#[test]
fn change_sites_point_at_the_changed_member_with_line_and_column() {
    let after = with(
        &base(),
        "/definitions/Item/properties/size",
        json!({"type": "integer"}),
    );
    let r = diff(&base(), &after);
    let c = r
        .changes
        .iter()
        .find(|c| c.kind == K::ResponsePropertyAdded)
        .expect("reported");
    let site = c.new.as_ref().expect("new site");
    assert_eq!(site.pointer, "/definitions/Item/properties/size");
    let text = serde_json::to_string_pretty(&after).unwrap_or_default();
    let loc = site.location.expect("located");
    let line = text.lines().nth(loc.line - 1).unwrap_or_default();
    assert!(line.trim_start().starts_with("\"size\""), "{line}");
    assert_eq!(c.schema.as_deref(), Some("Item"));
}
