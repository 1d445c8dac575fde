//! Array and receiver layouts of the generated `connection.rs` and request builders:
//! string pairs wider than `fn_call_width`, a `POLICIES` table of one row, and a method
//! call prettyplease moved under its receiver.

use super::calls::call;
use super::indent::Indent as _;
use super::split::{split_args, split_top_level, without_strings};
use super::{FN_CALL_WIDTH, MAX_WIDTH, STRUCT_LIT_WIDTH};

/// The one-row tables: the policy table (see `connection/policies.rs`) and the
/// operation table (see `metadata.rs`), each as its head and the start of a row.
pub(super) const TABLES: [(&str, &str); 2] = [
    ("pub const POLICIES: &[PolicySpec] = &[", "PolicySpec::new("),
    (
        "pub const OPERATIONS: &[OperationInfo] = &[",
        "OperationInfo::new(",
    ),
];

/// Every line of `text` through [`wide_string_pair`] and [`wide_variant_pattern`] (a
/// pass of its own: the pairs sit inside calls that other rules take whole).
pub(super) fn wide_string_pairs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        // Both rules start from a line opening a tuple of strings or a variant.
        let trimmed = line.trim_indent();
        if !trimmed.starts_with("(\"") && !trimmed.starts_with("Self::") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        match wide_string_pair(line).or_else(|| wide_variant_pattern(line)) {
            Some(vertical) => out.push_str(&vertical),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// A pair of string literals on one line (`("name", "value"),`, a `POLICIES` row's
/// parameter) whose items are wider than `fn_call_width`: one item per line, as
/// rustfmt lays out a tuple.
fn wide_string_pair(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let (body, comma) = match trimmed.strip_suffix(',') {
        Some(body) => (body, ","),
        None => (trimmed, ""),
    };
    if !body.starts_with("(\"") || !body.ends_with("\")") {
        return None;
    }
    let inner = &body[1..body.len() - 1];
    let parts = split_args(inner);
    let literals = parts
        .iter()
        .all(|p| p.len() >= 2 && p.starts_with('"') && without_strings(p) == "\"\"");
    if parts.len() < 2 || !literals || inner.len() <= FN_CALL_WIDTH {
        return None;
    }
    let mut out = format!("{indent}(");
    for part in &parts {
        out.push_str(&format!("\n{indent}    {part},"));
    }
    out.push_str(&format!("\n{indent}){comma}"));
    Some(out)
}

/// A method call prettyplease moved under a plain receiver (`request` /
/// `    .query_list(` / arguments / `    );`, past 89 columns): rustfmt keeps a
/// single call on its receiver's line and lays the arguments out as any call.
pub(super) fn call_under_receiver<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str> + Clone>,
) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = line.len() - trimmed.len();
    let receiver = !trimmed.is_empty()
        && indent > 0
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !receiver {
        return None;
    }
    let link_pad = " ".repeat(indent + 4);
    let arg_pad = " ".repeat(indent + 8);
    let mut probe = lines.clone();
    let link = probe.next()?;
    let method = link.strip_prefix(&link_pad)?.strip_prefix('.')?;
    if method.ends_with(");") {
        // `missing` / `    .push("..");`: one call on one line when it fits.
        let joined = format!("{line}.{method}");
        let another = probe
            .peek()
            .is_some_and(|l| l.starts_with(&link_pad) && l[indent + 4..].starts_with('.'));
        if joined.len() > MAX_WIDTH || another {
            return None;
        }
        lines.next();
        return Some(joined);
    }
    let name = method.strip_suffix('(')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let mut args: Vec<&str> = Vec::new();
    let close = loop {
        let next = probe.next()?;
        if next.starts_with(&arg_pad) {
            args.push(next);
        } else {
            break next;
        }
    };
    let rest = close.strip_prefix(&link_pad)?;
    if !matches!(rest, ");" | ")" | ")," | ")?;") || args.is_empty() {
        return None;
    }
    // One link only: a chain going on under the call is another layout.
    if probe
        .peek()
        .is_some_and(|l| l.starts_with(&link_pad) && l[indent + 4..].starts_with('.'))
    {
        return None;
    }
    for _ in 0..args.len() + 2 {
        lines.next();
    }
    let head = format!("{}{trimmed}.{method}", &line[..indent]);
    let dedented: Vec<&str> = args.iter().map(|a| &a[4..]).collect();
    let close = &close[4..];
    let mut rest = dedented
        .into_iter()
        .chain(std::iter::once(close))
        .peekable();
    Some(call(&head, &mut rest))
}

