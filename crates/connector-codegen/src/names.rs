//! Identifiers: every name from a spec becomes a valid, unique Rust identifier.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words that cannot be plain identifiers in edition 2024, strict and reserved.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union", "_",
];

/// Names a generated type must not take in `types.rs`: prelude items and what the module
/// imports.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "ToString",
    "ToOwned",
    "Iterator",
    "IntoIterator",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "BTreeMap",
    "Date",
    "DateTime",
    "Nullable",
    "Self",
    "Display",
    "Formatter",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Value",
    // Crate-root names (see `CRATE_ROOT_NAMES`).
    "Error",
    "ErrorCode",
    "Client",
    "ClientBuilder",
    "Connection",
    "Response",
];

/// What a generated crate's root exports (or may export): a schema type of the same name
/// would shadow it wherever both are imported, so schemas take [`crate_root_safe`] names
/// and inline types never take these.
pub const CRATE_ROOT_NAMES: &[&str] = &[
    "Error",
    "ErrorCode",
    "Client",
    "ClientBuilder",
    "Connection",
    "Response",
    "Result",
    "OPERATIONS",
    "POLICIES",
];

/// A schema's type name that shadows no crate-root name: `Error` becomes `ApiError`,
/// `Client` `ApiClient`, and so on; anything else is kept.
pub fn crate_root_safe(name: String) -> String {
    if CRATE_ROOT_NAMES.contains(&name.as_str()) {
        format!("Api{name}")
    } else {
        name
    }
}

/// Make `raw` ASCII, keeping letters, digits and separators.
fn asciify(raw: &str) -> String {
    let ascii = if raw.is_ascii() {
        raw.to_owned()
    } else {
        deunicode::deunicode(raw)
    };
    ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// `snake_case` identifier text for `raw` (never empty, never a keyword, never digit-first).
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut s = asciify(raw).to_snake_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("_{s}");
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// `UpperCamelCase` identifier text for `raw` (never empty, never a keyword, never digit-first).
pub fn camel(raw: &str, fallback: &str) -> String {
    // heck drops digits' separators ("1_2" -> "12"), which is fine; a leading digit is not.
    let mut s = asciify(raw).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{fallback}{s}");
    }
    if is_keyword(&s) {
        s.push_str(fallback);
    }
    s
}

/// An identifier token for text produced by [`snake`] or [`camel`].
pub fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

/// A namespace handing out unique names, deterministically: the first taker keeps the
/// name, later ones get `2`, `3`, … appended.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Take `wanted`, or the first free `wanted2`, `wanted3`, ….
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2u32..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| wanted.to_owned())
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// A valid Cargo package name from `raw` (kebab-case, ASCII, not digit-first).
pub fn crate_name(raw: &str) -> String {
    let s = snake(raw, "connector")
        .trim_start_matches('_')
        .replace('_', "-");
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("connector-{s}").trim_end_matches('-').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_digits_and_unicode_become_valid_identifiers() {
        assert_eq!(snake("type", "field"), "type_");
        assert_eq!(snake("self", "field"), "self_");
        assert_eq!(snake("2fa_required", "field"), "_2fa_required");
        assert_eq!(snake("@odata.nextLink", "field"), "odata_next_link");
        assert_eq!(snake("日本", "field"), "ri_ben");
        assert_eq!(snake("!!!", "field"), "field");
        assert_eq!(camel("Self", "Type"), "SelfType");
        assert_eq!(camel("1st place", "V"), "V1stPlace");
        assert_eq!(camel("", "Empty"), "Empty");
        for text in ["type_", "_2fa_required", "ri_ben", "SelfType", "V1stPlace"] {
            assert!(syn::parse_str::<syn::Ident>(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn schema_names_never_shadow_crate_root_names() {
        for root in CRATE_ROOT_NAMES {
            let safe = crate_root_safe((*root).to_owned());
            assert!(
                !CRATE_ROOT_NAMES.contains(&safe.as_str()),
                "{root} -> {safe}"
            );
            assert!(safe.starts_with("Api"));
        }
        assert_eq!(crate_root_safe("Invoice".into()), "Invoice");
        let mut ns = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        assert_eq!(ns.claim("Response"), "Response2");
    }

    #[test]
    fn identifiers_from_hostile_text_are_plain_ascii() {
        for raw in [
            "a\u{202E}b",
            "\u{2066}x\u{2069}",
            "na\u{200F}me\"#*/",
            "\u{0}\u{7}",
            "\u{FEFF}",
        ] {
            for text in [snake(raw, "field"), camel(raw, "Model")] {
                assert!(
                    text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{text:?}"
                );
                assert!(syn::parse_str::<syn::Ident>(&text).is_ok(), "{text:?}");
            }
        }
        assert_eq!(snake("a\u{202E}b", "field"), "ab");
    }

    #[test]
    fn namespace_suffixes_clashes_deterministically() {
        let mut ns = Namespace::with_reserved(&["String"]);
        assert_eq!(ns.claim("String"), "String2");
        assert_eq!(ns.claim("Item"), "Item");
        assert_eq!(ns.claim("Item"), "Item2");
        assert_eq!(ns.claim("Item2"), "Item2_2");
        assert_eq!(ns.claim("V2"), "V2");
        assert_eq!(ns.claim("V2"), "V2_2");
    }

    #[test]
    fn crate_names_are_kebab_case() {
        assert_eq!(crate_name("Contoso Sales API"), "contoso-sales-api");
        assert_eq!(crate_name("365 Training"), "connector-365-training");
        assert_eq!(crate_name("!!!"), "connector");
    }
}
