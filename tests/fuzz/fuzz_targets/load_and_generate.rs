//! Arbitrary bytes as a definition: loading never panics, and whatever loads generates
//! valid Rust (generation reports invalid code as an error, which is a bug here too).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = connector_spec::Loader::new().load_bytes("fuzz.json", data, None) {
        if let Err(e) = connector_codegen::Generator::new().generate(&loaded.connector) {
            panic!("generation failed for a loadable definition: {e}");
        }
    }
});
