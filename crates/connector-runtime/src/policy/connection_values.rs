//! [`ConnectionValues`]: the connection parameter values policies read
//! (`@connectionParameters('name')`), held as secrets.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// Connection parameter values supplied by the user (`@connectionParameters('name')`).
/// Every value is held as a secret: `Debug` shows names only, and errors name the
/// parameter, never its value.
#[derive(Clone, Default)]
pub struct ConnectionValues {
    values: BTreeMap<String, SecretString>,
}

impl fmt::Debug for ConnectionValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.values.keys().map(|k| (k, "[redacted]")))
            .finish()
    }
}

impl ConnectionValues {
    /// No values.
    pub fn new() -> Self {
        ConnectionValues::default()
    }

    /// Add a secret value (`securestring`, tokens).
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(name, value);
        self
    }

    /// Add a plain value (`string`, `int`, `bool`); held like a secret all the same.
    pub fn value(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.secret(name, value)
    }

    /// Set a value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values
            .insert(name.into(), SecretString::from(value.into()));
    }

    /// Whether `name` has a value (exact name, else case-insensitive).
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The names that have values.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The value of `name`, exposed (exact name, else case-insensitive).
    pub fn expose(&self, name: &str) -> Option<&str> {
        self.get(name)
    }

    /// No values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .or_else(|| {
                self.values
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .map(|v| v.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_values_never_show_secrets() {
        let v = ConnectionValues::new().secret("api_key", "s3cr3t");
        let shown = format!("{v:?}");
        assert!(shown.contains("api_key") && !shown.contains("s3cr3t"));
        assert_eq!(v.get("API_KEY"), Some("s3cr3t"));
    }
}
