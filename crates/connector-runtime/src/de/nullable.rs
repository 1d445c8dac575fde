//! [`Nullable`]: a property that is optional and nullable at once, where leaving it out
//! and sending `null` mean different things (PATCH bodies: keep the value vs clear it).
//!
//! Hand-written: `Option<Option<T>>` with `serde_with::rust::double_option` expresses the
//! same, but reads badly at the call site (`Some(None)`) and needs a dependency and two
//! attributes per field; a named three-state type says what each state sends.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// The name [`Nullable`] asks a deserializer for, so the generated decoders
/// (`de::object!`) can tell a missing key (`Absent`) from `null`.
pub(crate) const NULLABLE_TOKEN: &str = "$connector_runtime::Nullable";

/// An optional, nullable value: absent (the key is left out), `null`, or a value.
///
/// Generated types use it for properties that are both optional and nullable; marked
/// optional in `de::object!` (`field?: "key"`), or with
/// `#[serde(skip_serializing_if = "Nullable::is_absent")]` on a derive, an absent value
/// is left out of the JSON, `Null` is sent as `null` and `Value(v)` as `v`. Decoding (through the
/// generated decoders) gives `Absent` for a missing key, `Null` for `null`.
///
/// ```
/// use connector_runtime::Nullable;
///
/// #[derive(Debug, PartialEq)]
/// struct Patch {
///     nickname: Nullable<String>,
/// }
/// connector_runtime::de::object!(Patch { nickname?: "nickname" });
///
/// let keep = Patch { nickname: Nullable::Absent };
/// let clear = Patch { nickname: Nullable::Null };
/// let set = Patch { nickname: "Rex".to_owned().into() };
/// assert_eq!(connector_runtime::serde_json::to_string(&keep).unwrap(), "{}");
/// assert_eq!(connector_runtime::serde_json::to_string(&clear).unwrap(), r#"{"nickname":null}"#);
/// assert_eq!(connector_runtime::serde_json::to_string(&set).unwrap(), r#"{"nickname":"Rex"}"#);
///
/// let read: Patch = connector_runtime::serde_json::from_str("{}").unwrap();
/// assert_eq!(read, keep);
/// let read: Patch = connector_runtime::serde_json::from_str(r#"{"nickname":null}"#).unwrap();
/// assert_eq!(read, clear);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent / not received: the key is left out.
    #[default]
    Absent,
    /// Sent / received as `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the key is left out (for `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value's target, if there is one (like [`Option::as_deref`]).
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_ref().map(|v| &**v)
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` is `null` (to leave the key out, use [`Nullable::Absent`]).
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

/// Left out when absent, by the `Serialize` that `de::object!` writes.
impl<T> crate::ser::Skip for Nullable<T> {
    fn present(&self) -> bool {
        !self.is_absent()
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A present value (JSON input forwards a newtype struct to its content) goes
        // through `visit_newtype_struct`; the generated decoders' missing-key
        // deserializer answers this name with `visit_none`.
        deserializer.deserialize_newtype_struct(NULLABLE_TOKEN, NullableVisitor(PhantomData))
    }
}

struct NullableVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for NullableVisitor<T> {
    type Value = Nullable<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    /// The key was missing.
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Nullable::Absent)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}
