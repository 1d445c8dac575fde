//! `str::trim_start` for printed lines, by bytes.
//!
//! The layout rules look at every line's text without its indentation, each rule on its
//! own: `str::trim_start` decodes and classifies one `char` at a time, and over a large
//! crate those calls were 5% of the generator's instructions. Printed code is indented
//! with spaces, so skipping spaces byte by byte does the same work; a line whose
//! indentation holds any other whitespace falls back to `trim_start`, so the result is
//! `trim_start`'s for every string.

/// [`Indent::trim_indent`].
pub(super) trait Indent {
    /// The same as `str::trim_start`, faster on space indentation.
    fn trim_indent(&self) -> &str;
}

impl Indent for str {
    fn trim_indent(&self) -> &str {
        let spaces = self.bytes().take_while(|&b| b == b' ').count();
        let rest = &self[spaces..];
        match rest.chars().next() {
            Some(c) if c.is_whitespace() => rest.trim_start(),
            _ => rest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Indent;

    #[test]
    fn trim_indent_is_trim_start_for_every_kind_of_leading_whitespace() {
        for s in [
            "",
            "x",
            "    let a = 1;",
            "        ",
            "\tx",
            "  \t  x",
            "\u{a0}\u{2003} x",
            "   \u{3000}y ",
            "  é",
            "\n  z",
        ] {
            assert_eq!(s.trim_indent(), s.trim_start(), "{s:?}");
        }
    }
}
