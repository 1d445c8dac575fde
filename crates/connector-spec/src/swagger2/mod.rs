//! Upgrades a Swagger 2.0 document to an OpenAPI 3.0 JSON value, keeping every `x-*`
//! extension, and records where each moved part came from so diagnostics point into the
//! original file.

mod bodies;

use bodies::convert_response;

use serde_json::{Map, Value, json};

use crate::pointer::{PointerMap, escape, join};
use crate::source::MAX_DEPTH;

/// Internal extension: Swagger 2.0 `collectionFormat` of an array parameter.
pub(crate) const X_COLLECTION_FORMAT: &str = "x-cg-collection-format";
/// Internal extension: name of the Swagger 2.0 body parameter.
pub(crate) const X_BODY_NAME: &str = "x-cg-body-name";
/// Prefix of internal extensions (removed from the model).
pub(crate) const X_INTERNAL: &str = "x-cg-";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Whether the document declares `swagger: "2.0"`.
pub(crate) fn is_swagger2(doc: &Value) -> bool {
    match doc.get("swagger") {
        Some(Value::String(s)) => s.starts_with('2'),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| (2.0..3.0).contains(&f)),
        _ => false,
    }
}

struct Upgrade<'m> {
    map: &'m mut PointerMap,
    consumes: Vec<String>,
    produces: Vec<String>,
    root_params: Map<String, Value>,
}

/// Converts a Swagger 2.0 document to OpenAPI 3.0.
pub(crate) fn upgrade(doc: Value, map: &mut PointerMap) -> Value {
    let Value::Object(mut doc) = doc else {
        return doc;
    };
    let consumes = strings(doc.get("consumes"));
    let produces = strings(doc.get("produces"));
    let root_params = match doc.remove("parameters") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut ctx = Upgrade {
        map,
        consumes,
        produces,
        root_params,
    };

    let mut out = Map::new();
    out.insert("openapi".into(), Value::String("3.0.3".into()));
    if let Some(info) = doc.remove("info") {
        out.insert("info".into(), info);
    }
    if let Some(url) = server_url(&doc) {
        out.insert("servers".into(), json!([{ "url": url }]));
    }

    let mut components = Map::new();
    if let Some(Value::Object(mut defs)) = doc.remove("definitions") {
        for (_, s) in defs.iter_mut() {
            rewrite_refs(s, 0);
            fix_schema(s, 0);
        }
        ctx.map
            .add("/components/schemas".into(), "/definitions".into());
        components.insert("schemas".into(), Value::Object(defs));
    }
    // Non-body root parameters become components; body/formData ones are inlined at use.
    let mut comp_params = Map::new();
    let root_params = std::mem::take(&mut ctx.root_params);
    for (name, p) in &root_params {
        if !is_body_like(p) {
            let mut p = p.clone();
            rewrite_refs(&mut p, 0);
            let conv = join("/components/parameters", name);
            let orig = join("/parameters", name);
            ctx.map.add(join(&conv, "schema"), orig.clone());
            ctx.map.add(conv, orig);
            comp_params.insert(name.clone(), convert_param(p));
        }
    }
    ctx.root_params = root_params;
    if !comp_params.is_empty() {
        components.insert("parameters".into(), Value::Object(comp_params));
    }
    if let Some(Value::Object(responses)) = doc.remove("responses") {
        let mut conv = Map::new();
        let produces = ctx.produces.clone();
        for (name, mut r) in responses {
            rewrite_refs(&mut r, 0);
            let cp = join("/components/responses", &name);
            let op = join("/responses", &name);
            let r = convert_response(r, &produces, &cp, &op, ctx.map);
            ctx.map.add(cp, op);
            conv.insert(name, r);
        }
        components.insert("responses".into(), Value::Object(conv));
    }
    if let Some(Value::Object(defs)) = doc.remove("securityDefinitions") {
        let mut conv = Map::new();
        for (name, s) in defs {
            ctx.map.add(
                join("/components/securitySchemes", &name),
                join("/securityDefinitions", &name),
            );
            conv.insert(name, convert_security(s));
        }
        components.insert("securitySchemes".into(), Value::Object(conv));
    }

    if let Some(Value::Object(paths)) = doc.remove("paths") {
        let mut conv = Map::new();
        for (path, item) in paths {
            let pp = join("/paths", &path);
            let item = match item {
                Value::Object(item) if !path.starts_with("x-") => {
                    Value::Object(convert_path_item(item, &pp, &mut ctx))
                }
                other => other,
            };
            conv.insert(path, item);
        }
        out.insert("paths".into(), Value::Object(conv));
    } else {
        out.insert("paths".into(), Value::Object(Map::new()));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    for (k, v) in doc {
        match k.as_str() {
            "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            _ => {
                out.insert(k, v);
            }
        }
    }
    Value::Object(out)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn server_url(doc: &Map<String, Value>) -> Option<String> {
    let host = doc.get("host")?.as_str()?.trim();
    if host.is_empty() {
        return None;
    }
    let schemes = strings(doc.get("schemes"));
    let scheme = schemes.first().map_or("https", String::as_str);
    let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let sep = if base.is_empty() || base.starts_with('/') {
        ""
    } else {
        "/"
    };
    Some(format!(
        "{scheme}://{}{sep}{base}",
        host.trim_end_matches('/')
    ))
}

/// Rewrites `$ref`s to their OpenAPI 3 locations.
fn rewrite_refs(v: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "$ref"
                    && let Value::String(s) = x
                {
                    if let Some(rest) = s.strip_prefix("#/definitions/") {
                        *s = format!("#/components/schemas/{rest}");
                    } else if let Some(rest) = s.strip_prefix("#/responses/") {
                        *s = format!("#/components/responses/{rest}");
                    } else if let Some(rest) = s.strip_prefix("#/parameters/") {
                        *s = format!("#/components/parameters/{rest}");
                    }
                    continue;
                }
                rewrite_refs(x, depth + 1);
            }
        }
        Value::Array(a) => {
            for x in a {
                rewrite_refs(x, depth + 1);
            }
        }
        _ => {}
    }
}

