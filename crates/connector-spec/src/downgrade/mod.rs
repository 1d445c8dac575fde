//! JSON Schema 2020-12 (OpenAPI 3.1) keywords rewritten into the OpenAPI 3.0 forms the
//! `openapiv3` reader understands, before the document is read.
//!
//! `openapiv3` models OpenAPI 3.0 and silently drops keywords it does not know, so each
//! 3.1 keyword real documents use is rewritten here into an equivalent 3.0 spelling (or
//! an internal `x-cg-*` marker the normalizer reads):
//!
//! | written | read as |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [T, U]` | `oneOf: [{type: T, ..}, {type: U, ..}]` (each with its own keywords) |
//! | `const: v` | `enum: [v]` |
//! | `prefixItems: [..]`, tuple `items: [..]` | `items: {oneOf: [..]}` + `x-cg-tuple` |
//! | `$defs` (document or schema level) | hoisted into `components/schemas`, refs rewritten |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` + the siblings |
//! | `examples: [..]` | `example` (the first) |
//!
//! JSON Schema keywords with no 3.0 spelling (`patternProperties`, `if`/`then`/`else`,
//! `contentMediaType`, ...) are represented or recorded by [`keywords`].
//! | numeric `exclusiveMinimum`/`exclusiveMaximum` | bound + `true` |
//!
//! Type arrays, tuples, `const` and a nullable `$ref` also appear in Swagger 2.0 and
//! OpenAPI 3.0 documents in the wild, so those run for every document; for 3.0 a `$ref`
//! keeps only `nullable`/`x-nullable` siblings (the 3.0 rules ignore the others).

mod keywords;

use serde_json::{Map, Value};

use crate::diagnostics::DiagnosticKind;
use crate::pointer::escape;
use crate::report::Reporter;
use crate::source::MAX_DEPTH;

pub(crate) use keywords::{X_MEDIA_TYPE, X_VALIDATION};

/// Marks an array schema whose `items.oneOf` lists the positions of a tuple.
pub(crate) const X_TUPLE: &str = "x-cg-tuple";

/// Keys whose value is a map from names to objects (the names are not keywords).
const NAMED_MAPS: [&str; 14] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "headers",
    "responses",
    "parameters",
    "requestBodies",
    "callbacks",
    "webhooks",
    "paths",
    "content",
    "encoding",
];

