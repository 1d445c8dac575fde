//! The bodies that deserialize a union (`types.rs`): `if de::fixed(&value, &[..]) {`
//! tests, `if let Ok(v) = Type::deserialize(&value) {` attempts and
//! `return Ok(Self::Variant(v));`, laid out as rustfmt does when names are long.

use super::indent::Indent as _;
use super::split::{flatten, split_generic_args};
use super::{FN_CALL_WIDTH, MAX_WIDTH};

/// Every union-body line of `text` in rustfmt's layout.
pub(super) fn union_bodies(text: &str) -> String {
    if !text.contains("if let Ok(v) = ") {
        return text.to_owned();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((relaid, taken)) = attempt(&lines[i..]) {
            out.push_str(&relaid);
            i += taken;
        } else if let Some(relaid) = wide_condition(line).or_else(|| wide_variant(line)) {
            out.push_str(&relaid);
            i += 1;
        } else {
            out.push_str(line);
            i += 1;
        }
        out.push('\n');
    }
    out
}

/// `if let Ok(v) = EXPR {`, as printed on one line or broken by prettyplease (its
/// lines up to the `{` at the same indentation): on one line when it fits; else the
/// `{` on a line of its own; else broken after `=`; else `EXPR`'s one argument on a
/// line of its own too. Returns the layout and the number of lines it replaces.
fn attempt(lines: &[&str]) -> Option<(String, usize)> {
    let first = lines.first()?;
    let trimmed = first.trim_indent();
    let indent = &first[..first.len() - trimmed.len()];
    trimmed.strip_prefix("if let Ok(v) = ")?;
    let mut pieces = vec![trimmed];
    let mut taken = 1;
    if !trimmed.ends_with(" {") {
        for line in &lines[1..] {
            taken += 1;
            let piece = line.trim_indent();
            pieces.push(piece);
            let depth = line.len() - piece.len();
            if depth == indent.len() && piece.ends_with(" {") {
                break;
            }
            if depth < indent.len() || piece.starts_with("//") {
                return None;
            }
        }
    }
    let joined = flatten(&pieces);
    let expr = joined
        .strip_prefix("if let Ok(v) = ")?
        .strip_suffix(" {")?
        .to_owned();
    let one = format!("{indent}if let Ok(v) = {expr} {{");
    let relaid = if one.len() <= MAX_WIDTH {
        one
    } else if one.len() - 2 <= MAX_WIDTH {
        format!("{indent}if let Ok(v) = {expr}\n{indent}{{")
    } else if indent.len() + 4 + expr.len() <= MAX_WIDTH {
        format!("{indent}if let Ok(v) =\n{indent}    {expr}\n{indent}{{")
    } else {
        let (call, arg) = expr.strip_suffix(')')?.split_once('(')?;
        format!(
            "{indent}if let Ok(v) =\n{indent}    {call}(\n{indent}        {arg},\n{indent}    )\n{indent}{{"
        )
    };
    // Nothing changed: leave the lines to the other passes.
    let printed = lines[..taken].join("\n");
    (relaid != printed).then_some((relaid, taken))
}

/// `if path(args) {` on one line with arguments wider than `fn_call_width`: one argument
/// per line.
fn wide_condition(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let call = trimmed.strip_prefix("if ")?.strip_suffix(") {")?;
    let (path, args) = call.split_once('(')?;
    let is_path = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if !is_path || path.is_empty() || args.len() <= FN_CALL_WIDTH {
        return None;
    }
    let args = split_generic_args(args);
    let mut out = format!("{indent}if {path}(");
    for arg in args {
        out.push_str(&format!("\n{indent}    {arg},"));
    }
    out.push_str(&format!("\n{indent}) {{"));
    out.lines().all(|l| l.len() <= MAX_WIDTH).then_some(out)
}

/// `return Ok(Self::Variant(v));` whose argument to `Ok` is wider than `fn_call_width`:
/// rustfmt overflows it, breaking the variant's own argument.
fn wide_variant(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let variant = trimmed.strip_prefix("return Ok(")?.strip_suffix(");")?;
    let name = variant.strip_suffix("(v)")?;
    if variant.len() <= FN_CALL_WIDTH {
        return None;
    }
    Some(format!(
        "{indent}return Ok({name}(\n{indent}    v,\n{indent}));"
    ))
}
