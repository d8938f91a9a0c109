//! The yardstick of `scripts/bench-wasm.mjs` (DESIGN.md, Budgets): `serde_json::from_str::<Value>`
//! compiled to wasm and called from Node on the same text as `cimd.validate`, through the same
//! wasm-bindgen string passing. Built with the Node build's profile; never shipped.

use wasm_bindgen::prelude::wasm_bindgen;

/// Parses `text` into a `serde_json::Value`; whether it parsed.
#[wasm_bindgen]
pub fn parse(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}
