//! Edits of `$ref` objects.

use serde_json::{Map, Value};

/// The target of a local (`#...`) `$ref` object.
pub(super) fn local_ref(v: &Value) -> Option<&str> {
    v.get("$ref")
        .and_then(Value::as_str)
        .filter(|r| r.starts_with('#'))
}

/// Replaces a `$ref` object by its target, the object's other members winning.
pub(super) fn merge_siblings(slot: &mut Value, target: Value) {
    let siblings = match std::mem::take(slot) {
        Value::Object(mut m) => {
            m.shift_remove("$ref");
            m
        }
        _ => Map::new(),
    };
    *slot = match target {
        Value::Object(mut t) if !siblings.is_empty() => {
            for (k, v) in siblings {
                t.insert(k, v);
            }
            Value::Object(t)
        }
        other => other,
    };
}

/// Drops the `$ref` of an object that cannot be resolved (it then reads as any value).
pub(super) fn remove_ref(v: Option<&mut Value>) {
    if let Some(Value::Object(m)) = v {
        m.shift_remove("$ref");
    }
}
