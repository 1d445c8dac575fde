//! What a rule sees: the normalized connector, the documents as written, and pointers
//! from model items back to where they are written.

use std::collections::HashSet;

use connector_spec::raw::pointer_join;
use connector_spec::{Connector, Operation, ParamLocation, Parameter, Schema, SchemaKind};
use serde_json::Value;

static NULL: Value = Value::Null;

/// Input of every rule.
pub(crate) struct Subject<'a> {
    /// The normalized connector.
    pub c: &'a Connector,
    /// The definition as written (`Null` when unreadable).
    pub doc: &'a Value,
    /// Pointer of each operation of `c.operations`, in the definition.
    op_pointers: Vec<String>,
    /// Every declared operationId.
    pub declared_ids: HashSet<&'a str>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Subject<'a> {
    pub fn new(c: &'a Connector, doc: Option<&'a Value>) -> Self {
        let doc = doc.unwrap_or(&NULL);
        let op_pointers = c.operations.iter().map(|op| op_pointer(doc, op)).collect();
        let declared_ids = c
            .operations
            .iter()
            .filter_map(|o| o.declared_id.as_deref())
            .collect();
        Subject {
            c,
            doc,
            op_pointers,
            declared_ids,
        }
    }

    /// Whether the definition is Swagger 2.0.
    pub fn is_swagger2(&self) -> bool {
        self.doc.get("swagger").is_some()
    }

    /// Pointer of operation `i`.
    pub fn op(&self, i: usize) -> &str {
        self.op_pointers.get(i).map_or("", String::as_str)
    }

    /// Operation `i` as written (`Null` when not found).
    pub fn raw_op(&self, i: usize) -> &'a Value {
        self.doc.pointer(self.op(i)).unwrap_or(&NULL)
    }

    /// `x-ms-api-annotation` of operation `i` as written.
    pub fn annotation(&self, i: usize) -> Option<&'a serde_json::Map<String, Value>> {
        self.raw_op(i)
            .get("x-ms-api-annotation")
            .and_then(Value::as_object)
    }

    /// Pointer of a parameter of operation `i` (operation level, else path level, else
    /// the operation).
    pub fn param(&self, i: usize, p: &Parameter) -> String {
        let op = self.op(i);
        let path_item = op.rsplit_once('/').map_or("", |(head, _)| head);
        for base in [op, path_item] {
            let list = pointer_join(base, "parameters");
            if let Some(Value::Array(items)) = self.doc.pointer(&list) {
                for (n, item) in items.iter().enumerate() {
                    let item = self.deref(item);
                    if item.get("name").and_then(Value::as_str) == Some(p.name.as_str())
                        && item.get("in").and_then(Value::as_str) == Some(location(p.location))
                    {
                        return format!("{list}/{n}");
                    }
                }
            }
        }
        op.to_owned()
    }

    /// Follows a local `$ref` (one level) in the definition.
    pub fn deref(&self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix('#')
                .and_then(|p| self.doc.pointer(p))
                .unwrap_or(v),
            None => v,
        }
    }

    /// Pointer of a named schema.
    pub fn schema_pointer(&self, name: &str) -> String {
        let base = if self.is_swagger2() {
            "/definitions"
        } else {
            "/components/schemas"
        };
        pointer_join(base, name)
    }

    /// Follows references to named schemas (bounded).
    pub fn resolve<'s>(&'s self, mut s: &'s Schema) -> &'s Schema {
        for _ in 0..16 {
            match &s.kind {
                SchemaKind::Ref(name) => match self.c.schemas.get(name) {
                    Some(next) => s = next,
                    None => return s,
                },
                _ => return s,
            }
        }
        s
    }

    /// Whether an operation with this declared operationId exists.
    pub fn has_operation(&self, id: &str) -> bool {
        self.declared_ids.contains(id)
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Finds an operation in the document: by path and method, else by operationId.
fn op_pointer(doc: &Value, op: &Operation) -> String {
    let method = op.method.as_str().to_ascii_lowercase();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return String::new();
    };
    if paths.get(&op.path).and_then(|p| p.get(&method)).is_some() {
        return pointer_join(&pointer_join("/paths", &op.path), &method);
    }
    if let Some(id) = &op.declared_id {
        for (path, item) in paths {
            for m in METHODS {
                if item
                    .get(m)
                    .and_then(|o| o.get("operationId"))
                    .and_then(Value::as_str)
                    == Some(id.as_str())
                {
                    return pointer_join(&pointer_join("/paths", path), m);
                }
            }
        }
    }
    "/paths".to_owned()
}
