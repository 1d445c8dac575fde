//! The last touches on printed code: what rustfmt would lay out differently from
//! prettyplease, for the constructs generated code uses, so a generated file is
//! rustfmt-stable without `#[rustfmt::skip]`.
//!
//! prettyplease prints items back to back and leaves macro arguments as a token soup
//! (`id : "id"`); rustfmt separates items with a blank line (it keeps one, never adds
//! one) and formats a macro call whose arguments parse as an expression like that
//! expression. [`finish`] adds the blank lines; the `de::object!` invocations of
//! `types.rs` are printed here in the layout rustfmt gives them.

mod arms;
mod arrays;
mod calls;
mod generics;
mod indent;
mod items;
mod links;
mod split;
#[cfg(test)]
mod tests;
mod unions;

use arms::{arm_with_receiver_call, arm_with_wide_call, overflowing_arm};
use arrays::{
    TABLES, call_under_receiver, long_literal_bindings, overflow_single_tuples, single_policy,
    wide_arrays, wide_string_pairs,
};
use calls::{
    call, call_with_chain, is_call_start, is_signature_start, let_chain, runtime_chain, signature,
    struct_literal, wide_call,
};
use generics::broken_generic;
use indent::Indent as _;
use items::{broken_field, impl_header, is_broken_field, long_line, object_macro, sorted_uses};
use links::single_links;
use unions::union_bodies;

/// Where a generated struct's deserialization is declared (see `types.rs`).
const OBJECT_MACRO: &str = "de::object!(";

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;

/// rustfmt's `fn_call_width` (its default heuristics).
const FN_CALL_WIDTH: usize = 60;

/// rustfmt's `chain_width` (its default heuristics).
const CHAIN_WIDTH: usize = 60;

/// rustfmt's `attr_fn_like_width` (its default heuristics).
const ATTR_FN_LIKE_WIDTH: usize = 70;

/// rustfmt's `struct_lit_width` (its default heuristics): a struct literal whose fields
/// take more than this on one line goes vertical.
const STRUCT_LIT_WIDTH: usize = 18;

