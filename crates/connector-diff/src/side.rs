//! One side of a diff: the loaded model and the text its pointers are located in.

use std::path::Path;

use connector_spec::{Connector, LineCol, LoadError, Loader};

use crate::pointers::Dialect;

/// File names the loader recognizes inside a connector folder, in its order of preference.
const DEFINITION_NAMES: [&str; 4] = [
    "apiDefinition.swagger.json",
    "openapi.yaml",
    "openapi.yml",
    "openapi.json",
];
/// The properties file of a Power Platform folder.
pub const API_PROPERTIES: &str = "apiProperties.json";

/// A loaded definition and its source text.
#[derive(Debug, Clone)]
pub struct Side {
    /// The normalized model.
    pub connector: Connector,
    /// The definition's file name (as reported in sites).
    pub file_name: String,
    /// The definition's text.
    pub text: String,
    /// `apiProperties.json`'s text, when there is one.
    pub properties: Option<String>,
    /// Pointer vocabulary of the definition.
    pub dialect: Dialect,
}

impl Side {
    /// Loads a definition file or a connector folder.
    pub fn load(path: &Path) -> Result<Side, LoadError> {
        let loaded = Loader::new().load(path)?;
        let (def, props) = if path.is_dir() {
            let def = DEFINITION_NAMES
                .iter()
                .map(|n| path.join(n))
                .find(|p| p.is_file());
            (def, Some(path.join(API_PROPERTIES)))
        } else {
            (Some(path.to_path_buf()), None)
        };
        let read = |p: &Path| {
            std::fs::read(p)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        let text = def.as_deref().and_then(read).unwrap_or_default();
        let file_name = def
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let properties = props.as_deref().filter(|p| p.is_file()).and_then(read);
        Ok(Side::from_parts(
            loaded.connector,
            file_name,
            text,
            properties,
        ))
    }

    /// A side from an already loaded model and its texts.
    pub fn from_parts(
        connector: Connector,
        file_name: String,
        text: String,
        properties: Option<String>,
    ) -> Side {
        let dialect = Dialect::sniff(&text);
        Side {
            connector,
            file_name,
            text,
            properties,
            dialect,
        }
    }

    /// Line and column of `pointer` in `file` (the definition or `apiProperties.json`).
    pub fn locate(&self, file: &str, pointer: &str) -> Option<LineCol> {
        if file == API_PROPERTIES {
            let text = self.properties.as_deref()?;
            connector_spec::locate_pointer(API_PROPERTIES, text, pointer)
        } else {
            connector_spec::locate_pointer(&self.file_name, &self.text, pointer)
        }
    }
}
