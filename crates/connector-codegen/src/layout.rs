//! The last touches on printed code: what rustfmt would lay out differently from
//! prettyplease, for the constructs generated code uses, so a generated file is
//! rustfmt-stable without `#[rustfmt::skip]`.
//!
//! prettyplease prints items back to back and leaves macro arguments as a token soup
//! (`id : "id"`); rustfmt separates items with a blank line (it keeps one, never adds
//! one) and formats a macro call whose arguments parse as an expression like that
//! expression. [`finish`] adds the blank lines; the `de::object!` invocations of
//! `types.rs` are printed here in the layout rustfmt gives them.

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
/// in a body stay together). String literals never span lines in printed tokens, so
/// this only sees code.
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
        if is_signature_start(line) {
            out.push_str(&signature(line, &mut lines));
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
    out
}

/// A run of top-level `use` statements starting at `line`, written to `out` as rustfmt
/// has them: sorted (`self`, `super`, `crate` first, then by path), each on one line
/// when it fits in 100 columns, else its `{..}` list filled over indented lines. Returns
/// the last statement written.
fn sorted_uses<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
    out: &mut String,
) -> String {
    let mut statements = Vec::new();
    let mut current = line.to_owned();
    loop {
        if current.trim_end().ends_with(';') {
            statements.push(one_line_use(&current));
            if !lines.peek().is_some_and(|next| next.starts_with("use ")) {
                break;
            }
            current = lines.next().unwrap_or_default().to_owned();
        } else {
            match lines.next() {
                Some(more) => {
                    current.push(' ');
                    current.push_str(more.trim());
                }
                None => {
                    statements.push(current.clone());
                    break;
                }
            }
        }
    }
    statements.sort_by_key(|s| {
        let path = s.trim_start_matches("use ");
        let rank = ["self::", "super::", "crate::"]
            .iter()
            .position(|p| path.starts_with(p))
            .unwrap_or(3);
        (rank, path.to_owned())
    });
    let mut last = String::new();
    for statement in statements {
        out.push_str(&wrapped_use(&statement));
        out.push('\n');
        last = statement;
    }
    last
}

/// A `use` statement printed over several lines, on one.
fn one_line_use(statement: &str) -> String {
    let joined = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace("{ ", "{")
        .replace(", }", "}")
        .replace(",}", "}")
        .replace(" }", "}")
}

