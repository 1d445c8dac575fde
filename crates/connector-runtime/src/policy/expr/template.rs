//! Text templates: literal text with embedded expressions (and, where the template
//! allows it, `{name}` path parameter placeholders), parsed once into [`TextTemplate`]
//! and evaluated per request.

use serde_json::Value;

use super::{Expr, Root, Scope, eval, is_key_char, parse_expr, to_text};
use crate::error::Error;

/// One piece of a text template.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Expr(Expr),
    /// `{name}`: a path parameter placeholder.
    Placeholder(String),
}

/// Finds the `}` closing a `{` at byte 0 of `s`, skipping quoted text.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'') => quote = Some('\''),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_pieces(t: &str, placeholders: bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(text)));
        }
    };
    while i < t.len() {
        let rest = &t[i..];
        if rest.starts_with("@@") {
            text.push('@');
            i += 2;
            continue;
        }
        let braced = if rest.starts_with("@{") {
            Some(1)
        } else if rest.starts_with("{@") {
            Some(0)
        } else {
            None
        };
        if let Some(open) = braced
            && let Some(close) = closing_brace(&rest[open..])
        {
            let inner = rest[open + 1..open + close].trim();
            let inner = inner.strip_prefix('@').unwrap_or(inner);
            if let Some((e, used)) = parse_expr(inner)
                && used == inner.len()
            {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Expr(e));
                i += open + close + 1;
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('@')
            && let Some((e, used)) = parse_expr(after)
        {
            flush(&mut text, &mut pieces);
            pieces.push(Piece::Expr(e));
            i += 1 + used;
            continue;
        }
        if i == 0
            && (rest.starts_with("body()") || rest.starts_with("item()"))
            && let Some((e, used)) = parse_expr(rest)
        {
            pieces.push(Piece::Expr(e));
            i += used;
            continue;
        }
        if placeholders
            && rest.starts_with('{')
            && let Some(close) = rest.find('}')
        {
            let name = &rest[1..close];
            if !name.is_empty() && name.chars().all(|c| is_key_char(c) || c == '.') {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Placeholder(name.to_owned()));
                i += close + 1;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        text.push(c);
        i += c.len_utf8();
    }
    flush(&mut text, &mut pieces);
    pieces
}

/// A parsed text template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextTemplate {
    pieces: Vec<Piece>,
}

impl TextTemplate {
    /// Parses `text`; `placeholders`: whether `{name}` is a path parameter. Never fails:
    /// what is not an expression is literal text, as on the platform.
    pub(crate) fn parse(text: &str, placeholders: bool) -> Self {
        TextTemplate {
            pieces: parse_pieces(text, placeholders),
        }
    }

    /// Evaluates the template. A template that is exactly one expression yields that
    /// expression's JSON value (`null` when absent); otherwise the pieces are joined as
    /// text.
    pub(crate) fn eval(&self, scope: &Scope<'_>) -> Result<Value, Error> {
        if let [Piece::Expr(e)] = self.pieces.as_slice() {
            return Ok(eval(e, scope)?.unwrap_or(Value::Null));
        }
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(s) => out.push_str(s),
                Piece::Expr(e) => {
                    if let Some(v) = eval(e, scope)? {
                        out.push_str(&to_text(&v));
                    }
                }
                Piece::Placeholder(name) => {
                    match scope.path_params.iter().find(|(n, _)| n == name) {
                        Some((_, v)) => out.push_str(v),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                }
            }
        }
        Ok(Value::String(out))
    }

    /// [`Self::eval`] as text.
    pub(crate) fn eval_text(&self, scope: &Scope<'_>) -> Result<String, Error> {
        self.eval(scope).map(|v| to_text(&v))
    }

    /// Whether it reads a connection value (its result may be a secret).
    pub(crate) fn reads_connection(&self) -> bool {
        self.pieces.iter().any(|p| {
            matches!(
                p,
                Piece::Expr(Expr {
                    root: Root::Connection(..),
                    ..
                })
            )
        })
    }

    /// Whether it reads `triggerBody()` (the previous poll's body).
    pub(crate) fn reads_trigger_body(&self) -> bool {
        self.pieces.iter().any(|p| {
            matches!(
                p,
                Piece::Expr(Expr {
                    root: Root::TriggerBody,
                    ..
                })
            )
        })
    }
}
