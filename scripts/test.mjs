// `npm test`: every test of the project, from a fresh clone, with only the stock toolchain.
// Each step installs what it needs first and is fast when nothing changed.
import { run, ensureWasmTarget } from './lib.mjs';

const t0 = Date.now();
ensureWasmTarget();

// Style and lints, native and wasm32 (the core must stay I/O-free and build for the browser).
run('cargo', ['fmt', '--all', '--check']);
run('cargo', ['clippy', '--workspace', '--all-targets', '--locked', '--', '-D', 'warnings']);
run('cargo', ['clippy', '-p', 'cimd', '--target', 'wasm32-unknown-unknown', '--locked', '--', '-D', 'warnings']);
run('cargo', ['build', '-p', 'cimd', '--target', 'wasm32-unknown-unknown', '--locked']);

// JSON validity depends on serde_json's features, unified across the graph (JSON-PARSING.md pitfall 2).
const tree = run('cargo', ['tree', '-p', 'cimd', '-e', 'features', '-i', 'serde_json', '--locked'], { capture: true }).stdout;
for (const risky of ['arbitrary_precision', 'float_roundtrip', 'preserve_order']) {
  if (tree.includes(`serde_json feature "${risky}"`)) {
    console.error(`✗ serde_json feature "${risky}" is enabled in the core's graph: it changes what counts as valid JSON`);
    process.exit(1);
  }
}

// Every Rust test: unit, conformance corpus, snapshots, properties, CLI against real HTTPS servers,
// and the docs/codes.md freshness check.
const out = run('cargo', ['test', '--workspace', '--locked', '--no-fail-fast', '--', '--color', 'never'], { capture: true }).stdout;
let passed = 0, failed = 0, ignored = 0;
for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
  passed += Number(m[1]); failed += Number(m[2]); ignored += Number(m[3]);
}
const secs = Math.round((Date.now() - t0) / 1000);
console.log(`\nAll steps green in ${secs}s.`);
console.log(`${passed} passed, ${failed} failed, ${ignored} skipped`);
