//! What the CLI prints besides results: diagnostics in the chosen format, progress
//! notes (silenced by `--quiet`) and details (shown by `--verbose`), and loading a
//! definition with its diagnostics shown.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Result, bail};
use connector_spec::{Diagnostic, Loaded, Loader, Severity};

use crate::diagnostics_render::{DiagnosticRenderer, MessageFormat, count};

/// Output settings of one run.
pub struct Console {
    /// Only errors and results.
    pub quiet: bool,
    /// Details too (per-file changes).
    pub verbose: bool,
    renderer: DiagnosticRenderer,
}

impl Console {
    /// A console for the global flags.
    pub fn new(format: MessageFormat, quiet: bool, verbose: bool) -> Self {
        Console {
            quiet,
            verbose,
            renderer: DiagnosticRenderer::new(format),
        }
    }

    /// A progress note on stderr, unless quiet.
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", text.as_ref());
        }
    }

    /// A detail on stderr, when verbose.
    pub fn detail(&self, text: impl AsRef<str>) {
        if self.verbose && !self.quiet {
            eprintln!("{}", text.as_ref());
        }
    }

    /// Show diagnostics on stderr (warnings are hidden when quiet).
    pub fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        let mut err = std::io::stderr().lock();
        for d in diagnostics {
            if self.quiet && d.severity == Severity::Warning {
                continue;
            }
            let _ = err.write_all(self.renderer.render(d).as_bytes());
        }
    }

    /// Load a definition, showing its diagnostics; an error when it cannot be used.
    pub fn load(
        &mut self,
        definition: &Path,
        strict: bool,
        paging: &[(String, connector_spec::PagingOverride)],
    ) -> Result<Loaded> {
        let loader = paging
            .iter()
            .fold(Loader::new().strict(strict), |loader, (id, p)| {
                loader.paging_override(id.clone(), p.clone())
            });
        match loader.load(definition) {
            Ok(loaded) => {
                self.diagnostics(&loaded.diagnostics);
                Ok(loaded)
            }
            Err(e) => {
                self.diagnostics(&e.diagnostics);
                let errors = e
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                bail!(
                    "{} could not be loaded ({})",
                    definition.display(),
                    count(errors, "error")
                );
            }
        }
    }
}
