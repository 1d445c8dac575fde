//! The `Serialize` that `de::object!` writes (through `crate::ser`): the same JSON serde's derive gives, for
//! every field shape generated types use, and a round trip back through the decoder.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Nullable;

/// The derive's output, as the reference for the macro's.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Derived {
    id: i64,
    #[serde(rename = "displayName", skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    required_nullable: Option<bool>,
    #[serde(skip_serializing_if = "Nullable::is_absent")]
    nickname: Nullable<String>,
    tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Written {
    id: i64,
    display_name: Option<String>,
    required_nullable: Option<bool>,
    nickname: Nullable<String>,
    tags: Vec<String>,
}

crate::de::object!(Written {
    id: "id",
    display_name?: "displayName",
    required_nullable: "required_nullable",
    nickname?: "nickname",
    tags: "tags",
});

#[derive(Debug, Clone, PartialEq, Serialize)]
struct DerivedRest {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    id: i64,
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
struct WrittenRest {
    kind: Option<String>,
    id: i64,
    rest: BTreeMap<String, serde_json::Value>,
}

crate::de::object!(WrittenRest {
    kind?: "kind",
    id: "id",
    ..rest
});

#[derive(Debug, PartialEq)]
struct Empty {}

crate::de::object!(Empty {});

fn cases() -> Vec<(Derived, Written)> {
    let shapes = [
        (None, None, Nullable::Absent),
        (Some("Ann".to_owned()), Some(true), Nullable::Null),
        (None, Some(false), Nullable::Value("Rex".to_owned())),
    ];
    shapes
        .into_iter()
        .enumerate()
        .map(|(i, (display_name, required_nullable, nickname))| {
            let tags = vec!["t".to_owned(); i];
            (
                Derived {
                    id: i as i64,
                    display_name: display_name.clone(),
                    required_nullable,
                    nickname: nickname.clone(),
                    tags: tags.clone(),
                },
                Written {
                    id: i as i64,
                    display_name,
                    required_nullable,
                    nickname,
                    tags,
                },
            )
        })
        .collect()
}

#[test]
fn the_macro_writes_what_the_derive_writes_and_reads_it_back() {
    for (derived, written) in cases() {
        let want = serde_json::to_string(&derived).unwrap();
        let got = serde_json::to_string(&written).unwrap();
        assert_eq!(got, want);
        assert_eq!(
            serde_json::to_value(&written).unwrap(),
            serde_json::to_value(&derived).unwrap()
        );
        let back: Written = serde_json::from_str(&got).unwrap();
        assert_eq!(back, written, "{got}");
    }
}

#[test]
fn optional_fields_are_left_out_and_required_nullable_ones_sent_as_null() {
    let (_, written) = cases().remove(0);
    assert_eq!(
        serde_json::to_string(&written).unwrap(),
        r#"{"id":0,"required_nullable":null,"tags":[]}"#
    );
}

#[test]
fn additional_properties_follow_the_declared_fields_as_flatten_writes_them() {
    let rest = BTreeMap::from([
        ("a".to_owned(), serde_json::json!(1)),
        ("z".to_owned(), serde_json::json!({"deep": [true]})),
    ]);
    for kind in [None, Some("k".to_owned())] {
        let derived = DerivedRest {
            kind: kind.clone(),
            id: 7,
            rest: rest.clone(),
        };
        let written = WrittenRest {
            kind,
            id: 7,
            rest: rest.clone(),
        };
        let got = serde_json::to_string(&written).unwrap();
        assert_eq!(got, serde_json::to_string(&derived).unwrap());
        let back: WrittenRest = serde_json::from_str(&got).unwrap();
        assert_eq!(back, written);
    }
}

#[test]
fn an_empty_type_writes_an_empty_object() {
    assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
}

#[test]
fn an_optional_field_counts_when_written() {
    assert_eq!(crate::ser::count("a", &Some(1)), 1);
    assert_eq!(crate::ser::count("a", &None::<i32>), 0);
    assert_eq!(crate::ser::count("a", &Nullable::<i32>::Null), 1);
    assert_eq!(crate::ser::count("a", &Nullable::<i32>::Value(1)), 1);
    assert_eq!(crate::ser::count("a", &Nullable::<i32>::Absent), 0);
}

/// A serializer that fails on a chosen field: the first error comes back from `end`,
/// and nothing after it is written.
#[test]
fn the_first_error_is_returned() {
    #[derive(Debug)]
    struct Failing;
    impl Serialize for Failing {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("this field cannot be written"))
        }
    }
    struct WithFailure {
        first: Failing,
        second: Option<Failing>,
    }
    crate::de::object!(WithFailure {
        first: "first",
        second?: "second",
    });
    impl<'de> serde::Deserialize<'de> for Failing {
        fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
            Ok(Failing)
        }
    }
    let value = WithFailure {
        first: Failing,
        second: Some(Failing),
    };
    let err = serde_json::to_string(&value).unwrap_err();
    assert!(err.to_string().contains("cannot be written"), "{err}");
}
