//! Lenient wire types for formats real servers do not always honour.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! lenient_text {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Deserializing never fails on a malformed value: the server's text is kept as
        /// sent and sent back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(String);

        impl $name {
            /// Wrap a value as given.
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The text as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Servers send numbers (epoch seconds) where strings are declared; keep them.
                let v = serde_json::Value::deserialize(d)?;
                Ok(match v {
                    serde_json::Value::String(s) => $name(s),
                    other => $name(other.to_string()),
                })
            }
        }
    };
}

lenient_text!(
    /// A `date-time` value (RFC 3339 when the server follows its definition).
    DateTime
);
lenient_text!(
    /// A `date` value (`YYYY-MM-DD` when the server follows its definition).
    Date
);

impl DateTime {
    /// Split into (date, time) parts when the text is RFC 3339 shaped.
    pub fn parts(&self) -> Option<(&str, &str)> {
        self.0.split_once(['T', 't', ' '])
    }
}
