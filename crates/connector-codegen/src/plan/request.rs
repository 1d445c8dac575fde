//! The request shape of one operation: its parameters and form fields with their Rust
//! types, the body and response kinds, paging, and the signature helpers call it with.
//! Planned per operation in document order, as the types it needs are built.

use connector_spec::{
    BodyContent, CollectionFormat, Connector, Operation, Pageable, ParamLocation, Schema,
    SchemaKind, StringFormat,
};
use quote::quote;

use super::OperationPlan;
pub use super::decode::Decode;
use super::trigger::{self, TriggerPlan};
use crate::docs::{Doc, code};
use crate::names::{self, Namespace};
use crate::runtime_paths;
use crate::types::{TypeRef, TypeSpace};

/// How an operation's `Client` method is called, for helpers that call it.
#[derive(Clone)]
pub struct Signature {
    /// Required arguments, in order: wire name, builder field, type.
    pub required: Vec<(String, String, TypeRef)>,
    /// Optional parameters (setters): wire name, setter, type.
    pub optional: Vec<(String, String, TypeRef)>,
    /// A required body or file argument the helper cannot supply.
    pub needs_body: bool,
    /// `request()` returns a `Result`.
    pub fallible: bool,
    /// Preview-gated.
    pub preview: bool,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

/// One builder field: a parameter or a form field.
pub struct ParamField {
    /// Sent when the caller sets nothing (a required parameter with a default).
    pub default: Option<String>,
    /// Name on the wire.
    pub wire: String,
    /// Where it travels (form fields: `Query`, unused).
    pub location: ParamLocation,
    /// Builder field and setter name.
    pub field: String,
    /// Rust type.
    pub ty: TypeRef,
    /// A method argument rather than a setter.
    pub required: bool,
    /// How a list is joined, when the value is a list.
    pub list: Option<CollectionFormat>,
    /// `x-ms-url-encoding: double`.
    pub double: bool,
    /// A file part of a multipart form.
    pub is_file: bool,
    /// Setter docs.
    pub doc: Doc,
}

/// What the request body is.
pub enum BodyKind {
    /// No body.
    None,
    /// A serialized value.
    Json {
        /// Its type.
        ty: TypeRef,
        /// A method argument rather than a setter.
        required: bool,
    },
    /// Raw bytes.
    Bytes {
        /// Content type sent.
        media: String,
        /// A method argument rather than a setter.
        required: bool,
    },
    /// A form.
    Form {
        /// `multipart/form-data`.
        multipart: bool,
    },
}

/// The operation's paging with the item type.
pub struct Paging {
    /// Item type.
    pub item: TypeRef,
    /// How it pages (pattern, items path, origin).
    pub pageable: Pageable,
}

/// The request shape of one operation.
pub struct RequestPlan {
    /// Parameters, in declared order.
    pub params: Vec<ParamField>,
    /// Form fields, in declared order.
    pub form_fields: Vec<ParamField>,
    /// The body.
    pub body: BodyKind,
    /// Builder field of a JSON or bytes body.
    pub body_field: Option<String>,
    /// The success body.
    pub decode: Decode,
    /// The media type the success response declares, sent as `Accept`: `None` without a
    /// success body, for `*/*`, or for text that is not a valid header value.
    pub accept: Option<String>,
    /// `request()` can fail (a JSON body is serialized).
    pub fallible: bool,
    /// Paging, when pageable.
    pub paging: Option<Paging>,
    /// What the operation's trigger adds, if it is one.
    pub trigger: TriggerPlan,
    /// Whether any type in it lives in `types.rs`.
    pub uses_types: bool,
    /// How helpers call the operation.
    pub signature: Signature,
}

impl RequestPlan {
    /// Parameters then form fields.
    pub fn fields(&self) -> impl Iterator<Item = &ParamField> {
        self.params.iter().chain(&self.form_fields)
    }

    /// The required fields in argument order: path parameters first, in template order,
    /// then the rest as declared.
    pub fn required_fields<'p>(&'p self, op: &Operation) -> Vec<&'p ParamField> {
        let mut required: Vec<&ParamField> = self.fields().filter(|p| p.required).collect();
        required.sort_by_key(|p| {
            if p.location == ParamLocation::Path {
                let at = op.path.find(&format!("{{{}}}", p.wire));
                (0, at.unwrap_or(usize::MAX))
            } else {
                (1, 0)
            }
        });
        required
    }
}

