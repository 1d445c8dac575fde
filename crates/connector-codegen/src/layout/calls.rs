//! Calls, signatures, chains and struct literals in the layout rustfmt gives them.

use super::indent::Indent as _;
use super::split::{split_top_level, without_strings};
use super::{CHAIN_WIDTH, FN_CALL_WIDTH, MAX_WIDTH, STRUCT_LIT_WIDTH};

/// Whether `line` opens a function signature prettyplease broke one parameter per line.
pub(super) fn is_signature_start(line: &str) -> bool {
    let t = line.trim_indent();
    line.ends_with('(')
        && [
            "pub fn ",
            "fn ",
            "pub async fn ",
            "async fn ",
            "pub(crate) fn ",
        ]
        .iter()
        .any(|p| t.starts_with(p))
}

/// A function signature prettyplease broke one parameter per line (past 89 columns), on
/// one line when it fits in 100 as rustfmt has it, else as printed.
pub(super) fn signature<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> String {
    let indent = line.len() - line.trim_indent().len();
    let mut params = Vec::new();
    let mut close = None;
    while let Some(more) = lines.next_if(|l| l.len() > indent) {
        let more_indent = more.len() - more.trim_indent().len();
        if more_indent == indent {
            close = Some(more);
            break;
        }
        params.push(more);
    }
    let simple = params.iter().all(|p| {
        let t = p.trim();
        t.ends_with(',') && !t.starts_with('#') && !t.starts_with("//") && !t.ends_with("(,")
    });
    if let Some(close) = close.filter(|c| c.trim_indent().starts_with(')') && simple) {
        let joined: Vec<&str> = params
            .iter()
            .map(|p| p.trim().trim_end_matches(','))
            .collect();
        let one = format!("{line}{}{}", joined.join(", "), close.trim_indent());
        if one.len() <= MAX_WIDTH {
            return one;
        }
    }
    let mut out = line.to_owned();
    for l in params.iter().chain(close.iter()) {
        out.push('\n');
        out.push_str(l);
    }
    out
}

/// Whether `line` opens a call (not a signature) whose arguments prettyplease put one
/// per line.
pub(super) fn is_call_start(line: &str) -> bool {
    line.ends_with('(') && line.starts_with(' ') && !is_signature_start(line)
}

/// A call whose arguments prettyplease broke one per line (past 89 columns): on one line
/// when the arguments fit `fn_call_width` and the line 100 columns, as rustfmt has it,
/// else as printed.
pub(super) fn call<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> String {
    let indent = line.len() - line.trim_indent().len();
    let mut args = Vec::new();
    let mut close = None;
    while let Some(more) = lines.next_if(|l| l.len() > indent) {
        let more_indent = more.len() - more.trim_indent().len();
        if more_indent == indent {
            close = Some(more);
            break;
        }
        args.push(more);
    }
    let simple = args.iter().all(|a| {
        let t = a.trim();
        let arg_indent = a.len() - a.trim_indent().len();
        arg_indent == indent + 4
            && t.ends_with(',')
            && !t.starts_with(['#', '/', '.', ')', '}', ']'])
            && !t.ends_with(['(', '{', '[', '<'])
    });
    if let Some(close) = close.filter(|c| c.trim_indent().starts_with(')') && simple) {
        let joined = args
            .iter()
            .map(|a| a.trim().trim_end_matches(','))
            .collect::<Vec<_>>()
            .join(", ");
        let one = format!("{line}{joined}{}", close.trim_indent());
        if joined.len() <= FN_CALL_WIDTH && one.len() <= MAX_WIDTH {
            return one;
        }
        // `let x = f(..);` too wide for one line: rustfmt breaks after the `=`.
        if let Some((binding, call)) = one
            .split_once(" = ")
            .filter(|_| joined.len() <= FN_CALL_WIDTH && one.trim_indent().starts_with("let "))
        {
            let pad = " ".repeat(indent + 4);
            let second = format!("{pad}{call}");
            if second.len() <= MAX_WIDTH {
                return format!("{binding} =\n{second}");
            }
        }
    }
    let mut out = line.to_owned();
    for l in args.iter().chain(close.iter()) {
        out.push('\n');
        out.push_str(l);
    }
    out
}

