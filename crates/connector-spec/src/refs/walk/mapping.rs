//! `discriminator.mapping`: references written as strings.

use serde_json::{Map, Value};

use super::context::Ctx;
use super::{At, Bundler};

impl Bundler<'_> {
    /// `discriminator.mapping` values are references too (by string): each one into
    /// another file (or local to the file being walked) is rewritten like a schema
    /// `$ref`, to the name its target gets in the document.
    pub(super) fn discriminator_mapping(
        &mut self,
        m: &mut Map<String, Value>,
        at: &mut At,
        depth: usize,
    ) {
        let Some(Value::Object(mapping)) = m
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        else {
            return;
        };
        at.push("discriminator");
        at.push("mapping");
        for (tag, target) in mapping.iter_mut() {
            let Value::String(r) = target else { continue };
            // A bare schema name (no pointer, no file) is not a reference.
            if !r.contains('#') && !r.contains('/') && !r.contains('.') {
                continue;
            }
            let r = r.clone();
            let mut reference = Value::Object(Map::from_iter([(
                "$ref".to_owned(),
                Value::String(r.clone()),
            )]));
            at.push(tag);
            self.resolve(&mut reference, &r, Ctx::Schema, at, depth);
            at.pop();
            if let Some(Value::String(resolved)) = reference.get("$ref") {
                *target = Value::String(resolved.clone());
            }
        }
        at.pop();
        at.pop();
    }
}
