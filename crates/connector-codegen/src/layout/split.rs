//! Splitting printed code at its top-level commas and joining broken lines back: the
//! helpers the layout rules share.

/// `args` split at commas outside string literals, parentheses and brackets.
pub(super) fn split_top_level(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut depth, mut in_str, mut escaped) = (0, 0i32, false, false);
    for (i, c) in args.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '(' | '[' if !in_str => depth += 1,
            ')' | ']' if !in_str => depth -= 1,
            ',' if !in_str && depth == 0 => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = args[start..].trim();
    if !last.is_empty() {
        parts.push(last);
    }
    parts
}

/// `code` with the contents of its string literals removed (quotes kept).
pub(super) fn without_strings(code: &str) -> String {
    let (mut out, mut in_str, mut escaped) = (String::new(), false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => {
                in_str = !in_str;
                out.push(c);
            }
            _ if !in_str => out.push(c),
            _ => {}
        }
    }
    out
}

/// Attribute arguments split at top-level commas (never inside a string literal).
pub(super) fn split_args(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut in_str, mut escaped) = (0, false, false);
    for (i, c) in args.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            ',' if !in_str => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    parts
}

/// Lines of a generic (or call) broken one argument per line, each trimmed, joined
/// back into one: nothing after an opening `<`, `(` or `[`, a trailing `,` dropped
/// before a closing `>`, `)` or `]`, a space after every other `,`.
pub(super) fn flatten(pieces: &[&str]) -> String {
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        if let Some(next) = pieces.get(i + 1) {
            if piece.ends_with(['<', '(', '[']) {
                out.push_str(piece);
            } else if next.starts_with(['>', ')', ']']) {
                out.push_str(piece.trim_end_matches(','));
            } else {
                out.push_str(piece);
                out.push(' ');
            }
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// Generic arguments split at the commas outside any `<..>`, `(..)` or `[..]`, trimmed.
pub(super) fn split_generic_args(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in args.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(args[start..].trim());
    out
}
