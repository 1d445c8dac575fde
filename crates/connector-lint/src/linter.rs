//! Runs the rules over one definition and locates the findings.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use connector_spec::raw::RawDocument;
use connector_spec::{Connector, Diagnostic, LineCol, LoadError, Loaded, Loader};

use crate::config;
use crate::context::Subject;
use crate::finding::Finding;
use crate::rules::{self, RULES};

/// Lints definitions. Rules can be switched off with [`Linter::allow`].
#[derive(Debug, Clone, Default)]
pub struct Linter {
    allow: BTreeSet<String>,
    /// Skip line:column (counts only; see [`Linter::locate`]).
    no_locations: bool,
}

/// The outcome of linting one definition.
#[derive(Debug, Clone)]
pub struct LintReport {
    /// The loaded connector.
    pub connector: Connector,
    /// Findings, sorted by file, position and rule.
    pub findings: Vec<Finding>,
    /// The loader's recovery warnings.
    pub load_diagnostics: Vec<Diagnostic>,
}

impl Linter {
    /// Every rule on.
    pub fn new() -> Self {
        Linter::default()
    }

    /// Switches rules off for every definition this linter checks.
    pub fn allow<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.allow.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Whether findings get a line and column (default true). Locating scans the source
    /// text once per distinct pointer; tools that only count findings (the catalog, the
    /// corpus report) switch it off.
    pub fn locate(mut self, locate: bool) -> Self {
        self.no_locations = !locate;
        self
    }

    /// Lints a connector folder or a definition file.
    pub fn lint_path(&self, path: &Path) -> Result<LintReport, LoadError> {
        let loaded = Loader::new().load(path)?;
        let folder = path.is_dir();
        let def_path = match (folder, loaded.connector.sources.first()) {
            (true, Some(src)) => path.join(&src.name),
            _ => path.to_path_buf(),
        };
        let props_path =
            (folder && loaded.connector.sources.len() > 1).then(|| path.join("apiProperties.json"));
        let read = |p: &Path| {
            let name = p.to_string_lossy();
            RawDocument::read(&name, &std::fs::read(p).unwrap_or_default())
        };
        let def = read(&def_path);
        let props = props_path.as_deref().map(read);
        let extra = config::allowed_by_file(path);
        Ok(self.lint_loaded(
            loaded,
            (def_path, &def),
            props_path.zip(props.as_ref()),
            &extra,
        ))
    }

    /// Lints a definition held in memory (`name` decides JSON or YAML and names the file
    /// in findings), with an optional `apiProperties.json`.
    pub fn lint_bytes(
        &self,
        name: &str,
        definition: &[u8],
        api_properties: Option<&[u8]>,
    ) -> Result<LintReport, LoadError> {
        let loaded = Loader::new().load_bytes(name, definition, api_properties)?;
        let def = RawDocument::read(name, definition);
        let props = api_properties.map(|b| RawDocument::read("apiProperties.json", b));
        Ok(self.lint_loaded(
            loaded,
            (PathBuf::from(name), &def),
            props
                .as_ref()
                .map(|p| (PathBuf::from("apiProperties.json"), p)),
            &BTreeSet::new(),
        ))
    }

    fn lint_loaded(
        &self,
        loaded: Loaded,
        (def_path, def): (PathBuf, &RawDocument),
        props: Option<(PathBuf, &RawDocument)>,
        extra_allow: &BTreeSet<String>,
    ) -> LintReport {
        let in_doc = config::allowed_in(def.value.as_ref().and_then(|v| v.get(config::EXTENSION)));
        let allowed =
            |id: &str| self.allow.contains(id) || extra_allow.contains(id) || in_doc.contains(id);
        let ctx = Subject::new(&loaded.connector, def.value.as_ref());
        let pending = rules::run(&ctx, &allowed);
        let located = if self.no_locations {
            HashMap::new()
        } else {
            locate_all(&pending, def, props.as_ref().map(|(_, p)| *p))
        };
        let mut findings: Vec<Finding> = pending
            .iter()
            .map(|p| {
                let file = match (&props, p.in_api_properties) {
                    (Some((file, _)), true) => file.clone(),
                    _ => def_path.clone(),
                };
                let at = located
                    .get(&(p.in_api_properties, p.pointer.as_str()))
                    .copied()
                    .flatten();
                let rule = rules::rule(p.rule).unwrap_or(&RULES[0]);
                Finding {
                    rule: rule.id,
                    severity: rule.severity,
                    file,
                    line: at.map_or(0, |a| a.line),
                    column: at.map_or(0, |a| a.column),
                    pointer: p.pointer.clone(),
                    message: p.message.clone(),
                    hint: rule.fix,
                }
            })
            .collect();
        findings.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.rule, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
        });
        LintReport {
            connector: loaded.connector,
            findings,
            load_diagnostics: loaded.diagnostics,
        }
    }
}

/// Line and column of every pending finding's pointer, by (in apiProperties, pointer):
/// one pass over each file.
fn locate_all<'p>(
    pending: &'p [rules::Pending],
    def: &RawDocument,
    props: Option<&RawDocument>,
) -> HashMap<(bool, &'p str), Option<LineCol>> {
    let mut out = HashMap::new();
    for (in_props, doc) in [(false, Some(def)), (true, props)] {
        let Some(doc) = doc else { continue };
        let mut pointers: Vec<&str> = pending
            .iter()
            .filter(|p| p.in_api_properties == in_props)
            .map(|p| p.pointer.as_str())
            .collect();
        pointers.sort_unstable();
        pointers.dedup();
        for (ptr, at) in pointers.iter().zip(doc.locate_many(&pointers)) {
            out.insert((in_props, *ptr), at);
        }
    }
    out
}
