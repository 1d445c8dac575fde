//! Items and their parts in the layout rustfmt gives them: `use` runs, `de::object!`
//! calls, broken field types, `impl .. for ..` heads and long attributes.

use super::indent::Indent as _;
use super::split::{flatten, split_args, split_generic_args};
use super::{ATTR_FN_LIKE_WIDTH, FN_CALL_WIDTH, MAX_WIDTH, OBJECT_MACRO, STRUCT_LIT_WIDTH};

/// A run of top-level `use` statements starting at `line`, written to `out` as rustfmt
/// has them: sorted (`self`, `super`, `crate` first, then by path), each on one line
/// when it fits in 100 columns, else its `{..}` list filled over indented lines. Returns
/// the last statement written.
pub(super) fn sorted_uses<'a>(
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
pub(super) fn one_line_use(statement: &str) -> String {
    let joined = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace("{ ", "{")
        .replace(", }", "}")
        .replace(",}", "}")
        .replace(" }", "}")
}

/// A one-line `use` statement as rustfmt lays it out: as is when it fits in 98
/// columns, else `use path::{` / the items filled over lines of at most 99 columns,
/// indented by four / `};` (rustfmt keeps the room of the list's closing `}` and
/// separator in both measures).
pub(super) fn wrapped_use(statement: &str) -> String {
    if statement.len() < MAX_WIDTH - 1 {
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
        if !row.is_empty() && 4 + row.len() + 1 + item.len() + 1 >= MAX_WIDTH {
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

/// A field whose type prettyplease broke after `<` (its first line is `line`, the rest
/// come from `lines` up to the closing `>,`), as rustfmt lays it out, or as printed
/// when the break is not the simple kind [`joined_field`] handles.
pub(super) fn broken_field<'a>(
    line: &'a str,
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> String {
    let indent = line.len() - line.trim_indent().len();
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

/// A `de::object!(Name { field: "key", .., ..rest });` call as rustfmt lays it out, from
/// prettyplease's printing of it (`None` if it is not that shape).
pub(super) fn object_macro(call: &str) -> Option<String> {
    let mut trees = object_macro_input(call)?.into_iter();
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
    if nested && one_line.len() <= STRUCT_LIT_WIDTH && nested_flat.len() < MAX_WIDTH {
        return Some(format!("{OBJECT_MACRO}\n{nested_flat}\n);"));
    }
    let (mut out, indent) = if nested {
        (format!("{OBJECT_MACRO}\n    {name} {{"), "\n        ")
    } else {
        (head, "\n    ")
    };
    for (i, entry) in entries.iter().enumerate() {
        out.push_str(indent);
        out.push_str(entry);
        // rustfmt puts no comma after a `..base`, nor after the last field of a
        // literal nested in the call.
        let last_nested = nested && i + 1 == entries.len();
        if !(entry.starts_with("..") || last_nested) {
            out.push(',');
        }
    }
    out.push_str(if nested { "\n    }\n);" } else { "\n});" });
    Some(out)
}

/// The tokens inside `de::object!( .. );` when `call` is that statement alone: the
/// shape `syn::ItemMacro` reads for it (without attributes), matched on the tokens
/// alone, which costs a third of parsing the item with syn.
pub(super) fn object_macro_input(call: &str) -> Option<proc_macro2::TokenStream> {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let tokens: proc_macro2::TokenStream = call.parse().ok()?;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let [
        TokenTree::Ident(de),
        TokenTree::Punct(colon1),
        TokenTree::Punct(colon2),
        TokenTree::Ident(object),
        TokenTree::Punct(bang),
        TokenTree::Group(args),
        TokenTree::Punct(semi),
    ] = trees.as_slice()
    else {
        return None;
    };
    let path = *de == "de"
        && colon1.as_char() == ':'
        && colon1.spacing() == Spacing::Joint
        && colon2.as_char() == ':'
        && *object == "object";
    let shape = bang.as_char() == '!'
        && args.delimiter() == Delimiter::Parenthesis
        && semi.as_char() == ';';
    (path && shape).then(|| args.stream())
}

/// A struct field whose type prettyplease broke over lines (it wraps at 89 columns,
/// rustfmt at 100): `pub name: Option<` / `Inner,` / `>,`. Joined when the field fits on
/// one line; else with the type on its own line after the name, as rustfmt does; `None`
/// when the break is deeper than one level (left as printed).
pub(super) fn joined_field(first: &str, inner: &[&str], indent: usize) -> Option<String> {
    let mut pieces = Vec::new();
    for line in inner {
        let t = line.trim();
        if t.starts_with("//") || t.starts_with('#') {
            return None;
        }
        pieces.push(t);
    }
    // Arguments broken further (`Vec<` / `Vec<T>,` / `>,`) are joined first.
    let flat = flatten(&pieces);
    let args = split_generic_args(flat.trim_end_matches(','));
    let one = format!("{}{}>,", first.trim_end(), args.join(", "));
    if one.len() <= MAX_WIDTH {
        return Some(one);
    }
    let colon = one.find(": ")?;
    let (name, ty) = one.split_at(colon + 1);
    let pad = " ".repeat(indent + 4);
    let second = format!("{pad}{}", ty.trim_indent());
    if second.len() <= MAX_WIDTH {
        return Some(format!("{name}\n{second}"));
    }
    // Else the outer generic's arguments one per line, each whole.
    let mut out = first.trim_end().to_owned();
    for arg in &args {
        let line = format!("{pad}{arg},");
        if line.len() > MAX_WIDTH || arg.is_empty() {
            return None;
        }
        out.push('\n');
        out.push_str(&line);
    }
    out.push_str(&format!("\n{}>,", " ".repeat(indent)));
    Some(out)
}

/// `impl Trait` / `for Type {`, which prettyplease breaks before `for` past 89 columns:
/// one line when it fits in 100, else rustfmt's `impl Trait` / `    for Type` / `{`.
pub(super) fn impl_header(line: &str, next: &str) -> String {
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
pub(super) fn long_line(line: &str) -> Option<String> {
    let trimmed = line.trim_indent();
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
    if line.len() <= MAX_WIDTH {
        return None;
    }
    if trimmed.starts_with("pub struct ") || trimmed.starts_with("pub enum ") {
        let head = line.strip_suffix(" {")?;
        return Some(format!("{head}\n{indent}{{"));
    }
    // A function without parameters (the `mock` module's constructors): the brace moves
    // to its own line when the rest fits, else the line breaks before `->`.
    if line.len() > MAX_WIDTH
        && (trimmed.starts_with("pub fn ") || trimmed.starts_with("fn "))
        && trimmed.contains("() -> ")
    {
        let head = line.strip_suffix(" {")?;
        // rustfmt lets the head pass 100 columns by one (measured with rustfmt 2024:
        // 101 stays, 102 breaks before `->`).
        if head.len() <= MAX_WIDTH + 1 {
            return Some(format!("{head}\n{indent}{{"));
        }
        let (name, ret) = head.split_once("() -> ")?;
        return Some(format!("{name}()\n{indent}-> {ret} {{"));
    }
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    // `impl Name {` past 100 columns: the type on a line of its own.
    if let Some(name) = trimmed
        .strip_prefix("impl ")
        .and_then(|r| r.strip_suffix(" {"))
        .filter(|n| plain(n))
    {
        return Some(format!("{indent}impl\n{indent}    {name}\n{indent}{{"));
    }
    // `pub type A = B;` and a field `pub a: B,` with a plain `B`: broken after `=` / `:`.
    let (head, tail, end) = if let Some(rest) = trimmed.strip_suffix(';') {
        let (lhs, rhs) = rest.split_once(" = ")?;
        (format!("{lhs} ="), rhs, ";")
    } else {
        let rest = trimmed.strip_suffix(',')?;
        let (lhs, rhs) = rest.split_once(": ")?;
        (format!("{lhs}:"), rhs, ",")
    };
    let is_item = head.starts_with("pub type ") || head.starts_with("type ");
    let is_field = end == ","
        && head
            .trim_start_matches("pub ")
            .trim_end_matches(':')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !(is_item || is_field) || !plain(tail) {
        return None;
    }
    let broken = format!("{indent}{head}\n{indent}    {tail}{end}");
    Some(broken)
}

/// Whether `line` starts a struct field whose type prettyplease broke after a `<`.
pub(super) fn is_broken_field(line: &str) -> bool {
    let t = line.trim_indent();
    let t = t.strip_prefix("pub ").unwrap_or(t);
    line.ends_with('<')
        && t.split_once(": ").is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}
