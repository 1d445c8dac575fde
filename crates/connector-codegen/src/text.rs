//! The one path by which text from a definition reaches a generated file.
//!
//! Definition text is data. It reaches generated files in four shapes, each with its own
//! function here, and nowhere else:
//!
//! - [`doc`]: markdown paragraphs for doc comments (and the README): fenced blocks are
//!   re-tagged `text` (closed if left open), indented code blocks are flattened and fences
//!   inside block quotes or list items are escaped, so rustdoc never finds a Rust code
//!   block, hence no doc test, in definition text;
//! - [`inline`]: one line of prose (README lines, `//` and `#` header comments, Cargo.toml
//!   text, deprecation notes);
//! - [`code`]: a markdown code span;
//! - [`literal`]: a Rust string literal whose value must stay exact (wire names, enum
//!   values, paths), always built by `proc_macro2`, which escapes quotes, backslashes and
//!   every non-printable code point; raw strings (`r#".."#`) are never produced, so a
//!   `"#` in the text has nothing to close.
//!
//! Every shape makes unsafe code points visible as `\u{..}` text: bidi controls (which
//! rustc rejects in comments and literals, `text_direction_codepoint_in_*`, as they can
//! make code read differently from how it compiles), other control characters (a bare CR
//! is an error in a doc comment; a NUL in Cargo.toml breaks the build), line and
//! paragraph separators, and invisible format characters. Prose also escapes comment
//! delimiters (`*/`, `/*`) and HTML tag openers (`<script>` would reach rustdoc's pages).

use std::borrow::Cow;
use std::fmt::Write as _;

use proc_macro2::Literal;

/// Whether `c` may not appear as itself in generated text: bidi controls (U+202A-U+202E,
/// U+2066-U+2069, U+200E, U+200F, U+061C), control characters, line and paragraph
/// separators, and invisible format characters (zero-width spaces and joiners, word
/// joiner, invisible operators, BOM, soft hyphen).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'..='\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                | '\u{00AD}'
        )
}

/// `text` with every [`is_unsafe`] code point written as visible `\u{..}` text.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A Rust string literal holding exactly `value` (escaped by `proc_macro2`: quotes,
/// backslashes, control and bidi code points become escapes, never raw text).
pub fn literal(value: &str) -> Literal {
    Literal::string(value)
}

/// One line of prose: line breaks and tabs become spaces, unsafe code points visible,
/// comment delimiters, fence runs and HTML openers escaped.
pub fn inline(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => ' ',
            c => c,
        })
        .collect();
    prose(flat.trim())
}

/// A markdown code span showing `text` (backticks become `'`, one line, unsafe code
/// points visible). Comment delimiters are left as they are: a generated doc comment is
/// always a `///` line, which `*/` cannot end.
pub fn code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\r' | '\n' | '\t' => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", visible(&flat))
}

/// Markdown paragraphs for a doc comment, from definition text: unified line endings,
/// tabs as spaces, fenced blocks re-tagged `text` (an unterminated one closed), indented
/// code blocks flattened, fences inside containers escaped, prose escaped as by
/// [`inline`]; leading and trailing blank lines dropped.
pub fn doc(text: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    let mut out: Vec<String> = Vec::new();
    // The fence character and length of the open fenced block, if any.
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some((c, len)) = fence_run(trimmed) {
            let closes = fence.is_some_and(|(open, open_len)| {
                open == c && len >= open_len && trimmed[len..].trim().is_empty()
            });
            if closes {
                out.push(fence_text(c, len));
                fence = None;
            } else if fence.is_none() {
                out.push(format!("{}text", fence_text(c, len)));
                fence = Some((c, len));
            } else {
                out.push(visible(line.trim_end()).into_owned());
            }
            continue;
        }
        if fence.is_some() {
            // Inside a `text` block nothing is markup; only code points need care.
            out.push(visible(line.trim_end()).into_owned());
        } else {
            out.push(prose_line(trimmed.trim_end()));
        }
    }
    if let Some((c, len)) = fence {
        out.push(fence_text(c, len));
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let start = out.iter().take_while(|l| l.is_empty()).count();
    out.drain(..start);
    out.join("\n")
}

/// The fence character and run length when `line` starts with three or more backticks
/// or tildes.
fn fence_run(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|x| *x == c).count();
    (len >= 3).then_some((c, len))
}

fn fence_text(c: char, len: usize) -> String {
    std::iter::repeat_n(c, len).collect()
}

/// One line of markdown prose outside fenced blocks. Container markers (block quotes,
/// list items) are kept with single spaces after them, so no indented code block can
/// start inside one, and a fence after them is escaped.
fn prose_line(line: &str) -> String {
    let mut rest = line;
    let mut prefix = String::new();
    loop {
        let marker_len = container_marker(rest);
        if marker_len == 0 {
            break;
        }
        prefix.push_str(&rest[..marker_len]);
        prefix.push(' ');
        rest = rest[marker_len..].trim_start();
    }
    let mut body = prose(rest);
    if !prefix.is_empty() && fence_run(&body).is_some() {
        body.insert(0, '\\');
    }
    let mut out = prefix;
    out.push_str(&body);
    out.trim_end().to_owned()
}