/// The `POLICIES` or `OPERATIONS` table when it holds one row: rustfmt writes the row
/// on the table's line (`&[PolicySpec::new(` .. `)];`), as the last item of a list that
/// overflows, or, for a row ending in a method chain that fits on the next line, the
/// whole `&[..];` there.
pub(super) fn single_policy(text: &str) -> String {
    // The table's head starts a line: the text's first, or one after a newline.
    let mut padded = format!("\n{text}");
    for (head, row_start) in TABLES {
        padded = single_row_after_newline(&padded, head, row_start);
    }
    padded.strip_prefix('\n').unwrap_or(&padded).to_owned()
}

fn single_row_after_newline(text: &str, head: &str, row_start: &str) -> String {
    let Some(start) = text.find(&format!("\n{head}\n")) else {
        return text.to_owned();
    };
    let body_start = start + 1 + head.len() + 1;
    let Some(body_len) = text[body_start..].find("\n];\n") else {
        return text.to_owned();
    };
    let body = &text[body_start..body_start + body_len];
    let rows = body
        .lines()
        .filter(|l| {
            l.strip_prefix("    ")
                .is_some_and(|l| l.starts_with(row_start))
        })
        .count();
    let all_indented = body.lines().all(|l| l.starts_with("    "));
    if rows != 1 || !all_indented || !body.ends_with(',') {
        return text.to_owned();
    }
    let element: Vec<&str> = body.lines().map(|l| &l[4..]).collect();
    let relaid = match element.as_slice() {
        [one] => one_line_row(head, one.trim_end_matches(',')),
        [root, links @ ..]
            if root.ends_with(')') && links.iter().all(|l| l.starts_with("    .")) =>
        {
            chained_row(head, root, links)
        }
        _ => {
            let joined = element.join("\n");
            format!("{head}{}];", joined.trim_end_matches(','))
        }
    };
    if relaid.is_empty() {
        return text.to_owned();
    }
    format!(
        "{}{relaid}{}",
        &text[..start + 1],
        &text[body_start + body_len + 3..]
    )
}

/// One row whose call fits a line, with a method chain prettyplease put one link per
/// line: rustfmt moves the whole `&[..];` to the next line, on one line when it fits
/// there, else opened there with the row inside, its links one per line.
fn chained_row(head: &str, root: &str, links: &[&str]) -> String {
    let links: Vec<&str> = links
        .iter()
        .map(|l| l.trim().trim_end_matches(','))
        .collect();
    let Some(lhs) = head.strip_suffix(" &[") else {
        return String::new();
    };
    let next_line = format!("    &[{root}{}];", links.concat());
    if next_line.len() <= MAX_WIDTH {
        return format!("{lhs}\n{next_line}");
    }
    let mut out = format!("{lhs}\n    &[\n        {root}");
    for link in links {
        out.push_str(&format!("\n            {link}"));
    }
    out.push_str(",\n    ];");
    out
}