/// Swagger 2.0 schema quirks: `type: file`, string `discriminator`.
fn fix_schema(v: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Value::Object(m) = v else { return };
    if m.get("type").and_then(Value::as_str) == Some("file") {
        m.insert("type".into(), Value::String("string".into()));
        m.insert("format".into(), Value::String("binary".into()));
    }
    if let Some(Value::String(d)) = m.get("discriminator") {
        let d = d.clone();
        m.insert("discriminator".into(), json!({ "propertyName": d }));
    }
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        for (_, p) in props.iter_mut() {
            fix_schema(p, depth + 1);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(x) = m.get_mut(key) {
            fix_schema(x, depth + 1);
        }
    }
    if let Some(Value::Array(parts)) = m.get_mut("allOf") {
        for p in parts {
            fix_schema(p, depth + 1);
        }
    }
}

fn is_body_like(p: &Value) -> bool {
    matches!(
        p.get("in").and_then(Value::as_str),
        Some("body") | Some("formData")
    )
}

const SCHEMA_KEYS: [&str; 17] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];

/// Moves the type keywords of a non-body parameter (or header, or form field) into a schema.
fn split_schema(p: &mut Map<String, Value>) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        if key == "x-nullable" {
            if let Some(v) = p.get(key) {
                schema.insert(key.into(), v.clone());
            }
        } else if let Some(v) = p.remove(key) {
            schema.insert(key.into(), v);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        items_to_schema(items, 0);
    }
    let mut schema = Value::Object(schema);
    fix_schema(&mut schema, 0);
    match schema {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn items_to_schema(v: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Value::Object(m) = v {
        m.remove("collectionFormat");
        if let Some(items) = m.get_mut("items") {
            items_to_schema(items, depth + 1);
        }
    }
}

fn convert_param(p: Value) -> Value {
    let Value::Object(mut p) = p else { return p };
    if p.contains_key("$ref") {
        return Value::Object(p);
    }
    let location = p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
    let is_array = p.get("type").and_then(Value::as_str) == Some("array");
    let cf = p.remove("collectionFormat");
    let schema = split_schema(&mut p);
    p.remove("allowEmptyValue");
    if location == "path" {
        p.insert("required".into(), Value::Bool(true));
    }
    if is_array {
        let cf = cf
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or("csv")
            .to_owned();
        match location.as_str() {
            "query" => {
                let (style, explode) = match cf.as_str() {
                    "multi" => ("form", true),
                    "ssv" => ("spaceDelimited", false),
                    "pipes" => ("pipeDelimited", false),
                    _ => ("form", false),
                };
                p.insert("style".into(), Value::String(style.into()));
                p.insert("explode".into(), Value::Bool(explode));
            }
            _ => {
                p.insert("explode".into(), Value::Bool(false));
            }
        }
        p.insert(X_COLLECTION_FORMAT.into(), Value::String(cf));
    }
    p.insert("schema".into(), Value::Object(schema));
    Value::Object(p)
}

fn convert_path_item(
    mut item: Map<String, Value>,
    pp: &str,
    ctx: &mut Upgrade<'_>,
) -> Map<String, Value> {
    // Path-level parameters are merged into every operation (same result in the model).
    let shared: Vec<(Value, String)> = match item.remove("parameters") {
        Some(Value::Array(a)) => a
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pp}/parameters/{i}")))
            .collect(),
        _ => Vec::new(),
    };
    for method in METHODS {
        let Some(Value::Object(op)) = item.remove(method) else {
            continue;
        };
        let op_ptr = join(pp, method);
        let op = convert_operation(op, &op_ptr, &shared, ctx);
        item.insert(method.into(), Value::Object(op));
    }
    // Keep document order of methods as in the model (fixed order), rest untouched.
    item
}

