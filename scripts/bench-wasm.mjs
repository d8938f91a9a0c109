// `npm run bench:wasm`: reports/s of the npm package's `validate` in Node (the full report, every rule)
// next to, in the same run, (a) the floor: a bare `serde_json::from_str::<Value>` compiled to wasm
// with the same profile and called through the same wasm-bindgen string passing
// (crates/cimd-wasm/floor), and (b) the MCP TypeScript SDK's zod schema (types only), on the
// benchmark's documents (tests/data/peers). The budgets (docs/benchmarks.md#budgets): >= 50,000
// reports/s on every document under 1 KB, and >= 20% of the floor on every document of 500 bytes or
// more; the ratio to the TS SDK is printed, not judged. A fourth column, the core alone
// (`cimd::validate` in the same wasm build, only the verdict crossing back), shows what the report's
// trip to JavaScript objects adds. A fifth, the report objects alone, bounds that trip: the same plain
// objects built by shape-specific JavaScript from strings that already exist (no wasm at all; checked
// equal to the real report), the least any implementation returning plain objects pays. From it, the
// time left to the core if cimd is to reach the floor budget (20%): 1 / (0.2 floor) - 1 / objects.
//
//   node scripts/bench-wasm.mjs [--docs DIR] [--reps 7] [--target-ms 200] [--json-out FILE] [--quick]
//
// Every input is a JavaScript string (as a playground or a server that decoded the body has it).
// Timing: iterations calibrated to ~target-ms, one warm-up repetition, then `reps` repetitions; the
// contenders alternate repetition by repetition on each document so that they share the machine's
// state; reports/s at the median repetition. A missed budget makes the exit status 1, except with
// --quick (what `npm test` runs: repetitions too short to judge).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert';
import os from 'node:os';
import { root, ensureNodeModules } from './lib.mjs';
import { bindgen, build } from './build.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const QUICK = process.argv.includes('--quick');
const DOCS = arg('--docs', `${root}tests/data/peers`);
const REPS = Number(arg('--reps', QUICK ? 1 : 7));
const TARGET_MS = Number(arg('--target-ms', QUICK ? 5 : 200));
const JSON_OUT = arg('--json-out', null);

// The budgets (docs/benchmarks.md#budgets).
const MIN_RATE = 50_000; // reports/s, on every document under MIN_RATE_BELOW bytes
const MIN_RATE_BELOW = 1024;
const FLOOR_SHARE = 0.2; // of the floor's rate, on every document of FLOOR_FROM bytes or more
const FLOOR_FROM = 500;

if (!existsSync(`${DOCS}/manifest.json`)) {
  console.error(`no ${DOCS}/manifest.json (the benchmark's documents are in tests/data/peers)`);
  process.exit(1);
}
ensureNodeModules();
if (!existsSync(`${root}pkg/node/cimd_bg.wasm`) || !QUICK) await build();
bindgen('cimd-wasm-floor', 'wasm-node', `${root}pkg/floor`, 'floor');

const cimd = await import(pathToFileURL(`${root}js/node.js`).href);
const floor = await import(pathToFileURL(`${root}pkg/floor/floor.js`).href);
floor.initSync({ module: readFileSync(`${root}pkg/floor/floor_bg.wasm`) });
// Imported once node_modules is there: the module loads the SDK.
const { sdkAccepts, sdkVersions } = await import('./peers/bench_ts_sdk.mjs');
const { sdk, zod } = sdkVersions();

let sink = 0;
const OPS = {
  cimd: (text, url) => {
    const report = cimd.validate(text, { url });
    sink += report.diagnostics.length;
    return report.valid;
  },
  floor: (text) => floor.parse(text),
  core: (text, url) => floor.verdict(text, url),
  // The `schema` mode of scripts/peers/bench_ts_sdk.mjs: the closest the SDK gets to CIMD validation.
  ts_sdk: sdkAccepts,
};

