// `npm test`: every test of the project, from a fresh clone, with only the stock toolchain.
// Each step installs what it needs first and is fast when nothing changed.
// `node scripts/test.mjs LAYER...` runs some layers alone (each builds what it needs first):
//   repo     the repository stands on its own (no outside paths, links and anchors resolve)
//   rust     fmt, clippy (native and wasm32), every Rust test        (npm run test:rust)
//   npm      the npm package: Node, Chromium, types, a quick bench    (npm run test:npm)
//            and the predictions against the servers' own code        (npm run test:servers)
//   servers  that check alone: FastMCP, Cloudflare's provider, the TS SDK on the corpus
//   worker   the Worker in real workerd                               (npm run test:worker)
//   e2e      the playground in headless Chromium on that Worker       (npm run test:e2e)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, ensureWasmTarget, ensureWasmBindgen, ensureChromium } from './lib.mjs';
import { build } from './build.mjs';
import { buildWorker } from './build-worker.mjs';

/** The npm package's build, once per run (the Worker and the playground use it too). */
let packageBuilt = null;
const buildPackage = () => (packageBuilt ??= build());

const LAYERS = {
  repo() {
    // No path outside the repository, no link to a file or anchor it lacks, no outside rulebook cited.
    nodeTests('tests/repo/');
  },

  rust() {
    // Style and lints, native and wasm32 (the core must stay I/O-free and build for the browser).
    run('cargo', ['fmt', '--all', '--check']);
    run('cargo', ['clippy', '--workspace', '--all-targets', '--locked', '--', '-D', 'warnings']);
    run('cargo', ['clippy', '-p', 'cimd', '--target', 'wasm32-unknown-unknown', '--locked', '--', '-D', 'warnings']);
    run('cargo', ['clippy', '-p', 'cimd-wasm', '-p', 'cimd-wasm-floor', '--all-targets', '--target', 'wasm32-unknown-unknown', '--locked', '--', '-D', 'warnings']);
    run('cargo', ['clippy', '-p', 'cimd-worker', '--all-targets', '--target', 'wasm32-unknown-unknown', '--locked', '--', '-D', 'warnings']);
    run('cargo', ['build', '-p', 'cimd', '--target', 'wasm32-unknown-unknown', '--locked']);

    // JSON validity depends on serde_json's features, unified across the graph (docs/decisions.md#json-parser).
    const tree = run('cargo', ['tree', '-p', 'cimd', '-e', 'features', '-i', 'serde_json', '--locked'], { capture: true }).stdout;
    for (const risky of ['arbitrary_precision', 'float_roundtrip', 'preserve_order']) {
      if (tree.includes(`serde_json feature "${risky}"`)) {
        console.error(`✗ serde_json feature "${risky}" is enabled in the core's graph: it changes what counts as valid JSON`);
        process.exit(1);
      }
    }

    // Every Rust test: unit, conformance corpus, snapshots, properties, CLI against real HTTPS servers,
    // the docs/codes.md freshness check, and the wasm boundary's functions natively.
    countCargo(run('cargo', ['test', '--workspace', '--locked', '--no-fail-fast', '--', '--color', 'never'], { capture: true }).stdout);
  },

  async npm() {
    // The npm package: build it (both .wasm builds), then the Node tests (API, bad input, the whole
    // conformance corpus against the native reports and the CLI, entry points, npm pack, the browser
    // entry in Chromium), the types.
    await buildPackage();
    ensureChromium();
    nodeTests('tests/npm/');
    run('node_modules/.bin/tsc', ['-p', 'tests/npm/tsconfig.json']);
    await LAYERS.servers();
    // The Node benchmark runs (short repetitions: numbers only from `npm run bench:wasm`).
    run('node', ['scripts/bench-wasm.mjs', '--quick']);

    // The browser build in headless Chromium (Debian's chromium + chromium-driver).
    countCargo(run('cargo', ['test', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'cimd-wasm', '--test', 'web'], {
      capture: true,
      env: { CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner', CHROMEDRIVER: '/usr/bin/chromedriver' },
    }).stdout);
  },

  async servers() {
    // cimd's predictions against the servers' own code on the whole corpus (tests/servers/): FastMCP
    // from PyPI (the venv of scripts/peers/setup.mjs, made under target/ when missing), Cloudflare's
    // provider in workerd, the MCP TypeScript SDK's schema; disagreements only as listed.
    await buildPackage();
    nodeTests('tests/servers/');
  },

  async worker() {
    // The Worker (worker/): built by worker-build into worker/build (and www/dist), then run in real
    // workerd through Miniflare with every outbound request answered by a mock: the routes and statuses,
    // fetching as a careful server, the cache, the rate limit, and the conformance corpus through the API
    // against the CLI's reports.
    await buildPackage();
    await buildWorker();
    nodeTests('worker/tests/');
  },

  async e2e() {
    // The playground (www/, built with Vite into www/dist by the Worker's build, scripts/build-www.mjs)
    // on that Worker, end to end in headless Chromium: typing and diagnostics, the tools, themes,
    // contrast and 375 px, keyboard, offline, the corpus in the page, and the measured keystroke latency
    // and load time (target/e2e/perf.json). One file at a time (2 cores). Screenshots in target/e2e/.
    await buildPackage();
    await buildWorker();
    ensureChromium();
    nodeTests('tests/e2e/', ['--test-concurrency=1']);
  },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in LAYERS));
if (unknown.length > 0) {
  console.error(`unknown layer ${unknown.join(', ')}; the layers: ${Object.keys(LAYERS).join(', ')}`);
  process.exit(2);
}

const t0 = Date.now();
ensureWasmTarget();
ensureWasmBindgen();

let passed = 0, failed = 0, ignored = 0;
/** Adds up libtest's `test result:` lines. */
function countCargo(out) {
  for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
    passed += Number(m[1]); failed += Number(m[2]); ignored += Number(m[3]);
  }
}

/** Runs `node --test` on `dir` (dots on the console), adds its counts from a TAP copy; stops on a failure. */
function nodeTests(dir, args = []) {
  const tap = join(mkdtempSync(join(tmpdir(), 'cimd-tap-')), 'node.tap');
  const node = run('node', ['--test', ...args, '--test-reporter=dot', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, dir], { allowFail: true });
  const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(join(tap, '..'), { recursive: true, force: true });
  const tapCount = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += tapCount('pass'); failed += tapCount('fail'); ignored += tapCount('skipped') + tapCount('todo');
  for (const line of report.split('\n').filter((l) => /^# (?!Subtest|tests|suites|pass|fail|cancelled|skipped|todo|duration)/.test(l))) {
    console.log(line.slice(2));
  }
  if (node.status !== 0) {
    for (const block of report.split(/\n(?=(?:# Subtest|not ok|ok) )/).filter((b) => /^not ok/m.test(b))) console.error(block);
    console.error(`✗ node --test ${dir} failed`);
    process.exit(1);
  }
}

// `servers` runs inside `npm`; alone only when asked for.
for (const name of asked.length > 0 ? asked : Object.keys(LAYERS).filter((n) => n !== 'servers')) await LAYERS[name]();

const secs = Math.round((Date.now() - t0) / 1000);
if (failed > 0) {
  console.error(`\n✗ ${failed} tests failed`);
  console.log(`${passed} passed, ${failed} failed, ${ignored} skipped`);
  process.exit(1);
}
console.log(`\nAll steps green in ${secs}s.`);
console.log(`${passed} passed, ${failed} failed, ${ignored} skipped`);
