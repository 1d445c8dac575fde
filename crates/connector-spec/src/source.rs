//! Reading source text: byte-order marks, non-UTF-8 bytes, strict JSON first, then
//! lenient JSON (comments, trailing commas) and YAML.

use serde_json::{Map, Value};

use crate::diagnostics::{LineCol, Severity};
use crate::report::{Reporter, Syntax};

/// JSON nesting deeper than this is refused (keeps every later recursion bounded).
pub(crate) const MAX_DEPTH: usize = 128;

/// Text decoded from bytes, with notes about what had to be repaired.
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) notes: Vec<String>,
}

/// Decodes bytes: strips a UTF-8 byte-order mark; invalid UTF-8 is read as Latin-1.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let mut notes = Vec::new();
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            notes.push("byte-order mark ignored".to_owned());
            rest
        }
        None => bytes,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(e) => {
            notes.push(format!(
                "not valid UTF-8 (byte {} at offset {}); read as Latin-1",
                bytes
                    .get(e.valid_up_to())
                    .map_or_else(String::new, |b| format!("0x{b:02X}")),
                e.valid_up_to()
            ));
            bytes.iter().map(|&b| char::from(b)).collect()
        }
    };
    Decoded { text, notes }
}

/// Decides JSON or YAML from the file name and the first significant character.
pub(crate) fn sniff(name: &str, text: &str) -> Syntax {
    let lower = name.to_ascii_lowercase();
    let yaml_name = lower.ends_with(".yaml") || lower.ends_with(".yml");
    match text.trim_start().chars().next() {
        Some('{') | Some('[') => Syntax::Json,
        Some('/') if !yaml_name => Syntax::Json,
        None if !yaml_name => Syntax::Json,
        // YAML is a superset of JSON: anything else (even in a .json file) is read as YAML.
        _ => Syntax::Yaml,
    }
}

/// Parses the reporter's text. Errors are reported; `None` means unusable.
pub(crate) fn parse(rep: &mut Reporter<'_>) -> Option<Value> {
    match rep.syntax {
        Syntax::Json => parse_json(rep),
        Syntax::Yaml => parse_yaml(rep),
    }
}