/// The last pass over a printed file: three-line breaks rustfmt would join
/// ([`join_short_breaks`]), then line by line the `de::object!` calls, broken field
/// types, `impl .. for ..` heads and long attributes in rustfmt's layout, and a blank
/// line after every item or member that closes with `}` or `;` at its own indentation
/// and is followed by another item or member, as rustfmt-formatted code has (statements
/// in a body stay together). Whole-text passes then lay out a one-row `POLICIES`
/// table, wide arrays, string pairs and variant patterns, one-tuple arrays and long
/// literal bindings (see `arrays.rs`). String literals never span lines in printed
/// tokens, so this only sees code.
pub fn finish(text: &str) -> String {
    let text = join_short_breaks(text);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with(OBJECT_MACRO) {
            let mut call = line.to_owned();
            while !call.trim_end().ends_with(");") {
                let Some(more) = lines.next() else { break };
                call.push(' ');
                call.push_str(more.trim());
            }
            out.push_str(&object_macro(&call).unwrap_or(call));
            out.push('\n');
            if lines.peek().is_some_and(|next| !next.is_empty()) {
                out.push('\n');
            }
            continue;
        }
        if is_broken_field(line) {
            out.push_str(&broken_field(line, &mut lines));
            out.push('\n');
            continue;
        }
        if line.starts_with("use ") {
            let last = sorted_uses(line, &mut lines, &mut out);
            if lines
                .peek()
                .is_some_and(|next| blank_line_between(&last, next))
            {
                out.push('\n');
            }
            continue;
        }
        if let Some(relaid) = broken_generic(line, &mut lines) {
            out.push_str(&relaid);
            out.push('\n');
            // A type alias ends an item like the one-line `type A = B;` it stands for.
            let head = format!("{};", relaid.lines().next().unwrap_or_default());
            if relaid.ends_with(';')
                && lines
                    .peek()
                    .is_some_and(|next| blank_line_between(&head, next))
            {
                out.push('\n');
            }
            continue;
        }
        if is_signature_start(line) {
            let joined = signature(line, &mut lines);
            // A return type broken after `<` is laid out with its arguments.
            let relaid = match joined.contains('\n') {
                false => broken_generic(&joined, &mut lines),
                true => None,
            };
            out.push_str(&relaid.unwrap_or(joined));
            out.push('\n');
            continue;
        }
        if let Some(relaid) = call_under_receiver(line, &mut lines) {
            // Joined on its receiver's line, the call may pass `fn_call_width`.
            let relaid = match relaid.contains('\n') {
                false => wide_call(&relaid).unwrap_or(relaid),
                true => relaid,
            };
            out.push_str(&relaid);
            out.push('\n');
            continue;
        }
        if let Some(relaid) = call_with_chain(line, &mut lines) {
            out.push_str(&relaid);
            out.push('\n');
            continue;
        }
        if is_call_start(line) {
            out.push_str(&call(line, &mut lines));
            out.push('\n');
            continue;
        }
        if let Some(vertical) = wide_call(line) {
            out.push_str(&vertical);
            out.push('\n');
            continue;
        }
        if let Some(vertical) = let_chain(line) {
            out.push_str(&vertical);
            out.push('\n');
            continue;
        }
        if let Some(vertical) = runtime_chain(line) {
            out.push_str(&vertical);
            out.push('\n');
            continue;
        }
        if let Some(vertical) = struct_literal(line) {
            out.push_str(&vertical);
            out.push('\n');
            continue;
        }
        if line.starts_with("impl") && lines.peek().is_some_and(|next| next.starts_with("for ")) {
            if let Some(next) = lines.next() {
                out.push_str(&impl_header(line, next));
                out.push('\n');
            }
            continue;
        }
        match long_line(line) {
            Some(relaid) => out.push_str(&relaid),
            None => out.push_str(line),
        }
        out.push('\n');
        if lines
            .peek()
            .is_some_and(|next| blank_line_between(line, next))
        {
            out.push('\n');
        }
    }
    // Each pass runs only over a text holding what every line it changes holds (see
    // [`gated`]): most files need few of them, and each pass copies the whole file.
    PASSES
        .iter()
        .fold(out, |text, (needles, pass)| gated(text, needles, *pass))
}

/// A whole-text pass of [`finish`] and the needles one of which every line it changes
/// holds (see [`gated`]).
type Pass = (&'static [&'static str], fn(&str) -> String);

/// The whole-text passes of [`finish`], in order.
const PASSES: [Pass; 9] = [
    (&[TABLES[0].0, TABLES[1].0], single_policy),
    (&["&["], wide_arrays),
    (&["(\"", " } => {"], wide_string_pairs),
    (&["&[\n"], overflow_single_tuples),
    (&["\";"], long_literal_bindings),
    (&[" => {\n"], overflow_arms),
    (&["self."], long_argument_chains),
    (&["    .", "self.0"], single_links),
    (&["if let Ok(v) = "], union_bodies),
];

/// `pass(&text)`, or `text` itself when it holds none of `needles`. Each pass changes
/// only lines holding one of its needles and copies every other line with a `\n` after
/// it, so over a text of whole lines (ending in `\n`, no `\r\n` for `lines` to strip) that
/// holds none of them it returns the text unchanged: skipping it saves the scan and the
/// copy.
fn gated(text: String, needles: &[&str], pass: fn(&str) -> String) -> String {
    let whole_lines = text.is_empty() || (text.ends_with('\n') && !text.contains("\r\n"));
    if whole_lines && !needles.iter().any(|n| text.contains(n)) {
        return text;
    }
    pass(&text)
}

