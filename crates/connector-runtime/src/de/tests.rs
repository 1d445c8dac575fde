//! The shared decoding pieces and `object!` against every field shape generated types use.

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

#[derive(Debug, PartialEq)]
struct Shapes {
    id: i64,
    access: Option<String>,
    key: Option<Option<i32>>,
    nullable_required: Option<bool>,
    any: serde_json::Value,
    rest: BTreeMap<String, i64>,
}

crate::de::object!(Shapes {
    id: "id",
    access: "access",
    key: "k\u{e9}y",
    nullable_required: "nullableRequired",
    any: "any",
    ..rest
});

#[derive(Debug, PartialEq, Default)]
struct Plain {
    a: Option<String>,
    b: Option<Vec<u8>>,
}

crate::de::object!(Plain { a: "a", b: "b" });

#[test]
fn the_macro_reads_every_field_shape() {
    let s: Shapes = serde_json::from_str(
        r#"{"id":1,"access":"x","k\u00e9y":3,"any":[1],"extra":5,"id":2,"nullableRequired":null}"#,
    )
    .unwrap();
    assert_eq!(
        s,
        Shapes {
            id: 2,
            access: Some("x".into()),
            key: Some(Some(3)),
            nullable_required: None,
            any: serde_json::json!([1]),
            rest: BTreeMap::from([("extra".to_owned(), 5)]),
        }
    );
}

