//! Stereotyped items printed straight to text, as `prettyplease` prints their tokens.
//!
//! Building tokens, printing them, parsing the text with syn and printing the syntax
//! tree with prettyplease is most of the generator's time, and most of a crate's bytes
//! are items of a few fixed shapes (a mock builder per operation, ...). An emitter
//! describes such an item as plain data ([`TextItem`]: lines of code, docs as [`Doc`]s)
//! and this module prints it the way prettyplease prints the same item, byte for byte,
//! so [`crate::layout::finish`] sees the same text either way. Only what this printer
//! is sure of is printed here: a line that could be wider than prettyplease's margin,
//! an alias in a doc or a doc line prettyplease would print as a block comment make
//! [`TextItem::print`] return `None`, and the emitter hands out its tokens instead.
//!
//! Names, docs and literals reach these lines through codegen's one escaping path, as
//! they reach tokens: idents through [`crate::names::ident`], string literals through
//! [`crate::text::literal`] and docs through [`Doc::values`].

use crate::docs::Doc;

/// prettyplease's margin: a line wider than this is broken where the syntax allows.
const MARGIN: usize = 89;

/// Code lines up to this width (indentation and a trailing ` {` or `;` included) are
/// printed on one line by prettyplease, whatever they hold; wider ones make the printer
/// decline. The mock tests sweep names and paths across it.
const SURE_WIDTH: usize = MARGIN;

/// Spaces per indentation level.
const INDENT: &str = "    ";

/// A statement of a function body.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// A statement or expression that fits on one line.
    Line(String),
    /// `{head}(` arguments `){tail}`: on one line when it fits, else one argument per
    /// line, as prettyplease breaks a call.
    Call {
        /// Up to and without the `(`, e.g. `let request = MockRequest::new`.
        head: String,
        /// The arguments, each printed as it is.
        args: Vec<String>,
        /// After the `)`, e.g. `;`.
        tail: String,
    },
    /// A struct literal `{path} { field, .. }` as the block's value, a field per line.
    Struct {
        /// The struct's name.
        path: String,
        /// `name: value` or `name`, each.
        fields: Vec<String>,
    },
}

/// `{head}(params){tail}` of a function, e.g. `pub fn get(&self, id: u64) -> Get`.
#[derive(Debug, Clone)]
pub struct Signature {
    /// `pub fn name`.
    pub head: String,
    /// The parameters, `&self` first when there is one.
    pub params: Vec<String>,
    /// ` -> Ret`, or nothing.
    pub tail: String,
}

/// A function: docs, attributes, the signature up to `{`, the body.
#[derive(Debug, Clone)]
pub struct TextFn {
    /// Doc comment.
    pub doc: Doc,
    /// Outer attributes, each as printed (`#[cfg(feature = "preview")]`).
    pub attrs: Vec<String>,
    /// `pub fn name(args) -> Ret`.
    pub signature: Signature,
    /// Statements, the last one the value.
    pub body: Vec<Stmt>,
}

/// An item of a stereotyped shape.
#[derive(Debug, Clone)]
pub enum TextItem {
    /// A function.
    Fn(TextFn),
    /// A one-line item (`pub struct A(B);`, `path::mac!(A);`) with its docs and
    /// attributes.
    Line {
        /// Doc comment.
        doc: Doc,
        /// Outer attributes, each as printed.
        attrs: Vec<String>,
        /// The item.
        line: String,
    },
    /// `impl {head} {` methods `}`.
    Impl {
        /// Outer attributes, each as printed.
        attrs: Vec<String>,
        /// What follows `impl `.
        head: String,
        /// The methods.
        methods: Vec<TextFn>,
    },
}

impl TextItem {
    /// The item as prettyplease prints it (no blank lines between items or members:
    /// [`crate::layout::finish`] adds those), or `None` when this printer cannot be
    /// sure of prettyplease's layout for it.
    pub fn print(&self, out: &mut String) -> Option<()> {
        match self {
            TextItem::Fn(f) => print_fn(f, 0, out),
            TextItem::Line { doc, attrs, line } => {
                print_doc(doc, 0, out)?;
                print_attrs(attrs, 0, out)?;
                code_line(0, line, out)
            }
            TextItem::Impl {
                attrs,
                head,
                methods,
            } => {
                print_attrs(attrs, 0, out)?;
                code_line(0, &format!("impl {head} {{"), out)?;
                for m in methods {
                    print_fn(m, 1, out)?;
                }
                out.push_str("}\n");
                Some(())
            }
        }
    }
}

/// Items as prettyplease prints them, or `None` if any of them cannot be printed here.
pub fn print_items(items: &[TextItem]) -> Option<String> {
    let mut out = String::with_capacity(items.len() * 512);
    for item in items {
        item.print(&mut out)?;
    }
    Some(out)
}

/// A method as prettyplease prints it inside an `impl` block (one level in).
pub fn print_fn_in_impl(f: &TextFn, out: &mut String) -> Option<()> {
    print_fn(f, 1, out)
}

