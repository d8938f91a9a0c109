//! The yardsticks of `scripts/bench-wasm.mjs` (docs/benchmarks.md#budgets), compiled to wasm with
//! the Node build's profile and called from Node on the same text as `cimd.validate`, through the
//! same wasm-bindgen string passing. Never shipped.

use wasm_bindgen::prelude::wasm_bindgen;

/// The floor: parses `text` into a `serde_json::Value`; whether it parsed.
#[wasm_bindgen]
pub fn parse(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

/// The core alone: `cimd::validate` with the document's URL, only the verdict crossing back (what
/// the package's `validate` costs without turning the report into JavaScript objects).
#[wasm_bindgen]
pub fn verdict(text: &str, url: &str) -> bool {
    let options = cimd::Options {
        url: Some(url.to_owned()),
        ..cimd::Options::default()
    };
    cimd::validate(text, &options).valid
}
