//! Swagger 2.0 bodies, form fields and responses in their OpenAPI 3 form.

use serde_json::{Map, Value, json};

use super::{X_BODY_NAME, fix_schema, split_schema};
use crate::pointer::{PointerMap, escape, join};

/// The OpenAPI 3 request body of a Swagger 2.0 `in: body` parameter `b` (at `ptr`).
pub(super) fn body_request(
    mut b: Map<String, Value>,
    ptr: &str,
    consumes: &[String],
    rb_ptr: &str,
    map: &mut PointerMap,
) -> Value {
    let mut schema = b.remove("schema").unwrap_or_else(|| json!({}));
    fix_schema(&mut schema, 0);
    let mts = if consumes.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        consumes.to_vec()
    };
    let content = content_for(&mts, schema, rb_ptr, &join(ptr, "schema"), map);
    let mut rb = Map::new();
    if let Some(d) = b.remove("description") {
        rb.insert("description".into(), d);
    }
    rb.insert("content".into(), content);
    if let Some(r) = b.remove("required") {
        rb.insert("required".into(), r);
    }
    if let Some(Value::String(n)) = b.remove("name") {
        rb.insert(X_BODY_NAME.into(), Value::String(n));
    }
    for (k, v) in b {
        if k.starts_with("x-") {
            rb.insert(k, v);
        }
    }
    map.add(rb_ptr.to_owned(), ptr.to_owned());
    Value::Object(rb)
}

/// The OpenAPI 3 request body of Swagger 2.0 `formData` parameters: a form schema.
pub(super) fn form_request(
    form: Vec<(Map<String, Value>, String)>,
    consumes: &[String],
    rb_ptr: &str,
    map: &mut PointerMap,
) -> Value {
    let multipart = consumes.iter().any(|c| c.contains("multipart"))
        || form
            .iter()
            .any(|(f, _)| f.get("type").and_then(Value::as_str) == Some("file"));
    let mt = if multipart {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut props = Map::new();
    let mut required = Vec::new();
    let schema_ptr = format!("{rb_ptr}/content/{}/schema", escape(mt));
    for (mut f, ptr) in form {
        let name = f
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if f.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(name.clone()));
        }
        f.remove("collectionFormat");
        let mut s = split_schema(&mut f);
        for (k, v) in f {
            if k == "description" || (k.starts_with("x-") && k != "x-nullable") {
                s.insert(k, v);
            }
        }
        map.add(format!("{schema_ptr}/properties/{}", escape(&name)), ptr);
        props.insert(name, Value::Object(s));
    }
    let mut schema = json!({ "type": "object", "properties": props });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    json!({ "content": { mt: { "schema": schema } } })
}

pub(super) fn convert_response(
    r: Value,
    produces: &[String],
    conv_ptr: &str,
    orig_ptr: &str,
    map: &mut PointerMap,
) -> Value {
    let Value::Object(mut r) = r else { return r };
    if !r.contains_key("description") {
        r.insert("description".into(), Value::String(String::new()));
    }
    r.remove("examples");
    if let Some(mut schema) = r.remove("schema") {
        fix_schema(&mut schema, 0);
        let mts = if produces.is_empty() {
            vec!["application/json".to_owned()]
        } else {
            produces.to_vec()
        };
        let content = content_for(&mts, schema, conv_ptr, &join(orig_ptr, "schema"), map);
        r.insert("content".into(), content);
    }
    if let Some(Value::Object(headers)) = r.remove("headers") {
        let mut conv = Map::new();
        for (name, h) in headers {
            let h = match h {
                Value::Object(mut h) => {
                    let schema = split_schema(&mut h);
                    h.remove("collectionFormat");
                    h.insert("schema".into(), Value::Object(schema));
                    Value::Object(h)
                }
                other => other,
            };
            conv.insert(name, h);
        }
        r.insert("headers".into(), Value::Object(conv));
    }
    Value::Object(r)
}

/// Content for several media types: the schema goes under the preferred one only
/// (`application/json`, else the first JSON-like, else the first), the others are listed
/// without a schema. The normalizer picks the same one, and nothing is parsed twice.
pub(super) fn content_for(
    mts: &[String],
    schema: Value,
    conv_ptr: &str,
    orig_schema_ptr: &str,
    map: &mut PointerMap,
) -> Value {
    let essence = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let jsonish = |m: &str| {
        let e = essence(m);
        e == "application/json"
            || e == "text/json"
            || e.ends_with("+json")
            || e == "*/*"
            || e == "application/*"
    };
    let preferred = mts
        .iter()
        .position(|m| essence(m) == "application/json")
        .or_else(|| mts.iter().position(|m| jsonish(m)))
        .unwrap_or(0);
    let mut content = Map::new();
    let mut schema = Some(schema);
    for (i, mt) in mts.iter().enumerate() {
        if i == preferred {
            map.add(
                format!("{conv_ptr}/content/{}/schema", escape(mt)),
                orig_schema_ptr.to_owned(),
            );
            content.insert(
                mt.clone(),
                json!({ "schema": schema.take().unwrap_or_default() }),
            );
        } else {
            content.insert(mt.clone(), json!({}));
        }
    }
    Value::Object(content)
}
