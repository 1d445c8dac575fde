//! `$ref`s of path items, operations and callbacks inside the definition itself: inlined
//! before the walk, as they may bring external references of their own.

use serde_json::Value;

use super::Bundler;
use super::context::METHODS;
use super::edit::{local_ref, merge_siblings, remove_ref};
use crate::diagnostics::{DiagnosticKind, Severity};
use crate::pointer;
use crate::refs::files;

impl Bundler<'_> {
    /// `$ref`s of path items and operations inside the definition itself, inlined
    /// before the walk (they may bring external references of their own).
    pub(crate) fn inline_local_path_items(&mut self, doc: &mut Value) {
        for section in ["paths", "webhooks"] {
            let keys: Vec<String> = match doc.get(section).and_then(Value::as_object) {
                Some(m) => m.keys().filter(|k| !k.starts_with("x-")).cloned().collect(),
                None => continue,
            };
            for key in keys {
                let item_ptr = pointer::join(&pointer::join("", section), &key);
                self.inline_local(doc, &item_ptr, None);
                let methods: Vec<&str> = METHODS
                    .iter()
                    .copied()
                    .filter(|m| {
                        doc.pointer(&item_ptr)
                            .and_then(|i| i.get(*m))
                            .is_some_and(|o| local_ref(o).is_some())
                    })
                    .collect();
                for m in methods {
                    self.inline_local(doc, &pointer::join(&item_ptr, m), Some(m));
                }
                self.inline_local_callbacks(doc, &item_ptr);
            }
        }
    }

    /// `callbacks: {name: {$ref: '#/components/callbacks/X'}}` of the operations of the
    /// path item at `item_ptr`.
    fn inline_local_callbacks(&mut self, doc: &mut Value, item_ptr: &str) {
        for m in METHODS {
            let op_ptr = pointer::join(item_ptr, m);
            let callbacks_ptr = pointer::join(&op_ptr, "callbacks");
            let names: Vec<String> = match doc.pointer(&callbacks_ptr).and_then(Value::as_object) {
                Some(c) => c
                    .iter()
                    .filter(|(_, v)| local_ref(v).is_some())
                    .map(|(k, _)| k.clone())
                    .collect(),
                None => continue,
            };
            for name in names {
                self.inline_local(doc, &pointer::join(&callbacks_ptr, &name), None);
            }
        }
    }

    /// Replaces the local `$ref` object at `at` with its target (siblings win).
    fn inline_local(&mut self, doc: &mut Value, at: &str, method: Option<&str>) {
        let mut seen = Vec::new();
        loop {
            let Some(target) = doc.pointer(at).and_then(local_ref).map(str::to_owned) else {
                return;
            };
            let fragment = files::percent_decode(target.trim_start_matches('#'));
            if seen.contains(&fragment) || fragment == at {
                self.report(
                    Severity::Warning,
                    DiagnosticKind::UnresolvedReference,
                    None,
                    at,
                    format!("cyclic reference `{target}`; ignored"),
                );
                remove_ref(doc.pointer_mut(at));
                return;
            }
            let Some(resolved) = doc.pointer(&fragment).cloned() else {
                self.report(
                    Severity::Warning,
                    DiagnosticKind::UnresolvedReference,
                    None,
                    at,
                    format!("unresolved reference `{target}`; ignored"),
                );
                remove_ref(doc.pointer_mut(at));
                return;
            };
            if let Some(m) = method {
                self.report(
                    Severity::Warning,
                    DiagnosticKind::General,
                    None,
                    at,
                    format!(
                        "`{m}` is a `$ref` (OpenAPI allows references only for whole path \
                         items); resolved"
                    ),
                );
            }
            if let Some(slot) = doc.pointer_mut(at) {
                merge_siblings(slot, resolved);
            }
            self.out.origins.add(at.to_owned(), None, fragment.clone());
            seen.push(fragment);
        }
    }
}
