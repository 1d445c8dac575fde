//! Match arms prettyplease wraps in a block when their one call breaks.

use super::indent::Indent as _;
use super::split::split_top_level;
use super::{FN_CALL_WIDTH, MAX_WIDTH};

/// At `lines[0]`, an arm `X => {` whose block holds one method call prettyplease moved
/// under its receiver (`recv` / `    .method(args)` / `}`): rustfmt writes
/// `X => recv.method(args),` when it fits, else the arguments one per line after
/// `X => recv.method(`. Returns the relaid arm and how many lines it took.
pub(super) fn arm_with_receiver_call(lines: &[&str]) -> Option<(String, usize)> {
    let line = *lines.first()?;
    let head = line.strip_suffix(" => {")?;
    let indent = &line[..line.len() - line.trim_indent().len()];
    let inner_indent = format!("{indent}    ");
    let receiver = lines.get(1)?.strip_prefix(inner_indent.as_str())?;
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ident(receiver) {
        return None;
    }
    let link = lines
        .get(2)?
        .strip_prefix(format!("{inner_indent}    .").as_str())?;
    if *lines.get(3)? != format!("{indent}}}") {
        return None;
    }
    let open = link.find('(')?;
    let (name, args) = (&link[..open], link[open + 1..].strip_suffix(')')?);
    if !ident(name) {
        return None;
    }
    let one = format!("{head} => {receiver}.{link},");
    if one.len() <= MAX_WIDTH && args.len() <= FN_CALL_WIDTH {
        return Some((one, 4));
    }
    let parts = split_top_level(args);
    if parts.len() < 2 {
        return None;
    }
    let mut out = format!("{head} => {receiver}.{name}(");
    for part in parts {
        out.push_str(&format!("\n{inner_indent}{part},"));
    }
    out.push_str(&format!("\n{indent}),"));
    Some((out, 4))
}

/// At `lines[0]`, an arm `X => {` whose block holds one call broken one argument per
/// line (`f(` / args / `)` / `}`): rustfmt writes the call after `=>` and its
/// arguments one indent less (`X => f(` / args / `),`). Returns the relaid arm and
/// how many lines it took; `None` for any other shape.
pub(super) fn overflowing_arm(lines: &[&str]) -> Option<(String, usize)> {
    let line = *lines.first()?;
    let head = line.strip_suffix(" => {")?;
    let indent = &line[..line.len() - line.trim_indent().len()];
    let inner_indent = format!("{indent}    ");
    let call = lines.get(1)?.strip_prefix(inner_indent.as_str())?;
    if call.starts_with(' ') || !call.ends_with('(') {
        return None;
    }
    let arg_indent = format!("{inner_indent}    ");
    let mut out = format!("{head} => {call}");
    for (n, arg) in lines.iter().enumerate().skip(2) {
        if let Some(rest) = arg.strip_prefix(arg_indent.as_str()) {
            out.push('\n');
            out.push_str(&inner_indent);
            out.push_str(rest);
            continue;
        }
        let closes = *arg == format!("{inner_indent})")
            && lines
                .get(n + 1)
                .is_some_and(|l| *l == format!("{indent}}}"));
        if !closes || n == 2 {
            return None;
        }
        out.push_str(&format!("\n{indent}),"));
        return Some((out, n + 2));
    }
    None
}

/// At `lines[0]`, an arm `X => {` whose block holds one call on one line
/// (`path(args)` / `}`) with arguments wider than `fn_call_width`: on the next line the
/// call would break too, so rustfmt keeps it after `=>` with its arguments one per line
/// (`X => path(` / args / `),`). Returns the relaid arm and how many lines it took.
pub(super) fn arm_with_wide_call(lines: &[&str]) -> Option<(String, usize)> {
    let line = *lines.first()?;
    let head = line.strip_suffix(" => {")?;
    let indent = &line[..line.len() - line.trim_indent().len()];
    let inner_indent = format!("{indent}    ");
    let call = lines.get(1)?.strip_prefix(inner_indent.as_str())?;
    if *lines.get(2)? != format!("{indent}}}") {
        return None;
    }
    let (path, args) = call.split_once('(')?;
    let args = args.strip_suffix(')')?;
    let is_path = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if !is_path || path.is_empty() || args.len() <= FN_CALL_WIDTH {
        return None;
    }
    let parts = split_top_level(args);
    let mut out = format!("{head} => {path}(");
    if parts.len() < 2 || out.len() > MAX_WIDTH {
        return None;
    }
    for part in parts {
        out.push_str(&format!("\n{inner_indent}{part},"));
    }
    out.push_str(&format!("\n{indent}),"));
    out.lines()
        .all(|l| l.len() <= MAX_WIDTH)
        .then_some((out, 3))
}
