//! What `object!` expands to: the macro and the helpers its `visit` calls (its
//! `Serialize` calls [`crate::ser`]).

use serde::de::{Error, MapAccess};

#[doc(hidden)]
#[macro_export]
macro_rules! __object {
    // The expansion is shaped for the compiler, since a client has hundreds of these:
    // each key's arm is one call (`put`) and one `?` after the `match` serves them all,
    // and the fields are checked in one tuple `match`, not with a `?` each. Every `?` is
    // two calls, a branch and an early exit that rustc's borrow checker tracks against
    // every field's slot: on GitHub's client (768 structs) this shape cut `cargo check`'s
    // CPU time by 30% and its peak memory by 135 MiB (docs/benchmarks.md). A local
    // field enum with a key table (one `switch` instead of string comparisons) was
    // measured too and cost more memory than it saved. `Serialize` is one call per
    // field into a writer that keeps the first error (`ser`), not serde's derive with a
    // `?` per field: 189 MiB less on OpenAI's client. Optional fields (`field?:`) take
    // their absent value directly and stay out of the tuple `match`, which then holds
    // only the required ones.
    ($name:ident { $($field:ident $(?: $okey:literal)? $(: $key:literal)?,)* ..$rest:ident $(,)? }) => {
        impl $crate::de::Object for $name {
            const NAME: &str = ::core::stringify!($name);

            fn visit<'de, A: $crate::de::MapAccess<'de>>(
                mut access: A,
            ) -> ::core::result::Result<Self, A::Error> {
                $(let mut $field = ::core::option::Option::None;)*
                let mut $rest = ::std::collections::BTreeMap::new();
                while let ::core::option::Option::Some(key) =
                    access.next_key::<$crate::de::Key<'de>>()?
                {
                    #[allow(unreachable_patterns)]
                    match key.as_str() {
                        $($($key)? $($okey)? => $crate::de::put(&mut access, &mut $field),)*
                        _ => $crate::de::put_rest(&mut access, &mut $rest, key.into_owned()),
                    }?;
                }
                $($(let $field = $crate::de::optional($field, $okey);)?)*
                #[allow(unreachable_patterns)]
                match ($($($crate::de::field::<_, A::Error>($field, $key),)?)*) {
                    ($($($crate::__object_ok!($key, $field),)?)*) => {
                        ::core::result::Result::Ok(Self { $($field,)* $rest })
                    }
                    ($($($crate::__object_bind!($key, $field),)?)*) => {
                        ::core::result::Result::Err($crate::de::first_error([
                            $($($crate::de::err($key, $field),)?)*
                        ]))
                    }
                }
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let mut fields = $crate::ser::Map::new(serializer);
                $($(fields.field($key, &self.$field);)? $(fields.optional($okey, &self.$field);)?)*
                fields.rest(&self.$rest);
                fields.end()
            }
        }

        $crate::deserialize_object!($name);
    };
    ($name:ident { $($field:ident $(?: $okey:literal)? $(: $key:literal)?),* $(,)? }) => {
        impl $crate::de::Object for $name {
            const NAME: &str = ::core::stringify!($name);

            fn visit<'de, A: $crate::de::MapAccess<'de>>(
                mut access: A,
            ) -> ::core::result::Result<Self, A::Error> {
                $(let mut $field = ::core::option::Option::None;)*
                while let ::core::option::Option::Some(key) =
                    access.next_key::<$crate::de::Key<'de>>()?
                {
                    #[allow(unreachable_patterns)]
                    match key.as_str() {
                        $($($key)? $($okey)? => $crate::de::put(&mut access, &mut $field),)*
                        _ => $crate::de::skip(&mut access),
                    }?;
                }
                $($(let $field = $crate::de::optional($field, $okey);)?)*
                #[allow(unreachable_patterns)]
                match ($($($crate::de::field::<_, A::Error>($field, $key),)?)*) {
                    ($($($crate::__object_ok!($key, $field),)?)*) => {
                        ::core::result::Result::Ok(Self { $($field,)* })
                    }
                    ($($($crate::__object_bind!($key, $field),)?)*) => {
                        ::core::result::Result::Err($crate::de::first_error([
                            $($($crate::de::err($key, $field),)?)*
                        ]))
                    }
                }
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                // The exact number of fields written, as serde's derive gives it (formats
                // with a length prefix need it): the required ones and those present.
                let len = <[&str]>::len(&[$($($key,)?)*])
                    $($(+ $crate::ser::count($okey, &self.$field))?)*;
                #[allow(unused_mut)]
                let mut fields =
                    $crate::ser::Struct::new(serializer, ::core::stringify!($name), len);
                $($(fields.field($key, &self.$field);)? $(fields.optional($okey, &self.$field);)?)*
                fields.end()
            }
        }

        $crate::deserialize_object!($name);
    };
}

/// `Ok(field)`: the pattern of a required field in `object!`'s final `match`.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_ok {
    ($key:literal, $field:ident) => {
        ::core::result::Result::Ok($field)
    };
}

/// `field`: the binding of a required field's result in `object!`'s error arm.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_bind {
    ($key:literal, $field:ident) => {
        $field
    };
}

/// A field that may be absent (`Option`, [`Nullable`](super::Nullable)): what a missing
/// key means for it.
pub trait Absent {
    /// The value of the field when its key is missing.
    fn absent() -> Self;
}

impl<T> Absent for Option<T> {
    fn absent() -> Self {
        None
    }
}

impl<T> Absent for super::Nullable<T> {
    fn absent() -> Self {
        super::Nullable::Absent
    }
}

/// The value of an optional field (`field?: "key"`) once the object is read: its value,
/// or its [`Absent`] value when the key did not come.
pub fn optional<T: Absent>(slot: Option<T>, _key: &str) -> T {
    slot.unwrap_or_else(T::absent)
}

/// The error of a required field's result, if any (for [`first_error`]).
pub fn err<T, E>(_key: &str, result: Result<T, E>) -> Option<E> {
    result.err()
}

/// Read the next value into a field's slot (the last of repeated keys wins).
pub fn put<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    access: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(access.next_value()?);
    Ok(())
}

/// Read the value of the undeclared `key` into a type's map of additional properties.
pub fn put_rest<'de, A: MapAccess<'de>, V: serde::Deserialize<'de>>(
    access: &mut A,
    rest: &mut std::collections::BTreeMap<String, V>,
    key: String,
) -> Result<(), A::Error> {
    let value = access.next_value()?;
    rest.insert(key, value);
    Ok(())
}

/// The first of a type's field errors once its object is read (`object!` calls this
/// with each field's [`field`](super::field) result, `.err()`, when any failed).
pub fn first_error<E: Error, const N: usize>(errors: [Option<E>; N]) -> E {
    errors
        .into_iter()
        .flatten()
        .next()
        .unwrap_or_else(|| E::custom("a field failed to decode"))
}
