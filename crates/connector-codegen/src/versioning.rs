//! Seed 003 operation versioning (revisions, preview, deprecation, visibility), turned into
//! attributes and doc lines.

use connector_spec::{Operation, Status, Visibility};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::Doc;

/// What the generator needs to know about an operation's place in its family.
#[derive(Debug, Clone)]
pub struct Successor {
    /// Method name of the newest revision in the family.
    pub method: String,
    /// Its revision.
    pub revision: u32,
    /// Whether it compiles only with the `preview` feature.
    pub preview: bool,
}

/// The newest revision (above `op`'s own) in `op`'s family, preferring ones that are not
/// deprecated. `methods[i]` is the method name of `ops[i]`.
pub fn successor(op: &Operation, ops: &[Operation], methods: &[String]) -> Option<Successor> {
    ops.iter()
        .zip(methods)
        .filter(|(other, _)| {
            other.lifecycle.family == op.lifecycle.family
                && other.lifecycle.revision > op.lifecycle.revision
        })
        .max_by_key(|(other, _)| (!other.lifecycle.deprecated, other.lifecycle.revision))
        .map(|(other, method)| Successor {
            method: method.clone(),
            revision: other.lifecycle.revision,
            preview: other.lifecycle.status == Status::Preview,
        })
}

/// Attributes for an operation's method: `#[deprecated]`, `#[cfg(feature = "preview")]`,
/// `#[doc(hidden)]`.
pub fn method_attrs(op: &Operation, successor: Option<&Successor>) -> TokenStream {
    let mut attrs = Vec::new();
    if let Some(note) = deprecation_note(op, successor) {
        attrs.push(quote!(#[deprecated(note = #note)]));
    }
    attrs.extend(item_attrs(op));
    quote!(#(#attrs)*)
}

/// [`method_attrs`] as prettyplease prints them, for items printed as text.
pub fn method_attr_lines(op: &Operation, successor: Option<&Successor>) -> Vec<String> {
    let mut attrs = Vec::new();
    if let Some(note) = deprecation_note(op, successor) {
        attrs.push(format!(
            "#[deprecated(note = {})]",
            crate::text::literal(&note)
        ));
    }
    attrs.extend(item_attr_lines(op).into_iter().map(str::to_owned));
    attrs
}

/// The note of a deprecated operation's `#[deprecated]`.
fn deprecation_note(op: &Operation, successor: Option<&Successor>) -> Option<String> {
    if !op.lifecycle.deprecated {
        return None;
    }
    let mut note = format!("{} is deprecated", crate::text::code(&op.id));
    if let Some(s) = successor {
        note.push_str(&format!(
            "; use `Client::{}` (revision {}) instead",
            s.method, s.revision
        ));
    }
    if let Some(expires) = &op.lifecycle.expires {
        note.push_str(&format!("; support ends {}", crate::text::inline(expires)));
    }
    Some(note)
}

/// Attributes shared by an operation's method and its builder type.
pub fn item_attrs(op: &Operation) -> Vec<TokenStream> {
    let mut attrs = Vec::new();
    if is_preview(op) {
        attrs.push(quote!(#[cfg(feature = "preview")]));
    }
    if op.lifecycle.visibility == Visibility::Internal {
        attrs.push(quote!(#[doc(hidden)]));
    }
    attrs
}

/// [`item_attrs`] as prettyplease prints them, for items printed as text (a test
/// checks the two agree).
pub fn item_attr_lines(op: &Operation) -> Vec<&'static str> {
    let mut attrs = Vec::new();
    if is_preview(op) {
        attrs.push("#[cfg(feature = \"preview\")]");
    }
    if op.lifecycle.visibility == Visibility::Internal {
        attrs.push("#[doc(hidden)]");
    }
    attrs
}

/// Whether the operation compiles only with the `preview` feature.
pub fn is_preview(op: &Operation) -> bool {
    op.lifecycle.status == Status::Preview
}

/// Doc lines describing the lifecycle.
pub fn doc_lines(op: &Operation, successor: Option<&Successor>, doc: &mut Doc) {
    let lc = &op.lifecycle;
    match lc.visibility {
        Visibility::Important => {
            doc.line("**Important**: one of this connector's main operations.");
        }
        Visibility::Advanced => {
            doc.line("*Advanced*: less commonly used.");
        }
        Visibility::Internal => {
            doc.line("*Internal*: not meant for end users; hidden from docs but callable.");
        }
        Visibility::Normal => {}
    }
    if lc.status == Status::Preview {
        doc.line("**Preview**: available with the crate's `preview` feature; may change.");
    }
    if let Some(s) = successor {
        let link = if s.preview {
            format!("`Client::{}` (revision {}, preview)", s.method, s.revision)
        } else {
            format!("[`Client::{}`] (revision {})", s.method, s.revision)
        };
        if lc.deprecated {
            doc.line(format!("**Deprecated**: use {link} instead."));
        } else {
            doc.line(format!("A newer revision is available: {link}."));
        }
    } else if lc.deprecated {
        doc.line("**Deprecated**.");
    }
    if let Some(expires) = &lc.expires {
        doc.line(format!(
            "Support is projected to end on {}.",
            crate::docs::code(expires)
        ));
    }
}