/// Plans `plan`'s request; `methods` are every operation's method names (for docs).
pub fn request(
    plan: &OperationPlan<'_>,
    methods: &[String],
    connector: &Connector,
    space: &mut TypeSpace<'_>,
) -> RequestPlan {
    let ops = &connector.operations;
    let op = plan.op;
    let builder = plan.builder.as_str();
    let mut fields_ns =
        Namespace::with_reserved(&["client", "self_", "poll", "decode_notification"]);
    let body = body_kind(op, builder, space);
    let body_field = match body {
        BodyKind::Json { .. } | BodyKind::Bytes { .. } => Some(fields_ns.claim("body")),
        _ => None,
    };
    let params: Vec<ParamField> = op
        .parameters
        .iter()
        .map(|p| {
            let field = fields_ns.claim(&names::snake(&p.name, "param"));
            let hint = format!("{builder} {}", p.name);
            let (ty, list) = param_type(&p.schema, &hint, p.collection_format, space);
            let mut doc = Doc::new();
            doc.text(p.description.as_deref().or(p.summary.as_deref()));
            crate::platform::param_doc(p, methods, ops, &mut doc);
            // A required parameter with a default becomes optional: the default is sent
            // when the caller sets nothing, as the platform does.
            let default = p
                .schema
                .default
                .as_ref()
                .filter(|_| p.required && list.is_none())
                .and_then(|d| match d {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    serde_json::Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                });
            if let Some(d) = &default {
                doc.line(format!("Default: {}.", code(d)));
            }
            ParamField {
                required: (p.required || p.location == ParamLocation::Path) && default.is_none(),
                default,
                wire: p.name.clone(),
                location: p.location,
                field,
                ty,
                list,
                double: p.double_encoded,
                is_file: false,
                doc,
            }
        })
        .collect();
    let form_fields = form_fields(op, builder, &mut fields_ns, space);
    let decode = decode_kind(op, builder, space);
    let paging = op.pageable.as_ref().map(|pg| Paging {
        item: page_item(op, &pg.items, builder, space),
        pageable: pg.clone(),
    });
    let trigger = trigger::plan(plan, connector, &decode, space);
    let fallible = matches!(body, BodyKind::Json { .. }) && body_field.is_some();
    let uses_types = params.iter().chain(&form_fields).any(|p| p.ty.named)
        || matches!(&decode, Decode::Json(t) if t.named)
        || matches!(&body, BodyKind::Json { ty, .. } if ty.named)
        || paging.as_ref().is_some_and(|p| p.item.named);
    let mut out = RequestPlan {
        params,
        form_fields,
        body,
        body_field,
        decode,
        accept: accept(op),
        fallible,
        paging,
        trigger,
        uses_types,
        signature: Signature {
            required: Vec::new(),
            optional: Vec::new(),
            needs_body: false,
            fallible,
            preview: plan.preview,
            deprecated: op.lifecycle.deprecated,
        },
    };
    out.signature = signature(&out, op);
    out
}

fn signature(plan: &RequestPlan, op: &Operation) -> Signature {
    let required = plan.required_fields(op);
    let body_required = matches!(
        plan.body,
        BodyKind::Json { required: true, .. } | BodyKind::Bytes { required: true, .. }
    );
    Signature {
        required: required
            .iter()
            .map(|p| (p.wire.clone(), p.field.clone(), p.ty.clone()))
            .collect(),
        optional: plan
            .fields()
            .filter(|p| !p.required && !p.is_file)
            .map(|p| (p.wire.clone(), p.field.clone(), p.ty.clone()))
            .collect(),
        needs_body: required.iter().any(|p| p.is_file) || body_required,
        ..plan.signature.clone()
    }
}

fn form_fields(
    op: &Operation,
    builder: &str,
    fields_ns: &mut Namespace,
    space: &mut TypeSpace<'_>,
) -> Vec<ParamField> {
    let Some(BodyContent::Form { fields, .. }) = op.body.as_ref().map(|b| &b.content) else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|f| {
            let field = fields_ns.claim(&names::snake(&f.name, "field"));
            let mut doc = Doc::new();
            doc.text(f.description.as_deref().or(f.summary.as_deref()));
            let (ty, list) = if f.is_file {
                let file_part = runtime_paths::FILE_PART.ident();
                let ty = TypeRef {
                    tokens: quote!(#file_part),
                    named: false,
                    string: false,
                };
                (ty, None)
            } else {
                let hint = format!("{builder} {}", f.name);
                param_type(&f.schema, &hint, CollectionFormat::Csv, space)
            };
            ParamField {
                default: None,
                wire: f.name.clone(),
                location: ParamLocation::Query,
                field,
                ty,
                required: f.required,
                list,
                double: false,
                is_file: f.is_file,
                doc,
            }
        })
        .collect()
}

