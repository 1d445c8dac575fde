//! The walk that resolves references, knowing what each position of the document holds
//! (a schema, a path item, an operation, literal data, …).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::files::{self, SourceText};
use super::{Bundled, normalize_path, relative_name};
use crate::diagnostics::{Diagnostic, DiagnosticKind, Severity};
use crate::pointer;
use crate::report::{Syntax, one_line};
use crate::source::MAX_DEPTH;

mod context;
mod edit;
mod local;
mod mapping;
mod operation_refs;

use context::{Ctx, child_ctx};
use edit::{merge_siblings, remove_ref};

/// One place being walked: the pointer in the bundled document and in the source file.
struct At {
    /// File index (`None`: the definition).
    file: Option<usize>,
    bundled: Vec<String>,
    source: Vec<String>,
}

impl At {
    fn push(&mut self, token: &str) {
        self.bundled.push(token.to_owned());
        self.source.push(token.to_owned());
    }

    fn pop(&mut self) {
        self.bundled.pop();
        self.source.pop();
    }
}

fn join(tokens: &[String]) -> String {
    tokens
        .iter()
        .fold(String::new(), |p, t| pointer::join(&p, t))
}

/// Resolution state.
pub(super) struct Bundler<'t> {
    root: PathBuf,
    root_text: &'t str,
    root_syntax: Syntax,
    read_files: bool,
    swagger2: bool,
    files: Vec<SourceText>,
    by_path: HashMap<PathBuf, Option<usize>>,
    /// (file path, pointer) of a schema → its name in the document.
    named: HashMap<(PathBuf, String), String>,
    taken: BTreeSet<String>,
    /// Schemas from other files, in the order first referenced.
    hoisted: Vec<(String, Value)>,
    /// (file, pointer) being inlined, to stop cycles.
    inlining: Vec<(Option<usize>, String)>,
    /// Where an operation is a `$ref` (file, pointer): one summary warning at the end.
    operation_refs: Vec<(Option<usize>, String)>,
    out: Bundled,
}

impl<'t> Bundler<'t> {
    pub(super) fn new(
        root: &Path,
        root_text: &'t str,
        root_syntax: Syntax,
        read_files: bool,
        doc: &Value,
    ) -> Self {
        let swagger2 = doc.get("swagger").is_some();
        let container = if swagger2 {
            doc.get("definitions")
        } else {
            doc.get("components").and_then(|c| c.get("schemas"))
        };
        let taken = container
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let root = normalize_path(root);
        let mut by_path = HashMap::new();
        by_path.insert(root.clone(), None);
        let mut b = Bundler {
            root,
            root_text,
            root_syntax,
            read_files,
            swagger2,
            files: Vec::new(),
            by_path,
            named: HashMap::new(),
            taken,
            hoisted: Vec::new(),
            inlining: Vec::new(),
            operation_refs: Vec::new(),
            out: Bundled::default(),
        };
        b.claim_named_slots(doc);
        b
    }

    /// Where named schemas live: `definitions` (Swagger 2.0) or `components/schemas`.
    fn container_tokens(&self) -> Vec<String> {
        if self.swagger2 {
            vec!["definitions".to_owned()]
        } else {
            vec!["components".to_owned(), "schemas".to_owned()]
        }
    }

    /// A located diagnostic in a file (`None`: the definition) at a pointer.
    fn report(
        &mut self,
        severity: Severity,
        kind: DiagnosticKind,
        file: Option<usize>,
        pointer: &str,
        message: String,
    ) {
        let (path, location) = match file.and_then(|i| self.files.get(i)) {
            Some(f) => (f.file.path.clone(), f.locate(pointer)),
            None => (
                self.root.clone(),
                files::locate_in(self.root_text, self.root_syntax, pointer),
            ),
        };
        self.out.diagnostics.push(Diagnostic {
            severity,
            file: path,
            pointer: pointer.to_owned(),
            location,
            message: one_line(message),
            kind,
        });
    }
    /// Walks the definition, resolving external references.
    pub(super) fn walk_root(&mut self, doc: &mut Value) {
        let mut at = At {
            file: None,
            bundled: Vec::new(),
            source: Vec::new(),
        };
        self.walk(doc, Ctx::Root, &mut at, 0);
    }

