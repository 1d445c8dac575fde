//! Reading, writing and removing JSON values at a parsed path ([`Step`]s).

use serde_json::{Map, Value};

use super::Step;

/// Reads `steps` under `v`.
pub(crate) fn get<'v>(v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    let mut cur = v;
    for s in steps {
        cur = match (s, cur) {
            (Step::Key(k), Value::Object(m)) => m.get(k)?,
            (Step::Index(i), Value::Array(a)) => a.get(*i)?,
            (Step::Key(k), Value::Array(a)) => a.get(k.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Writes `new` at `steps` under `v`, creating objects on the way; `false` when a
/// non-container is in the way.
pub(crate) fn set(v: &mut Value, steps: &[Step], new: Value) -> bool {
    let Some((last, parents)) = steps.split_last() else {
        *v = new;
        return true;
    };
    let mut cur = v;
    for s in parents {
        if cur.is_null() {
            *cur = Value::Object(Map::new());
        }
        cur = match (s, cur) {
            (Step::Key(k), Value::Object(m)) => m
                .entry(k.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            (Step::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    if cur.is_null() {
        *cur = Value::Object(Map::new());
    }
    match (last, cur) {
        (Step::Key(k), Value::Object(m)) => {
            m.insert(k.clone(), new);
            true
        }
        (Step::Index(i), Value::Array(a)) => match a.get_mut(*i) {
            Some(x) => {
                *x = new;
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// Removes and returns the value at `steps` (not the root).
pub(crate) fn take(v: &mut Value, steps: &[Step]) -> Option<Value> {
    let (last, parents) = steps.split_last()?;
    let mut cur = v;
    for s in parents {
        cur = match (s, cur) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    match (last, cur) {
        (Step::Key(k), Value::Object(m)) => m.shift_remove(k),
        (Step::Index(i), Value::Array(a)) if *i < a.len() => Some(a.remove(*i)),
        _ => None,
    }
}
