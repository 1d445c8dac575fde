//! Match arms prettyplease wraps in a block when their one call breaks.

/// At `lines[0]`, an arm `X => {` whose block holds one call broken one argument per
/// line (`f(` / args / `)` / `}`): rustfmt writes the call after `=>` and its
/// arguments one indent less (`X => f(` / args / `),`). Returns the relaid arm and
/// how many lines it took; `None` for any other shape.
pub(super) fn overflowing_arm(lines: &[&str]) -> Option<(String, usize)> {
    let line = *lines.first()?;
    let head = line.strip_suffix(" => {")?;
    let indent = &line[..line.len() - line.trim_start().len()];
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
