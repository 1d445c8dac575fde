//! Generating part of a definition: the operations a filter keeps and the named schemas
//! they reach (transitively), and schema renames. Both are model-to-model steps before
//! generation, so the emitters never see what was left out.

use std::collections::{BTreeMap, BTreeSet};

use connector_spec::{BodyContent, Connector, Schema, SchemaKind, Status};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::{OperationFilter, PreviewMode};

/// An [`OperationFilter`] with its globs compiled.
pub struct OperationMatcher<'f> {
    filter: &'f OperationFilter,
    include_paths: GlobSet,
    exclude_paths: GlobSet,
}

/// What a subset left out, for the generated crate's docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubsetReport {
    /// Operations generated.
    pub kept: usize,
    /// Operations of the definition that were left out.
    pub left_out: usize,
    /// Named schemas left out because no kept operation reaches them.
    pub schemas_left_out: usize,
}

fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(Glob::new(g).map_err(|e| format!("path glob {g:?}: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}

impl<'f> OperationMatcher<'f> {
    /// Compile the filter's globs.
    pub fn new(filter: &'f OperationFilter) -> Result<Self, String> {
        Ok(OperationMatcher {
            filter,
            include_paths: glob_set(&filter.include_paths)?,
            exclude_paths: glob_set(&filter.exclude_paths)?,
        })
    }

    /// Whether an operation is kept: it matches an include (or there is none) and no
    /// exclude.
    pub fn keeps(&self, op: &connector_spec::Operation) -> bool {
        let f = self.filter;
        let by_id = |ids: &[String]| {
            ids.iter()
                .any(|id| *id == op.id || op.declared_id.as_deref() == Some(id.as_str()))
        };
        let by_tag = |tags: &[String]| op.tags.iter().any(|t| tags.contains(t));
        let no_includes =
            f.include.is_empty() && f.include_tags.is_empty() && f.include_paths.is_empty();
        let included = no_includes
            || by_id(&f.include)
            || by_tag(&f.include_tags)
            || self.include_paths.is_match(&op.path);
        let excluded =
            by_id(&f.exclude) || by_tag(&f.exclude_tags) || self.exclude_paths.is_match(&op.path);
        included && !excluded
    }
}

/// Keep the operations `filter` selects (and drop preview operations under
/// [`PreviewMode::Exclude`]), then the named schemas they reach. `None` when nothing is
/// left out.
pub fn apply(
    connector: &Connector,
    filter: &OperationFilter,
    preview: PreviewMode,
) -> Result<Option<(Connector, SubsetReport)>, String> {
    if filter.is_empty() && preview == PreviewMode::Feature {
        return Ok(None);
    }
    let matcher = OperationMatcher::new(filter)?;
    let unknown_ids: Vec<&String> = filter
        .include
        .iter()
        .filter(|id| {
            !connector
                .operations
                .iter()
                .any(|op| op.id == **id || op.declared_id.as_ref() == Some(*id))
        })
        .collect();
    if !unknown_ids.is_empty() {
        return Err(format!("no operation has the operationId {unknown_ids:?}"));
    }
    let unknown_tags: Vec<&String> = filter
        .include_tags
        .iter()
        .filter(|t| !connector.operations.iter().any(|op| op.tags.contains(t)))
        .collect();
    if !unknown_tags.is_empty() {
        return Err(format!("no operation has the tag {unknown_tags:?}"));
    }
    let mut subset = connector.clone();
    subset.operations.retain(|op| {
        matcher.keeps(op)
            && !(preview == PreviewMode::Exclude && op.lifecycle.status == Status::Preview)
    });
    let reached = reachable_schemas(&subset);
    let before = subset.schemas.len();
    subset.schemas.retain(|name, _| reached.contains(name));
    let report = SubsetReport {
        kept: subset.operations.len(),
        left_out: connector.operations.len() - subset.operations.len(),
        schemas_left_out: before - subset.schemas.len(),
    };
    Ok(Some((subset, report)))
}

/// Names of the schemas the connector's operations reach, through references, union
/// variants, bases and `allOf` parents.
fn reachable_schemas(connector: &Connector) -> BTreeSet<String> {
    let mut queue: Vec<String> = Vec::new();
    for op in &connector.operations {
        for p in &op.parameters {
            refs_of(&p.schema, &mut queue);
        }
        match op.body.as_ref().map(|b| &b.content) {
            Some(BodyContent::Schema(s)) => refs_of(s, &mut queue),
            Some(BodyContent::Form { fields, .. }) => {
                fields.iter().for_each(|f| refs_of(&f.schema, &mut queue))
            }
            Some(BodyContent::Binary) | None => {}
        }
        for r in &op.responses {
            if let Some(s) = &r.schema {
                refs_of(s, &mut queue);
            }
        }
        if let Some(n) = &op.notification {
            refs_of(&n.schema, &mut queue);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = connector.schemas.get(&name) {
            refs_of(schema, &mut queue);
        }
    }
    seen
}

/// Every named schema `schema` mentions directly.
fn refs_of(schema: &Schema, out: &mut Vec<String>) {
    match &schema.kind {
        SchemaKind::Ref(name) => out.push(name.clone()),
        SchemaKind::Array(item) | SchemaKind::Map(item) => refs_of(item, out),
        SchemaKind::Object(o) => {
            o.properties.iter().for_each(|p| refs_of(&p.schema, out));
            if let Some(a) = &o.additional {
                refs_of(a, out);
            }
            out.extend(o.all_of.iter().cloned());
        }
        SchemaKind::OneOf(variants) | SchemaKind::Tuple(variants) => {
            variants.iter().for_each(|v| refs_of(v, out))
        }
        SchemaKind::Tagged(t) => {
            out.extend(t.variants.iter().map(|v| v.schema.clone()));
            out.extend(t.base.iter().cloned());
        }
        SchemaKind::Any
        | SchemaKind::Boolean
        | SchemaKind::Integer(_)
        | SchemaKind::Number(_)
        | SchemaKind::String(_)
        | SchemaKind::Enum(_) => {}
    }
}

/// Rename named schemas (schema name -> new name) and every reference to them.
pub fn rename_schemas(connector: &mut Connector, renames: &BTreeMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    let schemas = std::mem::take(&mut connector.schemas);
    connector.schemas = schemas
        .into_iter()
        .map(|(name, schema)| (renames.get(&name).cloned().unwrap_or(name), schema))
        .collect();
    let rename = |name: &mut String| {
        if let Some(new) = renames.get(name.as_str()) {
            name.clone_from(new);
        }
    };
    for schema in connector.schemas.values_mut() {
        rename_in(schema, &rename);
    }
    for op in &mut connector.operations {
        for p in &mut op.parameters {
            rename_in(&mut p.schema, &rename);
        }
        match op.body.as_mut().map(|b| &mut b.content) {
            Some(BodyContent::Schema(s)) => rename_in(s, &rename),
            Some(BodyContent::Form { fields, .. }) => fields
                .iter_mut()
                .for_each(|f| rename_in(&mut f.schema, &rename)),
            Some(BodyContent::Binary) | None => {}
        }
        for r in &mut op.responses {
            if let Some(s) = &mut r.schema {
                rename_in(s, &rename);
            }
        }
        if let Some(n) = &mut op.notification {
            rename_in(&mut n.schema, &rename);
        }
    }
}

fn rename_in(schema: &mut Schema, rename: &impl Fn(&mut String)) {
    match &mut schema.kind {
        SchemaKind::Ref(name) => rename(name),
        SchemaKind::Array(item) | SchemaKind::Map(item) => rename_in(item, rename),
        SchemaKind::Object(o) => {
            o.properties
                .iter_mut()
                .for_each(|p| rename_in(&mut p.schema, rename));
            if let Some(a) = &mut o.additional {
                rename_in(a, rename);
            }
            o.all_of.iter_mut().for_each(rename);
        }
        SchemaKind::OneOf(variants) | SchemaKind::Tuple(variants) => {
            variants.iter_mut().for_each(|v| rename_in(v, rename))
        }
        SchemaKind::Tagged(t) => {
            t.variants.iter_mut().for_each(|v| rename(&mut v.schema));
            t.base.iter_mut().for_each(rename);
        }
        SchemaKind::Any
        | SchemaKind::Boolean
        | SchemaKind::Integer(_)
        | SchemaKind::Number(_)
        | SchemaKind::String(_)
        | SchemaKind::Enum(_) => {}
    }
}