fn convert_operation(
    mut op: Map<String, Value>,
    op_ptr: &str,
    shared: &[(Value, String)],
    ctx: &mut Upgrade<'_>,
) -> Map<String, Value> {
    let consumes = if op.contains_key("consumes") {
        strings(op.get("consumes"))
    } else {
        ctx.consumes.clone()
    };
    let produces = if op.contains_key("produces") {
        strings(op.get("produces"))
    } else {
        ctx.produces.clone()
    };
    op.remove("consumes");
    op.remove("produces");
    op.remove("schemes");

    // Merge: path-level first, operation-level overrides by (name, in).
    let own: Vec<(Value, String)> = match op.remove("parameters") {
        Some(Value::Array(a)) => a
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{op_ptr}/parameters/{i}")))
            .collect(),
        _ => Vec::new(),
    };
    let mut merged: Vec<(Value, String)> = Vec::new();
    for (p, ptr) in shared.iter().cloned().chain(own) {
        let key = param_key(&p, &ctx.root_params);
        if let Some(k) = &key
            && let Some(slot) = merged
                .iter_mut()
                .find(|(q, _)| param_key(q, &ctx.root_params).as_ref() == Some(k))
        {
            *slot = (p, ptr);
            continue;
        }
        merged.push((p, ptr));
    }

    let mut params = Vec::new();
    let mut body: Option<(Map<String, Value>, String)> = None;
    let mut form: Vec<(Map<String, Value>, String)> = Vec::new();
    for (mut p, ptr) in merged {
        let mut ptr = ptr;
        if let Some(r) = p.get("$ref").and_then(Value::as_str)
            && let Some(name) = r.strip_prefix("#/parameters/")
        {
            let name = name.replace("~1", "/").replace("~0", "~");
            match ctx.root_params.get(&name) {
                Some(target) if is_body_like(target) => {
                    p = target.clone();
                    ptr = join("/parameters", &name);
                }
                _ => {
                    p = json!({ "$ref": format!("#/components/parameters/{}", escape(&name)) });
                }
            }
        }
        rewrite_refs(&mut p, 0);
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                if let Value::Object(m) = p {
                    body = Some((m, ptr));
                }
            }
            Some("formData") => {
                if let Value::Object(m) = p {
                    form.push((m, ptr));
                }
            }
            _ => {
                let conv = format!("{op_ptr}/parameters/{}", params.len());
                ctx.map.add(join(&conv, "schema"), ptr.clone());
                ctx.map.add(conv, ptr);
                params.push(convert_param(p));
            }
        }
    }
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }

    let rb_ptr = join(op_ptr, "requestBody");
    if let Some((b, ptr)) = body {
        let rb = bodies::body_request(b, &ptr, &consumes, &rb_ptr, ctx.map);
        op.insert("requestBody".into(), rb);
    } else if !form.is_empty() {
        let rb = bodies::form_request(form, &consumes, &rb_ptr, ctx.map);
        op.insert("requestBody".into(), rb);
    }

    if let Some(Value::Object(responses)) = op.remove("responses") {
        let mut conv = Map::new();
        for (code, mut r) in responses {
            let cp = join(&join(op_ptr, "responses"), &code);
            rewrite_refs(&mut r, 0);
            let r = if code.starts_with("x-") || r.get("$ref").is_some() {
                r
            } else {
                convert_response(r, &produces, &cp, &cp, ctx.map)
            };
            conv.insert(code, r);
        }
        op.insert("responses".into(), Value::Object(conv));
    }
    op
}

fn param_key(p: &Value, root: &Map<String, Value>) -> Option<(String, String)> {
    let p = match p.get("$ref").and_then(Value::as_str) {
        Some(r) => root.get(r.strip_prefix("#/parameters/")?)?,
        None => p,
    };
    Some((
        p.get("name")?.as_str()?.to_owned(),
        p.get("in")?.as_str()?.to_owned(),
    ))
}

fn convert_security(s: Value) -> Value {
    let Value::Object(mut s) = s else { return s };
    let typ = s
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    match typ.as_str() {
        "basic" => {
            s.insert("type".into(), Value::String("http".into()));
            s.insert("scheme".into(), Value::String("basic".into()));
        }
        "oauth2" => {
            let flow = s.remove("flow").and_then(|f| f.as_str().map(str::to_owned));
            let mut f = Map::new();
            for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                if let Some(v) = s.remove(key) {
                    f.insert(key.into(), v);
                }
            }
            f.insert(
                "scopes".into(),
                s.remove("scopes").unwrap_or_else(|| json!({})),
            );
            let name = match flow.as_deref() {
                Some("accessCode") => "authorizationCode",
                Some("application") => "clientCredentials",
                Some("password") => "password",
                Some("implicit") => "implicit",
                Some(other) => other,
                None => "authorizationCode",
            }
            .to_owned();
            let mut flows = Map::new();
            flows.insert(name, Value::Object(f));
            s.insert("flows".into(), Value::Object(flows));
        }
        _ => {}
    }
    Value::Object(s)
}
