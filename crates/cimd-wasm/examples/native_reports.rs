//! The native side of the npm package's conformance test (`tests/npm/conformance.test.mjs`): runs
//! every case of `tests/conformance/` with the native runner's own code (`crates/cimd/tests/support`)
//! and prints `[{"name": ..., "report": <the JSON the CLI prints>}, ...]` on stdout. The Node test
//! compares each report of the wasm package with these; nothing is checked in, so nothing drifts.

use std::io::Write as _;

#[path = "../../cimd/tests/support/mod.rs"]
mod support;

fn main() -> std::io::Result<()> {
    let mut out = String::from("[");
    for (i, case) in support::load().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("\n{\"name\":");
        out.push_str(&serde_json::to_string(&case.name).expect("a string serializes"));
        out.push_str(",\"report\":");
        out.push_str(&case.run().to_json());
        out.push('}');
    }
    out.push_str("\n]\n");
    std::io::stdout().lock().write_all(out.as_bytes())
}
