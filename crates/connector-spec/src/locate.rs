//! Finds the line and column of a JSON pointer in the source text. Only called when a
//! diagnostic is produced, so the happy path never pays for it.

use crate::diagnostics::LineCol;
use crate::pointer;

/// Line and column (1-based, in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> LineCol {
    let offset = offset.min(text.len());
    let mut line = 1;
    let mut line_start = 0;
    for (i, b) in text.bytes().enumerate().take(offset) {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = text
        .get(line_start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    LineCol { line, column }
}

/// Locates `pointer` in JSON (or JSON-with-comments) text: the member's key for object
/// members, the value for array elements. Falls back to the deepest container found.
pub(crate) fn locate_json(text: &str, ptr: &str) -> Option<LineCol> {
    let tokens = pointer::split(ptr);
    let mut sc = Scanner {
        s: text.as_bytes(),
        i: 0,
    };
    sc.skip_ws();
    let mut found = sc.i;
    for token in &tokens {
        sc.skip_ws();
        match sc.peek() {
            Some(b'{') => {
                sc.i += 1;
                let mut hit = None;
                loop {
                    sc.skip_ws();
                    match sc.peek() {
                        Some(b'}') | None => break,
                        Some(b',') => {
                            sc.i += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let key_pos = sc.i;
                    let key = sc.read_key();
                    sc.skip_ws();
                    if sc.peek() == Some(b':') {
                        sc.i += 1;
                    }
                    sc.skip_ws();
                    if key.as_deref() == Some(token.as_str()) {
                        hit = Some(key_pos);
                        break;
                    }
                    if !sc.skip_value() {
                        break;
                    }
                }
                match hit {
                    Some(pos) => found = pos,
                    None => return Some(line_col(text, found)),
                }
            }
            Some(b'[') => {
                sc.i += 1;
                let Ok(want) = token.parse::<usize>() else {
                    return Some(line_col(text, found));
                };
                let mut n = 0;
                let mut hit = None;
                loop {
                    sc.skip_ws();
                    match sc.peek() {
                        Some(b']') | None => break,
                        Some(b',') => {
                            sc.i += 1;
                            continue;
                        }
                        _ => {}
                    }
                    if n == want {
                        hit = Some(sc.i);
                        break;
                    }
                    n += 1;
                    if !sc.skip_value() {
                        break;
                    }
                }
                match hit {
                    Some(pos) => found = pos,
                    None => return Some(line_col(text, found)),
                }
            }
            _ => return Some(line_col(text, found)),
        }
    }
    Some(line_col(text, found))
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                b'/' if self.s.get(self.i + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                b'/' if self.s.get(self.i + 1) == Some(&b'*') => {
                    self.i += 2;
                    while self.i < self.s.len() {
                        if self.s.get(self.i..self.i + 2) == Some(b"*/") {
                            self.i += 2;
                            break;
                        }
                        self.i += 1;
                    }
                }
                0x80.. => {
                    // Unicode whitespace (e.g. U+2003) between tokens.
                    let rest = std::str::from_utf8(self.s.get(self.i..).unwrap_or(&[]))
                        .ok()
                        .or_else(|| {
                            let end = (self.i + 4).min(self.s.len());
                            (self.i + 1..=end).find_map(|e| {
                                std::str::from_utf8(self.s.get(self.i..e).unwrap_or(&[])).ok()
                            })
                        });
                    match rest.and_then(|r| r.chars().next()) {
                        Some(c) if c.is_whitespace() => self.i += c.len_utf8(),
                        _ => return,
                    }
                }
                _ => return,
            }
        }
    }

    /// Reads an object key (a string, or a bare word); the scanner ends after it.
    fn read_key(&mut self) -> Option<String> {
        if self.peek() == Some(b'"') {
            return self.read_string();
        }
        let start = self.i;
        while let Some(b) = self.peek() {
            if matches!(b, b':' | b',' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                break;
            }
            self.i += 1;
        }
        if self.i == start {
            // Not a key at all: step over one byte so the caller makes progress.
            self.i += 1;
            return None;
        }
        std::str::from_utf8(self.s.get(start..self.i)?)
            .ok()
            .map(str::to_owned)
    }

    fn read_string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4)?;
                            self.i += 4;
                            let code =
                                u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            let c = char::from_u32(code).unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        None
    }

    /// Skips one value; `false` at end of input.
    fn skip_value(&mut self) -> bool {
        match self.peek() {
            None => false,
            Some(b'"') => {
                self.read_string();
                true
            }
            Some(b'{') | Some(b'[') => {
                let mut depth = 0usize;
                while let Some(b) = self.peek() {
                    match b {
                        b'"' => {
                            self.read_string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.i += 1;
                                return true;
                            }
                        }
                        b'/' => {
                            let before = self.i;
                            self.skip_ws();
                            if self.i != before {
                                continue;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                false
            }
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
                true
            }
        }
    }
}

/// Locates `pointer` in block-style YAML by indentation (a heuristic: flow style falls
/// back to the deepest block found).
pub(crate) fn locate_yaml(text: &str, ptr: &str) -> Option<LineCol> {
    let tokens = pointer::split(ptr);
    let lines: Vec<(usize, &str)> = text.lines().enumerate().collect();
    // (line index, indent of the owning node, whether we sit on a "- " item line)
    let mut cur_line: Option<usize> = None;
    let mut parent_indent: isize = -1;
    let mut item_inline: Option<(usize, usize)> = None; // (line, key column)
    for token in &tokens {
        let start = cur_line.map_or(0, |l| l + 1);
        if let Ok(want) = token.parse::<usize>() {
            // Sequence item?
            let mut n = 0;
            let mut hit = None;
            let mut item_indent: Option<usize> = None;
            for &(idx, line) in lines.iter().skip(start) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let indent = line.len() - trimmed.len();
                if (indent as isize) <= parent_indent && !trimmed.starts_with("- ") {
                    break;
                }
                if (indent as isize) < parent_indent {
                    break;
                }
                if trimmed.starts_with("- ") || trimmed == "-" {
                    let ii = *item_indent.get_or_insert(indent);
                    if indent == ii {
                        if n == want {
                            hit = Some((idx, indent));
                            break;
                        }
                        n += 1;
                    }
                }
            }
            if let Some((idx, indent)) = hit {
                cur_line = Some(idx);
                parent_indent = indent as isize;
                item_inline = Some((idx, indent + 2));
                continue;
            }
        }
        // Mapping key.
        let mut hit = None;
        if let Some((idx, col)) = item_inline.take() {
            if let Some((_, line)) = lines.get(idx)
                && key_matches(line.get(col..).unwrap_or(""), token)
            {
                hit = Some((idx, col));
            }
            parent_indent = col as isize - 1;
        }
        if hit.is_none() {
            for &(idx, line) in lines.iter().skip(start) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let indent = line.len() - trimmed.len();
                if (indent as isize) <= parent_indent {
                    break;
                }
                if key_matches(trimmed, token) {
                    hit = Some((idx, indent));
                    break;
                }
            }
        }
        match hit {
            Some((idx, indent)) => {
                cur_line = Some(idx);
                parent_indent = indent as isize;
            }
            None => break,
        }
    }
    let line = cur_line.map_or(1, |l| l + 1);
    let column = cur_line
        .and_then(|l| lines.get(l))
        .map_or(1, |(_, s)| s.len() - s.trim_start().len() + 1);
    Some(LineCol { line, column })
}