/// A one-line `use` statement as rustfmt lays it out: as is when it fits in 100
/// columns, else `use path::{` / the items filled over lines indented by four / `};`.
fn wrapped_use(statement: &str) -> String {
    if statement.len() <= MAX_WIDTH {
        return statement.to_owned();
    }
    let Some((head, list)) = statement.split_once('{') else {
        return statement.to_owned();
    };
    let Some(list) = list.strip_suffix("};") else {
        return statement.to_owned();
    };
    if list.contains('{') {
        return statement.to_owned();
    }
    let mut out = format!("{head}{{");
    let mut row = String::new();
    for item in list.split(", ") {
        if !row.is_empty() && 4 + row.len() + 1 + item.len() + 1 > MAX_WIDTH {
            out.push_str(&format!("\n    {row}"));
            row.clear();
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(item);
        row.push(',');
    }
    out.push_str(&format!("\n    {row}\n}};"));
    out
}

/// Whether `line` opens a function signature prettyplease broke one parameter per line.
fn is_signature_start(line: &str) -> bool {
    let t = line.trim_start();
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
fn signature<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> String {
    let indent = line.len() - line.trim_start().len();
    let mut params = Vec::new();
    let mut close = None;
    while let Some(more) = lines.next_if(|l| l.len() > indent) {
        let more_indent = more.len() - more.trim_start().len();
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
    if let Some(close) = close.filter(|c| c.trim_start().starts_with(')') && simple) {
        let joined: Vec<&str> = params
            .iter()
            .map(|p| p.trim().trim_end_matches(','))
            .collect();
        let one = format!("{line}{}{}", joined.join(", "), close.trim_start());
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
fn is_call_start(line: &str) -> bool {
    line.ends_with('(') && line.starts_with(' ') && !is_signature_start(line)
}

/// A call whose arguments prettyplease broke one per line (past 89 columns): on one line
/// when the arguments fit `fn_call_width` and the line 100 columns, as rustfmt has it,
/// else as printed.
fn call<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> String {
    let indent = line.len() - line.trim_start().len();
    let mut args = Vec::new();
    let mut close = None;
    while let Some(more) = lines.next_if(|l| l.len() > indent) {
        let more_indent = more.len() - more.trim_start().len();
        if more_indent == indent {
            close = Some(more);
            break;
        }
        args.push(more);
    }
    let simple = args.iter().all(|a| {
        let t = a.trim();
        let arg_indent = a.len() - a.trim_start().len();
        arg_indent == indent + 4
            && t.ends_with(',')
            && !t.starts_with(['#', '/', '.', ')', '}', ']'])
            && !t.ends_with(['(', '{', '[', '<'])
    });
    if let Some(close) = close.filter(|c| c.trim_start().starts_with(')') && simple) {
        let joined = args
            .iter()
            .map(|a| a.trim().trim_end_matches(','))
            .collect::<Vec<_>>()
            .join(", ");
        let one = format!("{line}{joined}{}", close.trim_start());
        if joined.len() <= FN_CALL_WIDTH && one.len() <= MAX_WIDTH {
            return one;
        }
        // `let x = f(..);` too wide for one line: rustfmt breaks after the `=`.
        if let Some((binding, call)) = one
            .split_once(" = ")
            .filter(|_| joined.len() <= FN_CALL_WIDTH && one.trim_start().starts_with("let "))
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
fn wide_call(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if indent.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let open = trimmed.find('(')?;
    let path = &trimmed[..open];
    if !path.contains("::")
        || !path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    {
        return None;
    }
    let (body, comma) = match trimmed.strip_suffix(',') {
        Some(body) => (body, ","),
        None => (trimmed, ""),
    };
    let args = body[open + 1..].strip_suffix(')')?;
    let parts = split_args(args);
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
    if parts.len() < 2 || args.len() <= FN_CALL_WIDTH || !balanced {
        return None;
    }
    let mut out = format!("{indent}{path}(");
    for part in &parts {
        out.push_str(&format!("\n{indent}    {part},"));
    }
    out.push_str(&format!("\n{indent}){comma}"));
    Some(out)
}

/// A call with a method chain under it (`Type::new(..)` / `    .method(..),`, as in the
/// generated `OPERATIONS` table), as rustfmt lays it out: a root too wide for one line
/// goes vertical with the chain at its own indentation; prettyplease's doubly indented
/// vertical root is dedented; a single link joins the root when it fits in 100 columns.
fn call_with_chain<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str> + Clone>,
) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let pad = " ".repeat(indent);
    let link_pad = " ".repeat(indent + 4);
    let is_link = |l: &&str| l.starts_with(&link_pad) && l[indent + 4..].starts_with('.');
    if indent == 0 || !trimmed.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
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
fn runtime_chain(line: &str) -> Option<String> {
    const ROOT: &str = "self.client";
    let trimmed = line.trim_start();
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

/// A tail-expression struct literal on one line (`Name { field: value }`) whose fields
/// are wider than `struct_lit_width`: rustfmt puts one field per line.
fn struct_literal(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let (name, rest) = trimmed.split_once(" { ")?;
    let fields = rest.strip_suffix(" }")?;
    let plain_name = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain_name
        || fields.len() <= STRUCT_LIT_WIDTH
        || fields.contains(['{', '"', ','])
        || indent.is_empty()
    {
        return None;
    }
    Some(format!(
        "{indent}{name} {{\n{indent}    {fields},\n{indent}}}"
    ))
}

/// Whether rustfmt-formatted code has a blank line between `line` and `next`.
fn blank_line_between(line: &str, next: &str) -> bool {
    // Most lines close nothing; test that first (this runs over every line of the
    // crate, on one thread, after printing).
    let trimmed = line.trim_start();
    let closes =
        trimmed.trim_end() == "}" || (trimmed.trim_end().ends_with(';') && is_item_start(trimmed));
    if !closes {
        return false;
    }
    let indent = line.len() - trimmed.len();
    let next_trimmed = next.trim_start();
    let next_indent = next.len() - next_trimmed.len();
    let opens = next_indent == indent
        && !next_trimmed.is_empty()
        && (next_indent == 0 || is_member_start(next_trimmed));
    let both_use = trimmed.starts_with("use ") && next_trimmed.starts_with("use ");
    let both_mod = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ");
    opens && !both_use && !(both_mod && next_trimmed.starts_with("#[rustfmt"))
}

/// A field whose type prettyplease broke after `<` (its first line is `line`, the rest
/// come from `lines` up to the closing `>,`), as rustfmt lays it out, or as printed
/// when the break is not the simple kind [`joined_field`] handles.
fn broken_field<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> String {
    let indent = line.len() - line.trim_start().len();
    let close = format!("{}>,", " ".repeat(indent));
    let mut inner = Vec::new();
    let mut closed = false;
    while let Some(more) = lines.next_if(|l| l.len() > indent) {
        if more == close {
            closed = true;
            break;
        }
        inner.push(more);
    }
    if let Some(joined) = joined_field(line, &inner, indent).filter(|_| closed) {
        return joined;
    }
    let mut out = line.to_owned();
    for l in &inner {
        out.push('\n');
        out.push_str(l);
    }
    if closed {
        out.push('\n');
        out.push_str(&close);
    }
    out
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

/// A `de::object!(Name { field: "key", .., ..rest });` call as rustfmt lays it out, from
/// prettyplease's printing of it (`None` if it is not that shape).
fn object_macro(call: &str) -> Option<String> {
    let mac: syn::ItemMacro = syn::parse_str(call).ok()?;
    let mut trees = mac.mac.tokens.into_iter();
    let name = match trees.next()? {
        proc_macro2::TokenTree::Ident(name) => name.to_string(),
        _ => return None,
    };
    let body = match trees.next()? {
        proc_macro2::TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => {
            g.stream()
        }
        _ => return None,
    };
    if trees.next().is_some() {
        return None;
    }
    // Each entry as printed: `field: "key"` or `..rest`.
    let mut entries: Vec<String> = Vec::new();
    let mut current = String::new();
    for tt in body {
        match &tt {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => {
                entries.push(std::mem::take(&mut current));
            }
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' => current.push_str(": "),
            _ => current.push_str(&tt.to_string()),
        }
    }
    if !current.is_empty() {
        entries.push(current);
    }
    let one_line = entries.join(", ");
    let head = format!("{OBJECT_MACRO}{name} {{");
    let flat = format!("{head} {one_line} }});");
    if entries.is_empty() {
        return Some(format!("{OBJECT_MACRO}{name} {{}});"));
    }
    if one_line.len() <= STRUCT_LIT_WIDTH && flat.len() <= MAX_WIDTH {
        return Some(flat);
    }
    // rustfmt overflows the struct literal into the call while its head fits
    // `fn_call_width` (60), else nests it one level deeper.
    let nested = name.len() + 2 > FN_CALL_WIDTH;
    let nested_flat = format!("    {name} {{ {one_line} }}");
    if nested && one_line.len() <= STRUCT_LIT_WIDTH && nested_flat.len() <= MAX_WIDTH {
        return Some(format!("{OBJECT_MACRO}\n{nested_flat}\n);"));
    }
    let (mut out, indent) = if nested {
        (format!("{OBJECT_MACRO}\n    {name} {{"), "\n        ")
    } else {
        (head, "\n    ")
    };
    for entry in &entries {
        out.push_str(indent);
        out.push_str(entry);
        // rustfmt puts no comma after a `..base`.
        if !entry.starts_with("..") {
            out.push(',');
        }
    }
    out.push_str(if nested { "\n    }\n);" } else { "\n});" });
    Some(out)
}

/// A struct field whose type prettyplease broke over lines (it wraps at 89 columns,
/// rustfmt at 100): `pub name: Option<` / `Inner,` / `>,`. Joined when the field fits on
/// one line; else with the type on its own line after the name, as rustfmt does; `None`
/// when the break is deeper than one level (left as printed).
fn joined_field(first: &str, inner: &[&str], indent: usize) -> Option<String> {
    let mut parts = Vec::new();
    for line in inner {
        let t = line.trim();
        if t.ends_with('<') || t.starts_with('>') || t.starts_with("//") || t.starts_with('#') {
            return None;
        }
        parts.push(t.trim_end_matches(','));
    }
    let one = format!("{}{}>,", first.trim_end(), parts.join(", "));
    if one.len() <= MAX_WIDTH {
        return Some(one);
    }
    let colon = one.find(": ")?;
    let (name, ty) = one.split_at(colon + 1);
    let pad = " ".repeat(indent + 4);
    let second = format!("{pad}{}", ty.trim_start());
    (second.len() <= MAX_WIDTH).then(|| format!("{name}\n{second}"))
}

/// Three-line breaks prettyplease makes past 89 columns that rustfmt joins when the
/// result fits in 100: a match arm whose body is one expression
/// (`X => {` / `expr` / `}` becomes `X => expr,`), a call with one argument
/// (`f(` / `arg,` / `)..` becomes `f(arg)..`) and a generic type with one parameter
/// (`Vec<` / `T,` / `>..` becomes `Vec<T>..`).
fn join_short_breaks(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let (Some(inner), Some(close)) = (lines.get(i + 1), lines.get(i + 2)) {
            if let Some(joined) = join_three(line, inner, close) {
                out.push_str(&joined);
                out.push('\n');
                i += 3;
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
        i += 1;
    }
    out
}

fn join_three(line: &str, inner: &str, close: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let body = inner.trim();
    let deeper = inner.len() - inner.trim_start().len() > indent.len();
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

/// `impl Trait` / `for Type {`, which prettyplease breaks before `for` past 89 columns:
/// one line when it fits in 100, else rustfmt's `impl Trait` / `    for Type` / `{`.
fn impl_header(line: &str, next: &str) -> String {
    let one = format!("{line} {next}");
    if one.len() <= MAX_WIDTH {
        return one;
    }
    match next.strip_suffix(" {") {
        Some(for_type) => format!("{line}\n    {for_type}\n{{"),
        None => format!("{line}\n{next}"),
    }
}

/// A line prettyplease leaves whole that rustfmt lays out differently: a `#[serde(..)]`
/// attribute whose arguments exceed `attr_fn_like_width` (one argument per line, no trailing
/// comma), a `pub struct`/`pub enum` head past 100 columns (`{` on its own line).
fn long_line(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if let Some(args) = trimmed
        .strip_prefix("#[serde(")
        .and_then(|rest| rest.strip_suffix(")]"))
    {
        if args.len() <= ATTR_FN_LIKE_WIDTH {
            return None;
        }
        let mut out = format!("{indent}#[serde(");
        let parts = split_args(args);
        for (i, part) in parts.iter().enumerate() {
            out.push_str(&format!("\n{indent}    {part}"));
            if i + 1 < parts.len() {
                out.push(',');
            }
        }
        out.push_str(&format!("\n{indent})]"));
        return Some(out);
    }
    if line.len() > MAX_WIDTH
        && (trimmed.starts_with("pub struct ") || trimmed.starts_with("pub enum "))
    {
        let head = line.strip_suffix(" {")?;
        return Some(format!("{head}\n{indent}{{"));
    }
    None
}

/// `code` with the contents of its string literals removed (quotes kept).
fn without_strings(code: &str) -> String {
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
fn split_args(args: &str) -> Vec<&str> {
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

/// Whether `line` starts a struct field whose type prettyplease broke after a `<`.
fn is_broken_field(line: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix("pub ").unwrap_or(t);
    line.ends_with('<')
        && t.split_once(": ").is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_attributes_and_heads_get_rustfmt_layout() {
        let attr = "    #[serde(rename = \"VendorStreetAddress,\\\"\", skip_serializing_if = \"Option::is_none\")]\n";
        assert_eq!(
            finish(attr),
            "    #[serde(\n        rename = \"VendorStreetAddress,\\\"\",\n        skip_serializing_if = \"Option::is_none\"\n    )]\n"
        );
        let short =
            "    #[serde(rename = \"vatNumber\", skip_serializing_if = \"Option::is_none\")]\n";
        assert_eq!(finish(short), short);
        let name = "N".repeat(90);
        assert_eq!(
            finish(&format!("pub struct {name} {{\n    pub a: u8,\n}}\n")),
            format!("pub struct {name}\n{{\n    pub a: u8,\n}}\n")
        );
        assert_eq!(
            finish(&format!("impl From<&str>\nfor {name} {{\n}}\n")),
            format!("impl From<&str>\n    for {name}\n{{\n}}\n")
        );
        assert_eq!(
            finish("impl<'de> Deserialize<'de>\nfor Short {\n}\n"),
            "impl<'de> Deserialize<'de> for Short {\n}\n"
        );
    }

    #[test]
    fn short_arms_and_single_argument_calls_are_joined() {
        let printed = "        match self {\n            Self::A => {\n                \"a\"\n            }\n            Self::B => {\n                let x = 1;\n            }\n        }\n";
        assert_eq!(
            finish(printed),
            "        match self {\n            Self::A => \"a\",\n            Self::B => {\n                let x = 1;\n            }\n        }\n"
        );
        assert_eq!(
            finish("pub type A = Vec<\n    Item,\n>;\n"),
            "pub type A = Vec<Item>;\n"
        );
        assert_eq!(
            finish("connector_runtime::string_enum!(\n    Name\n);\n"),
            "connector_runtime::string_enum!(Name);\n"
        );
        assert_eq!(
            finish("        if let Ok(v) = T::deserialize(\n            &value,\n        ) {\n"),
            "        if let Ok(v) = T::deserialize(&value) {\n"
        );
    }

    #[test]
    fn uses_signatures_and_struct_literals_get_rustfmt_layout() {
        let printed = "use connector_runtime::{\n    A, B,\n};\nuse std::future::IntoFuture;\nuse super::{Client, types};\n\nfn x() {}\n";
        assert_eq!(
            finish(printed),
            "use super::{Client, types};\nuse connector_runtime::{A, B};\nuse std::future::IntoFuture;\n\nfn x() {}\n"
        );
        let names: Vec<String> = (0..10).map(|i| format!("Abcdefgh{i:02}")).collect();
        let long = format!("use a::{{{}}};\n", names.join(", "));
        assert_eq!(
            finish(&long),
            format!(
                "use a::{{\n    {},\n    {},\n}};\n",
                names[..8].join(", "),
                names[8..].join(", ")
            )
        );
        let sig =
            "    pub fn get(\n        &self,\n        id: impl Into<String>,\n    ) -> Get {\n";
        assert_eq!(
            finish(sig),
            "    pub fn get(&self, id: impl Into<String>) -> Get {\n"
        );
        assert_eq!(
            finish(
                "    fn logout(&self) -> Logout {\n        Logout { client: self.clone() }\n    }\n"
            ),
            "    fn logout(&self) -> Logout {\n        Logout {\n            client: self.clone(),\n        }\n    }\n"
        );
    }

    #[test]
    fn calls_and_runtime_chains_get_rustfmt_layout() {
        let printed = "        let mut request = Request::new(\n            \"GetInvoice\",\n            Method::GET,\n            \"/invoices/{invoiceId}\",\n        );\n";
        assert_eq!(
            finish(printed),
            "        let mut request = Request::new(\"GetInvoice\", Method::GET, \"/invoices/{invoiceId}\");\n"
        );
        let wide = "        f(\n            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n        );\n";
        assert_eq!(finish(wide), wide);
        assert_eq!(
            finish("        self.client.runtime().send(Ok(self.request()), decode::empty)\n"),
            "        self.client\n            .runtime()\n            .send(Ok(self.request()), decode::empty)\n"
        );
        let short = "        self.client.runtime().send(self.request(), decode::json)\n";
        assert_eq!(finish(short), short);
    }

    #[test]
    fn wide_one_line_calls_go_vertical_and_long_lets_break_after_the_sign() {
        assert_eq!(
            finish(
                "        Request::new(\"ip_pool_service_view\", Method::GET, \"/system/ip-pools-service\")\n"
            ),
            "        Request::new(\n            \"ip_pool_service_view\",\n            Method::GET,\n            \"/system/ip-pools-service\",\n        )\n"
        );
        assert_eq!(
            finish(
                "        Poller::new(self.client.runtime().clone(), self.request(), PollItems::Array)\n"
            ),
            "        Poller::new(\n            self.client.runtime().clone(),\n            self.request(),\n            PollItems::Array,\n        )\n"
        );
        let printed = "        let mut request = Request::new(\n            \"session_sshkey_create\",\n            Method::POST,\n            \"/session/me/sshkeys\",\n        );\n";
        assert_eq!(
            finish(printed),
            "        let mut request =\n            Request::new(\"session_sshkey_create\", Method::POST, \"/session/me/sshkeys\");\n"
        );
    }

    #[test]
    fn table_rows_with_method_chains_get_rustfmt_layout() {
        let printed = "pub const OPERATIONS: &[OperationInfo] = &[
    OperationInfo::new(\"GetLists\", \"get_lists\", \"GET\", \"/lists\")
        .visibility(Visibility::Internal),
    OperationInfo::new(\"DeleteTicket\", \"delete_ticket\", \"DELETE\", \"/tickets/{ticketId}\")
        .visibility(Visibility::Advanced),
    OperationInfo::new(\"UpdateTicket\", \"update_ticket\", \"PATCH\", \"/tickets/{ticketId}\"),
    OperationInfo::new(
            \"ListFolderTickets\",
            \"list_folder_tickets\",
            \"GET\",
            \"/folders/{folderPath}/tickets\",
        )
        .visibility(Visibility::Advanced),
];
";
        let want = "pub const OPERATIONS: &[OperationInfo] = &[
    OperationInfo::new(\"GetLists\", \"get_lists\", \"GET\", \"/lists\").visibility(Visibility::Internal),
    OperationInfo::new(
        \"DeleteTicket\",
        \"delete_ticket\",
        \"DELETE\",
        \"/tickets/{ticketId}\",
    )
    .visibility(Visibility::Advanced),
    OperationInfo::new(
        \"UpdateTicket\",
        \"update_ticket\",
        \"PATCH\",
        \"/tickets/{ticketId}\",
    ),
    OperationInfo::new(
        \"ListFolderTickets\",
        \"list_folder_tickets\",
        \"GET\",
        \"/folders/{folderPath}/tickets\",
    )
    .visibility(Visibility::Advanced),
];
";
        assert_eq!(finish(printed), want);
    }

    #[test]
    fn a_call_followed_by_a_chain_on_its_line_is_left_alone() {
        let chained = "    OperationInfo::new(\"SendEmail\", \"send_email\", \"POST\", \"/emails:send\").deprecated(),\n";
        assert_eq!(finish(chained), chained);
        let nested = "        Type::new(f(a, b), g(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"), h(\")\", \"(\")).x(),\n";
        assert_eq!(finish(nested), nested);
    }

    #[test]
    fn fields_broken_at_89_columns_are_joined_as_rustfmt_does() {
        let printed =
            "pub struct A {\n    pub field: Option<\n        Vec<VeryLongTypeName>,\n    >,\n}\n";
        assert_eq!(
            finish(printed),
            "pub struct A {\n    pub field: Option<Vec<VeryLongTypeName>>,\n}\n"
        );
        let long = "T".repeat(80);
        let printed =
            format!("pub struct A {{\n    pub field: Option<\n        {long},\n    >,\n}}\n");
        assert_eq!(
            finish(&printed),
            format!("pub struct A {{\n    pub field:\n        Option<{long}>,\n}}\n")
        );
    }

    #[test]
    fn object_macros_get_rustfmt_layout_and_a_blank_line_after() {
        let printed = "de::object!(A { a : \"a\" });\n\
             pub struct B {\n    pub b: u8,\n}\n\
             de::object!(\n    Long { first : \"first\", second_field : \"secondField\", .. rest }\n);\n";
        assert_eq!(
            finish(printed),
            "de::object!(A { a: \"a\" });\n\n\
             pub struct B {\n    pub b: u8,\n}\n\n\
             de::object!(Long {\n    first: \"first\",\n    second_field: \"secondField\",\n    ..rest\n});\n"
        );
    }
}
