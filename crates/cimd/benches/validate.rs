//! `cimd::validate` against a bare `serde_json` parse of the same document (DESIGN.md, Budgets: native
//! `validate` >= 40% of the parse's throughput on every document).
//!
//! The documents are the peers' (`shared/peers/docs`, listed in `manifest.json` with the URL each is
//! served at), so the numbers line up with FastMCP's and the TS SDK's. Both functions sit in one
//! criterion group per document, so their ratio comes from one stretch of machine time.
//!
//! ```text
//! cargo bench -p cimd --bench validate                  # every document
//! cargo bench -p cimd --bench validate -- vscode        # one document (criterion filter)
//! CIMD_PEER_DOCS=/path/to/docs cargo bench -p cimd --bench validate
//! ```
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads its documents and the environment; the no-I/O rule is for the library"
)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// One document of the manifest, read.
struct PeerDoc {
    file: String,
    url: String,
    text: String,
}

/// `shared/peers/docs` next to the repository (or `$CIMD_PEER_DOCS`).
fn docs_dir() -> PathBuf {
    std::env::var_os("CIMD_PEER_DOCS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/docs"),
        PathBuf::from,
    )
}

fn load_docs() -> Vec<PeerDoc> {
    let dir = docs_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (set CIMD_PEER_DOCS to the peers' docs folder)",
            dir.join("manifest.json").display()
        )
    });
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("manifest.json");
    manifest["docs"]
        .as_array()
        .expect("manifest.json: docs[]")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().expect("docs[].file").to_owned();
            let url = d["url"].as_str().expect("docs[].url").to_owned();
            // Documents are read as bytes and decoded once, as a host does before `validate(&str)`;
            // none of the peers' documents is invalid UTF-8.
            let bytes = std::fs::read(dir.join(&file)).expect("document");
            let text = String::from_utf8(bytes).expect("document is UTF-8");
            PeerDoc { file, url, text }
        })
        .collect()
}

fn bench_validate(c: &mut Criterion) {
    for doc in load_docs() {
        let options = cimd::Options {
            url: Some(doc.url.clone()),
            ..cimd::Options::default()
        };
        let name = doc.file.trim_end_matches(".json");
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        group.bench_function("cimd_validate", |b| {
            b.iter(|| cimd::validate(black_box(&doc.text), black_box(&options)));
        });
        group.bench_function("serde_json_value", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&doc.text)).ok());
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // Short by default: nine documents x two functions must fit in a couple of minutes on 2 cores.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(50);
    targets = bench_validate
}
criterion_main!(benches);
