//! One method call prettyplease moved under its receiver (`name: receiver` /
//! `    .into(),`, `let x = self` / `    .call(..);`) where rustfmt breaks after the `:` or
//! `=` instead and keeps the receiver and its call together on the next line.

use super::indent::Indent as _;
use super::{CHAIN_WIDTH, FN_CALL_WIDTH, MAX_WIDTH};

/// Every such pair of lines in `text`, laid out as rustfmt does.
pub(super) fn single_links(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        // Every rule below needs `self.0` to start this line or a `.` link to start the
        // next: most lines are copied after this one test.
        let next_is_link = lines
            .get(i + 1)
            .is_some_and(|next| next.trim_indent().starts_with('.'));
        if !next_is_link && !lines[i].trim_indent().starts_with("self.0") {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        if let Some(next) = lines.get(i + 1)
            && let Some(relaid) = single_link(lines[i], next)
        {
            out.push_str(&relaid);
            out.push('\n');
            i += 2;
            continue;
        }
        if let Some((relaid, taken)) = broken_response(&lines[i..]) {
            out.push_str(&relaid);
            out.push('\n');
            i += taken;
            continue;
        }
        match response_chain(lines[i]) {
            Some(relaid) => out.push_str(&relaid),
            None => out.push_str(lines[i]),
        }
        out.push('\n');
        i += 1;
    }
    out
}

/// A mock's `self.0.respond_..(..)` tail wider than `chain_width`: rustfmt moves the
/// call under `self.0`.
fn response_chain(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let call = trimmed.strip_prefix("self.0.respond_")?;
    (trimmed.len() > CHAIN_WIDTH && trimmed.ends_with(')') && !indent.is_empty())
        .then(|| format!("{indent}self.0\n{indent}    .respond_{call}"))
}

/// `line` ending in a bare receiver after `name:` (a struct literal's field) or
/// `let .. =`, and `next` its one link, one level deeper and ending the statement or
/// field: the receiver joined to its link on the line after the sign, when that fits.
fn single_link(line: &str, next: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let link = next.strip_prefix(indent)?.strip_prefix("    .")?;
    let end = if link.ends_with(';') { ";" } else { "," };
    let call = link.strip_suffix(end)?;
    // One call, no further link: `method(args)`.
    let (method, args) = call.split_once('(')?;
    let args = args.strip_suffix(')')?;
    if !is_ident(method) || args.contains(['(', ')']) || args.len() > FN_CALL_WIDTH {
        return None;
    }
    let (head, receiver) = match end {
        ";" => {
            let (lhs, receiver) = trimmed.split_once(" = ")?;
            let name = lhs.strip_prefix("let ")?;
            let name = name.strip_prefix("mut ").unwrap_or(name);
            (is_ident(name) && receiver == "self").then(|| (format!("{lhs} ="), receiver))?
        }
        _ => {
            let (name, receiver) = trimmed.split_once(": ")?;
            (is_ident(name) && is_ident(receiver)).then(|| (format!("{name}:"), receiver))?
        }
    };
    let second = format!("{indent}    {receiver}.{call}{end}");
    (second.len() <= MAX_WIDTH).then(|| format!("{indent}{head}\n{second}"))
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A mock's `self.0` / `    .respond_..(` / arguments / `    )`, as prettyplease breaks
/// a call too wide for one line: rustfmt keeps the call on `self.0`'s line, its
/// arguments one level in. Returns the layout and the number of lines it replaces.
fn broken_response(lines: &[&str]) -> Option<(String, usize)> {
    let first = lines.first()?;
    let trimmed = first.trim_indent();
    let indent = &first[..first.len() - trimmed.len()];
    if trimmed != "self.0" {
        return None;
    }
    let call = lines
        .get(1)?
        .strip_prefix(indent)?
        .strip_prefix("    .respond_")?;
    if !call.ends_with('(') {
        return None;
    }
    let mut out = format!("{indent}self.0.respond_{call}");
    let arg_indent = format!("{indent}        ");
    for (n, line) in lines.iter().enumerate().skip(2) {
        if let Some(arg) = line.strip_prefix(arg_indent.as_str()) {
            out.push_str(&format!("\n{indent}    {arg}"));
        } else if *line == format!("{indent}    )") && n > 2 {
            out.push_str(&format!("\n{indent})"));
            return Some((out, n + 1));
        } else {
            return None;
        }
    }
    None
}
