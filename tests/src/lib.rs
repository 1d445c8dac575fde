//! End-to-end tests live in `tests/tests/`.

/// The repository README's Rust blocks, compiled as doc tests against the crates in
/// `generated/` (so an example naming a method or type the generator no longer emits
/// fails the test run).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
