//! Shared deserialization pieces for generated types.
//!
//! `#[derive(Deserialize)]` expands to about eight functions per struct (a field enum,
//! its visitor, sequence and map visitors); in a client with hundreds of schemas that
//! expansion is most of the crate's compile time. Generated structs instead use
//! `object!`: one invocation naming each field and its key, which
//! expands to an [`Object`] impl with one short `visit` function and a forwarding
//! `Deserialize` impl; the parts every struct shares — the visitor, key reading, skipping
//! undeclared keys, missing-field errors — live here once. Generated string enums use
//! [`string_enum!`](crate::string_enum) the same way. The decoding itself is the same
//! single pass over the input that serde's derive makes, with the same rules: a missing
//! `Option` field is `None`, any other missing field is a "missing field" error, the last
//! of repeated keys wins, undeclared keys are skipped (or kept, with `..rest`).
//!
//! No crate offers this: serde's derive has no leaner mode, and type-erased
//! alternatives (erased-serde, an intermediate `serde_json::Value`) cost allocations on
//! every field at run time.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! #[derive(Debug, PartialEq)]
//! struct Pet {
//!     name: String,
//!     tag: Option<String>,
//! }
//!
//! connector_runtime::de::object!(Pet { name: "name", tag: "tag" });
//!
//! #[derive(Debug, PartialEq)]
//! struct Labels {
//!     id: i64,
//!     rest: BTreeMap<String, String>,
//! }
//!
//! // `..field` keeps undeclared keys in a map field.
//! connector_runtime::de::object!(Labels { id: "id", ..rest });
//!
//! let pet: Pet = connector_runtime::serde_json::from_str(r#"{"name":"Rex","age":3}"#).unwrap();
//! assert_eq!(pet, Pet { name: "Rex".into(), tag: None });
//! let err = connector_runtime::serde_json::from_str::<Pet>(r#"{"tag":"a"}"#).unwrap_err();
//! assert!(err.to_string().contains("missing field `name`"));
//! let labels: Labels = connector_runtime::serde_json::from_str(r#"{"id":1,"a":"b"}"#).unwrap();
//! assert_eq!(labels.rest["a"], "b");
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Visitor};
pub use serde::de::{Error, IgnoredAny, MapAccess};

mod nullable;
mod object;
pub use nullable::Nullable;
pub use object::{Absent, err, first_error, optional, put, put_rest};

/// A type decoded from a JSON object through one `visit` over its entries.
pub trait Object: Sized {
    /// The type's name, for "expected an object (Name)" errors.
    const NAME: &'static str;

    /// Build the value from the object's entries.
    fn visit<'de, A: MapAccess<'de>>(access: A) -> Result<Self, A::Error>;
}

/// Deserialize an [`Object`]: the whole body of a generated `Deserialize::deserialize`.
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<T, A::Error> {
        T::visit(access)
    }
}

/// Reads an object key as its index in the declared field names; `None` for a key the
/// type does not declare (whose value the caller then skips).
#[derive(Debug, Clone, Copy)]
pub struct Fields(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Fields {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key))
    }
}

/// Like [`Fields`], but an undeclared key comes back as `Err(key)`, for types that keep
/// additional properties.
#[derive(Debug, Clone, Copy)]
pub struct FieldsAndRest(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldsAndRest {
    type Value = Result<usize, String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldsAndRest {
    type Value = Result<usize, String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self
            .0
            .iter()
            .position(|name| *name == key)
            .ok_or_else(|| key.to_owned()))
    }

    fn visit_string<E: Error>(self, key: String) -> Result<Self::Value, E> {
        match self.0.iter().position(|name| *name == key) {
            Some(index) => Ok(Ok(index)),
            None => Ok(Err(key)),
        }
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        self.visit_str(&String::from_utf8_lossy(key))
    }
}

/// Skip the value of an undeclared key.
pub fn skip<'de, A: MapAccess<'de>>(access: &mut A) -> Result<(), A::Error> {
    access.next_value::<IgnoredAny>().map(drop)
}

/// The value of a required field, or a "missing field" error naming it.
pub fn required<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// The value of a declared field once the object is read: the value if its key came,
/// else what a missing key means for the field's type — `None` for an `Option`,
/// [`Nullable::Absent`] for a [`Nullable`], a
/// "missing field" error naming `name` for anything else (serde's derive does the same).
pub fn field<'de, T: serde::Deserialize<'de>, E: Error>(
    value: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match value {
        Some(value) => Ok(value),
        None => T::deserialize(MissingField(name, PhantomData)),
    }
}

