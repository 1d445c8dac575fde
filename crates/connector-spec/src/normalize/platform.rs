//! Power Platform extensions read into typed model fields, with a located warning for
//! each malformed value (the value is then ignored, or read as the platform would).
//! Nothing downstream reads the raw extension maps.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::Norm;
use crate::model::{
    ConnectorMetadata, DesignerCapabilities, DynamicArgument, DynamicParameter, DynamicSchema,
    DynamicSchemaSource, DynamicTree, DynamicTreeCall, DynamicValues, DynamicValuesSource,
    NotificationContent, Operation, Pageable, PagingOrigin, PagingPattern, Schema, SchemaKind,
    TriggerKind,
};

/// `x-ms-pageable` in the model: a next link (or a single page) and the items' property.
fn ms_pageable(next_link_name: Option<String>, item_name: String) -> Pageable {
    Pageable {
        items: item_name,
        pattern: PagingPattern::NextLink {
            path: next_link_name,
        },
        origin: PagingOrigin::Declared("x-ms-pageable".to_owned()),
    }
}

/// Extension maps as the parser gives them.
type Ext = IndexMap<String, Value>;

/// A short description of a JSON value's type, for warnings.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A boolean the platform accepts: `true`/`false` or the strings `"true"`/`"false"`.
fn flag_value(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

impl<'a> Norm<'a, '_> {
    /// Warns at `<current pointer>/<key>`.
    fn warn_at(&mut self, key: &'a str, message: String) {
        self.at(key, |n| n.warn(message));
    }

    /// A boolean extension (`x-ms-notification-url`, `x-ms-require-user-confirmation`);
    /// other values warn and read as false.
    pub(crate) fn flag(&mut self, ext: &'a Ext, key: &'a str) -> bool {
        let Some(v) = ext.get(key) else { return false };
        flag_value(v).unwrap_or_else(|| {
            self.warn_at(
                key,
                format!(
                    "`{key}` should be true or false, not {}; read as false",
                    kind_of(v)
                ),
            );
            false
        })
    }

    /// A text extension (`x-ms-trigger-hint`); other values warn and are ignored.
    pub(crate) fn text(&mut self, ext: &'a Ext, key: &'a str) -> Option<String> {
        match ext.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => {
                let kind = kind_of(other);
                self.warn_at(
                    key,
                    format!("`{key}` should be a string, not {kind}; ignored"),
                );
                None
            }
        }
    }

    /// `x-ms-summary`: text (numbers and booleans as written); objects and arrays warn.
    pub(crate) fn summary(&mut self, ext: &'a Ext) -> Option<String> {
        const KEY: &str = "x-ms-summary";
        match ext.get(KEY)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            other => {
                let kind = kind_of(other);
                self.warn_at(KEY, format!("`{KEY}` should be text, not {kind}; ignored"));
                None
            }
        }
    }

    /// `x-ms-trigger`, lower-case; values that are not `batch` or `single` warn.
    pub(crate) fn trigger(&mut self, ext: &'a Ext) -> Option<TriggerKind> {
        const KEY: &str = "x-ms-trigger";
        let text = match ext.get(KEY)? {
            Value::Null => return None,
            Value::String(s) if s.trim().is_empty() => {
                self.warn_at(KEY, format!("`{KEY}` is empty; not a trigger"));
                return None;
            }
            Value::String(s) => s.trim().to_ascii_lowercase(),
            other => other.to_string(),
        };
        Some(match text.as_str() {
            "batch" => TriggerKind::Batch,
            "single" => TriggerKind::Single,
            _ => {
                self.warn_at(
                    KEY,
                    format!("`{KEY}` `{text}` is neither `batch` nor `single`"),
                );
                TriggerKind::Other(text)
            }
        })
    }

    /// `x-ms-url-encoding`: `double` or `single` (the default); other values warn.
    pub(crate) fn double_encoded(&mut self, ext: &'a Ext) -> bool {
        const KEY: &str = "x-ms-url-encoding";
        match ext.get(KEY) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("double") => true,
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("single") => false,
            Some(other) => {
                self.warn_at(
                    KEY,
                    format!("`{KEY}` should be `single` or `double`, not {other}; using single"),
                );
                false
            }
        }
    }

    /// `x-ms-test-value` as text; objects and arrays are kept as JSON text with a warning.
    pub(crate) fn test_value(&mut self, ext: &'a Ext) -> Option<String> {
        const KEY: &str = "x-ms-test-value";
        match ext.get(KEY)? {
            Value::String(s) => Some(s.clone()),
            v @ (Value::Array(_) | Value::Object(_)) => {
                let kind = kind_of(v);
                self.warn_at(
                    KEY,
                    format!("`{KEY}` should be a scalar, not {kind}; kept as JSON text"),
                );
                Some(v.to_string())
            }
            other => Some(other.to_string()),
        }
    }

    /// `x-ms-pageable`: `nextLinkName` defaults to `nextLink` (explicit `null`: none),
    /// `itemName` to `value`; malformed members warn and take the default.
    pub(crate) fn pageable(&mut self, ext: &'a Ext) -> Option<Pageable> {
        const KEY: &str = "x-ms-pageable";
        let p = match ext.get(KEY)? {
            Value::Null | Value::Bool(false) => return None,
            Value::Object(p) => p,
            other => {
                let kind = kind_of(other);
                self.warn_at(
                    KEY,
                    format!("`{KEY}` should be an object, not {kind}; using the defaults"),
                );
                return Some(ms_pageable(Some("nextLink".to_owned()), "value".to_owned()));
            }
        };
        let next_link_name = match p.get("nextLinkName") {
            None => Some("nextLink".to_owned()),
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) => None,
            Some(other) => {
                let message = format!(
                    "`nextLinkName` should be a string or null, not {}; no next link",
                    kind_of(other)
                );
                self.at(KEY, |n| n.warn_at("nextLinkName", message));
                None
            }
        };
        let item_name = match p.get("itemName") {
            None | Some(Value::Null) => "value".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let message = format!(
                    "`itemName` should be a string, not {}; using `value`",
                    kind_of(other)
                );
                self.at(KEY, |n| n.warn_at("itemName", message));
                "value".to_owned()
            }
        };
        Some(ms_pageable(next_link_name, item_name))
    }

    /// A trimmed, non-empty string member of an extension object; other types warn.
    fn member_text(&mut self, obj: &'a Map<String, Value>, key: &'a str) -> Option<String> {
        match obj.get(key)? {
            Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned),
            Value::Null => None,
            other => {
                let kind = kind_of(other);
                self.warn_at(
                    key,
                    format!("`{key}` should be a string, not {kind}; ignored"),
                );
                None
            }
        }
    }

    /// An extension that must be an object: `None` (with a warning) otherwise.
    fn object_ext(&mut self, ext: &'a Ext, key: &'a str) -> Option<&'a Map<String, Value>> {
        match ext.get(key)? {
            Value::Object(o) => Some(o),
            Value::Null => None,
            other => {
                let kind = kind_of(other);
                self.warn_at(
                    key,
                    format!("`{key}` should be an object, not {kind}; ignored"),
                );
                None
            }
        }
    }

    /// The `parameters` object of a dynamic call.
    fn dynamic_parameters(&mut self, obj: &'a Map<String, Value>) -> Vec<DynamicParameter> {
        let params = match obj.get("parameters") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Object(p)) => p,
            Some(other) => {
                let kind = kind_of(other);
                self.warn_at(
                    "parameters",
                    format!("`parameters` should be an object, not {kind}; ignored"),
                );
                return Vec::new();
            }
        };
        let named = |o: &Map<String, Value>, key: &str| {
            o.get(key).and_then(Value::as_str).map(str::to_owned)
        };
        params
            .iter()
            .map(|(name, v)| {
                let argument = match v {
                    Value::Object(o) if o.contains_key("parameter") => {
                        DynamicArgument::Reference(named(o, "parameter"))
                    }
                    Value::Object(o) if o.contains_key("parameterReference") => {
                        DynamicArgument::Reference(named(o, "parameterReference"))
                    }
                    Value::Object(o) if o.contains_key("value") => {
                        DynamicArgument::Literal(o.get("value").cloned().unwrap_or(Value::Null))
                    }
                    Value::Object(_) | Value::Array(_) | Value::Null => {
                        DynamicArgument::Reference(None)
                    }
                    other => DynamicArgument::Literal(other.clone()),
                };
                DynamicParameter {
                    name: name.clone(),
                    argument,
                }
            })
            .collect()
    }

    /// `x-ms-dynamic-values`, else `x-ms-dynamic-list`: the first that names an
    /// `operationId`, else the first that names a designer `capability`; one that names
    /// neither warns and is ignored.
    pub(crate) fn dynamic_values(&mut self, ext: &'a Ext) -> Option<DynamicValues> {
        let sources = [
            (
                DynamicValuesSource::Values,
                ["value-collection", "value-path", "value-title"],
            ),
            (
                DynamicValuesSource::List,
                ["itemsPath", "itemValuePath", "itemTitlePath"],
            ),
        ];
        let mut by_capability = None;
        for (source, [collection, value, title]) in sources {
            let key = source.extension();
            let Some(obj) = self.object_ext(ext, key) else {
                continue;
            };
            let read = self.at(key, |n| {
                let operation_id = n.member_text(obj, "operationId");
                let capability = n.member_text(obj, "capability");
                if operation_id.is_none() && capability.is_none() {
                    n.warn(format!(
                        "`{key}` names no `operationId` (nor `capability`); ignored"
                    ));
                    return None;
                }
                Some(DynamicValues {
                    source,
                    operation_id,
                    capability,
                    parameters: n.dynamic_parameters(obj),
                    collection: n.member_text(obj, collection),
                    value_path: n.member_text(obj, value),
                    title_path: n.member_text(obj, title),
                })
            });
            match read {
                Some(v) if v.operation_id.is_some() => return Some(v),
                Some(v) => {
                    by_capability.get_or_insert(v);
                }
                None => {}
            }
        }
        by_capability
    }

    /// `x-ms-dynamic-schema`, else `x-ms-dynamic-properties`. The schema stays dynamic
    /// when the extension names no operation (with a warning).
    pub(crate) fn dynamic_schema(&mut self, ext: &'a Ext) -> Option<DynamicSchema> {
        let mut first = None;
        for (source, value) in [
            (DynamicSchemaSource::Schema, "value-path"),
            (DynamicSchemaSource::Properties, "itemValuePath"),
        ] {
            let key = source.extension();
            let Some(v) = ext.get(key) else { continue };
            let Value::Object(obj) = v else {
                let kind = kind_of(v);
                self.warn_at(
                    key,
                    format!("`{key}` should be an object, not {kind}; the schema stays dynamic"),
                );
                first.get_or_insert(DynamicSchema {
                    source,
                    operation_id: None,
                    parameters: Vec::new(),
                    value_path: None,
                });
                continue;
            };
            let read = self.at(key, |n| DynamicSchema {
                source,
                operation_id: n.member_text(obj, "operationId"),
                parameters: n.dynamic_parameters(obj),
                value_path: n.member_text(obj, value),
            });
            if read.operation_id.is_some() {
                return Some(read);
            }
            self.warn_at(
                key,
                format!("`{key}` names no `operationId`; the schema stays dynamic"),
            );
            first.get_or_insert(read);
        }
        first
    }

    /// `x-ms-dynamic-tree`.
    pub(crate) fn dynamic_tree(&mut self, ext: &'a Ext) -> Option<DynamicTree> {
        const KEY: &str = "x-ms-dynamic-tree";
        let obj = self.object_ext(ext, KEY)?;
        Some(self.at(KEY, |n| {
            let settings = obj.get("settings").and_then(Value::as_object);
            let setting = |name: &str| settings.and_then(|s| s.get(name)).and_then(flag_value);
            DynamicTree {
                can_select_parents: setting("canSelectParentNodes").unwrap_or(false),
                can_select_leaves: setting("canSelectLeafNodes").unwrap_or(true),
                open: n.tree_call(obj, "open"),
                browse: n.tree_call(obj, "browse"),
            }
        }))
    }

    fn tree_call(&mut self, tree: &'a Map<String, Value>, key: &'a str) -> Option<DynamicTreeCall> {
        let obj = match tree.get(key)? {
            Value::Object(o) => o,
            other => {
                let kind = kind_of(other);
                self.warn_at(
                    key,
                    format!("`{key}` should be an object, not {kind}; ignored"),
                );
                return None;
            }
        };
        self.at(key, |n| {
            let operation_id = n.member_text(obj, "operationId");
            if operation_id.is_none() {
                n.warn(format!("`{key}` names no `operationId`; ignored"));
            }
            Some(DynamicTreeCall {
                operation_id: operation_id?,
                parameters: n.dynamic_parameters(obj),
                value_path: n.member_text(obj, "itemValuePath"),
                title_path: n.member_text(obj, "itemTitlePath"),
                is_parent: n.member_text(obj, "itemIsParent"),
            })
        })
    }

    /// `x-ms-notification-content` of a path item: a `$ref` to a named schema (or an
    /// array of one) is typed; an inline schema stays any JSON value.
    pub(crate) fn notification_content(&mut self, ext: &'a Ext) -> Option<NotificationContent> {
        const KEY: &str = "x-ms-notification-content";
        let obj = self.object_ext(ext, KEY)?;
        Some(self.at(KEY, |n| {
            let description = n.member_text(obj, "description");
            let schema = match obj.get("schema") {
                None | Some(Value::Null) => Schema::default(),
                Some(raw) => n.at("schema", |n| n.notification_schema(raw)),
            };
            NotificationContent {
                description,
                schema,
            }
        }))
    }

    fn notification_schema(&mut self, raw: &'a Value) -> Schema {
        let named = |n: &mut Self, v: &Value| -> Option<Schema> {
            let r = v.get("$ref")?.as_str()?;
            let name = r.rsplit('/').next().unwrap_or(r);
            if n.schema_named(name).is_some() {
                return Some(Schema::new(SchemaKind::Ref(name.to_owned())));
            }
            n.warn(format!(
                "reference to unknown schema `{name}`; read as any value"
            ));
            None
        };
        if !raw.is_object() {
            self.warn(format!(
                "the schema should be an object, not {}; read as any value",
                kind_of(raw)
            ));
            return Schema::default();
        }
        if let Some(s) = named(self, raw) {
            return s;
        }
        if raw.get("type").and_then(Value::as_str) == Some("array")
            && let Some(items) = raw.get("items")
            && let Some(item) = self.at("items", |n| named(n, items))
        {
            return Schema::new(SchemaKind::Array(Box::new(item)));
        }
        Schema::default()
    }

    /// `x-ms-capabilities` at the document root.
    pub(crate) fn designer_capabilities(&mut self, ext: &'a Ext) -> DesignerCapabilities {
        const KEY: &str = "x-ms-capabilities";
        let Some(caps) = self.object_ext(ext, KEY) else {
            return DesignerCapabilities::default();
        };
        let test_connection = caps.get("testConnection").and_then(|t| {
            let id = t
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if id.is_none() {
                self.at(KEY, |n| {
                    n.warn_at(
                        "testConnection",
                        "`testConnection` names no `operationId`; ignored".to_owned(),
                    )
                });
            }
            id
        });
        let mut others: Vec<String> = caps
            .keys()
            .filter(|k| k.as_str() != "testConnection")
            .cloned()
            .collect();
        others.sort();
        DesignerCapabilities {
            test_connection,
            others,
        }
    }

    /// `x-ms-connector-metadata` at the document root; entries without a
    /// `propertyName` string or a `propertyValue` warn and are skipped.
    pub(crate) fn connector_metadata(&mut self, ext: &'a Ext) -> Vec<ConnectorMetadata> {
        const KEY: &str = "x-ms-connector-metadata";
        let entries = match ext.get(KEY) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(a)) => a,
            Some(other) => {
                let kind = kind_of(other);
                self.warn_at(
                    KEY,
                    format!("`{KEY}` should be an array, not {kind}; ignored"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let name = e.get("propertyName").and_then(Value::as_str);
            let value = e.get("propertyValue").map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            match (name, value) {
                (Some(name), Some(value)) => out.push(ConnectorMetadata { name: name.to_owned(), value }),
                _ => self.at(KEY, |n| {
                    n.at(i.to_string(), |n| {
                        n.warn("a metadata entry needs a `propertyName` string and a `propertyValue`; skipped".to_owned())
                    })
                }),
            }
        }
        out
    }
}

/// Marks the operations an `x-ms-openai-data.operations[]` entry (at the operation or the
/// document root) asks to confirm with the user. Runs once ids are final.
pub(crate) fn openai_confirmations(ops: &mut [Operation], root: &Ext) {
    let entries = |data: Option<&Value>| -> Vec<(String, bool)> {
        data.and_then(|d| d.get("operations"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let id = e.get("operationId")?.as_str()?.to_owned();
                let on = e
                    .get("x-ms-require-user-confirmation")
                    .and_then(flag_value)
                    .unwrap_or(false);
                Some((id, on))
            })
            .collect()
    };
    let global = entries(root.get("x-ms-openai-data"));
    for op in ops.iter_mut() {
        let own = entries(op.extensions.get("x-ms-openai-data"));
        if own
            .iter()
            .chain(&global)
            .any(|(id, on)| *on && *id == op.id)
        {
            op.requires_confirmation = true;
        }
    }
}
