//! The code docs the package's wasm leaves out, for `scripts/build.mjs`: prints
//! `{"codes": <cimd_wasm::codes() with the docs>, "explain": {"CIMD001": <cimd::explain>, ...}}`.
//! The build writes the docs as pkg/docs.js and checks that `explain` of `js/api.js` gives exactly
//! these texts. Examples build the core with its `docs` feature (a dev-dependency of this crate).

use std::io::Write as _;

fn main() -> std::io::Result<()> {
    let all = cimd::codes::all();
    assert!(
        all.iter().all(|c| !c.doc.is_empty()),
        "the core was built without its `docs` feature"
    );
    let explain: serde_json::Map<String, serde_json::Value> = all
        .iter()
        .map(|c| {
            let text = cimd::explain(c.code).expect("a registered code");
            (c.code.to_owned(), serde_json::Value::String(text))
        })
        .collect();
    let mut out = String::from("{\"codes\":");
    out.push_str(&cimd_wasm::codes());
    out.push_str(",\"explain\":");
    out.push_str(&serde_json::to_string(&explain).expect("strings serialize"));
    out.push_str("}\n");
    std::io::stdout().lock().write_all(out.as_bytes())
}