#[test]
fn the_macro_names_missing_required_fields_and_defaults_options() {
    let err = serde_json::from_str::<Shapes>(r#"{"any":1}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let err = serde_json::from_str::<Shapes>(r#"{"id":1}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `any`"), "{err}");
    let p: Plain = serde_json::from_str(r#"{"z":{"deep":[1,2]},"b":null}"#).unwrap();
    assert_eq!(p, Plain::default());
    let err = serde_json::from_str::<Plain>("3").unwrap_err();
    assert!(err.to_string().contains("an object (Plain)"), "{err}");
}

#[test]
fn the_macro_reads_from_values_and_owned_keys() {
    let value = serde_json::json!({"a": "x", "other": 1});
    let p = Plain::deserialize(&value).unwrap();
    assert_eq!(p.a.as_deref(), Some("x"));
    let p: Plain = serde_json::from_value(value).unwrap();
    assert_eq!(p.a.as_deref(), Some("x"));
    let p: Plain = serde_json::from_reader(&br#"{"a":"y"}"#[..]).unwrap();
    assert_eq!(p.a.as_deref(), Some("y"));
}

#[test]
fn boxed_decodes_a_tagged_variant() {
    #[derive(Debug, PartialEq)]
    enum Union {
        Plain(Box<Plain>),
    }
    let u = boxed(serde_json::json!({"a": "x", "kind": "plain"}), Union::Plain).unwrap();
    assert_eq!(
        u,
        Union::Plain(Box::new(Plain {
            a: Some("x".into()),
            b: None
        }))
    );
    assert!(boxed(serde_json::json!(3), Union::Plain).is_err());
}

#[derive(Debug, PartialEq)]
struct Patch {
    name: Option<String>,
    nickname: Nullable<String>,
}

crate::de::object!(Patch {
    name: "name",
    nickname?: "nickname",
});

#[test]
fn a_nullable_field_tells_absent_null_and_value_apart_from_text_and_from_values() {
    let cases = [
        (r#"{"name":"a"}"#, Nullable::Absent),
        (r#"{"name":"a","nickname":null}"#, Nullable::Null),
        (
            r#"{"name":"a","nickname":"Rex"}"#,
            Nullable::Value("Rex".to_owned()),
        ),
    ];
    for (text, want) in cases {
        let from_text: Patch = serde_json::from_str(text).unwrap();
        assert_eq!(from_text.nickname, want, "{text}");
        // Tagged unions decode their variant from a `serde_json::Value`.
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let from_value: Patch = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(from_value.nickname, want, "{text} as a value");
        // And encode back to the same JSON.
        assert_eq!(serde_json::to_value(&from_text).unwrap(), value, "{text}");
    }
    let err = serde_json::from_str::<Patch>(r#"{"nickname":5}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[test]
fn fixed_properties_must_match_and_optional_ones_may_be_absent() {
    let v = serde_json::json!({"role": "developer", "content": "hi"});
    assert!(fixed(&v, &[("role", "developer", true)]));
    assert!(!fixed(&v, &[("role", "user", true)]));
    assert!(!fixed(&v, &[("type", "message", true)]));
    assert!(fixed(&v, &[("type", "message", false)]));
    assert!(!fixed(
        &serde_json::json!({"role": 5}),
        &[("role", "developer", false)]
    ));
}

#[derive(Debug, PartialEq)]
struct Empty {}

crate::de::object!(Empty {});

#[derive(Debug, PartialEq)]
struct Keywords {
    field: Option<i32>,
    r#type: String,
    rest: BTreeMap<String, i32>,
}

crate::de::object!(Keywords {
    field: "field",
    r#type: "type",
    ..rest
});

#[test]
fn the_macro_takes_empty_types_keyword_fields_and_owned_undeclared_keys() {
    let e: Empty = serde_json::from_str(r#"{"a":1,"b":[2]}"#).unwrap();
    assert_eq!(e, Empty {});
    // An escaped key reaches the table as an owned string: declared or kept in the rest.
    let k: Keywords =
        serde_json::from_reader(&br#"{"typ\u0065":"t","fi\u0065ld":1,"\u00e9":2,"x":3}"#[..])
            .unwrap();
    assert_eq!(
        k,
        Keywords {
            field: Some(1),
            r#type: "t".into(),
            rest: BTreeMap::from([("\u{e9}".to_owned(), 2), ("x".to_owned(), 3)]),
        }
    );
    let err = serde_json::from_str::<Keywords>(r#"{"field":"no"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    let err = serde_json::from_str::<Keywords>(r#"{"field":1}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `type`"), "{err}");
}

#[derive(Debug, PartialEq)]
struct Marked {
    tag: Option<String>,
    id: i64,
    nickname: Nullable<String>,
    name: String,
    note: Option<String>,
}

crate::de::object!(Marked {
    tag?: "tag",
    id: "id",
    nickname?: "nickname",
    name: "name",
    note?: "note",
});

#[derive(Debug, PartialEq, Default)]
struct AllMarked {
    a: Option<i32>,
    b: Nullable<i32>,
}

crate::de::object!(AllMarked { a?: "a", b?: "b" });

#[test]
fn optional_fields_take_their_absent_value_and_required_ones_are_still_checked() {
    let m: Marked = serde_json::from_str(r#"{"id":1,"name":"n","tag":null}"#).unwrap();
    assert_eq!(
        m,
        Marked {
            tag: None,
            id: 1,
            nickname: Nullable::Absent,
            name: "n".into(),
            note: None,
        }
    );
    let m: Marked =
        serde_json::from_str(r#"{"note":"x","nickname":null,"name":"n","id":2,"tag":"t"}"#)
            .unwrap();
    assert_eq!(m.tag.as_deref(), Some("t"));
    assert_eq!(m.nickname, Nullable::Null);
    assert_eq!(m.note.as_deref(), Some("x"));
    // The first missing required field is named, whatever optional ones surround it.
    let err = serde_json::from_str::<Marked>(r#"{"tag":"t","note":"x"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let err = serde_json::from_str::<Marked>(r#"{"id":1,"nickname":"k"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `name`"), "{err}");
    let err = serde_json::from_str::<Marked>(r#"{"id":1,"name":"n","note":5}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    let all: AllMarked = serde_json::from_str("{}").unwrap();
    assert_eq!(all, AllMarked::default());
    let all: AllMarked = serde_json::from_str(r#"{"a":1,"b":null}"#).unwrap();
    assert_eq!(
        all,
        AllMarked {
            a: Some(1),
            b: Nullable::Null
        }
    );
}