/// Keys whose value is data, not definition: never rewritten.
const DATA_KEYS: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// Keywords that belong to one JSON type, moved into that type's member when a type
/// array becomes a `oneOf`.
const TYPE_KEYWORDS: [(&str, &[&str]); 5] = [
    (
        "string",
        &[
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    (
        "integer",
        &[
            "format",
            "minimum",
            "maximum",
            "multipleOf",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ],
    ),
    (
        "number",
        &[
            "format",
            "minimum",
            "maximum",
            "multipleOf",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ],
    ),
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// Rewrites the document in place (see the module docs); warns, with
/// [`DiagnosticKind::DegradedSchema`], about what is read looser than written.
pub(crate) fn downgrade(doc: &mut Value, rep: &mut Reporter<'_>) {
    let full = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    if full {
        hoist_defs(doc);
    }
    let mut w = Walk {
        full,
        path: Vec::new(),
        rep,
    };
    w.node(doc, 0);
}

struct Walk<'w, 'r> {
    /// OpenAPI 3.1: every rewrite; otherwise those seen in older documents too.
    full: bool,
    path: Vec<String>,
    rep: &'w mut Reporter<'r>,
}

impl Walk<'_, '_> {
    fn degraded(&mut self, message: &str) {
        let mut p = String::new();
        for t in &self.path {
            p.push('/');
            p.push_str(&escape(t));
        }
        self.rep
            .warn_kind(DiagnosticKind::DegradedSchema, &p, message.to_owned());
    }

    fn node(&mut self, v: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(m) => {
                self.schema_keywords(m);
                for (k, x) in m.iter_mut() {
                    if DATA_KEYS.contains(&k.as_str()) || k.starts_with("x-") {
                        continue;
                    }
                    self.path.push(k.clone());
                    if NAMED_MAPS.contains(&k.as_str()) {
                        if let Value::Object(named) = x {
                            for (name, y) in named.iter_mut() {
                                self.path.push(name.clone());
                                self.node(y, depth + 2);
                                self.path.pop();
                            }
                        } else {
                            self.node(x, depth + 1);
                        }
                    } else {
                        self.node(x, depth + 1);
                    }
                    self.path.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter_mut().enumerate() {
                    self.path.push(i.to_string());
                    self.node(x, depth + 1);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    /// The rewrites of one object that may be a schema.
    fn schema_keywords(&mut self, m: &mut Map<String, Value>) {
        self.recursive_ref(m);
        if m.contains_key("$ref") {
            self.ref_siblings(m);
            if !m.contains_key("$ref") {
                self.json_schema_keywords(m);
            }
            return;
        }
        if let Some(c) = m.shift_remove("const") {
            m.insert("enum".into(), Value::Array(vec![c]));
        }
        if self.full {
            for (key, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(n @ Value::Number(_)) = m.get(key).cloned() {
                    m.insert(bound.into(), n);
                    m.insert(key.into(), Value::Bool(true));
                }
            }
            if matches!(m.get("examples"), Some(Value::Array(_)))
                && let Some(Value::Array(mut examples)) = m.shift_remove("examples")
                && !examples.is_empty()
                && !m.contains_key("example")
            {
                m.insert("example".into(), examples.swap_remove(0));
            }
        }
        if matches!(m.get("type"), Some(Value::Array(_))) {
            self.type_array(m);
        }
        self.tuple(m);
        self.json_schema_keywords(m);
    }

    /// `type: [..]`: one type (plus `"null"`) stays a type; several become a `oneOf`.
    fn type_array(&mut self, m: &mut Map<String, Value>) {
        let Some(Value::Array(types)) = m.shift_remove("type") else {
            return;
        };
        let mut non_null: Vec<String> = Vec::new();
        let mut nullable = false;
        for t in &types {
            match t.as_str() {
                Some("null") => nullable = true,
                Some(t) if !non_null.iter().any(|n| n == t) => non_null.push(t.to_owned()),
                _ => {}
            }
        }
        if nullable {
            m.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [] => {}
            [one] => {
                m.insert("type".into(), Value::String(one.clone()));
            }
            many => {
                if ["oneOf", "anyOf", "allOf"]
                    .iter()
                    .any(|k| m.contains_key(*k))
                {
                    self.degraded(
                        "a type array next to oneOf/anyOf/allOf; the type list is ignored",
                    );
                    return;
                }
                let members = many
                    .iter()
                    .map(|t| {
                        let mut member = Map::new();
                        member.insert("type".into(), Value::String(t.clone()));
                        let keys = TYPE_KEYWORDS
                            .iter()
                            .find(|(name, _)| name == t)
                            .map_or(&[][..], |(_, k)| *k);
                        for k in keys {
                            if let Some(v) = m.get(*k) {
                                member.insert((*k).to_owned(), v.clone());
                            }
                        }
                        if let Some(Value::Array(values)) = m.get("enum") {
                            let fitting: Vec<Value> = values
                                .iter()
                                .filter(|v| json_type_fits(t, v))
                                .cloned()
                                .collect();
                            if !fitting.is_empty() {
                                member.insert("enum".into(), Value::Array(fitting));
                            }
                        }
                        Value::Object(member)
                    })
                    .collect();
                for (_, keys) in TYPE_KEYWORDS {
                    for k in keys {
                        m.shift_remove(*k);
                    }
                }
                m.shift_remove("enum");
                m.insert("oneOf".into(), Value::Array(members));
            }
        }
    }

    /// `prefixItems: [..]` or `items: [..]`: a tuple, marked for the normalizer.
    fn tuple(&mut self, m: &mut Map<String, Value>) {
        let positions = match (m.get("prefixItems"), m.get("items")) {
            (Some(Value::Array(_)), _) => m.shift_remove("prefixItems"),
            (None, Some(Value::Array(_))) => m.shift_remove("items"),
            _ => return,
        };
        let Some(Value::Array(positions)) = positions else {
            return;
        };
        // Items past the tuple's positions: `items` (3.1) or `additionalItems` (older).
        let rest = match m.shift_remove("items") {
            Some(Value::Bool(false)) | None => m.shift_remove("additionalItems"),
            other => {
                m.shift_remove("additionalItems");
                other
            }
        };
        let rest = rest.filter(|r| *r != Value::Bool(false));
        let mut members = positions;
        if members.is_empty() {
            return;
        }
        if let Some(rest) = rest {
            self.degraded("a tuple with further items of another shape; read as an array of any of its shapes");
            members.push(if rest == Value::Bool(true) {
                Value::Object(Map::new())
            } else {
                rest
            });
        } else {
            m.insert(X_TUPLE.into(), Value::Bool(true));
        }
        let mut items = Map::new();
        items.insert("oneOf".into(), Value::Array(members));
        m.insert("items".into(), Value::Object(items));
        m.entry("type")
            .or_insert_with(|| Value::String("array".into()));
    }

    /// `$ref` with siblings: an `allOf` of the reference, so the siblings are kept
    /// (3.1 allows them; older documents put `nullable` / `x-nullable` there too).
    fn ref_siblings(&mut self, m: &mut Map<String, Value>) {
        let is_schema_ref = m.get("$ref").and_then(Value::as_str).is_some_and(|r| {
            r.contains("/schemas/") || r.contains("/$defs/") || r.contains("/definitions/")
        });
        if !is_schema_ref || m.len() < 2 {
            return;
        }
        let flag = |m: &Map<String, Value>, k: &str| m.get(k) == Some(&Value::Bool(true));
        let keep = if self.full {
            m.keys().any(|k| k != "$ref" && k != "summary")
        } else {
            flag(m, "nullable") || flag(m, "x-nullable")
        };
        if !keep {
            return;
        }
        let Some(reference) = m.shift_remove("$ref") else {
            return;
        };
        if !self.full {
            m.retain(|k, _| k == "nullable" || k == "x-nullable" || k == "description");
        }
        let mut part = Map::new();
        part.insert("$ref".into(), reference);
        m.insert("allOf".into(), Value::Array(vec![Value::Object(part)]));
        if m.shift_remove("x-nullable") == Some(Value::Bool(true)) {
            m.insert("nullable".into(), Value::Bool(true));
        }
    }
}

fn json_type_fits(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Moves every `$defs` entry (of the document, or nested anywhere in a component
/// schema) into `components/schemas` under a free name, and rewrites the references.
fn hoist_defs(doc: &mut Value) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    // (old reference prefix, wanted name, schema)
    let mut queue: Vec<(String, String, Value)> = Vec::new();
    if let Some(Value::Object(defs)) = root.shift_remove("$defs") {
        for (k, v) in defs {
            queue.push((format!("#/$defs/{}", escape(&k)), k, v));
        }
    }
    let schemas = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = schemas.as_object_mut() else {
        return;
    };
    let had_schemas = components.contains_key("schemas");
    let Some(schemas) = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
    else {
        return;
    };
    for (name, s) in schemas.iter_mut() {
        let base = format!("#/components/schemas/{}", escape(name));
        take_defs(s, &base, &mut queue, 0);
    }
    if queue.is_empty() {
        if !had_schemas {
            components.shift_remove("schemas");
        }
        return;
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut guard = 0;
    while let Some((old, wanted, mut schema)) = queue.pop() {
        guard += 1;
        if guard > 10_000 {
            break;
        }
        take_defs(&mut schema, &old, &mut queue, 0);
        let mut name = wanted.clone();
        let mut i = 2;
        while schemas.contains_key(&name) {
            name = format!("{wanted}{i}");
            i += 1;
        }
        renamed.push((old, format!("#/components/schemas/{}", escape(&name))));
        schemas.insert(name, schema);
    }
    // Longest prefixes first, so a nested definition's own pointer wins.
    renamed.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    rewrite_refs(doc, &renamed, 0);
}

/// Removes nested `$defs` from `v` (its pointer is `base`), queueing each entry.
fn take_defs(v: &mut Value, base: &str, queue: &mut Vec<(String, String, Value)>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(defs)) = m.shift_remove("$defs") {
                for (k, d) in defs {
                    queue.push((format!("{base}/$defs/{}", escape(&k)), k, d));
                }
            }
            for (k, x) in m.iter_mut() {
                if DATA_KEYS.contains(&k.as_str()) {
                    continue;
                }
                take_defs(x, &format!("{base}/{}", escape(k)), queue, depth + 1);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                take_defs(x, &format!("{base}/{i}"), queue, depth + 1);
            }
        }
        _ => {}
    }
}

fn rewrite_refs(v: &mut Value, renamed: &[(String, String)], depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                for (old, new) in renamed {
                    if let Some(rest) = r.strip_prefix(old.as_str())
                        && (rest.is_empty() || rest.starts_with('/'))
                    {
                        *r = format!("{new}{rest}");
                        break;
                    }
                }
            }
            for (_, x) in m.iter_mut() {
                rewrite_refs(x, renamed, depth + 1);
            }
        }
        Value::Array(a) => {
            for x in a {
                rewrite_refs(x, renamed, depth + 1);
            }
        }
        _ => {}
    }
}
