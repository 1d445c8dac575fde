//! Shared deserialization pieces for generated types.
//!
//! `#[derive(Deserialize)]` expands to about eight functions per struct (a field enum,
//! its visitor, sequence and map visitors); in a client with hundreds of schemas that
//! expansion is most of the crate's compile time. Generated structs instead implement
//! [`Object`] with one short `visit` function, and the parts every struct shares — key
//! lookup, the visitor, skipping undeclared keys, missing-field errors — live here once.
//! Generated string enums use [`string_enum!`](crate::string_enum) the same way. The
//! decoding itself is the same single pass over the input that serde's derive makes.
//!
//! No crate offers this: serde's derive has no leaner mode, and type-erased
//! alternatives (erased-serde, an intermediate `serde_json::Value`) cost allocations on
//! every field at run time.
//!
//! ```
//! use connector_runtime::de::{self, Object};
//! use connector_runtime::serde::{Deserialize, Deserializer};
//!
//! #[derive(Debug, PartialEq)]
//! struct Pet {
//!     name: String,
//!     tag: Option<String>,
//! }
//!
//! impl<'de> Deserialize<'de> for Pet {
//!     fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         de::object(deserializer)
//!     }
//! }
//!
//! impl Object for Pet {
//!     const NAME: &str = "Pet";
//!
//!     fn visit<'de, A: de::MapAccess<'de>>(mut access: A) -> Result<Self, A::Error> {
//!         let (mut name, mut tag) = (None, None);
//!         while let Some(field) = access.next_key_seed(de::Fields(&["name", "tag"]))? {
//!             match field {
//!                 Some(0) => name = Some(access.next_value()?),
//!                 Some(1) => tag = access.next_value()?,
//!                 _ => de::skip(&mut access)?,
//!             }
//!         }
//!         Ok(Pet { name: de::required(name, "name")?, tag })
//!     }
//! }
//!
//! let pet: Pet = connector_runtime::serde_json::from_str(r#"{"name":"Rex","age":3}"#).unwrap();
//! assert_eq!(pet, Pet { name: "Rex".into(), tag: None });
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Visitor};
pub use serde::de::{Error, IgnoredAny, MapAccess};

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

/// The trait impls of a generated open string enum — `Display`, `Serialize`,
/// `Deserialize` and [`ParamValue`](crate::support::ParamValue) — from its `as_str` and its
/// `From<&str>`.
///
/// ```
/// #[derive(Debug, Clone, PartialEq)]
/// enum Color {
///     Red,
///     Other(String),
/// }
///
/// impl Color {
///     fn as_str(&self) -> &str {
///         match self {
///             Self::Red => "red",
///             Self::Other(value) => value,
///         }
///     }
/// }
///
/// impl From<&str> for Color {
///     fn from(value: &str) -> Self {
///         match value {
///             "red" => Self::Red,
///             other => Self::Other(other.to_owned()),
///         }
///     }
/// }
///
/// connector_runtime::string_enum!(Color);
///
/// let c: Color = connector_runtime::serde_json::from_str(r#""blue""#).unwrap();
/// assert_eq!(c, Color::Other("blue".into()));
/// assert_eq!(connector_runtime::serde_json::to_string(&Color::Red).unwrap(), r#""red""#);
/// assert_eq!(Color::Red.to_string(), "red");
/// ```
#[macro_export]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::de::from_str(deserializer)
            }
        }

        impl $crate::support::ParamValue for $name {
            fn to_param(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }

            fn param_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq)]
    struct Thing {
        id: i64,
        kind: Option<String>,
        rest: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    impl Object for Thing {
        const NAME: &str = "Thing";

        fn visit<'de, A: MapAccess<'de>>(mut access: A) -> Result<Self, A::Error> {
            let (mut id, mut kind, mut rest) = (None, None, BTreeMap::new());
            while let Some(field) = access.next_key_seed(FieldsAndRest(&["id", "kind"]))? {
                match field {
                    Ok(0) => id = Some(access.next_value()?),
                    Ok(1) => kind = access.next_value()?,
                    Err(key) => {
                        rest.insert(key, access.next_value()?);
                    }
                    _ => skip(&mut access)?,
                }
            }
            Ok(Thing {
                id: required(id, "id")?,
                kind,
                rest,
            })
        }
    }

    #[test]
    fn declared_keys_fill_fields_and_the_rest_is_kept() {
        let t: Thing =
            serde_json::from_str(r#"{"x":[1],"id":7,"kind":null,"k\u0069nd2":"y"}"#).unwrap();
        assert_eq!(t.id, 7);
        assert_eq!(t.kind, None);
        assert_eq!(t.rest.len(), 2);
        assert_eq!(t.rest["kind2"], serde_json::json!("y"));
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let err = serde_json::from_str::<Thing>(r#"{"kind":"a"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
    }

    #[test]
    fn a_non_object_names_the_type() {
        let err = serde_json::from_str::<Thing>("[1]").unwrap_err();
        assert!(err.to_string().contains("an object (Thing)"), "{err}");
    }

    #[test]
    fn escaped_keys_still_match() {
        let found = Fields(&["a", "b"])
            .deserialize(&mut serde_json::Deserializer::from_str(r#""\u0062""#))
            .unwrap();
        assert_eq!(found, Some(1));
    }
}
