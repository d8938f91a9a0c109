//! `cimd::validate` against a bare `serde_json` parse of the same document, natively (the budget:
//! `docs/benchmarks.md#budgets`; `npm run bench` judges it, with the peers alongside).
//!
//! The documents are the benchmark's (`tests/data/peers`, listed in `manifest.json` with the URL each
//! is served at), so the numbers line up with FastMCP's and the TS SDK's. Both functions sit in one
//! criterion group per document, so their ratio comes from one stretch of machine time.
//!
//! ```text
//! cargo bench -p cimd --bench validate                  # every document
//! cargo bench -p cimd --bench validate -- vscode        # one document (criterion filter)
//! ```
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads its documents; the no-I/O rule is for the library"
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

/// The benchmark's documents, vendored in the repository.
fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/peers")
}

fn load_docs() -> Vec<PeerDoc> {
    let dir = docs_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the benchmark's documents are vendored in tests/data/peers)",
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
            // none of the benchmark's documents is invalid UTF-8.
            let path = dir.join(&file);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
