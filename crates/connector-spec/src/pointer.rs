//! JSON pointers: escaping, splitting, and the map from pointers in an upgraded
//! (Swagger 2.0 → OpenAPI 3) document back to pointers in the original file.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_owned();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends one token to a pointer.
pub(crate) fn join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    out.push_str(&escape(token));
    out
}

/// Splits a pointer into unescaped tokens (`""` → no tokens).
pub(crate) fn split(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Prefix rewrites from converted pointers to original ones (longest prefix wins).
#[derive(Debug, Default, Clone)]
pub(crate) struct PointerMap {
    entries: Vec<(String, String)>,
}

impl PointerMap {
    /// Records that everything under `converted` came from under `original`.
    pub(crate) fn add(&mut self, converted: String, original: String) {
        if converted != original {
            self.entries.push((converted, original));
        }
    }

    /// Maps a converted pointer back to the original file.
    pub(crate) fn original(&self, pointer: &str) -> String {
        let mut best: Option<&(String, String)> = None;
        for entry in &self.entries {
            let (conv, _) = entry;
            let matches = pointer == conv
                || (pointer.starts_with(conv.as_str())
                    && pointer.as_bytes().get(conv.len()) == Some(&b'/'));
            if matches && best.is_none_or(|b| b.0.len() < conv.len()) {
                best = Some(entry);
            }
        }
        match best {
            Some((conv, orig)) => {
                let rest = pointer.get(conv.len()..).unwrap_or("");
                format!("{orig}{rest}")
            }
            None => pointer.to_owned(),
        }
    }
}

/// Where parts of the bundled document came from: longest matching prefix wins.
#[derive(Debug, Default, Clone)]
pub(crate) struct Origins {
    /// (pointer in the bundled document, file index into `files` or `None` for the
    /// definition itself, pointer in that file).
    entries: Vec<(String, Option<usize>, String)>,
}

impl Origins {
    pub(crate) fn add(&mut self, bundled: String, file: Option<usize>, original: String) {
        self.entries.push((bundled, file, original));
    }

    /// The file (index, `None` for the definition) and pointer a bundled pointer came
    /// from; `None` when it is the definition's own text at the same pointer.
    pub(crate) fn original(&self, pointer: &str) -> Option<(Option<usize>, String)> {
        let mut best: Option<&(String, Option<usize>, String)> = None;
        for entry in &self.entries {
            let prefix = entry.0.as_str();
            let matches = pointer == prefix
                || (pointer.starts_with(prefix)
                    && pointer.as_bytes().get(prefix.len()) == Some(&b'/'));
            if matches && best.is_none_or(|b| b.0.len() < prefix.len()) {
                best = Some(entry);
            }
        }
        best.map(|(prefix, file, orig)| {
            let rest = pointer.get(prefix.len()..).unwrap_or("");
            (*file, format!("{orig}{rest}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_splits() {
        let p = join("/paths", "/items/{id}");
        assert_eq!(p, "/paths/~1items~1{id}");
        assert_eq!(split(&p), vec!["paths", "/items/{id}"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn longest_prefix_wins() {
        let mut m = PointerMap::default();
        m.add("/components/schemas".into(), "/definitions".into());
        m.add("/components/schemas/A/x".into(), "/y".into());
        assert_eq!(m.original("/components/schemas/A/b"), "/definitions/A/b");
        assert_eq!(m.original("/components/schemas/A/x/z"), "/y/z");
        assert_eq!(m.original("/components/schemasX"), "/components/schemasX");
    }

    #[test]
    fn origins_take_the_longest_prefix() {
        let mut o = Origins::default();
        o.add("/paths/~1a".into(), Some(0), "".into());
        o.add("/paths/~1a/get/parameters/0".into(), Some(1), "/p".into());
        assert_eq!(
            o.original("/paths/~1a/get/responses"),
            Some((Some(0), "/get/responses".into()))
        );
        assert_eq!(
            o.original("/paths/~1a/get/parameters/0/schema"),
            Some((Some(1), "/p/schema".into()))
        );
        assert_eq!(o.original("/paths/~1b"), None);
    }
}