/// A deserializer for an absent key: `None` for options, "missing field" for the rest.
struct MissingField<E>(&'static str, PhantomData<E>);

impl<'de, E: Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    /// A missing [`Nullable`] is [`Nullable::Absent`].
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        if name == nullable::NULLABLE_TOKEN {
            visitor.visit_none()
        } else {
            Err(E::missing_field(self.0))
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Decode a tagged union's variant from the whole value and box it into the variant
/// (`Self::Variant` as `wrap`): the arm body of a generated tagged union's decoder.
pub fn boxed<T: serde::de::DeserializeOwned, V>(
    value: serde_json::Value,
    wrap: fn(Box<T>) -> V,
) -> Result<V, serde_json::Error> {
    serde_json::from_value(value).map(|v| wrap(Box::new(v)))
}

/// Whether `value` carries every fixed property `(key, value, required)` — an optional
/// one may also be absent: a generated untagged union tries a variant whose object fixes
/// properties to one value (`const`) only when they match, since its open enums would
/// accept any other variant's value.
pub fn fixed(value: &serde_json::Value, fixed: &[(&str, &str, bool)]) -> bool {
    fixed
        .iter()
        .all(|(key, want, required)| match value.get(*key) {
            Some(v) => v.as_str() == Some(*want),
            None => !*required,
        })
}

/// An object key, borrowed from the input when it can be (unescaped keys of an in-memory
/// document), else owned: reading a key allocates nothing in the common case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Decoded into a new string (escapes, streamed input).
    Owned(String),
}

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    /// The key as an owned string (no copy when it already is one).
    pub fn into_owned(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key.to_owned()))
    }

    fn visit_string<E: Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Key<'de>, E> {
        Ok(Key::Owned(String::from_utf8_lossy(key).into_owned()))
    }
}

/// `Deserialize` and `Serialize` for a generated struct, from its fields and their keys:
/// expands to an [`Object`] impl (one pass over the entries; see the [module
/// docs](self)), the forwarding `Deserialize` impl, and a `Serialize` impl writing the
/// fields in order through [`ser`](crate::ser). `..field` keeps undeclared keys in that
/// field, a `BTreeMap<String, V>`, and writes them after the declared ones.
///
/// `field?: "key"` marks an optional field (an `Option` or a [`Nullable`]): left out of
/// the output when absent, as `#[serde(skip_serializing_if = ..)]` does. A field without
/// the mark is always written (`None` as `null`). Reading ignores the mark.
///
/// Each field's value is read as its declared type, so an `Option` field takes `null`
/// as `None`; a missing key is `None` for an `Option` field, [`Nullable::Absent`] for a
/// [`Nullable`] field (which reads `null` as [`Nullable::Null`]) and an error otherwise.
/// The expansion's own names (`access`, `key`) are hygienic: fields may use them too.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// struct Tag {
///     name: String,
///     access: Option<bool>,
/// }
///
/// connector_runtime::de::object!(Tag { name: "name", access: "access" });
///
/// let tag: Tag = connector_runtime::serde_json::from_str(r#"{"name":"a","access":null}"#).unwrap();
/// assert_eq!(tag, Tag { name: "a".into(), access: None });
/// ```
#[doc(inline)]
pub use crate::__object as object;

/// Deserializes a string into any `T: From<&str>`, borrowing the input when it can (so
/// known enum values allocate nothing). Used by [`string_enum!`](crate::string_enum).
pub fn from_str<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(StrVisitor(PhantomData))
}

struct StrVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_bytes<E: Error>(self, value: &[u8]) -> Result<T, E> {
        Ok(T::from(&String::from_utf8_lossy(value)))
    }
}

/// `Deserialize` for an [`Object`] type: the one-line forwarding impl every generated
/// struct needs (serde's trait cannot be implemented generically for all `Object`s).
///
/// ```
/// use connector_runtime::de::{self, Object};
///
/// #[derive(Debug, PartialEq)]
/// struct Tag {
///     name: String,
/// }
///
/// impl Object for Tag {
///     const NAME: &str = "Tag";
///
///     fn visit<'de, A: de::MapAccess<'de>>(mut access: A) -> Result<Self, A::Error> {
///         let mut name = None;
///         while let Some(field) = access.next_key_seed(de::Fields(&["name"]))? {
///             match field {
///                 Some(0) => name = Some(access.next_value()?),
///                 _ => de::skip(&mut access)?,
///             }
///         }
///         Ok(Tag { name: de::required(name, "name")? })
///     }
/// }
///
/// connector_runtime::deserialize_object!(Tag);
///
/// let tag: Tag = connector_runtime::serde_json::from_str(r#"{"name":"a"}"#).unwrap();
/// assert_eq!(tag, Tag { name: "a".into() });
/// ```
#[macro_export]
macro_rules! deserialize_object {
    ($name:ident) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::de::object(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod ser_tests;
#[cfg(test)]
mod tests;
