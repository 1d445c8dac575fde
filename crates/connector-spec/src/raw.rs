//! The source document as written, for tooling that checks what the normalized model
//! drops (`info.contact`, `consumes`, examples, …) and reports findings at a file
//! position: the same tolerant reading and the same pointer locating as the loader's
//! own diagnostics.

use std::path::PathBuf;

use serde_json::Value;

use crate::diagnostics::LineCol;
use crate::report::{Reporter, Syntax};
use crate::{locate, pointer, source};

/// One source file as written: its decoded text and its parsed document.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// The text (byte-order mark stripped, invalid UTF-8 read as Latin-1).
    pub text: String,
    /// The parsed document (JSON, lenient JSON or YAML); `None` when unreadable.
    pub value: Option<Value>,
    yaml: bool,
}

impl RawDocument {
    /// Reads `bytes`; `name` (the file name) helps decide JSON or YAML.
    pub fn read(name: &str, bytes: &[u8]) -> RawDocument {
        let text = source::decode(bytes).text;
        let syntax = source::sniff(name, &text);
        let value = {
            let mut rep = Reporter::new(PathBuf::from(name), &text, syntax);
            source::parse(&mut rep)
        };
        RawDocument {
            yaml: syntax == Syntax::Yaml,
            text,
            value,
        }
    }

    /// Line and column of many JSON pointers, as [`RawDocument::locate`] gives them, in
    /// one pass over JSON text (YAML: one pointer at a time).
    pub fn locate_many(&self, pointers: &[&str]) -> Vec<Option<LineCol>> {
        if self.yaml {
            pointers
                .iter()
                .map(|p| locate::locate_yaml(&self.text, p))
                .collect()
        } else {
            locate::locate_json_many(&self.text, pointers)
        }
    }

    /// Line and column of a JSON pointer (the member's key, or the deepest container
    /// found), as the loader's diagnostics locate them.
    pub fn locate(&self, pointer: &str) -> Option<LineCol> {
        if self.yaml {
            locate::locate_yaml(&self.text, pointer)
        } else {
            locate::locate_json(&self.text, pointer)
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn pointer_join(base: &str, token: &str) -> String {
    pointer::join(base, token)
}