/// One row printed on one line: the whole table on one line when it fits in 100
/// columns, else the row's arguments one per line (empty when the row is not a call).
fn one_line_row(head: &str, row: &str) -> String {
    let one = format!("{head}{row}];");
    if one.len() <= MAX_WIDTH {
        return one;
    }
    let Some(args_start) = row.find('(') else {
        return String::new();
    };
    // The `)` closing `PolicySpec::new(`, outside string literals.
    let (mut depth, mut in_str, mut escaped, mut end) = (0i32, false, false, None);
    for (i, c) in row.char_indices().skip(args_start) {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '(' | '[' if !in_str => depth += 1,
            ')' | ']' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return String::new();
    };
    let chain = &row[end + 1..];
    // A row ending in a chain that fits on the next line goes there, whole.
    let next_line = format!("    &[{row}];");
    // So does a plain row within `array_width`.
    let fits_array = chain.is_empty() && row.len() <= ARRAY_WIDTH;
    match head.strip_suffix(" &[") {
        Some(lhs) if (!chain.is_empty() || fits_array) && next_line.len() <= MAX_WIDTH => {
            return format!("{lhs}\n{next_line}");
        }
        _ => {}
    }
    let mut out = format!("{head}{}", &row[..=args_start]);
    let args = split_top_level(&row[args_start + 1..end]);
    if chain.is_empty() && args.iter().all(|a| a.len() <= SHORT_ITEM_WIDTH) {
        // Short items fill lines, as in an array of short items.
        let mut line = String::new();
        for arg in &args {
            if !line.is_empty() && line.len() + 2 + arg.len() + 1 > MAX_WIDTH {
                out.push_str(&format!("\n{line},"));
                line.clear();
            }
            if line.is_empty() {
                line.push_str("    ");
            } else {
                line.push_str(", ");
            }
            line.push_str(arg);
        }
        out.push_str(&format!("\n{line},\n)];"));
        return out;
    }
    for arg in args {
        out.push_str(&format!("\n    {arg},"));
    }
    if chain.is_empty() {
        out.push_str("\n)];");
    } else {
        out.push_str(&format!("\n)\n{chain}];"));
    }
    out
}

/// rustfmt's `short_array_element_width_threshold`: arrays of items no wider than this
/// are filled over lines rather than put one item per line.
const SHORT_ITEM_WIDTH: usize = 10;

/// rustfmt's `array_width` (its default heuristics).
const ARRAY_WIDTH: usize = 60;

