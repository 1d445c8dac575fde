//! Doc comments from spec text. Spec text is data: it only ever becomes the string
//! literal of a `#[doc]` attribute, built through `quote`, and is rewritten so rustdoc
//! never treats it as a doc test.

use proc_macro2::TokenStream;
use quote::quote;

/// Normalize spec text for a doc comment: unify line endings, drop control characters,
/// re-tag code fences as `text` and flatten indented code blocks, so nothing in it
/// compiles or runs as a doc test.
pub fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line: String = line
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect::<String>()
            .replace('\t', "    ");
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                out.push(fence.to_owned());
            } else {
                out.push(format!("{fence}text"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_owned());
        } else {
            // Four leading spaces would start an indented code block (a doc test).
            out.push(trimmed.trim_end().to_owned());
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// Builds a doc comment paragraph by paragraph.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    paragraphs: Vec<String>,
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

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// `#[doc = "…"]` attributes, one per line, a blank line between paragraphs.
    pub fn tokens(&self) -> TokenStream {
        let mut lines = Vec::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            for l in p.lines() {
                lines.push(l.to_owned());
            }
        }
        let attrs = lines.iter().map(|l| {
            // Generator lines may quote spec text too: no control characters (a bare CR
            // is an error in a doc comment).
            let l: String = l
                .chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect();
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#[doc = #l])
        });
        quote!(#(#attrs)*)
    }
}

/// Escape text for inline use in generated markdown (backticks would end a code span).
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_fences_become_text_and_indented_blocks_flatten() {
        let cleaned = clean("Example:\r\n```rust\nfn main() {}\n```\n\n    let x = 1;\n```");
        assert_eq!(
            cleaned,
            "Example:\n```text\nfn main() {}\n```\n\nlet x = 1;\n```text\n```"
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(clean("a\u{0}b\u{7}c"), "abc");
    }
}
