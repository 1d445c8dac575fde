//! Doc comments from spec text. Spec text is data: it only ever becomes the string
//! literal of a `#[doc]` attribute, built through `quote`, and is rewritten so rustdoc
//! never treats it as a doc test.

use proc_macro2::TokenStream;
use quote::quote;

use crate::text;

/// Normalize spec text for a doc comment (see [`text::doc`]): nothing in it compiles
/// or runs as a doc test, and no unsafe code point reaches the comment.
pub fn clean(text: &str) -> String {
    text::doc(text)
}

/// Builds a doc comment paragraph by paragraph.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    paragraphs: Vec<String>,
    aliases: Vec<String>,
}

impl Doc {
    /// An empty doc.
    pub fn new() -> Self {
        Doc::default()
    }

    /// Add spec text (cleaned) as a paragraph, if present and not a repeat.
    pub fn text(&mut self, text: Option<&str>) -> &mut Self {
        if let Some(t) = text {
            let cleaned = clean(t);
            if !cleaned.trim().is_empty() && !self.paragraphs.contains(&cleaned) {
                self.paragraphs.push(cleaned);
            }
        }
        self
    }

    /// Add a paragraph the generator wrote (trusted markdown).
    pub fn line(&mut self, text: impl Into<String>) -> &mut Self {
        self.paragraphs.push(text.into());
        self
    }

    /// Add what a schema says that its Rust type does not: the `contentMediaType` of
    /// its content and the names of its validation-only keywords.
    pub fn schema_notes(&mut self, schema: &connector_spec::Schema) -> &mut Self {
        if let Some(media) = &schema.media_type {
            self.line(format!("Content media type: {}.", code(media)));
        }
        if !schema.validation.is_empty() {
            let names: Vec<String> = schema.validation.keys().map(|k| code(k)).collect();
            self.line(format!(
                "The definition also constrains this value with {} (not checked by the type).",
                names.join(", ")
            ));
        }
        self
    }

    /// Add a `#[doc(alias = "…")]` (a name rustdoc's search also finds the item by).
    pub fn alias(&mut self, name: &str) -> &mut Self {
        self.aliases.push(name.to_owned());
        self
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// Whether a `#[doc(alias = "…")]` was added.
    pub fn has_aliases(&self) -> bool {
        !self.aliases.is_empty()
    }

    /// The value of each `#[doc = "…"]` attribute [`Doc::tokens`] writes, in order: a
    /// space and the line, or nothing for the blank line between paragraphs. The one
    /// path from doc text to a doc comment, for tokens and for
    /// [`crate::render::text_items`] alike.
    pub fn values(&self) -> Vec<String> {
        let mut values = Vec::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                values.push(String::new());
            }
            for l in p.lines() {
                // Generator lines may quote spec text too: no bidi or control code point
                // (a bare CR is an error in a doc comment) reaches the comment as itself.
                let l = text::visible(l);
                values.push(if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                });
            }
        }
        values
    }

    /// `#[doc = "…"]` attributes, one per line, a blank line between paragraphs.
    pub fn tokens(&self) -> TokenStream {
        let attrs = self.values().into_iter().map(|l| {
            let l = doc_literal(&l);
            quote!(#[doc = #l])
        });
        let aliases = self.aliases.iter().map(|a| quote!(#[doc(alias = #a)]));
        quote!(#(#attrs)* #(#aliases)*)
    }
}

/// The string literal of a doc line, as `Literal::string` makes it. That escapes the
/// text one `char` at a time (most of building a crate's docs); a line of printable ASCII
/// without `"` or `\` escapes to itself, so its literal is read from the quoted line,
/// one scan.
fn doc_literal(line: &str) -> proc_macro2::Literal {
    let plain = line
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    if plain && let Ok(literal) = format!("\"{line}\"").parse() {
        return literal;
    }
    proc_macro2::Literal::string(line)
}

/// Escape text for inline use in generated markdown (see [`text::code`]).
pub fn code(text: &str) -> String {
    text::code(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_literals_are_the_escaped_strings_whatever_the_text() {
        for line in [
            "",
            " Plain text, with (punctuation) & `code`; 100% ~ok.",
            " A \"quote\" and a \\ backslash",
            " Tab\tand \u{7f} and caf\u{e9} and \u{202e}",
            " 'single' quotes",
        ] {
            let fast = doc_literal(line).to_string();
            assert_eq!(
                fast,
                proc_macro2::Literal::string(line).to_string(),
                "{line}"
            );
        }
    }

    #[test]
    fn code_fences_become_text_and_indented_blocks_flatten() {
        let cleaned = clean("Example:\r\n```rust\nfn main() {}\n```\n\n    let x = 1;\n```");
        assert_eq!(
            cleaned,
            "Example:\n```text\nfn main() {}\n```\n\nlet x = 1;\n```text\n```"
        );
    }

    #[test]
    fn control_characters_are_shown_not_kept() {
        assert_eq!(clean("a\u{0}b\u{7}c"), "a\\u{0}b\\u{7}c");
    }

    #[test]
    fn generator_lines_quoting_spec_text_get_no_bidi_controls() {
        let mut doc = Doc::new();
        doc.line("Default: a\u{202E}b.");
        let printed = doc.tokens().to_string();
        assert!(!printed.contains('\u{202E}'), "{printed}");
        assert!(printed.contains("u{202e}"), "{printed}");
    }
}
