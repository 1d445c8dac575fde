//! Locates many JSON pointers in one JSON text in a single pass.
//!
//! `connector_spec::locate_pointer` scans the text once per pointer, which is quadratic
//! when a large definition changes in many places (a 450 kB definition with 1,600 changes
//! took seconds). serde_json gives no offsets, so this is a small hand-written scanner:
//! it records the offset of every member or element whose pointer was asked for (or is a
//! prefix of one), and answers each pointer with its deepest recorded prefix.

use std::collections::{HashMap, HashSet};

use connector_spec::LineCol;

/// Deeper nesting than this is skipped (the loader refuses far shallower documents).
const MAX_DEPTH: usize = 256;

/// Offsets of the pointers asked for, in one text.
pub struct Index<'a> {
    text: &'a str,
    found: HashMap<String, usize>,
    line_starts: Vec<usize>,
}

impl<'a> Index<'a> {
    /// Scans `text` once for `pointers` (and their prefixes).
    pub fn new<'p>(text: &'a str, pointers: impl IntoIterator<Item = &'p str>) -> Index<'a> {
        let mut want = HashSet::new();
        for p in pointers {
            let mut cut = p.len();
            loop {
                want.insert(p[..cut].to_string());
                match p[..cut].rfind('/') {
                    Some(i) => cut = i,
                    None => break,
                }
            }
        }
        let mut sc = Scanner {
            s: text.as_bytes(),
            i: 0,
            want: &want,
            found: HashMap::new(),
        };
        sc.ws();
        sc.found.insert(String::new(), sc.i);
        let mut ptr = String::new();
        sc.value(&mut ptr, true, 0);
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Index {
            text,
            found: sc.found,
            line_starts,
        }
    }

    /// Line and column of `pointer`, or of its deepest prefix present in the text.
    pub fn locate(&self, pointer: &str) -> Option<LineCol> {
        let mut cut = pointer.len();
        loop {
            if let Some(&off) = self.found.get(&pointer[..cut]) {
                return Some(self.line_col(off));
            }
            cut = pointer[..cut].rfind('/')?;
        }
    }

    fn line_col(&self, offset: usize) -> LineCol {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        LineCol { line, column }
    }
}

struct Scanner<'s, 'w> {
    s: &'s [u8],
    i: usize,
    want: &'w HashSet<String>,
    found: HashMap<String, usize>,
}

impl Scanner<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Skips whitespace and `//` / `/* */` comments.
    fn ws(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.i += 1;
            } else if self.s[self.i..].starts_with(b"//") {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.i += 1;
                }
            } else if self.s[self.i..].starts_with(b"/*") {
                self.i += 2;
                while self.i < self.s.len() && !self.s[self.i..].starts_with(b"*/") {
                    self.i += 1;
                }
                self.i = (self.i + 2).min(self.s.len());
            } else {
                break;
            }
        }
    }

    /// Reads a string at the cursor (which is on the opening quote).
    fn string(&mut self) -> String {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self
                                .s
                                .get(self.i..self.i + 4)
                                .and_then(|h| std::str::from_utf8(h).ok());
                            let c = hex
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32);
                            self.i = (self.i + 4).min(self.s.len());
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(
                                c.unwrap_or('\u{fffd}').encode_utf8(&mut buf).as_bytes(),
                            );
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Scans one value; records members and elements under `ptr` when `track`.
    fn value(&mut self, ptr: &mut String, track: bool, depth: usize) {
        self.ws();
        match self.peek() {
            Some(b'{') if depth < MAX_DEPTH => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        Some(b'"') => {}
                        _ => return,
                    }
                    let at = self.i;
                    let key = self.string();
                    self.ws();
                    if self.peek() != Some(b':') {
                        return;
                    }
                    self.i += 1;
                    let len = ptr.len();
                    let mut child = false;
                    if track {
                        ptr.push('/');
                        ptr.push_str(&crate::pointers::escape(&key));
                        child = self.want.contains(ptr.as_str());
                        if child {
                            self.found.entry(ptr.clone()).or_insert(at);
                        }
                    }
                    self.value(ptr, child, depth + 1);
                    ptr.truncate(len);
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    }
                }
            }
            Some(b'[') if depth < MAX_DEPTH => {
                self.i += 1;
                let mut index = 0usize;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        None => return,
                        _ => {}
                    }
                    let before = self.i;
                    let len = ptr.len();
                    let mut child = false;
                    if track {
                        ptr.push('/');
                        ptr.push_str(&index.to_string());
                        child = self.want.contains(ptr.as_str());
                        if child {
                            self.found.entry(ptr.clone()).or_insert(before);
                        }
                    }
                    self.value(ptr, child, depth + 1);
                    ptr.truncate(len);
                    index += 1;
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    } else if self.i == before {
                        return;
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Index;

    #[test]
    fn locates_members_elements_and_falls_back_to_the_deepest_prefix() {
        let text =
            "{\n  \"paths\": {\n    \"/a~b\": {\"get\": {\"parameters\": [1, {\"x\": 2}]}}\n  }\n}";
        let idx = Index::new(
            text,
            ["/paths/~1a~0b/get/parameters/1/x", "/paths/~1a~0b/get/nope"],
        );
        let at = |p| idx.locate(p).map(|l| (l.line, l.column));
        assert_eq!(at("/paths"), Some((2, 3)));
        assert_eq!(at("/paths/~1a~0b/get/parameters/1/x"), Some((3, 41)));
        assert_eq!(at("/paths/~1a~0b/get/nope"), Some((3, 14)));
    }
}