/// An argument on a line of its own that is a field's method call
/// (`self.field.as_ref(),`) wider than `chain_width`: rustfmt moves the call under the
/// field.
fn long_argument_chains(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_indent();
        let indent = &line[..line.len() - trimmed.len()];
        let relaid = trimmed
            .strip_suffix(',')
            .filter(|chain| chain.len() > CHAIN_WIDTH && chain.starts_with("self."))
            .and_then(|chain| {
                let (field, call) = chain["self.".len()..].split_once('.')?;
                let ident = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let method = call.strip_suffix("()")?;
                (ident(field) && ident(method))
                    .then(|| format!("{indent}self.{field}\n{indent}    .{call},"))
            });
        out.push_str(relaid.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Arms whose one call the passes above broke vertically lose their block (see
/// `arms.rs`); [`join_short_breaks`] sees only the calls prettyplease broke itself.
fn overflow_arms(text: &str) -> String {
    if !text.contains(" => {\n") {
        return text.to_owned();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some((relaid, taken)) = overflowing_arm(&lines[i..])
            .or_else(|| arm_with_receiver_call(&lines[i..]))
            .or_else(|| arm_with_wide_call(&lines[i..]))
        {
            out.push_str(&relaid);
            out.push('\n');
            i += taken;
            continue;
        }
        out.push_str(lines[i]);
        out.push('\n');
        i += 1;
    }
    out
}

/// Whether rustfmt-formatted code has a blank line between `line` and `next`.
fn blank_line_between(line: &str, next: &str) -> bool {
    // Most lines close nothing; test that first (this runs over every line of the
    // crate, on one thread, after printing).
    let trimmed = line.trim_indent();
    let closes =
        trimmed.trim_end() == "}" || (trimmed.trim_end().ends_with(';') && is_item_start(trimmed));
    if !closes {
        return false;
    }
    let indent = line.len() - trimmed.len();
    let next_trimmed = next.trim_indent();
    let next_indent = next.len() - next_trimmed.len();
    let opens = next_indent == indent
        && !next_trimmed.is_empty()
        && (next_indent == 0 || is_member_start(next_trimmed));
    let both_use = trimmed.starts_with("use ") && next_trimmed.starts_with("use ");
    opens && !both_use
}

/// Starts an item or an impl/trait member (not a statement inside a function body).
fn is_member_start(line: &str) -> bool {
    [
        "pub ",
        "fn ",
        "async fn ",
        "impl",
        "#[",
        "///",
        "//",
        "const ",
        "type ",
        "struct ",
        "enum ",
        "mod ",
        "use ",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

fn is_item_start(line: &str) -> bool {
    [
        "use ",
        "pub use ",
        "pub type ",
        "type ",
        "pub const ",
        "const ",
        "pub struct ",
        "struct ",
        "mod ",
        "pub mod ",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

/// Three-line breaks prettyplease makes past 89 columns that rustfmt joins when the
/// result fits in 100: a match arm whose body is one expression
/// (`X => {` / `expr` / `}` becomes `X => expr,`), a call with one argument
/// (`f(` / `arg,` / `)..` becomes `f(arg)..`) and a generic type with one parameter
/// (`Vec<` / `T,` / `>..` becomes `Vec<T>..`). An arm whose block holds one broken
/// call loses its block (see `arms.rs`).
fn join_short_breaks(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((relaid, taken)) = overflowing_arm(&lines[i..]) {
            out.push_str(&relaid);
            out.push('\n');
            i += taken;
            continue;
        }
        if let (Some(inner), Some(close)) = (lines.get(i + 1), lines.get(i + 2))
            && let Some(joined) = join_three(line, inner, close)
        {
            out.push_str(&joined);
            out.push('\n');
            i += 3;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        i += 1;
    }
    out
}

fn join_three(line: &str, inner: &str, close: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let body = inner.trim();
    let deeper = inner.len() - inner.trim_indent().len() > indent.len();
    if !deeper || body.is_empty() || body.starts_with("//") || body.starts_with('#') {
        return None;
    }
    let close_rest = close.strip_prefix(indent)?;
    let joined = if let Some(head) = line.strip_suffix(" => {") {
        let expression = !body.ends_with([';', '{', ',', '(', '[']) && !body.starts_with('}');
        (expression && close_rest == "}").then(|| format!("{head} => {body},"))?
    } else if (line.ends_with('(') && close_rest.starts_with(')'))
        || (line.ends_with('<') && close_rest.starts_with('>'))
    {
        let arg = body.strip_suffix(',').unwrap_or(body);
        if arg.ends_with(['{', '(', '[', '<']) || arg.starts_with([')', '}', ']', '>']) {
            return None;
        }
        format!("{line}{arg}{close_rest}")
    } else {
        return None;
    };
    (joined.len() <= MAX_WIDTH).then_some(joined)
}
