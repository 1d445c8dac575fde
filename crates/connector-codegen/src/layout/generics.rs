//! Generic types prettyplease broke one argument per line (past 89 columns) where
//! rustfmt keeps them whole: an associated type (`type Output = Result<` .. `>;`) and a
//! function's return type (`-> ResponseFuture<` .. `> {`).

use super::MAX_WIDTH;
use super::indent::Indent as _;
use super::split::{flatten, split_generic_args};

/// The generic head at the end of `line` (`type X = Name<` or `fn ..(..) -> Name<`)
/// with its arguments on the lines after it, laid out as rustfmt does; `None` (nothing
/// taken from `lines`) when `line` opens no such generic or its arguments are not one
/// per line.
pub(super) fn broken_generic<'a>(
    line: &str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str> + Clone>,
) -> Option<String> {
    let trimmed = line.trim_indent();
    if !line.ends_with('<') {
        return None;
    }
    let is_type = (trimmed.starts_with("type ") || trimmed.starts_with("pub type "))
        && trimmed.contains(" = ");
    let is_fn =
        (trimmed.starts_with("pub fn ") || trimmed.starts_with("fn ")) && trimmed.contains(") -> ");
    if !is_type && !is_fn {
        return None;
    }
    let indent = &line[..line.len() - trimmed.len()];
    let arg_indent = format!("{indent}    ");
    let close = if is_type { ">;" } else { "> {" };
    // Look ahead on a copy: the lines are taken only when the shape matches.
    let mut ahead = lines.clone();
    let mut pieces = Vec::new();
    let mut taken = 0;
    loop {
        let next = ahead.next()?;
        taken += 1;
        if next == format!("{indent}{close}") {
            break;
        }
        let piece = next.strip_prefix(arg_indent.as_str())?;
        if piece.trim_indent().starts_with(['/', '#']) {
            return None;
        }
        pieces.push(piece.trim());
    }
    // Arguments prettyplease broke further (`Result<` / `Page<T>,` / `Error,` / `>,`)
    // are joined first: rustfmt keeps an argument whole when it fits.
    let flat = flatten(&pieces);
    let args = split_generic_args(flat.trim_end_matches(','));
    if args.iter().any(|a| a.is_empty()) {
        return None;
    }
    let generic = format!("{}{}>", trimmed, args.join(", "));
    let relaid = if is_type {
        associated_type(indent, &generic)
    } else {
        return_type(indent, &generic).or_else(|| broken_return_type(indent, trimmed, &args))
    }?;
    for _ in 0..taken {
        lines.next();
    }
    Some(relaid)
}

/// `type X = Name<..>;` on one line, else broken after `=`; `None` when neither fits.
fn associated_type(indent: &str, generic: &str) -> Option<String> {
    let one = format!("{indent}{generic};");
    if one.len() <= MAX_WIDTH {
        return Some(one);
    }
    let (lhs, rhs) = generic.split_once(" = ")?;
    let broken = format!("{indent}{lhs} =\n{indent}    {rhs};");
    broken
        .lines()
        .all(|l| l.len() <= MAX_WIDTH)
        .then_some(broken)
}

/// A return type too wide for the line after `)`: rustfmt breaks its generic one argument
/// per line after the parameters, one per line too; when an argument alone passes 100
/// columns it gives up and keeps the signature's head as printed, with `>{` closing.
fn broken_return_type(indent: &str, head: &str, args: &[&str]) -> Option<String> {
    let arg_indent = format!("{indent}    ");
    let laid: Option<Vec<String>> = args.iter().map(|a| vertical_arg(&arg_indent, a)).collect();
    let Some(laid) = laid else {
        let mut out = format!("{indent}{head}");
        for arg in args {
            out.push_str(&format!("\n{arg_indent}{arg},"));
        }
        out.push_str(&format!("\n{indent}>{{"));
        return Some(out);
    };
    let (fn_head, ret) = head.split_once(") -> ")?;
    let (name, params) = fn_head.split_once('(')?;
    if params.contains(['(', '<', '"']) {
        return None;
    }
    let mut out = format!("{indent}{name}(");
    for param in params.split(", ").filter(|p| !p.is_empty()) {
        out.push_str(&format!("\n{arg_indent}{param},"));
    }
    out.push_str(&format!("\n{indent}) -> {ret}"));
    for arg in laid {
        out.push('\n');
        out.push_str(&arg);
    }
    out.push_str(&format!("\n{indent}> {{"));
    Some(out)
}

/// `fn f(p) -> Name<..> {` on one line, else the parameters one per line with the
/// return type after `)`, the `{` on a line of its own past 96 columns;
/// `None` when the return type does not fit either way.
fn return_type(indent: &str, signature: &str) -> Option<String> {
    let one = format!("{indent}{signature} {{");
    if one.len() <= MAX_WIDTH {
        return Some(one);
    }
    let (head, ret) = signature.split_once(") -> ")?;
    let (name, params) = head.split_once('(')?;
    if params.contains(['(', '<', '"']) {
        return None;
    }
    let mut out = format!("{indent}{name}(");
    for param in params.split(", ").filter(|p| !p.is_empty()) {
        out.push_str(&format!("\n{indent}    {param},"));
    }
    let close = format!("{indent}) -> {ret}");
    // rustfmt keeps ` {` after the return type within 96 columns (measured with
    // rustfmt 2024: 96 stays, 97 moves the brace down).
    if close.len() + 2 <= MAX_WIDTH - 4 {
        out.push_str(&format!("\n{close} {{"));
    } else if close.len() <= MAX_WIDTH + 2 {
        // rustfmt lets a return type after `) -> ` pass 100 columns by two (measured
        // with rustfmt 2024: `ResponseFuture<Vec<T>>` ending at 102 stays whole).
        out.push_str(&format!("\n{close}\n{indent}{{"));
    } else {
        return None;
    }
    Some(out)
}

/// A generic argument on its own line at `indent` with its comma: whole when it fits in
/// 100 columns, else a generic one broken one argument per line, as rustfmt does at
/// every level; `None` when a plain argument alone passes 100 columns.
fn vertical_arg(indent: &str, arg: &str) -> Option<String> {
    let one = format!("{indent}{arg},");
    if one.len() <= MAX_WIDTH {
        return Some(one);
    }
    let (name, inner) = arg.split_once('<')?;
    let inner = inner.strip_suffix('>')?;
    let deeper = format!("{indent}    ");
    let mut out = format!("{indent}{name}<");
    for sub in split_generic_args(inner) {
        out.push('\n');
        out.push_str(&vertical_arg(&deeper, sub)?);
    }
    out.push_str(&format!("\n{indent}>,"));
    Some(out)
}