/// Length of the block quote or list marker `line` starts with (0 if none). A list
/// marker counts only when followed by a space or the end of the line.
fn container_marker(line: &str) -> usize {
    let bytes = line.as_bytes();
    match bytes.first() {
        Some(b'>') => 1,
        Some(b'-' | b'*' | b'+') if matches!(bytes.get(1), None | Some(b' ')) => 1,
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match (bytes.get(digits), bytes.get(digits + 1)) {
                (Some(b'.' | b')'), None | Some(b' ')) if digits <= 9 => digits + 1,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// Escape prose: unsafe code points visible; outside code spans `*/` and `/*` become
/// `*\/` and `/\*` and a `<` opening a tag or comment becomes `&lt;` (both render the
/// same); a fence run (three or more backticks or tildes) gets its first character
/// backslash-escaped.
fn prose(text: &str) -> String {
    let text = visible(text);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_span = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '`' || c == '~' {
            let run = chars[i..].iter().take_while(|x| **x == c).count();
            if run >= 3 {
                out.push('\\');
            } else if c == '`' {
                in_span = !in_span;
            }
            out.extend(std::iter::repeat_n(c, run));
            i += run;
            continue;
        }
        if !in_span {
            match (c, next) {
                ('*', Some('/')) => {
                    out.push_str("*\\/");
                    i += 2;
                    continue;
                }
                ('/', Some('*')) => {
                    out.push_str("/\\*");
                    i += 2;
                    continue;
                }
                ('<', Some(n)) if n.is_ascii_alphabetic() || matches!(n, '!' | '/' | '?') => {
                    out.push_str("&lt;");
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_become_visible_escapes_everywhere() {
        let hostile = "a\u{202E}b\u{2066}c\u{2069}d\u{200F}e\u{200E}f\u{061C}g";
        let want = "a\\u{202e}b\\u{2066}c\\u{2069}d\\u{200f}e\\u{200e}f\\u{61c}g";
        assert_eq!(doc(hostile), want);
        assert_eq!(inline(hostile), want);
        assert_eq!(code(hostile), format!("`{want}`"));
        assert!(!literal(hostile).to_string().contains('\u{202E}'));
    }

    #[test]
    fn other_control_and_invisible_code_points_become_visible() {
        assert_eq!(
            inline("a\u{0}b\u{7}c\u{1b}[31md\u{85}e\u{feff}f\u{200b}g"),
            "a\\u{0}b\\u{7}c\\u{1b}[31md e\\u{feff}f\\u{200b}g"
        );
        // Line breaks of every kind end a doc line; none survives inside one.
        assert_eq!(doc("a\rb\u{2028}c\u{2029}d\r\ne"), "a\nb\nc\nd\ne");
        assert_eq!(inline("a\r\nb\tc"), "a  b c");
    }

    #[test]
    fn comment_delimiters_are_escaped_in_prose() {
        assert_eq!(
            doc("ends */ here /* and /** */"),
            "ends *\\/ here /\\* and /\\** *\\/"
        );
        assert_eq!(inline("*/"), "*\\/");
        // In a code span they stay as written (a `///` line cannot be ended).
        assert_eq!(doc("use `a */ b`"), "use `a */ b`");
    }

    #[test]
    fn every_fenced_block_becomes_text_and_an_open_one_is_closed() {
        assert_eq!(
            doc(
                "x\n```rust\nfn main() {}\n```\n~~~\nrun();\n~~~\n````rust,no_run\n```\nstill code\n````"
            ),
            "x\n```text\nfn main() {}\n```\n~~~text\nrun();\n~~~\n````text\n```\nstill code\n````"
        );
        assert_eq!(doc("   ```\nexit(1)"), "```text\nexit(1)\n```");
    }

    #[test]
    fn indented_code_and_fences_in_containers_cannot_start_code_blocks() {
        assert_eq!(
            doc("a\n\n    exit(1);\n\n\texit(2);"),
            "a\n\nexit(1);\n\nexit(2);"
        );
        assert_eq!(doc("-     exit(1);"), "- exit(1);");
        assert_eq!(doc(">      exit(1);"), "> exit(1);");
        assert_eq!(doc("> ```rust\n> exit(1);"), "> \\```rust\n> exit(1);");
        assert_eq!(doc("1. ```\n   exit(1);"), "1. \\```\nexit(1);");
        // A fence run in a single line of prose is escaped too.
        assert_eq!(inline("```rust exit(1)"), "\\```rust exit(1)");
    }

    #[test]
    fn raw_string_delimiters_and_quotes_round_trip_through_literals() {
        for value in ["\"#", "\"##", "r#\"x\"#", "a\\\"b", "\u{202E}\"#\u{0}"] {
            let lit: syn::LitStr = syn::parse_str(&literal(value).to_string()).expect("parses");
            assert_eq!(lit.value(), value);
            assert!(!literal(value).to_string().starts_with('r'));
        }
    }

    #[test]
    fn html_openers_are_escaped_outside_code_spans() {
        assert_eq!(
            inline("<script>alert(1)</script> <!-- x a < b `<T>`"),
            "&lt;script>alert(1)&lt;/script> &lt;!-- x a < b `<T>`"
        );
    }
}