fn print_fn(f: &TextFn, depth: usize, out: &mut String) -> Option<()> {
    print_doc(&f.doc, depth, out)?;
    print_attrs(&f.attrs, depth, out)?;
    let Signature { head, params, tail } = &f.signature;
    call(depth, head, params, &format!("{tail} {{"), out)?;
    for stmt in &f.body {
        match stmt {
            Stmt::Line(line) => code_line(depth + 1, line, out)?,
            Stmt::Call { head, args, tail } => call(depth + 1, head, args, tail, out)?,
            Stmt::Struct { path, fields } => struct_literal(depth + 1, path, fields, out)?,
        }
    }
    indent(depth, out);
    out.push_str("}\n");
    Some(())
}

/// A call on one line when it fits in the margin, else broken after `(` with one
/// argument per line and a trailing comma.
fn call(depth: usize, head: &str, args: &[String], tail: &str, out: &mut String) -> Option<()> {
    let one_line = format!("{head}({}){tail}", args.join(", "));
    // Nothing to break between empty parentheses: a line too wide declines.
    if args.is_empty() || depth * INDENT.len() + one_line.len() <= MARGIN {
        return code_line(depth, &one_line, out);
    }
    code_line(depth, &format!("{head}("), out)?;
    for arg in args {
        // An argument too wide even on its own line would be broken inside.
        code_line(depth + 1, &format!("{arg},"), out)?;
    }
    code_line(depth, &format!("){tail}"), out)
}

/// A struct literal as prettyplease prints one with fields: a field per line with a
/// trailing comma, whatever its width.
fn struct_literal(depth: usize, path: &str, fields: &[String], out: &mut String) -> Option<()> {
    if fields.is_empty() {
        return code_line(depth, &format!("{path} {{}}"), out);
    }
    code_line(depth, &format!("{path} {{"), out)?;
    for field in fields {
        code_line(depth + 1, &format!("{field},"), out)?;
    }
    code_line(depth, "}", out)
}

fn indent(depth: usize, out: &mut String) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

/// A line of code, if prettyplease surely prints it on one line.
fn code_line(depth: usize, line: &str, out: &mut String) -> Option<()> {
    if depth * INDENT.len() + line.len() > SURE_WIDTH {
        return None;
    }
    indent(depth, out);
    out.push_str(line);
    out.push('\n');
    Some(())
}

fn print_attrs(attrs: &[String], depth: usize, out: &mut String) -> Option<()> {
    attrs.iter().try_for_each(|a| code_line(depth, a, out))
}

/// `///` lines as prettyplease prints `#[doc = "…"]`: the value with its trailing
/// spaces trimmed. A value prettyplease would print otherwise (one holding a line break
/// or starting with `/`) or an alias makes it decline.
fn print_doc(doc: &Doc, depth: usize, out: &mut String) -> Option<()> {
    if doc.has_aliases() {
        return None;
    }
    for value in doc.values() {
        if value.contains('\n') || value.starts_with('/') {
            return None;
        }
        indent(depth, out);
        out.push_str("///");
        out.push_str(value.trim_end_matches(' '));
        out.push('\n');
    }
    Some(())
}

/// A type's tokens as prettyplease prints the type (`Vec<types::Pet>`, `&[u8]`,
/// `BTreeMap<String, i64>`, `(A, B)`), or `None` for tokens this printer does not
/// spell (lifetimes, literals, other punctuation).
pub fn type_text(tokens: &proc_macro2::TokenStream) -> Option<String> {
    let mut out = String::new();
    type_text_into(tokens, &mut out)?;
    Some(out)
}

fn type_text_into(tokens: &proc_macro2::TokenStream, out: &mut String) -> Option<()> {
    use proc_macro2::{Delimiter, TokenTree};
    // Two words in a row (`impl Into`, `dyn Trait`) are spaced; nothing else is.
    let mut after_word = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Ident(id) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&id.to_string());
                after_word = true;
                continue;
            }
            TokenTree::Punct(p) => match p.as_char() {
                ':' | '<' | '>' | '&' => out.push(p.as_char()),
                ',' => out.push_str(", "),
                ';' => out.push_str("; "),
                _ => return None,
            },
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Bracket => ('[', ']'),
                    _ => return None,
                };
                if after_word && open == '(' {
                    // `Fn(A)`-style sugar: not a type this printer spells.
                    return None;
                }
                out.push(open);
                type_text_into(&g.stream(), out)?;
                out.push(close);
            }
            TokenTree::Literal(_) => return None,
        }
        after_word = false;
    }
    Some(())
}

/// Sets `found[i]` when the code of `text` (printed items: doc lines and string
/// literals are not code) names `names[i].0` as an identifier, as a path prefix
/// (`name::…`) when `names[i].1` is set: what `mock::mentioned` tells from the same
/// items' tokens.
pub fn mentioned(text: &str, names: &[(&str, bool)], found: &mut [bool]) {
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("///") {
            continue;
        }
        let bytes = code.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' {
                // Skip the literal, escapes included.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            if b.is_ascii_alphabetic() || b == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &code[start..i];
                let before_colon = bytes.get(i) == Some(&b':');
                for ((name, prefix), found) in names.iter().zip(found.iter_mut()) {
                    if !*found && word == *name && (!prefix || before_colon) {
                        *found = true;
                    }
                }
                continue;
            }
            if b.is_ascii_digit() {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                continue;
            }
            i += 1;
        }
    }
}