/// The field type of a parameter: values that cannot travel as text become JSON values.
fn param_type(
    schema: &Schema,
    hint: &str,
    format: CollectionFormat,
    space: &mut TypeSpace<'_>,
) -> (TypeRef, Option<CollectionFormat>) {
    let resolved = space.resolve(schema).clone();
    if let SchemaKind::Array(items) = &resolved.kind {
        let element = if space.is_param_capable(items, 0) {
            space.type_for(items, &format!("{hint} Item"))
        } else {
            space.type_for(&Schema::default(), hint)
        };
        let t = &element.tokens;
        let ty = TypeRef {
            tokens: quote!(Vec<#t>),
            named: element.named,
            string: false,
        };
        return (ty, Some(format));
    }
    if space.is_param_capable(schema, 0) {
        (space.type_for(schema, hint), None)
    } else {
        (space.type_for(&Schema::default(), hint), None)
    }
}

/// The success response's declared media type, when it is worth sending as `Accept`:
/// the response has a body, the type is not `*/*` (what reqwest sends anyway), and it is
/// a valid header value (visible ASCII and spaces).
fn accept(op: &Operation) -> Option<String> {
    let response = op.success_response()?;
    response.schema.as_ref()?;
    let media = response.media_type.as_deref()?.trim();
    let valid = !media.is_empty() && media.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    (valid && media != "*/*").then(|| media.to_owned())
}

fn is_json(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.contains("json") || m == "*/*"
}

/// Whether a body or response schema is only known at design time.
pub fn is_dynamic_schema(schema: &Schema, space: &TypeSpace<'_>) -> bool {
    schema.dynamic_schema.is_some() || space.resolve(schema).dynamic_schema.is_some()
}

fn body_kind(op: &Operation, builder: &str, space: &mut TypeSpace<'_>) -> BodyKind {
    let Some(body) = &op.body else {
        return BodyKind::None;
    };
    let bytes = || BodyKind::Bytes {
        media: body.media_type.clone(),
        required: body.required,
    };
    match &body.content {
        BodyContent::Form { multipart, .. } => BodyKind::Form {
            multipart: *multipart,
        },
        BodyContent::Binary => bytes(),
        BodyContent::Schema(schema) if is_dynamic_schema(schema, space) => BodyKind::Json {
            ty: space.type_for(&Schema::default(), builder),
            required: body.required,
        },
        BodyContent::Schema(schema) => {
            let resolved = space.resolve(schema);
            let raw = matches!(resolved.kind, SchemaKind::String(StringFormat::Binary))
                || (!is_json(&body.media_type) && matches!(resolved.kind, SchemaKind::String(_)));
            if raw {
                bytes()
            } else {
                let ty = space.type_for(schema, &format!("{builder} Body"));
                BodyKind::Json {
                    ty,
                    required: body.required,
                }
            }
        }
    }
}

fn decode_kind(op: &Operation, builder: &str, space: &mut TypeSpace<'_>) -> Decode {
    let Some(response) = op.success_response() else {
        return Decode::Empty;
    };
    let Some(schema) = &response.schema else {
        return Decode::Empty;
    };
    let media = response.media_type.as_deref().unwrap_or("application/json");
    let resolved = space.resolve(schema);
    if matches!(resolved.kind, SchemaKind::String(StringFormat::Binary)) {
        return Decode::Bytes;
    }
    if is_json(media) && is_dynamic_schema(schema, space) {
        return Decode::Json(space.type_for(&Schema::default(), builder));
    }
    if !is_json(media) {
        let m = media.to_ascii_lowercase();
        if m.starts_with("text/") || m.contains("xml") || m.contains("html") {
            return Decode::Text;
        }
        return Decode::Bytes;
    }
    Decode::Json(space.type_for(schema, &format!("{builder} Response")))
}

/// The item type of the array at `items_path` (dot-separated; `""`: the body) in the
/// success body; any value when it cannot be found.
fn page_item(
    op: &Operation,
    items_path: &str,
    builder: &str,
    space: &mut TypeSpace<'_>,
) -> TypeRef {
    let mut current = op
        .success_response()
        .and_then(|r| r.schema.as_ref())
        .map(|s| space.resolve(s).clone());
    // A property whose name holds dots is matched whole first.
    let segments: Vec<&str> = if items_path.is_empty() {
        Vec::new()
    } else if property(current.as_ref(), items_path).is_some() {
        vec![items_path]
    } else {
        items_path.split('.').collect()
    };
    for segment in segments {
        current = property(current.as_ref(), segment).map(|s| space.resolve(&s).clone());
    }
    match current.map(|s| s.kind) {
        Some(SchemaKind::Array(items)) => space.type_for(&items, &format!("{builder} Item")),
        _ => space.type_for(&Schema::default(), builder),
    }
}

/// The schema of property `name` of an object schema.
fn property(schema: Option<&Schema>, name: &str) -> Option<Schema> {
    match &schema?.kind {
        SchemaKind::Object(obj) => obj
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.schema.clone()),
        _ => None,
    }
}