/// A tail call of a type's function on one line (`Type::function(a, b, c)`, as
/// generated bodies build requests and pollers) whose arguments are wider than
/// `fn_call_width`: one argument per line, as rustfmt has it.
pub(super) fn wide_call(line: &str) -> Option<String> {
    // The call ends the line (before a `,` or `;`): most lines fail this cheap test.
    let end = line
        .strip_suffix(',')
        .or_else(|| line.strip_suffix(';'))
        .unwrap_or(line);
    if !end.ends_with(')') {
        return None;
    }
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    if indent.is_empty() {
        return None;
    }
    let open = trimmed.find('(')?;
    let path = &trimmed[..open];
    let type_function = trimmed.starts_with(|c: char| c.is_ascii_uppercase())
        && path.contains("::")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if !type_function && !is_method_statement(path, trimmed) {
        return None;
    }
    let (body, comma) = match trimmed
        .strip_suffix(',')
        .map(|b| (b, ","))
        .or_else(|| trimmed.strip_suffix(';').map(|b| (b, ";")))
    {
        Some((body, end)) => (body, end),
        None => (trimmed, ""),
    };
    let args = body[open + 1..].strip_suffix(')')?;
    let parts = split_top_level(args);
    // The parentheses must pair up inside each argument (the call ends the line), and
    // no argument may hold a block or closure (outside string literals).
    let code: Vec<String> = parts.iter().map(|p| without_strings(p)).collect();
    let balanced = code.iter().all(|c| {
        let mut depth = 0i32;
        for ch in c.chars() {
            match ch {
                '(' => depth += 1,
                ')' if depth == 0 => return false,
                ')' => depth -= 1,
                '{' | '|' => return false,
                _ => {}
            }
        }
        depth == 0
    });
    if parts.len() < 2 || (args.len() <= FN_CALL_WIDTH && line.len() <= MAX_WIDTH) || !balanced {
        return None;
    }
    let mut out = format!("{indent}{path}(");
    for part in &parts {
        out.push_str(&format!("\n{indent}    {part},"));
    }
    out.push_str(&format!("\n{indent}){comma}"));
    Some(out)
}

/// `local.method(` opening a statement (`request.query_opt("a", self.a.as_ref());`, as
/// generated request builders are written): a one-link chain on a plain local, which
/// rustfmt lays out like a function call.
fn is_method_statement(path: &str, line: &str) -> bool {
    let Some((receiver, method)) = path.split_once('.') else {
        return false;
    };
    let ident = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    receiver != "self" && ident(receiver) && ident(method) && line.ends_with(");")
}

/// A call with a method chain under it (`Type::new(..)` / `    .method(..),`, as in the
/// generated `OPERATIONS` table), as rustfmt lays it out: a root too wide for one line
/// goes vertical with the chain at its own indentation; prettyplease's doubly indented
/// vertical root is dedented; a single link joins the root when it fits in 100 columns.
pub(super) fn call_with_chain<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str> + Clone>,
) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = line.len() - trimmed.len();
    // Most lines are not this shape: tell before building the paddings.
    if indent == 0 || !trimmed.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let pad = " ".repeat(indent);
    let link_pad = " ".repeat(indent + 4);
    let is_link = |l: &&str| l.starts_with(&link_pad) && l[indent + 4..].starts_with('.');
    if trimmed.ends_with('(') {
        // prettyplease: arguments at +8, `)` and the links at +4.
        let arg_pad = " ".repeat(indent + 8);
        let close = format!("{link_pad})");
        let mut peeked: Vec<&str> = Vec::new();
        let mut probe = lines.clone();
        for l in probe.by_ref() {
            peeked.push(l);
            if !l.starts_with(&arg_pad) {
                break;
            }
        }
        if peeked.last() != Some(&close.as_str()) || !probe.peek().is_some_and(is_link) {
            return None;
        }
        // Arguments within `fn_call_width` would go on one line: not this layout.
        let width: usize = peeked[..peeked.len() - 1]
            .iter()
            .map(|a| a.trim().len() + 1)
            .sum();
        if width <= FN_CALL_WIDTH {
            return None;
        }
        let mut out = line.to_owned();
        for l in peeked {
            out.push('\n');
            out.push_str(&l[4..]);
            lines.next();
        }
        while let Some(link) = lines.next_if(is_link) {
            out.push_str(&format!("\n{pad}{}", &link[indent + 4..]));
        }
        return Some(out);
    }
    if !trimmed.ends_with(')') || !lines.peek().is_some_and(is_link) {
        return None;
    }
    let mut links: Vec<&str> = Vec::new();
    while let Some(link) = lines.next_if(is_link) {
        links.push(&link[indent + 4..]);
    }
    if let Some(vertical) = wide_call(line) {
        let mut out = vertical;
        for link in &links {
            out.push_str(&format!("\n{pad}{link}"));
        }
        return Some(out);
    }
    let joined = format!("{line}{}", links.join(""));
    if links.len() == 1 && joined.len() <= MAX_WIDTH {
        return Some(joined);
    }
    let mut out = line.to_owned();
    for link in &links {
        out.push_str(&format!("\n{link_pad}{link}"));
    }
    Some(out)
}

