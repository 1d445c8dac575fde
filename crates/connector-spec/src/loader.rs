//! The public entry points: [`Loader`], [`Loaded`] and [`load`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, DiagnosticKind, LoadError, Severity};
use crate::model::{Connector, CustomCode, PagingOverride, SourceFile};
use crate::normalize::api_properties::{self, ApiProperties};
use crate::report::{Reporter, Syntax};
use crate::source;
use crate::{doc_fields, downgrade, normalize, refs, repair, swagger2};

/// File names recognized inside a connector folder, in order of preference.
const DEFINITION_NAMES: [&str; 4] = [
    "apiDefinition.swagger.json",
    "openapi.yaml",
    "openapi.yml",
    "openapi.json",
];
const API_PROPERTIES: &str = "apiProperties.json";

/// Reads connector definitions into the normalized model.
#[derive(Debug, Clone, Default)]
pub struct Loader {
    strict: bool,
    /// Paging corrections by operationId.
    paging: BTreeMap<String, PagingOverride>,
}

/// A loaded connector and the warnings produced while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The normalized connector.
    pub connector: Connector,
    /// Recovery warnings (never errors).
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads a folder or a file with default settings: `Loader::new().load(path)`.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    Loader::new().load(path)
}

fn io_error(path: &Path, message: String) -> LoadError {
    LoadError {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            pointer: String::new(),
            location: None,
            message,
            kind: DiagnosticKind::General,
        }],
    }
}

impl Loader {
    /// A lenient loader.
    pub fn new() -> Self {
        Loader::default()
    }

    /// In strict mode every recovery warning becomes an error.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Corrects the paging of the operation `operation_id` (its declared operationId or
    /// the model's): no paging, or an explicit pattern. Applied after `x-ms-pageable`,
    /// vendor extensions and inference; an id that names no operation is a warning.
    pub fn paging_override(
        mut self,
        operation_id: impl Into<String>,
        paging: PagingOverride,
    ) -> Self {
        self.paging.insert(operation_id.into(), paging);
        self
    }

    /// Loads a connector folder (Power Platform layout: `apiDefinition.swagger.json` and
    /// an optional `apiProperties.json`; or `openapi.yaml`/`.yml`/`.json`) or a single file.
    pub fn load(&self, path: &Path) -> Result<Loaded, LoadError> {
        let (def_path, props_path) = if path.is_dir() {
            let def = DEFINITION_NAMES
                .iter()
                .map(|n| path.join(n))
                .find(|p| p.is_file())
                .ok_or_else(|| {
                    io_error(
                        path,
                        format!(
                            "no definition found in the folder (looked for {})",
                            DEFINITION_NAMES.join(", ")
                        ),
                    )
                })?;
            let props = path.join(API_PROPERTIES);
            (def, props.is_file().then_some(props))
        } else {
            (path.to_path_buf(), None)
        };
        let definition = std::fs::read(&def_path)
            .map_err(|e| io_error(&def_path, format!("cannot read the file: {e}")))?;
        let props = match &props_path {
            Some(p) => match std::fs::read(p) {
                Ok(b) => Some((p.clone(), b)),
                Err(e) => {
                    return Err(io_error(p, format!("cannot read the file: {e}")));
                }
            },
            None => None,
        };
        let mut loaded = self.load_parts(
            true,
            def_path.clone(),
            &definition,
            props.as_ref().map(|(p, b)| (p.clone(), b.as_slice())),
        )?;
        if path.is_dir()
            && let Some(script) = script_file(path)
        {
            let code = loaded
                .connector
                .custom_code
                .get_or_insert_with(Default::default);
            code.script_file = Some(script);
        }
        Ok(loaded)
    }

    /// Loads from memory: the definition's file name (its extension decides JSON or
    /// YAML, together with the content) and bytes, and optionally `apiProperties.json`.
    pub fn load_bytes(
        &self,
        name: &str,
        definition: &[u8],
        api_properties: Option<&[u8]>,
    ) -> Result<Loaded, LoadError> {
        self.load_parts(
            false,
            PathBuf::from(name),
            definition,
            api_properties.map(|b| (PathBuf::from(API_PROPERTIES), b)),
        )
    }

    fn load_parts(
        &self,
        read_files: bool,
        def_path: PathBuf,
        definition: &[u8],
        props: Option<(PathBuf, &[u8])>,
    ) -> Result<Loaded, LoadError> {
        let mut diagnostics = Vec::new();
        let mut referenced = Vec::new();
        // Hashing a large definition costs about a third of parsing it, and the two are
        // independent: a large file is hashed on a second thread while this one parses.
        let (def_source, mut connector) = if definition.len() >= HASH_APART_BYTES {
            std::thread::scope(|scope| {
                let hashing = scope.spawn(|| source_file(&def_path, definition));
                let connector = read_definition(
                    def_path.clone(),
                    definition,
                    read_files,
                    &mut referenced,
                    &mut diagnostics,
                );
                // The hashing thread only fails if it panicked; hash here then.
                let source = hashing
                    .join()
                    .unwrap_or_else(|_| source_file(&def_path, definition));
                (source, connector)
            })
        } else {
            let source = source_file(&def_path, definition);
            (
                source,
                read_definition(
                    def_path.clone(),
                    definition,
                    read_files,
                    &mut referenced,
                    &mut diagnostics,
                ),
            )
        };
        let mut sources = vec![def_source];
        if let Some(connector) = &mut connector {
            normalize::paging::apply_overrides(
                connector,
                &self.paging,
                &def_path,
                &mut diagnostics,
            );
        }

        let api_properties = props.and_then(|(path, bytes)| {
            sources.push(source_file(&path, bytes));
            read_api_properties(path, bytes, &mut diagnostics)
        });

        let Some(mut connector) = connector else {
            return Err(LoadError { diagnostics });
        };
        if let Some((raw, interpreted)) = api_properties {
            connector.api_properties = Some(raw);
            connector.connection = interpreted.connection;
            connector.policies = interpreted.policies;
            connector.capabilities = interpreted.capabilities;
            if let Some(operations) = interpreted.script_operations {
                connector.custom_code = Some(CustomCode {
                    script_file: None,
                    operations,
                });
            }
        }
        // The definition and apiProperties.json first, then every referenced file by name.
        sources.append(&mut referenced);
        connector.sources = sources;

        if self.strict && !diagnostics.is_empty() {
            for d in &mut diagnostics {
                d.severity = Severity::Error;
            }
            return Err(LoadError { diagnostics });
        }
        Ok(Loaded {
            connector,
            diagnostics,
        })
    }
}