fn parse_json(rep: &mut Reporter<'_>) -> Option<Value> {
    let text = rep.text;
    let strict_err = match serde_json::from_str::<Value>(text) {
        Ok(v) => return Some(v),
        Err(e) => e,
    };
    if let Some((depth_at, _)) = too_deep(text) {
        let loc = crate::locate::line_col(text, depth_at);
        rep.at(
            Severity::Error,
            Some(loc),
            format!("nesting deeper than {MAX_DEPTH} levels"),
        );
        return None;
    }
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    let parsed = jsonc_parser::parse_to_serde_value(text, &options);
    let comma = parsed
        .as_ref()
        .is_ok_and(Option::is_some)
        .then(|| missing_comma(text))
        .flatten();
    match parsed {
        Ok(Some(_)) if comma.is_some() => {
            let at = comma.unwrap_or(0);
            rep.at(
                Severity::Error,
                Some(crate::locate::line_col(text, at)),
                "invalid JSON: missing comma between values",
            );
            None
        }
        Ok(Some(v)) => {
            let msg = strict_err.to_string();
            let reason = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m);
            rep.at(
                Severity::Warning,
                Some(LineCol {
                    line: strict_err.line().max(1),
                    column: strict_err.column().max(1),
                }),
                format!("not strict JSON ({reason}); read leniently"),
            );
            Some(v)
        }
        Ok(None) => {
            rep.at(
                Severity::Error,
                Some(LineCol { line: 1, column: 1 }),
                "empty document",
            );
            None
        }
        Err(e) => {
            rep.at(
                Severity::Error,
                Some(LineCol {
                    line: e.line_display(),
                    column: e.column_display(),
                }),
                format!("invalid JSON: {}", lowercase_first(&e.kind().to_string())),
            );
            None
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The byte offset of a value that directly follows another value without a comma
/// (the lenient parser accepts that, but it is ambiguous).
fn missing_comma(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut after_value = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while b.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && b.get(i..i + 2) != Some(b"*/") {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' => {
                if after_value {
                    return Some(i);
                }
                i += 1;
                while let Some(&c) = b.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                }
                after_value = true;
                continue;
            }
            b'{' | b'[' => {
                if after_value {
                    return Some(i);
                }
                after_value = false;
            }
            b'}' | b']' => after_value = true,
            b',' | b':' => after_value = false,
            c if c.is_ascii_alphanumeric() || c == b'-' => {
                if after_value {
                    return Some(i);
                }
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
                {
                    i += 1;
                }
                after_value = true;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The byte offset where nesting first exceeds [`MAX_DEPTH`], ignoring strings.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((i, depth));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn parse_yaml(rep: &mut Reporter<'_>) -> Option<Value> {
    let parsed = match serde_yaml::from_str::<serde_yaml::Value>(rep.text) {
        Ok(v) => Ok(v),
        Err(e) => widened_retry(rep).ok_or(e),
    };
    match parsed {
        Ok(mut v) => {
            if v.apply_merge().is_err() {
                rep.warn("", "YAML merge keys (`<<`) could not be applied");
            }
            let mut out = yaml_to_json(v, 0);
            if out.is_none() {
                rep.error("", format!("nesting deeper than {MAX_DEPTH} levels"));
            }
            if let Some(Value::Null) = out {
                rep.at(
                    Severity::Error,
                    Some(LineCol { line: 1, column: 1 }),
                    "empty document",
                );
                out = None;
            }
            out
        }
        Err(e) => {
            let loc = e.location().map(|l| LineCol {
                line: l.line(),
                column: l.column(),
            });
            let msg = e.to_string();
            let reason = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m);
            let reason = plain_yaml_reason(reason, rep.text, loc);
            rep.at(Severity::Error, loc, format!("invalid YAML: {reason}"));
            None
        }
    }
}

/// The YAML scanner's common messages in plain words (the original kept when there is
/// no better one).
fn plain_yaml_reason(reason: &str, text: &str, loc: Option<LineCol>) -> String {
    let at = loc.and_then(|l| {
        let line = text.lines().nth(l.line.checked_sub(1)?)?;
        line.chars().nth(l.column.checked_sub(1)?)
    });
    if reason.contains("cannot start any token") && at == Some('\t') {
        "a tab cannot indent YAML: indent with spaces".to_owned()
    } else if reason.contains("cannot start any token") {
        "this character cannot start a YAML value: quote the value".to_owned()
    } else if reason.contains("while scanning a quoted scalar") {
        "a quoted string is not closed".to_owned()
    } else if reason.contains("mapping values are not allowed") {
        "unexpected `:` here: check the indentation, or quote a value containing `: `".to_owned()
    } else if reason.contains("did not find expected ',' or ']'") {
        "a `[` list is not closed with `]`".to_owned()
    } else if reason.contains("did not find expected ',' or '}'") {
        "a `{` mapping is not closed with `}`".to_owned()
    } else if reason.contains("did not find expected key") {
        "unexpected indentation: a key was expected here".to_owned()
    } else if let Some(key) = reason.strip_prefix("duplicate entry with key ") {
        format!("the key {key} appears twice in the same mapping")
    } else {
        reason.to_owned()
    }
}

/// After `serde_yaml` refused the text: integers beyond 64 bits are read as floats (a
/// warning when the value is more than documentation). `None` when that does not help.
fn widened_retry(rep: &mut Reporter<'_>) -> Option<serde_yaml::Value> {
    let (text, widened) = crate::yaml_numbers::widen_big_integers(rep.text)?;
    let v = serde_yaml::from_str::<serde_yaml::Value>(&text).ok()?;
    for w in widened.iter().filter(|w| w.matters()) {
        rep.at(
            Severity::Warning,
            Some(LineCol {
                line: w.line,
                column: 1,
            }),
            format!(
                "`{}: {}` is beyond 64-bit integers; read as a float (precision lost)",
                w.key, w.literal
            ),
        );
    }
    Some(v)
}

fn yaml_to_json(v: serde_yaml::Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(seq) => Value::Array(
            seq.into_iter()
                .map(|x| yaml_to_json(x, depth + 1))
                .collect::<Option<Vec<_>>>()?,
        ),
        serde_yaml::Value::Mapping(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                let key = match k {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    serde_yaml::Value::Null => "null".to_owned(),
                    _ => continue,
                };
                out.insert(key, yaml_to_json(v, depth + 1)?);
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(t) => yaml_to_json(t.value, depth + 1)?,
    })
}

/// Parses `apiProperties.json`: lenient, never fatal.
pub(crate) fn parse_api_properties(rep: &mut Reporter<'_>) -> Option<Value> {
    let before = rep.diagnostics.len();
    let v = parse(rep);
    if v.is_none() {
        // Downgrade: a broken apiProperties.json is only a warning.
        for d in rep.diagnostics.iter_mut().skip(before) {
            d.severity = Severity::Warning;
            d.message = format!("{}; apiProperties ignored", d.message);
        }
    }
    v
}