/// `self.client.runtime().method(..)` (how generated builders send) on one line wider
/// than rustfmt's `chain_width` (60): one link per line, as rustfmt has it.
pub(super) fn runtime_chain(line: &str) -> Option<String> {
    const ROOT: &str = "self.client";
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let rest = trimmed.strip_prefix("self.client.runtime().")?;
    if trimmed.trim_end_matches(';').len() <= CHAIN_WIDTH || indent.is_empty() {
        return None;
    }
    let relaid = format!("{indent}{ROOT}\n{indent}    .runtime()\n{indent}    .{rest}");
    relaid
        .lines()
        .all(|l| l.len() <= MAX_WIDTH)
        .then_some(relaid)
}

/// `let x = self.a(..).b();` on one line with a chain wider than `chain_width` (how
/// generated dynamic-value helpers build their request): rustfmt puts `self` on the
/// `let` line and each link on a line of its own.
pub(super) fn let_chain(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let rest = trimmed.strip_prefix("let ")?;
    let (name, rhs) = rest.split_once(" = self.")?;
    let chain = rhs.strip_suffix(';')?;
    if indent.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
        || "self.".len() + chain.len() <= CHAIN_WIDTH && line.len() <= MAX_WIDTH
    {
        return None;
    }
    let (mut depth, mut links, mut start) = (0i32, Vec::new(), 0);
    let (mut in_str, mut escaped) = (false, false);
    for (i, c) in chain.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            _ if in_str => {}
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '.' if depth == 0 => {
                links.push(&chain[start..i]);
                start = i + 1;
            }
            '{' | '|' => return None,
            _ => {}
        }
    }
    links.push(&chain[start..]);
    if links.len() < 2 || depth != 0 || links.iter().any(|l| !l.ends_with(')')) {
        return None;
    }
    let mut out = format!("{indent}let {name} = self");
    for link in &links {
        out.push_str(&format!("\n{indent}    .{link}"));
    }
    out.push(';');
    out.lines().all(|l| l.len() <= MAX_WIDTH).then_some(out)
}

/// A tail-expression struct literal on one line (`Name { field: value, other }`) whose
/// fields are wider than `struct_lit_width`: rustfmt puts one field per line.
pub(super) fn struct_literal(line: &str) -> Option<String> {
    // Most lines do not end a struct literal: tell before searching the line.
    if !line.ends_with(" }") {
        return None;
    }
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let (name, rest) = trimmed.split_once(" { ")?;
    let fields = rest.strip_suffix(" }")?;
    let plain_name = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain_name
        || fields.len() <= STRUCT_LIT_WIDTH
        || fields.contains(['{', '"'])
        || indent.is_empty()
    {
        return None;
    }
    // Fields split at `, `; a comma inside a field's call is not this simple shape.
    let parts: Vec<&str> = fields.split(", ").collect();
    if parts
        .iter()
        .any(|p| p.contains(',') || p.matches('(').count() != p.matches(')').count())
    {
        return None;
    }
    let mut out = format!("{indent}{name} {{");
    for part in parts {
        out.push_str(&format!("\n{indent}    {part},"));
    }
    out.push_str(&format!("\n{indent}}}"));
    Some(out)
}
