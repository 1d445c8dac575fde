//! Shared serialization pieces for generated types: what the `Serialize` impl that
//! `de::object!` writes for a generated struct calls.
//!
//! `#[derive(Serialize)]` expands to a `?` per field (plus a `skip_serializing_if`
//! branch for each optional one); on a client with thousands of structs that was a
//! quarter of `cargo check`'s memory (docs/benchmarks.md). The impl `object!` writes is
//! one call per field into a writer that keeps the first error, and one `?`-free
//! `end()`: straight-line code the borrow checker walks once. The output is the same as
//! the derive's: a struct of the declared fields in declaration order (with the exact
//! number of fields written, as the derive gives), optional fields left out when absent,
//! and a type with additional properties written as a map (as `#[serde(flatten)]` does).
//!
//! Hand-written because no crate offers a leaner `Serialize` for plain structs: serde's
//! derive has no such mode.
//!
//! ```
//! use connector_runtime::Nullable;
//!
//! #[derive(Debug, PartialEq)]
//! struct Pet {
//!     name: String,
//!     tag: Option<String>,
//!     owner: Option<String>,
//!     nickname: Nullable<String>,
//! }
//!
//! // `field?: "key"` is left out when absent (`None`, `Nullable::Absent`); a field
//! // without `?` is always written (`None` as `null`).
//! connector_runtime::de::object!(Pet { name: "name", tag?: "tag", owner: "owner", nickname?: "nickname" });
//!
//! let pet = Pet { name: "Rex".into(), tag: None, owner: None, nickname: Nullable::Null };
//! assert_eq!(
//!     connector_runtime::serde_json::to_string(&pet).unwrap(),
//!     r#"{"name":"Rex","owner":null,"nickname":null}"#
//! );
//! ```

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};
/// A field that may be left out: `Option` (when `None`) and
/// [`Nullable`](crate::Nullable) (when absent; its impl lives with the type).
pub trait Skip {
    /// Whether the field is written.
    fn present(&self) -> bool;
}

impl<T> Skip for Option<T> {
    fn present(&self) -> bool {
        self.is_some()
    }
}

/// 1 if the optional field `key` is written, else 0: `object!` adds these to the number
/// of required fields for the length the struct announces (a `&dyn Skip` slice cost
/// more to check).
pub fn count<T: Skip>(_key: &str, field: &T) -> usize {
    usize::from(field.present())
}

/// Writes a struct's fields in order, keeping the first error: each field is one call
/// with no `?` in the generated code, and [`Struct::end`] returns the outcome.
pub struct Struct<S: Serializer> {
    state: Result<S::SerializeStruct, S::Error>,
}

impl<S: Serializer> Struct<S> {
    /// Start the struct `name` with `len` fields (the required ones plus those [`count`] finds present).
    pub fn new(serializer: S, name: &'static str, len: usize) -> Self {
        Struct {
            state: serializer.serialize_struct(name, len),
        }
    }

    /// Write a field.
    pub fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) {
        if let Ok(fields) = &mut self.state
            && let Err(e) = fields.serialize_field(key, value)
        {
            self.state = Err(e);
        }
    }

    /// Write a field that is left out when absent.
    pub fn optional<T: Skip + Serialize>(&mut self, key: &'static str, value: &T) {
        if value.present() {
            self.field(key, value);
        } else if let Ok(fields) = &mut self.state
            && let Err(e) = fields.skip_field(key)
        {
            self.state = Err(e);
        }
    }

    /// Close the struct: the serializer's output, or the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.state?.end()
    }
}

/// Writes a type with additional properties as a map: its declared fields in order,
/// then the additional ones (what `#[serde(flatten)]` on the map field writes).
pub struct Map<S: Serializer> {
    state: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> Map<S> {
    /// Start the map (of unknown length, as the derive's flatten does).
    pub fn new(serializer: S) -> Self {
        Map {
            state: serializer.serialize_map(None),
        }
    }

    /// Write a field.
    pub fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) {
        if let Ok(entries) = &mut self.state
            && let Err(e) = entries.serialize_entry(key, value)
        {
            self.state = Err(e);
        }
    }

    /// Write a field that is left out when absent.
    pub fn optional<T: Skip + Serialize>(&mut self, key: &'static str, value: &T) {
        if value.present() {
            self.field(key, value);
        }
    }

    /// Write the additional properties.
    pub fn rest<V: Serialize>(&mut self, rest: &BTreeMap<String, V>) {
        for (key, value) in rest {
            let Ok(entries) = &mut self.state else {
                return;
            };
            if let Err(e) = entries.serialize_entry(key, value) {
                self.state = Err(e);
            }
        }
    }

    /// Close the map: the serializer's output, or the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.state?.end()
    }
}
