//! YAML integers `serde_yaml` cannot represent (beyond 64 bits, e.g. OpenAI's
//! `minimum: -9223372036854776000`): rewritten as floats so the document still reads.
//!
//! Hand-written because `serde_yaml` refuses such a document as a whole (its `Value` has no
//! arbitrary-precision numbers) and no maintained YAML crate in the registry cache keeps
//! the mapping positions we need; the rewrite only touches plain scalars outside block
//! scalars and quotes, and only runs after `serde_yaml` has refused the text.

/// Keys whose numbers only document a value: losing precision there is not reported.
const DOCUMENTATION_KEYS: [&str; 7] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "example",
    "examples",
    "multipleOf",
];

/// A rewritten integer: its 1-based line and the mapping key it is the value of.
pub(crate) struct Widened {
    pub(crate) line: usize,
    pub(crate) key: String,
    pub(crate) literal: String,
}

impl Widened {
    /// Whether the precision lost matters (the value is not documentation-only).
    pub(crate) fn matters(&self) -> bool {
        !DOCUMENTATION_KEYS.contains(&self.key.as_str())
    }
}

/// The text with every out-of-range integer plain scalar written as a float (`.0`
/// appended), and what was rewritten; `None` when there is none.
pub(crate) fn widen_big_integers(text: &str) -> Option<(String, Vec<Widened>)> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut widened = Vec::new();
    // Indentation of the line that opened a block scalar (`|`, `>`), while inside it.
    let mut block: Option<usize> = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(open) = block {
            if trimmed.trim().is_empty() || indent > open {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let (rewritten, found) = widen_line(line);
        for (key, literal) in found {
            widened.push(Widened {
                line: n + 1,
                key,
                literal,
            });
        }
        if opens_block_scalar(trimmed) {
            block = Some(indent);
        }
        out.push_str(&rewritten);
    }
    (!widened.is_empty()).then_some((out, widened))
}

/// Whether a line ends with a block scalar indicator (`key: |`, `- >-`, `key: |2+`).
fn opens_block_scalar(trimmed: &str) -> bool {
    let content = trimmed.split(" #").next().unwrap_or("").trim_end();
    let Some(last) = content.rsplit([' ', '\t']).next() else {
        return false;
    };
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
}

/// Rewrites the out-of-range integers of one line; returns them with their keys.
fn widen_line(line: &str) -> (String, Vec<(String, String)>) {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut found = Vec::new();
    let mut last_key = String::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    let mut copied = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'#' if i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace) => break,
            b':' => {
                let before = line.get(..i).unwrap_or("");
                let start = before
                    .rfind(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '-'))
                    .map_or(0, |p| p + 1);
                last_key = before
                    .get(start..)
                    .unwrap_or("")
                    .trim_matches(['"', '\''])
                    .to_owned();
            }
            b'-' | b'+' | b'0'..=b'9' if starts_token(bytes, i) => {
                let end = (i + 1..bytes.len())
                    .find(|&j| !bytes.get(j).is_some_and(u8::is_ascii_digit))
                    .unwrap_or(bytes.len());
                let literal = line.get(i..end).unwrap_or("");
                if ends_token(bytes, end) && out_of_range(literal) {
                    out.push_str(line.get(copied..end).unwrap_or(""));
                    out.push_str(".0");
                    copied = end;
                    found.push((last_key.clone(), literal.to_owned()));
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(line.get(copied..).unwrap_or(""));
    (out, found)
}

fn starts_token(bytes: &[u8], i: usize) -> bool {
    i == 0
        || bytes
            .get(i - 1)
            .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'[' | b',' | b'{'))
}

fn ends_token(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        None => true,
        Some(b) => b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}'),
    }
}

/// A decimal integer literal that fits neither `i64` nor `u64`.
fn out_of_range(literal: &str) -> bool {
    let digits = literal.trim_start_matches(['-', '+']);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && literal.parse::<i64>().is_err()
        && literal.parse::<u64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_out_of_range_plain_integers() {
        let text = "a:\n  minimum: -9223372036854776000\n  maximum: 9223372036854776000\n  \
                    default: 123456789012345678901234 # big\n  q: '-99999999999999999999'\n  \
                    d: |\n    -99999999999999999999\n  e: [1, -99999999999999999999]\n";
        let (out, widened) = widen_big_integers(text).expect("rewritten");
        assert!(out.contains("minimum: -9223372036854776000.0\n"));
        // Fits in u64: untouched.
        assert!(out.contains("maximum: 9223372036854776000\n"));
        assert!(out.contains("default: 123456789012345678901234.0 # big"));
        assert!(out.contains("q: '-99999999999999999999'"));
        assert!(out.contains("    -99999999999999999999\n  e"));
        assert!(out.contains("e: [1, -99999999999999999999.0]"));
        let keys: Vec<(&str, bool)> = widened
            .iter()
            .map(|w| (w.key.as_str(), w.matters()))
            .collect();
        assert_eq!(
            keys,
            [("minimum", false), ("default", true), ("e", true)],
            "{out}"
        );
        assert_eq!(widened[0].line, 2);
        assert!(widen_big_integers("a: 1\nb: -2\n").is_none());
    }
}
