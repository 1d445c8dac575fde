//! The [`Generator`]'s settings: crate name, runtime, templates, configuration, subsets,
//! paging overrides and recorded options, and how they combine with the configuration.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use connector_spec::Connector;

use crate::marker::RecordedOptions;
use crate::subset::{self, SubsetReport};
use crate::{
    ConnectorConfig, GENERATOR_VERSION, GenerateError, Generator, RuntimeDependency, names,
};

impl Generator {
    /// Print every item through tokens, syn and prettyplease, none straight to text
    /// (`render::text_items`). The output is the same either way: this is how the tests
    /// prove it.
    #[doc(hidden)]
    pub fn tokens_only(mut self, tokens_only: bool) -> Self {
        self.tokens_only = tokens_only;
        self
    }

    /// The generated package's name (default: the API title in kebab-case).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(names::crate_name(&name.into()));
        self
    }

    /// Depend on `connector-runtime` by path (relative to the generated crate).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = Some(RuntimeDependency::Path(path.into()));
        self
    }

    /// Depend on `connector-runtime` from crates.io with this version requirement.
    pub fn runtime_version(mut self, version: impl Into<String>) -> Self {
        self.runtime = Some(RuntimeDependency::Version(version.into()));
        self
    }

    /// Depend on `connector-runtime` from a git repository (at `rev` when given).
    pub fn runtime_git(mut self, url: impl Into<String>, rev: Option<String>) -> Self {
        self.runtime = Some(RuntimeDependency::Git {
            url: url.into(),
            rev,
        });
        self
    }

    /// Depend on `connector-runtime` as `dependency` says.
    pub fn runtime(mut self, dependency: RuntimeDependency) -> Self {
        self.runtime = Some(dependency);
        self
    }

    /// Use this configuration (see [`config`](crate::config)); flags set on the generator win over it.
    pub fn config(mut self, config: ConnectorConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// Read the configuration from `path` when generating (see [`config`](crate::config)). Without
    /// this or [`Generator::config`], [`Generator::build_module`] looks for a
    /// `connector-gen.toml` beside the definition.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// Generate only these operations (by operationId) and the types they reach;
    /// replaces the configuration's `include` lists.
    pub fn operations<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.operations = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Generate only the operations with these tags (and the types they reach);
    /// replaces the configuration's `include` lists.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// A paging override for an operation, as written (`--paging OP=SPEC`).
    pub fn paging_override(
        mut self,
        operation: impl Into<String>,
        spec: impl Into<String>,
    ) -> Self {
        self.paging.insert(operation.into(), spec.into());
        self
    }

    /// The paging overrides from the configuration and [`Generator::paging_override`]
    /// (the latter win), operationId to its override as written. They are handed to
    /// the loader, which applies them to the model before generation.
    pub fn paging_overrides(&self) -> Result<BTreeMap<String, String>, GenerateError> {
        let mut all = self
            .resolved_config()?
            .map(|c| c.paging.clone())
            .unwrap_or_default();
        all.extend(self.paging.clone());
        Ok(all)
    }

    /// The options to record in the generated crate's marker (paths relative to it).
    pub fn record(mut self, options: RecordedOptions) -> Self {
        self.recorded = options;
        self
    }

    /// The configuration in effect: [`Generator::config`], else the file of
    /// [`Generator::config_file`].
    pub fn resolved_config(&self) -> Result<Option<Cow<'_, ConnectorConfig>>, GenerateError> {
        if let Some(c) = &self.config {
            return Ok(Some(Cow::Borrowed(c)));
        }
        match &self.config_file {
            Some(path) => Ok(Some(Cow::Owned(ConnectorConfig::from_file(path)?))),
            None => Ok(None),
        }
    }

    /// The model to generate from: renamed and cut to the selected operations per the
    /// configuration and the generator's own filters, with what was left out.
    pub(crate) fn shaped<'c>(
        &self,
        connector: &'c Connector,
        config: Option<&ConnectorConfig>,
    ) -> Result<(Cow<'c, Connector>, Option<SubsetReport>), GenerateError> {
        let mut filter = config.map(|c| c.operations.clone()).unwrap_or_default();
        if !self.operations.is_empty() || !self.tags.is_empty() {
            filter.include = self.operations.clone();
            filter.include_tags = self.tags.clone();
            filter.include_paths.clear();
        }
        let preview = config.map(|c| c.features.preview).unwrap_or_default();
        let renames = config.map(|c| &c.types.rename).filter(|r| !r.is_empty());
        let mut model =
            match subset::apply(connector, &filter, preview).map_err(GenerateError::Filter)? {
                Some((model, report)) => (Cow::Owned(model), Some(report)),
                None => (Cow::Borrowed(connector), None),
            };
        if let Some(renames) = renames {
            subset::rename_schemas(model.0.to_mut(), renames);
        }
        Ok(model)
    }

    /// Look for `Cargo.toml.jinja` / `README.md.jinja` overrides in `dir`.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// The runtime dependency: set on the generator, else the configuration's (a path
    /// there is relative to the configuration file), else crates.io at this version.
    pub(crate) fn runtime_dependency(&self, config: Option<&ConnectorConfig>) -> RuntimeDependency {
        if let Some(r) = &self.runtime {
            return r.clone();
        }
        let from_config = config.and_then(|c| {
            let runtime = c.runtime.as_ref()?;
            match RuntimeDependency::from_config(runtime)? {
                RuntimeDependency::Path(p) => {
                    let base = c.base_dir().unwrap_or(Path::new(""));
                    Some(RuntimeDependency::Path(
                        base.join(p).to_string_lossy().replace('\\', "/"),
                    ))
                }
                other => Some(other),
            }
        });
        from_config.unwrap_or_else(|| RuntimeDependency::Version(GENERATOR_VERSION.to_owned()))
    }
}