function calibrate(fn) {
  fn(1);
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    fn(n);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (s >= TARGET_MS / 4000 || n >= 1 << 24) return Math.max(1, Math.floor(n * (TARGET_MS / 1000) / Math.max(s, 1e-9)));
    n *= 4;
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// The report's plain objects, built the cheapest way JavaScript has: literals of fixed shape, from
// the strings of an existing report (so no string is created or decoded).
const position = (p) => ({ line: p.line, column: p.column });
const diagnostic = (d) => ({
  code: d.code, name: d.name, severity: d.severity, message: d.message, help: d.help, spec: d.spec,
  docs: d.docs, pointer: d.pointer,
  span: d.span === null ? null : { start: d.span.start, end: d.span.end },
  range: d.range === null ? null : { start: position(d.range.start), end: position(d.range.end) },
});
const row = (p) => ({
  server: p.server, accepts: p.accepts, because: p.because.slice(), notes: p.notes.slice(),
  loopback: p.loopback.map((l) => ({ uri: l.uri, ports: l.ports })),
});
function reportObjects(r, documentJson) {
  return {
    valid: r.valid, profile: r.profile, strict: r.strict, url: r.url,
    summary: { errors: r.summary.errors, warnings: r.summary.warnings, infos: r.summary.infos },
    diagnostics: r.diagnostics.map(diagnostic),
    document: documentJson === null ? null : JSON.parse(documentJson),
    fetch: null,
    portability: r.portability.map(row),
  };
}

const manifest = JSON.parse(readFileSync(`${DOCS}/manifest.json`, 'utf8'));
const rows = [];
for (const d of manifest.docs) {
  const text = readFileSync(`${DOCS}/${d.file}`, 'utf8');
  // The verdict is the core's (the manifest's `expect` follows the draft alone; under the default
  // mcp profile a document without token_endpoint_auth_method is invalid): shown, not asserted.
  const report = cimd.validate(text, { url: d.url });
  const documentJson = report.document === null ? null : JSON.stringify(report.document);
  assert.deepStrictEqual(reportObjects(report, documentJson), report);
  const ops = { ...OPS, objects: () => reportObjects(report, documentJson).valid };
  const loops = Object.fromEntries(Object.entries(ops).map(([name, op]) => [name, (n) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if (op(text, d.url)) ok++;
    sink += ok;
  }]));
  const iters = Object.fromEntries(Object.entries(loops).map(([name, loop]) => [name, calibrate(loop)]));
  for (const [name, loop] of Object.entries(loops)) loop(iters[name]);
  const times = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
  for (let r = 0; r < REPS; r++) {
    for (const [name, loop] of Object.entries(loops)) {
      const t0 = process.hrtime.bigint();
      loop(iters[name]);
      times[name].push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  const perS = Object.fromEntries(Object.keys(loops).map((name) => [name, iters[name] / median(times[name])]));
  rows.push({ file: d.file, bytes: Buffer.byteLength(text), valid: report.valid, per_s: perS });
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (x) => `${Math.round(x * 100)}%`;
console.log(`\n# npm package \`cimd\` in Node ${process.version} (${os.arch()}, ${os.cpus().length} cpu), MCP TS SDK ${sdk} + zod ${zod}; reps=${REPS}, ~${TARGET_MS} ms each`);
console.log('\n| document | bytes | verdict | cimd validate | serde_json floor (wasm) | TS SDK | cimd / floor | cimd / TS SDK | core alone (verdict only) | core / floor | report objects alone | core time left at the floor budget | core alone takes |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const ns = (s) => `${Math.round(s * 1e9).toLocaleString('en-US')} ns`;
for (const r of rows) {
  const p = r.per_s;
  const left = 1 / (FLOOR_SHARE * p.floor) - 1 / p.objects;
  console.log(`| ${r.file} | ${r.bytes} | ${r.valid ? 'valid' : 'invalid'} | ${fmt(p.cimd)} | ${fmt(p.floor)} | ${fmt(p.ts_sdk)} | ${pct(p.cimd / p.floor)} | ${(p.cimd / p.ts_sdk).toFixed(2)}x | ${fmt(p.core)} | ${pct(p.core / p.floor)} | ${fmt(p.objects)} | ${left > 0 ? ns(left) : 'none'} | ${ns(1 / p.core)} |`);
}
console.log(`\n(sink ${sink})`);

const judge = (label, judged, value, ok, show) => {
  const lowest = judged.reduce((a, b) => (value(b) < value(a) ? b : a));
  const missed = judged.filter((r) => !ok(value(r)));
  const verdict = missed.length ? `MISSED on ${missed.map((r) => `${r.file} (${show(value(r))})`).join(', ')}` : 'met';
  console.log(`${label}: ${QUICK ? '' : `${verdict}; `}lowest ${show(value(lowest))} on ${lowest.file}`);
  return missed.length;
};
console.log(`\nBudgets${QUICK ? ' (not judged with --quick: repetitions too short)' : ''}:`);
const missed =
  judge(`>= ${fmt(MIN_RATE)} reports/s on every document under 1 KB`, rows.filter((r) => r.bytes < MIN_RATE_BELOW),
    (r) => r.per_s.cimd, (x) => x >= MIN_RATE, (x) => `${fmt(x)}/s`)
  + judge(`>= ${pct(FLOOR_SHARE)} of the floor on every document of ${FLOOR_FROM} bytes or more`, rows.filter((r) => r.bytes >= FLOOR_FROM),
    (r) => r.per_s.cimd / r.per_s.floor, (x) => x >= FLOOR_SHARE, pct);
if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify({ node: process.version, sdk, zod, reps: REPS, target_ms: TARGET_MS, rows }, null, 2)}\n`);
if (missed && !QUICK) process.exit(1);