/// Every line of `text` through [`wide_array`] (a pass of its own, like
/// [`wide_string_pairs`], which it runs before so the pairs it puts on lines of their
/// own are laid out too).
pub(super) fn wide_arrays(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match wide_array(line) {
            Some(vertical) => out.push_str(&vertical),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// An argument that is a whole array on one line (`&["a", "b"],`, a `POLICIES` row's
/// operations or parameters) whose items are wider than `array_width`: a single tuple
/// overflows (`&[(` .. `)],`), short items fill lines, others go one per line.
fn wide_array(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let (body, comma) = match trimmed.strip_suffix(',') {
        Some(body) => (body, ","),
        None => (trimmed, ""),
    };
    let inner = body.strip_prefix("&[")?.strip_suffix(']')?;
    if indent.is_empty() || inner.len() <= ARRAY_WIDTH || !closes_at_end(inner) {
        return None;
    }
    let items = split_top_level(inner);
    if let [only] = items.as_slice() {
        let pair = only.strip_prefix('(')?.strip_suffix(')')?;
        // The tuple is laid out as a call: on one line while its items fit.
        if pair.len() <= FN_CALL_WIDTH && line.len() <= MAX_WIDTH {
            return None;
        }
        let mut out = format!("{indent}&[(");
        for part in split_top_level(pair) {
            out.push_str(&format!("\n{indent}    {part},"));
        }
        out.push_str(&format!("\n{indent})]{comma}"));
        return Some(out);
    }
    let item_pad = format!("{indent}    ");
    let mut out = format!("{indent}&[");
    if items.iter().all(|i| i.len() <= SHORT_ITEM_WIDTH) {
        let mut current = String::new();
        for item in &items {
            if !current.is_empty() && current.len() + 1 + item.len() + 1 > MAX_WIDTH {
                out.push_str(&format!("\n{current}"));
                current.clear();
            }
            if current.is_empty() {
                current.push_str(&item_pad);
            } else {
                current.push(' ');
            }
            current.push_str(item);
            current.push(',');
        }
        out.push_str(&format!("\n{current}"));
    } else {
        for item in &items {
            out.push_str(&format!("\n{item_pad}{item},"));
        }
    }
    out.push_str(&format!("\n{indent}]{comma}"));
    Some(out)
}

/// Whether the brackets and parentheses of `inner` (an array's contents) pair up, so
/// the `]` after it closes the array.
fn closes_at_end(inner: &str) -> bool {
    let mut depth = 0i32;
    for c in without_strings(inner).chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The multi-line form prettyplease gives an array of one tuple too wide for a line
/// (`&[` / `(` / items / `),` / `],`), as rustfmt overflows it: `&[(` / items / `)],`.
pub(super) fn overflow_single_tuples(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some((relaid, used)) = single_tuple_at(&lines[i..]) {
            out.push_str(&relaid);
            i += used;
        } else {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
        }
    }
    out
}

fn single_tuple_at(lines: &[&str]) -> Option<(String, usize)> {
    let first = lines.first()?;
    let trimmed = first.trim_indent();
    if trimmed != "&[" {
        return None;
    }
    let indent = &first[..first.len() - trimmed.len()];
    let inner = format!("{indent}    ");
    let item = format!("{indent}        ");
    if lines.get(1)? != &format!("{inner}(").as_str() {
        return None;
    }
    let mut end = 2;
    while lines.get(end)?.starts_with(&item) {
        end += 1;
    }
    if lines.get(end)? != &format!("{inner}),").as_str() {
        return None;
    }
    let close = lines.get(end + 1)?.strip_prefix(indent)?;
    if !matches!(close, "]" | "],") {
        return None;
    }
    let mut out = format!("{indent}&[(\n");
    for l in &lines[2..end] {
        out.push_str(&l[4..]);
        out.push('\n');
    }
    out.push_str(&format!("{indent}){close}\n"));
    Some((out, end + 2))
}

/// A `let` or `const` whose value is one string literal, on a line past 100 columns:
/// rustfmt moves the literal under the binding when it fits there.
pub(super) fn long_literal_bindings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match long_literal_binding(line) {
            Some(relaid) => out.push_str(&relaid),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn long_literal_binding(line: &str) -> Option<String> {
    if line.len() <= MAX_WIDTH || !line.ends_with("\";") {
        return None;
    }
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let binding = ["let ", "const ", "pub const ", "static ", "pub static "]
        .iter()
        .any(|p| trimmed.starts_with(p));
    let (head, value) = line.split_once(" = \"")?;
    let value = format!("\"{value}");
    if !binding || without_strings(&value) != "\"\";" || head.contains('"') {
        return None;
    }
    let second = format!("{indent}    {value}");
    (second.len() <= MAX_WIDTH).then(|| format!("{head} =\n{second}"))
}

/// A match arm binding a variant's fields (`Self::Name { a, b, .. } => {`, as the
/// generated `Connection` methods match their parameter sets) whose fields are wider
/// than `struct_lit_width`: one field per line, as rustfmt lays out the pattern.
fn wide_variant_pattern(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
    let indent = &line[..line.len() - trimmed.len()];
    let rest = trimmed.strip_prefix("Self::")?;
    let (name, fields) = rest.strip_suffix(" } => {")?.split_once(" { ")?;
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let parts: Vec<&str> = fields.split(", ").collect();
    let simple = plain(name) && parts.iter().all(|p| *p == ".." || plain(p));
    if !simple || fields.len() <= STRUCT_LIT_WIDTH {
        return None;
    }
    let mut out = format!("{indent}Self::{name} {{");
    // rustfmt lays out the named fields first (on one line while they fit
    // `struct_lit_width`, else one per line), then adds `..` after them.
    let named: Vec<&str> = parts.iter().copied().filter(|p| *p != "..").collect();
    if named.join(", ").len() <= STRUCT_LIT_WIDTH {
        out.push_str(&format!("\n{indent}    {fields}"));
    } else {
        for part in parts {
            let comma = if part == ".." { "" } else { "," };
            out.push_str(&format!("\n{indent}    {part}{comma}"));
        }
    }
    out.push_str(&format!("\n{indent}}} => {{"));
    Some(out)
}
