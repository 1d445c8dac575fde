//! `use` lines for a generated module: only what its code mentions, so the crate
//! compiles without unused-import warnings whatever subset of features is on.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::runtime_paths::RuntimePath;

/// Collected imports, each either always used or used only by preview-gated code.
#[derive(Debug, Default, Clone)]
pub struct Imports {
    /// Path -> used by code that is always compiled.
    paths: BTreeMap<String, bool>,
    gated: bool,
}

impl Imports {
    /// Record uses from now on as coming from `#[cfg(feature = "preview")]` code or not.
    pub fn set_gated(&mut self, gated: bool) {
        self.gated = gated;
    }

    /// Use `path` (e.g. `connector_runtime::DateTime`).
    pub fn add(&mut self, path: &str) {
        let always = !self.gated;
        let entry = self.paths.entry(path.to_owned()).or_insert(always);
        *entry |= always;
    }

    /// Use a runtime item (see [`crate::runtime_paths`]).
    pub fn runtime(&mut self, item: RuntimePath) {
        self.add(item.path());
    }

    /// `serde::{Deserialize, Serialize}`.
    pub fn serde(&mut self) {
        self.add("serde::Deserialize");
        self.add("serde::Serialize");
    }

    /// The `use` items, grouped by crate, sorted.
    pub fn tokens(&self) -> TokenStream {
        let mut out = Vec::new();
        for gated in [false, true] {
            let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (path, always) in &self.paths {
                if *always == gated {
                    continue;
                }
                let (root, rest) = match path.split_once("::") {
                    Some((root, rest)) => (root, rest),
                    None => (path.as_str(), ""),
                };
                groups.entry(root).or_default().push(rest);
            }
            for (root, rests) in groups {
                let text = if rests.len() == 1 {
                    format!("use {root}::{};", rests[0])
                } else {
                    format!("use {root}::{{{}}};", rests.join(", "))
                };
                let item: TokenStream = text.parse().unwrap_or_default();
                if gated {
                    out.push(quote!(#[cfg(feature = "preview")] #item));
                } else {
                    out.push(item);
                }
            }
        }
        quote!(#(#out)*)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_used_only_by_preview_code_are_gated() {
        let mut imports = Imports::default();
        imports.add("connector_runtime::Error");
        imports.set_gated(true);
        imports.add("connector_runtime::Form");
        imports.add("connector_runtime::Error");
        let text = imports.tokens().to_string();
        assert!(text.contains("use connector_runtime :: Error ;"), "{text}");
        assert!(
            text.contains("# [cfg (feature = \"preview\")] use connector_runtime :: Form ;"),
            "{text}"
        );
    }
}
