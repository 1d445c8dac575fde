//! Helpers the loader's test files share.

use connector_spec::{Connector, Loaded, Loader, Operation};

/// Loads `v` as an `apiDefinition.swagger.json`, panicking with the error if it fails.
pub fn load_json(v: serde_json::Value) -> Loaded {
    let bytes = serde_json::to_vec_pretty(&v).unwrap();
    Loader::new()
        .load_bytes("apiDefinition.swagger.json", &bytes, None)
        .unwrap_or_else(|e| panic!("load failed: {e:?}"))
}

/// The operation `id` of `c`.
pub fn op<'c>(c: &'c Connector, id: &str) -> &'c Operation {
    c.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}