fn key_matches(content: &str, key: &str) -> bool {
    let content = content.trim_start();
    for quoted in [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ] {
        if content.starts_with(&quoted) {
            let rest = content.get(quoted.len()..).unwrap_or("");
            if rest.is_empty() || rest.starts_with([' ', '\t']) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_json_members() {
        let text = "{\n  \"a\": {\"x\": 1, // c\n   \"b\": [10, {\"c\": true}]\n  }\n}";
        assert_eq!(
            locate_json(text, "/a/b/1/c"),
            Some(LineCol {
                line: 3,
                column: 15
            })
        );
        assert_eq!(
            locate_json(text, "/a/b"),
            Some(LineCol { line: 3, column: 4 })
        );
        // Missing member: deepest container found.
        assert_eq!(
            locate_json(text, "/a/zz"),
            Some(LineCol { line: 2, column: 3 })
        );
    }

    #[test]
    fn finds_yaml_members() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: query\n";
        assert_eq!(
            locate_yaml(text, "/paths/~1a/get"),
            Some(LineCol { line: 4, column: 5 })
        );
        assert_eq!(
            locate_yaml(text, "/paths/~1a/get/parameters/1/in"),
            Some(LineCol {
                line: 9,
                column: 11
            })
        );
    }
}

/// Locates many pointers in JSON text in one pass: each pointer gets what
/// [`locate_json`] gives it (the member's key, the array element's value, else the
/// deepest container found), but the text is scanned once, descending only along the
/// requested pointers, instead of once per pointer.
pub(crate) fn locate_json_many(text: &str, ptrs: &[&str]) -> Vec<Option<LineCol>> {
    let mut wanted: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for p in ptrs {
        for (i, b) in p.bytes().enumerate() {
            if b == b'/' {
                wanted.insert(&p[..i]);
            }
        }
        wanted.insert(p);
    }
    let mut sc = Scanner {
        s: text.as_bytes(),
        i: 0,
    };
    sc.skip_ws();
    let mut offsets: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    offsets.insert(String::new(), sc.i);
    descend(&mut sc, "", &wanted, &mut offsets, 0);
    let lines = LineIndex::new(text);
    ptrs.iter()
        .map(|p| {
            // The longest located prefix (the pointer itself when found).
            let mut cut = p.len();
            loop {
                if let Some(&offset) = offsets.get(&p[..cut]) {
                    return Some(lines.line_col(text, offset));
                }
                cut = p[..cut].rfind('/')?;
            }
        })
        .collect()
}

/// Consumes the value at the scanner, recording the offsets of wanted pointers below it.
fn descend(
    sc: &mut Scanner<'_>,
    ptr: &str,
    wanted: &std::collections::HashSet<&str>,
    offsets: &mut std::collections::HashMap<String, usize>,
    depth: usize,
) {
    let object = match sc.peek() {
        Some(b'{') => true,
        Some(b'[') => false,
        _ => {
            sc.skip_value();
            return;
        }
    };
    if depth > crate::source::MAX_DEPTH {
        sc.skip_value();
        return;
    }
    sc.i += 1;
    let mut n = 0usize;
    loop {
        sc.skip_ws();
        match sc.peek() {
            None => return,
            Some(b'}') | Some(b']') => {
                sc.i += 1;
                return;
            }
            Some(b',') => {
                sc.i += 1;
                continue;
            }
            _ => {}
        }
        let (child, at) = if object {
            let key_pos = sc.i;
            let key = sc.read_key();
            sc.skip_ws();
            if sc.peek() == Some(b':') {
                sc.i += 1;
            }
            sc.skip_ws();
            match key {
                Some(k) => (pointer::join(ptr, &k), key_pos),
                None => (String::new(), key_pos),
            }
        } else {
            let child = format!("{ptr}/{n}");
            n += 1;
            (child, sc.i)
        };
        let before = sc.i;
        if !child.is_empty() && wanted.contains(child.as_str()) {
            offsets.entry(child.clone()).or_insert(at);
            descend(sc, &child, wanted, offsets, depth + 1);
        } else if !sc.skip_value() {
            return;
        }
        if sc.i == before {
            // No progress (malformed input): step over one byte.
            sc.i += 1;
        }
    }
}

/// Line starts of a text, for locating many offsets.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        LineCol { line, column }
    }
}

#[cfg(test)]
mod many_tests {
    use super::*;

    #[test]
    fn one_pass_locates_like_one_pointer_at_a_time() {
        let text = "{\n  \"a\": {\"b~c/d\": [1, {\"x\": 2}], \"e\": \"s\\\"}\"},\n  \"f\": [ {\"g\": 1} ]\n}";
        let ptrs = [
            "",
            "/a",
            "/a/b~0c~1d",
            "/a/b~0c~1d/1",
            "/a/b~0c~1d/1/x",
            "/a/e",
            "/a/missing/deeper",
            "/f/0/g",
            "/f/3",
            "/nope",
        ];
        let many = locate_json_many(text, &ptrs);
        for (p, got) in ptrs.iter().zip(many) {
            assert_eq!(got, locate_json(text, p), "{p}");
        }
    }
}