    fn walk(&mut self, v: &mut Value, ctx: Ctx, at: &mut At, depth: usize) {
        if ctx == Ctx::Data || depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    let r = r.clone();
                    if self.resolve(v, &r, ctx, at, depth) {
                        return;
                    }
                    let Value::Object(m) = v else { return };
                    walk_members(self, m, ctx, at, depth);
                    return;
                }
                if ctx == Ctx::Schema {
                    self.discriminator_mapping(m, at, depth);
                }
                walk_members(self, m, ctx, at, depth);
            }
            Value::Array(a) => {
                let element = match ctx {
                    Ctx::SchemaList | Ctx::Schema => Ctx::Schema,
                    _ => Ctx::Other,
                };
                for (i, x) in a.iter_mut().enumerate() {
                    at.push(&i.to_string());
                    self.walk(x, element, at, depth + 1);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    /// Handles the `$ref` object `v`. `true` when `v` was replaced (and walked).
    fn resolve(&mut self, v: &mut Value, r: &str, ctx: Ctx, at: &mut At, depth: usize) -> bool {
        let (file_part, fragment) = r.split_once('#').unwrap_or((r, ""));
        let fragment = files::percent_decode(fragment);
        let here = join(&at.source);
        if file_part.is_empty() && at.file.is_none() {
            // A reference inside the definition: left to the normalizer.
            return false;
        }
        if files::is_url(file_part) {
            self.report(
                Severity::Warning,
                DiagnosticKind::UnresolvedReference,
                at.file,
                &here,
                format!("remote reference `{r}` is not fetched; read as any value"),
            );
            remove_ref(Some(v));
            return true;
        }
        let target_file = if file_part.is_empty() {
            at.file
        } else {
            match self.open(file_part, at.file, &here) {
                Ok(f) => f,
                Err(()) => {
                    remove_ref(Some(v));
                    return true;
                }
            }
        };
        let schema = matches!(ctx, Ctx::Schema);
        if target_file.is_none() && schema {
            // Back into the definition: an internal reference.
            if let Value::Object(m) = v {
                m.insert("$ref".into(), Value::String(format!("#{fragment}")));
            }
            return true;
        }
        let Some(target) = self.target(target_file, &fragment) else {
            let shown = self.file_name(target_file);
            self.report(
                Severity::Warning,
                DiagnosticKind::UnresolvedReference,
                at.file,
                &here,
                format!("`{fragment}` does not exist in `{shown}`; read as any value"),
            );
            remove_ref(Some(v));
            return true;
        };
        let named = (self.path_of(target_file), fragment.clone());
        if schema && self.is_named_slot(at) && self.named.get(&named) == at.bundled.last() {
            // `components/schemas/Name: {$ref: other.yaml}`: the schema is `Name` itself.
            self.inline(v, target, target_file, &fragment, Ctx::Schema, at, depth);
            return true;
        }
        if schema {
            let name = self.hoist(target_file, &fragment, target, depth);
            let mut tokens = self.container_tokens();
            tokens.push(name);
            let r = format!("#{}", join(&tokens));
            if let Value::Object(m) = v {
                m.insert("$ref".into(), Value::String(r));
            }
            return true;
        }
        let key = (target_file, fragment.clone());
        if self.inlining.contains(&key) {
            self.report(
                Severity::Warning,
                DiagnosticKind::UnresolvedReference,
                at.file,
                &here,
                format!("cyclic reference `{r}`; ignored"),
            );
            remove_ref(Some(v));
            return true;
        }
        if ctx == Ctx::Operation {
            tracing::debug!(pointer = %here, "operation-level `$ref` resolved");
            self.operation_refs.push((at.file, here.clone()));
        }
        self.inlining.push(key);
        self.inline(v, target, target_file, &fragment, ctx, at, depth);
        self.inlining.pop();
        true
    }

    fn path_of(&self, file: Option<usize>) -> PathBuf {
        match file.and_then(|i| self.files.get(i)) {
            Some(f) => f.file.path.clone(),
            None => self.root.clone(),
        }
    }

    /// `components/schemas/Name: {$ref: other.yaml#/X}` names that schema `Name`, even
    /// where it is referenced before the walk reaches `Name`.
    fn claim_named_slots(&mut self, doc: &Value) {
        let mut slot = Some(doc);
        for t in self.container_tokens() {
            slot = slot.and_then(|s| s.get(&t));
        }
        let Some(Value::Object(m)) = slot else { return };
        let folder = files::folder_of(&self.root);
        for (name, v) in m {
            let Some(r) = v.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let (file_part, fragment) = r.split_once('#').unwrap_or((r, ""));
            if file_part.is_empty() || files::is_url(file_part) {
                continue;
            }
            let path = normalize_path(&folder.join(files::percent_decode(file_part)));
            self.named
                .entry((path, files::percent_decode(fragment)))
                .or_insert_with(|| name.clone());
        }
    }

    /// Whether `at` is a named schema of the definition (`components/schemas/Name`).
    fn is_named_slot(&self, at: &At) -> bool {
        let container = self.container_tokens();
        at.file.is_none()
            && at.bundled.len() == container.len() + 1
            && at.bundled.starts_with(&container)
    }

    /// Puts `target` (from `file` at `fragment`) in place of the `$ref` object `v` and
    /// walks it as part of that file.
    #[allow(clippy::too_many_arguments)]
    fn inline(
        &mut self,
        v: &mut Value,
        target: Value,
        file: Option<usize>,
        fragment: &str,
        ctx: Ctx,
        at: &mut At,
        depth: usize,
    ) {
        merge_siblings(v, target);
        self.out
            .origins
            .add(join(&at.bundled), file, fragment.to_owned());
        let saved_file = std::mem::replace(&mut at.file, file);
        let saved_source = std::mem::replace(&mut at.source, pointer::split(fragment));
        self.walk(v, ctx, at, depth + 1);
        at.file = saved_file;
        at.source = saved_source;
    }

    /// The name of the schema at (file, pointer) in the document, walking it the first
    /// time it is seen.
    fn hoist(
        &mut self,
        file: Option<usize>,
        fragment: &str,
        target: Value,
        depth: usize,
    ) -> String {
        let key = (self.path_of(file), fragment.to_owned());
        if let Some(name) = self.named.get(&key) {
            return name.clone();
        }
        let name = self.free_name(file, fragment);
        self.named.insert(key, name.clone());
        let mut bundled = self.container_tokens();
        bundled.push(name.clone());
        self.out
            .origins
            .add(join(&bundled), file, fragment.to_owned());
        let mut at = At {
            file,
            bundled,
            source: pointer::split(fragment),
        };
        let mut value = target;
        self.walk(&mut value, Ctx::Schema, &mut at, depth + 1);
        self.hoisted.push((name.clone(), value));
        name
    }

    /// A schema name from the pointer's last token, else the file name, made unique.
    fn free_name(&mut self, file: Option<usize>, fragment: &str) -> String {
        let last = pointer::split(fragment).pop().unwrap_or_default();
        let base = if last.is_empty() || last.bytes().all(|b| b.is_ascii_digit()) {
            let name = self.file_name(file);
            let stem = name.rsplit('/').next().unwrap_or(&name);
            stem.split('.').next().unwrap_or(stem).to_owned()
        } else {
            last
        };
        let mut base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() {
            base = "Schema".to_owned();
        }
        let mut name = base.clone();
        let mut i = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{i}");
            i += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    fn file_name(&self, file: Option<usize>) -> String {
        match file.and_then(|i| self.files.get(i)) {
            Some(f) => f.name.clone(),
            None => self
                .root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    /// A copy of the value at `fragment` in a file.
    fn target(&self, file: Option<usize>, fragment: &str) -> Option<Value> {
        let doc = match file {
            Some(i) => self.files.get(i)?.value.as_ref()?,
            None => return None,
        };
        if fragment.is_empty() {
            return Some(doc.clone());
        }
        doc.pointer(fragment).cloned()
    }

    /// Reads (once) the file a reference names, relative to the referring file.
    fn open(
        &mut self,
        file_part: &str,
        from: Option<usize>,
        here: &str,
    ) -> Result<Option<usize>, ()> {
        let from_path = match from.and_then(|i| self.files.get(i)) {
            Some(f) => f.file.path.clone(),
            None => self.root.clone(),
        };
        let path =
            normalize_path(&files::folder_of(&from_path).join(files::percent_decode(file_part)));
        if let Some(id) = self.by_path.get(&path) {
            return Ok(*id);
        }
        if !self.read_files {
            self.report(
                Severity::Warning,
                DiagnosticKind::UnresolvedReference,
                from,
                here,
                format!(
                    "`{file_part}` is not read: the definition was not loaded from a file; \
                     read as any value"
                ),
            );
            return Err(());
        }
        let name = relative_name(&path, &files::folder_of(&self.root));
        match SourceText::read(path.clone(), name) {
            Ok((text, diagnostics)) => {
                self.out.diagnostics.extend(diagnostics);
                let unreadable = text.value.is_none();
                let id = self.files.len();
                self.files.push(text);
                self.by_path.insert(path, Some(id));
                if unreadable {
                    return Err(());
                }
                Ok(Some(id))
            }
            Err(e) => {
                self.report(
                    Severity::Error,
                    DiagnosticKind::UnresolvedReference,
                    from,
                    here,
                    format!("cannot read `{file_part}` ({}): {e}", path.display()),
                );
                self.by_path.insert(path, None);
                Err(())
            }
        }
    }

    /// Adds the schemas from other files to the document.
    pub(super) fn finish(mut self, doc: &mut Value) -> Bundled {
        self.report_operation_refs();
        if !self.hoisted.is_empty()
            && let Value::Object(root) = doc
        {
            let slot = if self.swagger2 {
                root.entry("definitions")
                    .or_insert_with(|| Value::Object(Map::new()))
            } else {
                let components = root
                    .entry("components")
                    .or_insert_with(|| Value::Object(Map::new()));
                if !components.is_object() {
                    *components = Value::Object(Map::new());
                }
                match components {
                    Value::Object(c) => c
                        .entry("schemas")
                        .or_insert_with(|| Value::Object(Map::new())),
                    other => other,
                }
            };
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(slot) = slot {
                for (name, value) in std::mem::take(&mut self.hoisted) {
                    slot.insert(name, value);
                }
            }
        }
        self.out.files = self.files;
        self.out
    }
}

fn walk_members(
    b: &mut Bundler<'_>,
    m: &mut Map<String, Value>,
    ctx: Ctx,
    at: &mut At,
    depth: usize,
) {
    for (k, x) in m.iter_mut() {
        if k == "$ref" {
            continue;
        }
        let child = child_ctx(ctx, k);
        if child == Ctx::Data || !(x.is_object() || x.is_array()) {
            continue;
        }
        at.push(k);
        b.walk(x, child, at, depth + 1);
        at.pop();
    }
}