/// Definitions at least this large are hashed on a thread of their own.
const HASH_APART_BYTES: usize = 256 * 1024;

fn source_file(path: &Path, bytes: &[u8]) -> SourceFile {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let digest = Sha256::digest(bytes);
    let mut sha256 = String::with_capacity(64);
    for b in digest {
        sha256.push_str(&format!("{b:02x}"));
    }
    SourceFile { name, sha256 }
}

/// Reads the definition; `referenced` receives the other files its references read
/// (only when `read_files`: a definition loaded from memory has no folder).
fn read_definition(
    path: PathBuf,
    bytes: &[u8],
    read_files: bool,
    referenced: &mut Vec<SourceFile>,
    out: &mut Vec<Diagnostic>,
) -> Option<Connector> {
    let decoded = source::decode(bytes);
    let name = path.to_string_lossy().into_owned();
    let syntax = source::sniff(&name, &decoded.text);
    let mut rep = Reporter::new(path, &decoded.text, syntax);
    for note in &decoded.notes {
        rep.warn("", note.clone());
    }
    let result = (|| {
        let doc = source::parse(&mut rep)?;
        if !doc.is_object() {
            rep.error("", "the document is not an object");
            return None;
        }
        let mut doc = doc;
        let bundled = refs::bundle(
            &mut doc,
            &rep.file.clone(),
            rep.text,
            rep.syntax,
            read_files,
        );
        rep.diagnostics.extend(bundled.diagnostics.iter().cloned());
        *referenced = bundled.sources();
        rep.files = bundled.files.into_iter().map(|f| f.file).collect();
        rep.origins = bundled.origins;
        if rep.has_errors() {
            return None;
        }
        let mut doc = if swagger2::is_swagger2(&doc) {
            let mut map = std::mem::take(&mut rep.map);
            let up = swagger2::upgrade(doc, &mut map);
            rep.map = map;
            up
        } else {
            doc
        };
        downgrade::downgrade(&mut doc, &mut rep);
        doc_fields::repair(&mut doc, &mut rep);
        doc_fields::fill_missing_responses(&mut doc);
        // `openapiv3` reads OpenAPI 3.0: 3.1 webhooks are normalized on their own.
        let webhooks = doc.as_object_mut().and_then(|m| m.shift_remove("webhooks"));
        let api = repair::read_openapi(doc, &mut rep)?;
        Some(normalize::normalize(&api, webhooks.as_ref(), &mut rep))
    })();
    let failed = result.is_none() || rep.has_errors();
    out.append(&mut rep.diagnostics);
    if failed { None } else { result }
}

fn read_api_properties(
    path: PathBuf,
    bytes: &[u8],
    out: &mut Vec<Diagnostic>,
) -> Option<(Value, ApiProperties)> {
    let decoded = source::decode(bytes);
    let mut rep = Reporter::new(path, &decoded.text, Syntax::Json);
    for note in &decoded.notes {
        rep.warn("", note.clone());
    }
    let v = source::parse_api_properties(&mut rep).map(|v| {
        let interpreted = api_properties::interpret(&v, &mut rep);
        (v, interpreted)
    });
    out.append(&mut rep.diagnostics);
    v
}

/// The custom-code script in a connector folder (`script.csx`, any case, or `*.csx`).
fn script_file(folder: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".csx"))
        .collect();
    names.sort();
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("script.csx"))
        .or(names.first())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A definition of `padding` bytes and more, with one operation.
    fn definition(padding: usize) -> Vec<u8> {
        format!(
            r#"{{"openapi":"3.0.0","info":{{"title":"T","version":"1","description":"{}"}},
            "paths":{{"/a":{{"get":{{"operationId":"getA","responses":{{"200":{{"description":"ok"}}}}}}}}}}}}"#,
            "x".repeat(padding)
        )
        .into_bytes()
    }

    #[test]
    fn small_and_large_definitions_carry_the_sha256_of_their_bytes() {
        for padding in [10, HASH_APART_BYTES + 1] {
            let bytes = definition(padding);
            let loaded = Loader::new()
                .load_bytes("openapi.json", &bytes, None)
                .expect("loads");
            let want: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(loaded.connector.sources.len(), 1);
            assert_eq!(loaded.connector.sources[0].name, "openapi.json");
            assert_eq!(loaded.connector.sources[0].sha256, want, "{padding} bytes");
            assert_eq!(loaded.connector.operations.len(), 1, "{padding} bytes");
        }
    }
}
