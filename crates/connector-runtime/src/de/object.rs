//! What `object!` expands to: the macro and the helpers its `visit` calls.

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
    // measured too and cost more memory than it saved.
    ($name:ident { $($field:ident: $key:literal,)* ..$rest:ident $(,)? }) => {
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
                        $($key => $crate::de::put(&mut access, &mut $field),)*
                        _ => $crate::de::put_rest(&mut access, &mut $rest, key.into_owned()),
                    }?;
                }
                #[allow(unreachable_patterns)]
                match ($($crate::de::field::<_, A::Error>($field, $key),)*) {
                    ($(::core::result::Result::Ok($field),)*) => {
                        ::core::result::Result::Ok(Self { $($field,)* $rest })
                    }
                    ($($field,)*) => {
                        ::core::result::Result::Err($crate::de::first_error([$($field.err()),*]))
                    }
                }
            }
        }

        $crate::deserialize_object!($name);
    };
    ($name:ident { $($field:ident: $key:literal),* $(,)? }) => {
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
                        $($key => $crate::de::put(&mut access, &mut $field),)*
                        _ => $crate::de::skip(&mut access),
                    }?;
                }
                #[allow(unreachable_patterns)]
                match ($($crate::de::field::<_, A::Error>($field, $key),)*) {
                    ($(::core::result::Result::Ok($field),)*) => {
                        ::core::result::Result::Ok(Self { $($field,)* })
                    }
                    ($($field,)*) => {
                        ::core::result::Result::Err($crate::de::first_error([$($field.err()),*]))
                    }
                }
            }
        }

        $crate::deserialize_object!($name);
    };
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
