//! `allOf` merging: the parts' properties, required lists and additional properties
//! folded into one object, following named parts through `components.schemas`.

use std::borrow::Cow;

use openapiv3::{Discriminator, ReferenceOr, SchemaKind as OKind, Type};

use super::Norm;
use super::bare_parts::annotation_only;
use super::schema::{ObjectParts, Props, schema_ref_name};
use crate::model::{ObjectSchema, SchemaKind};
use crate::source::MAX_DEPTH;

impl<'a> Norm<'a, '_> {
    pub(super) fn all_of(
        &mut self,
        parts: &'a [ReferenceOr<openapiv3::Schema>],
        own: Option<(&'a Props, &'a Vec<String>)>,
        disc: Option<&Discriminator>,
        depth: usize,
    ) -> SchemaKind {
        // A sibling `required` (DigitalOcean: `allOf: [$ref ProjectBase]` with
        // `required: [name, purpose]`) tightens the part: it is not the bare reference.
        let own_empty = own.is_none_or(|(p, r)| p.is_empty() && r.is_empty());
        // Parts that only annotate (description, example) add nothing to the type:
        // `allOf: [$ref TagsArray, {description, example}]` is the array (DigitalOcean).
        let typed: Vec<(usize, &'a ReferenceOr<openapiv3::Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !annotation_only(p))
            .collect();
        if let [(i, ReferenceOr::Reference { reference })] = typed.as_slice()
            && own_empty
            && disc.is_none()
        {
            let i = i.to_string();
            return self.at("allOf", |n| n.at(i, |n| n.reference(reference)));
        }
        let mut obj = ObjectSchema {
            discriminator: disc.map(|d| d.property_name.clone()),
            ..ObjectSchema::default()
        };
        let mut visiting: Vec<&'a str> = Vec::new();
        self.path.push(Cow::Borrowed("allOf"));
        for (i, part) in parts.iter().enumerate() {
            self.path.push(Cow::Owned(i.to_string()));
            match part {
                ReferenceOr::Reference { reference } => {
                    if let SchemaKind::Ref(name) = self.reference(reference) {
                        obj.all_of.push(name.clone());
                        self.collect_named(&name, &mut obj, &mut visiting, depth + 1);
                    }
                }
                ReferenceOr::Item(s) => self.collect(s, &mut obj, &mut visiting, depth + 1),
            }
            self.path.pop();
        }
        self.path.pop();
        if let Some((props, required)) = own {
            self.add_properties(&mut obj, props, required, depth);
        }
        if obj.properties.is_empty()
            && obj.additional.is_none()
            && obj.all_of.is_empty()
            && obj.discriminator.is_none()
        {
            return SchemaKind::Any;
        }
        SchemaKind::Object(obj)
    }

    fn collect_named(
        &mut self,
        name: &str,
        obj: &mut ObjectSchema,
        visiting: &mut Vec<&'a str>,
        depth: usize,
    ) {
        let Some((key, target)) = self
            .api
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(name))
        else {
            return;
        };
        if visiting.contains(&key.as_str()) || depth > MAX_DEPTH {
            return;
        }
        visiting.push(key.as_str());
        match target {
            ReferenceOr::Item(s) => self.collect(s, obj, visiting, depth + 1),
            ReferenceOr::Reference { reference } => {
                if let Some(n) = schema_ref_name(reference) {
                    self.collect_named(&n, obj, visiting, depth + 1);
                }
            }
        }
        visiting.pop();
    }

    /// Adds the object parts of `s` (recursively through its own `allOf`) to `obj`.
    fn collect(
        &mut self,
        s: &'a openapiv3::Schema,
        obj: &mut ObjectSchema,
        visiting: &mut Vec<&'a str>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (props, required, add, parts): ObjectParts<'a> = match &s.schema_kind {
            OKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                &o.required,
                o.additional_properties.as_ref(),
                &[],
            ),
            OKind::AllOf { all_of } => (None, &[], None, all_of),
            OKind::Any(a) => (
                Some(&a.properties),
                &a.required,
                a.additional_properties.as_ref(),
                &a.all_of,
            ),
            _ => (None, &[], None, &[]),
        };
        for part in parts {
            match part {
                ReferenceOr::Reference { reference } => {
                    if let Some(n) = schema_ref_name(reference) {
                        self.collect_named(&n, obj, visiting, depth + 1);
                    }
                }
                ReferenceOr::Item(s) => self.collect(s, obj, visiting, depth + 1),
            }
        }
        if let Some(props) = props {
            self.add_properties(obj, props, required, depth);
        } else if !required.is_empty() {
            for q in &mut obj.properties {
                q.required |= required.contains(&q.name);
            }
        }
        if let Some(a) = self.additional(add, depth) {
            obj.additional = Some(Box::new(a));
        }
    }
}
