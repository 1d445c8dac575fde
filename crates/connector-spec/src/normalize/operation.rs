//! Operations: parameters (merged, `$ref`s resolved), bodies, responses, lifecycle,
//! paging, and stable operation ids.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{Parameter as OParam, ParameterSchemaOrContent, QueryStyle, ReferenceOr};
use serde_json::Value;

use super::Norm;
use super::schema::extensions;
use crate::model::{
    CollectionFormat, Method, Operation, ParamLocation, Parameter, RequestBody, Response, Schema,
    SchemaKind, Status, StatusCode,
};
use crate::repair::X_DROPPED;
use crate::swagger2::{X_BODY_NAME, X_COLLECTION_FORMAT};
use crate::versioning;

const MAX_REF_HOPS: usize = 16;

/// Path-item extension describing a webhook's notification payload.
const NOTIFICATION_CONTENT: &str = "x-ms-notification-content";

impl<'a> Norm<'a, '_> {
    pub(crate) fn operations(
        &mut self,
        api_status: Status,
        schemas: &BTreeMap<String, Schema>,
    ) -> Vec<Operation> {
        let api = self.api;
        let mut ops = Vec::new();
        self.path.clear();
        self.path.push("paths".into());
        for (path, item) in &api.paths.paths {
            self.path.push(Cow::Borrowed(path.as_str()));
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    self.warn("path item references are not supported; ignored".to_owned());
                    self.path.pop();
                    continue;
                }
            };
            // The webhook payload is declared on the path item; its trigger operation
            // is what reads it.
            let notification = self.notification_content(&item.extensions);
            for (method, key, op) in super::webhooks::methods(item) {
                let Some(op) = op else { continue };
                self.path.push(Cow::Borrowed(key));
                let mut o = self.operation(method, path, &item.parameters, op, api_status, schemas);
                if o.notification.is_none() {
                    o.notification = notification.clone();
                }
                if let Some(content) = item.extensions.get(NOTIFICATION_CONTENT) {
                    o.extensions
                        .entry(NOTIFICATION_CONTENT.to_owned())
                        .or_insert_with(|| content.clone());
                }
                ops.push(o);
                self.path.pop();
            }
            self.path.pop();
        }
        self.path.clear();
        self.assign_ids(&mut ops);
        ops
    }

    fn operation(
        &mut self,
        method: Method,
        path: &str,
        shared: &'a [ReferenceOr<OParam>],
        op: &'a openapiv3::Operation,
        api_status: Status,
        schemas: &BTreeMap<String, Schema>,
    ) -> Operation {
        // Parameters: path-level first, operation-level wins by (name, location).
        let mut params: Vec<Parameter> = Vec::new();
        let depth_base = self.path.len();
        for (level, list) in [(0, shared), (1, &op.parameters[..])] {
            for (i, p) in list.iter().enumerate() {
                let tokens: [Cow<'a, str>; 2] = ["parameters".into(), i.to_string().into()];
                if level == 0 {
                    // Path-level: pointer is relative to the path item.
                    let saved = self.path.pop();
                    self.path.extend(tokens);
                    let conv = self.parameter(p);
                    self.path.truncate(depth_base - 1);
                    if let Some(s) = saved {
                        self.path.push(s);
                    }
                    merge_param(&mut params, conv);
                } else {
                    self.path.extend(tokens);
                    let conv = self.parameter(p);
                    self.path.truncate(depth_base);
                    merge_param(&mut params, conv);
                }
            }
        }

        let body = op
            .request_body
            .as_ref()
            .and_then(|rb| self.at("requestBody", |n| n.request_body(rb, schemas)));

        let mut responses = Vec::new();
        self.path.push("responses".into());
        if let Some(d) = &op.responses.default
            && let Some(r) = self.at("default", |n| n.response(StatusCode::Default, d))
        {
            responses.push(r);
        }
        for (code, r) in &op.responses.responses {
            let status = match code {
                openapiv3::StatusCode::Code(c) => StatusCode::Code(*c),
                openapiv3::StatusCode::Range(r) => StatusCode::Range(u8::try_from(*r).unwrap_or(0)),
            };
            let key = code.to_string();
            if let Some(r) = self.at(key, |n| n.response(status, r)) {
                responses.push(r);
            }
        }
        self.path.pop();
        responses.sort_by_key(|r| r.status);

        let declared_id = op.operation_id.clone();
        let id = declared_id.clone().unwrap_or_default();
        let (lifecycle, warning) =
            versioning::lifecycle(&op.extensions, op.deprecated, &id, api_status);
        if let Some(w) = warning {
            self.at("x-ms-api-annotation", |n| n.at("revision", |n| n.warn(w)));
        }
        Operation {
            id,
            declared_id,
            method,
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            parameters: params,
            body,
            responses,
            lifecycle,
            pageable: self.pageable(&op.extensions),
            security: op.security.as_ref().map(|s| super::security::names(s)),
            trigger: self.trigger(&op.extensions),
            trigger_hint: self.text(&op.extensions, "x-ms-trigger-hint"),
            notification: self.notification_content(&op.extensions),
            requires_confirmation: self.flag(&op.extensions, "x-ms-require-user-confirmation"),
            extensions: extensions(&op.extensions),
        }
    }

    fn resolve<T>(
        &mut self,
        mut r: &'a ReferenceOr<T>,
        prefix: &str,
        group: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<&'a T> {
        for _ in 0..MAX_REF_HOPS {
            match r {
                ReferenceOr::Item(t) => return Some(t),
                ReferenceOr::Reference { reference } => {
                    let target = reference
                        .strip_prefix(prefix)
                        .map(|n| n.replace("~1", "/").replace("~0", "~"))
                        .and_then(|n| self.api.components.as_ref().and_then(|c| group(c).get(&n)));
                    match target {
                        Some(t) => r = t,
                        None => {
                            self.warn(format!("unresolved reference `{reference}`; ignored"));
                            return None;
                        }
                    }
                }
            }
        }
        self.warn("reference chain too long; ignored".to_owned());
        None
    }

    fn parameter(&mut self, p: &'a ReferenceOr<OParam>) -> Option<Parameter> {
        let p = self.resolve(p, "#/components/parameters/", |c| &c.parameters)?;
        let data = p.parameter_data_ref();
        if data.extensions.contains_key(X_DROPPED) {
            return None;
        }
        let (location, style_cf) = match p {
            OParam::Query { style, .. } => (
                ParamLocation::Query,
                match style {
                    QueryStyle::SpaceDelimited => CollectionFormat::Ssv,
                    QueryStyle::PipeDelimited => CollectionFormat::Pipes,
                    _ => {
                        if data.explode.unwrap_or(true) {
                            CollectionFormat::Multi
                        } else {
                            CollectionFormat::Csv
                        }
                    }
                },
            ),
            OParam::Header { .. } => (ParamLocation::Header, CollectionFormat::Csv),
            OParam::Path { .. } => (ParamLocation::Path, CollectionFormat::Csv),
            OParam::Cookie { .. } => (ParamLocation::Cookie, CollectionFormat::Csv),
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => self.at("schema", |n| n.schema_or_ref(s, 0)),
            ParameterSchemaOrContent::Content(c) => self.response_content(c).1.unwrap_or_default(),
        };
        // A parameter's own `example` (or its first `examples` entry) is the schema's.
        let mut schema = schema;
        if schema.example.is_none() {
            schema.example = data.example.clone().or_else(|| {
                data.examples.values().find_map(|e| match e {
                    ReferenceOr::Item(e) => e.value.clone(),
                    ReferenceOr::Reference { .. } => None,
                })
            });
        }
        let is_array = matches!(schema.kind, SchemaKind::Array(_));
        let collection_format = match data
            .extensions
            .get(X_COLLECTION_FORMAT)
            .and_then(Value::as_str)
        {
            _ if !is_array => CollectionFormat::Csv,
            Some("ssv") => CollectionFormat::Ssv,
            Some("tsv") => CollectionFormat::Tsv,
            Some("pipes") => CollectionFormat::Pipes,
            Some("multi") => CollectionFormat::Multi,
            Some(_) => CollectionFormat::Csv,
            None => style_cf,
        };
        Some(Parameter {
            name: data.name.clone(),
            location,
            required: data.required || location == ParamLocation::Path,
            schema,
            description: data.description.clone(),
            summary: self.summary(&data.extensions),
            visibility: versioning::visibility(&data.extensions),
            collection_format,
            double_encoded: self.double_encoded(&data.extensions),
            test_value: self.test_value(&data.extensions),
            dynamic_values: self.dynamic_values(&data.extensions),
            dynamic_tree: self.dynamic_tree(&data.extensions),
            notification_url: self.flag(&data.extensions, "x-ms-notification-url"),
            extensions: extensions(&data.extensions),
        })
    }

    pub(super) fn request_body(
        &mut self,
        rb: &'a ReferenceOr<openapiv3::RequestBody>,
        schemas: &BTreeMap<String, Schema>,
    ) -> Option<RequestBody> {
        let rb = self.resolve(rb, "#/components/requestBodies/", |c| &c.request_bodies)?;
        let (media_type, content) = self.body_content(&rb.content, schemas);
        let param_name = rb
            .extensions
            .get(X_BODY_NAME)
            .or_else(|| rb.extensions.get("x-codegen-request-body-name"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Some(RequestBody {
            media_type,
            required: rb.required,
            description: rb.description.clone(),
            content,
            param_name,
            extensions: extensions(&rb.extensions),
        })
    }

    fn response(
        &mut self,
        status: StatusCode,
        r: &'a ReferenceOr<openapiv3::Response>,
    ) -> Option<Response> {
        let r = self.resolve(r, "#/components/responses/", |c| &c.responses)?;
        let (media_type, schema) = self.response_content(&r.content);
        Some(Response {
            status,
            description: Some(r.description.clone()).filter(|d| !d.is_empty()),
            media_type,
            schema,
            headers: r
                .headers
                .iter()
                .map(|(name, h)| {
                    let required = match h {
                        ReferenceOr::Item(h) => h.required,
                        ReferenceOr::Reference { .. } => false,
                    };
                    (name.clone(), required)
                })
                .collect(),
        })
    }

    /// Declared ids stay when unique (first occurrence wins); others get a stable name
    /// from method and path, deduplicated with `_2`, `_3`, …
    fn assign_ids(&mut self, ops: &mut [Operation]) {
        let mut taken: HashSet<String> = HashSet::new();
        let mut keep = vec![false; ops.len()];
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, op) in ops.iter().enumerate() {
            if let Some(id) = op.declared_id.as_deref().filter(|s| !s.trim().is_empty())
                && !first.contains_key(id)
            {
                first.insert(id, i);
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
                taken.insert(id.to_owned());
            }
        }
        let mut dup_warnings = Vec::new();
        for (i, op) in ops.iter_mut().enumerate() {
            if keep.get(i).copied().unwrap_or(false) {
                continue;
            }
            let base = generated_id(op.method, &op.path);
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(id.clone());
            if let Some(declared) = &op.declared_id
                && !declared.trim().is_empty()
            {
                dup_warnings.push((op.path.clone(), op.method, declared.clone(), id.clone()));
            }
            let annotated_family = op
                .extensions
                .get("x-ms-api-annotation")
                .and_then(|a| a.get("family"))
                .and_then(Value::as_str)
                .is_some_and(|f| !f.trim().is_empty());
            if !annotated_family {
                op.lifecycle.family = id.clone();
            }
            op.id = id;
        }
        for (path, method, declared, id) in dup_warnings {
            let ptr = format!(
                "/paths/{}/{}/operationId",
                crate::pointer::escape(&path),
                method.as_str().to_ascii_lowercase()
            );
            self.rep.warn(
                &ptr,
                format!("duplicate operationId `{declared}`; using `{id}`"),
            );
        }
    }
}

fn merge_param(params: &mut Vec<Parameter>, p: Option<Parameter>) {
    let Some(p) = p else { return };
    match params
        .iter_mut()
        .find(|q| q.name == p.name && q.location == p.location)
    {
        Some(q) => *q = p,
        None => params.push(p),
    }
}

/// `get_items_by_id` for `GET /items/{id}`.
pub(crate) fn generated_id(method: Method, path: &str) -> String {
    let mut out = method.as_str().to_ascii_lowercase();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let (prefix, word) = match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(var) => ("by_", var),
            None => ("", seg),
        };
        let snake = snake(word);
        if snake.is_empty() {
            continue;
        }
        out.push('_');
        out.push_str(prefix);
        out.push_str(&snake);
    }
    out
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids() {
        assert_eq!(generated_id(Method::Get, "/items/{id}"), "get_items_by_id");
        assert_eq!(generated_id(Method::Post, "/"), "post");
        assert_eq!(
            generated_id(Method::Delete, "/v2/userGroups/{group-id}/"),
            "delete_v2_user_groups_by_group_id"
        );
    }
}
