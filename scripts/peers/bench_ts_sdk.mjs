// The MCP TypeScript SDK (`@modelcontextprotocol/sdk`, the root devDependency) on the benchmark's
// documents (tests/data/peers), in process:
//
//   node scripts/peers/bench_ts_sdk.mjs [--docs DIR] [--reps 7] [--target-ms 200] [--modes json,schema]
//                                       [--no-redirects] [--json-out FILE]
//
// Document modes (docs/s), on the document as a JavaScript string:
//   json    JSON.parse(text): the in-run yardstick
//   schema  the closest the SDK comes to validating a CIMD document (it has no server-side CIMD
//           fetcher): isHttpsUrl(url) + JSON.parse + OAuthClientInformationFullSchema.safeParse (zod)
//           + client_id === url
// Redirect matching (matches/s): registered.some((r) => redirectUriMatches(uri, r)), as the SDK's
// /authorize handler checks a redirect_uri (exact, or any port on a loopback address).
//
// Timing is the one of crates/cimd/examples/bench_peers.rs; with --json-out, the same JSON shape.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { root } from '../lib.mjs';
import { OAuthClientInformationFullSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { isHttpsUrl } from '@modelcontextprotocol/sdk/client/auth.js';
import { redirectUriMatches } from '@modelcontextprotocol/sdk/server/auth/handlers/authorize.js';

/** The SDK's verdict on `text` served at `url` (the `schema` mode, and `ts_sdk` in bench-wasm.mjs). */
export function sdkAccepts(text, url) {
  if (!isHttpsUrl(url)) return false;
  let data;
  try { data = JSON.parse(text); } catch { return false; }
  const result = OAuthClientInformationFullSchema.safeParse(data);
  return result.success && result.data.client_id === url;
}

/** Versions of the SDK and of zod, which does its validation. */
export function sdkVersions() {
  const version = (name) => JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')).version;
  return { sdk: version('@modelcontextprotocol/sdk'), zod: version('zod'), node: process.version };
}

/**
 * Calibrate, warm up, time `reps` repetitions of `run(n)` (n calls each); the method of every
 * contender of the benchmark.
 */
export function timeBlock(run, targetS, reps) {
  const seconds = (n) => {
    const t0 = process.hrtime.bigint();
    run(n);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  run(1); // one-time costs (lazy schema builds) stay out of the calibration
  let n = 1;
  let dt;
  for (;;) {
    dt = seconds(n);
    if (dt >= targetS / 4 || n >= 1 << 24) break;
    n *= 4;
  }
  n = Math.max(1, Math.floor(n * targetS / Math.max(dt, 1e-9)));
  run(n); // warm-up repetition
  const times = Array.from({ length: reps }, () => seconds(n));
  const med = median(times);
  return {
    iters_per_rep: n, reps, rep_times_s: times,
    per_s_median: n / med, per_s_best: n / Math.min(...times), us_per_op_median: med / n * 1e6,
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

let sink = 0; // results feed this, so no call can be optimised away
const MODES = {
  json: (text) => { try { JSON.parse(text); return true; } catch { return false; } },
  schema: sdkAccepts,
};

function main() {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const docsDir = arg('--docs', `${root}tests/data/peers`);
  const reps = Number(arg('--reps', 7));
  const targetS = Number(arg('--target-ms', 200)) / 1000;
  const modes = arg('--modes', 'json,schema').split(',').filter(Boolean);
  const jsonOut = arg('--json-out', null);
  for (const m of modes) if (!MODES[m]) throw new Error(`unknown mode ${m} (json, schema)`);
  if (!(reps >= 1)) throw new Error('--reps must be at least 1');

  let manifest;
  try {
    manifest = JSON.parse(readFileSync(`${docsDir}/manifest.json`, 'utf8'));
  } catch (e) {
    throw new Error(`${docsDir}/manifest.json: ${e.message} (the documents are in tests/data/peers)`);
  }
  const docs = manifest.docs.map((d) => ({ ...d, text: readFileSync(`${docsDir}/${d.file}`, 'utf8') }));

  const env = { peer: 'mcp-ts-sdk', ...sdkVersions(), machine: `${os.arch()} ${os.cpus().length} cpu` };
  console.log(`# bench_ts_sdk ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`);

  console.log('\n## verdicts (schema mode)');
  const verdicts = docs.map((d) => {
    const accepted = sdkAccepts(d.text, d.url);
    console.log(`${d.file.padEnd(34)} expect=${d.expect.padEnd(8)} ts-sdk=${accepted ? 'ACCEPT' : 'REJECT'}`);
    return { file: d.file, expect: d.expect, accepted };
  });

  console.log(`\n## documents: docs/s (reps=${reps}, ~${targetS * 1000} ms per rep; median / best)`);
  console.log(`${'doc'.padEnd(34)} ${'bytes'.padStart(5)}  ${modes.map((m) => m.padStart(20)).join('  ')}`);
  const rows = docs.map((d) => {
    const results = {};
    for (const m of modes) {
      const op = MODES[m];
      results[m] = timeBlock((n) => {
        let ok = 0;
        for (let i = 0; i < n; i++) if (op(d.text, d.url)) ok++;
        sink += ok;
      }, targetS, reps);
    }
    const bytes = Buffer.byteLength(d.text);
    const cells = Object.values(results).map((r) => `${r.per_s_median.toFixed(0)}/${r.per_s_best.toFixed(0)}`);
    console.log(`${d.file.padEnd(34)} ${String(bytes).padStart(5)}  ${cells.map((c) => c.padStart(20)).join('  ')}`);
    return { file: d.file, bytes, expect: d.expect, modes: results };
  });

  const redirects = [];
  if (!process.argv.includes('--no-redirects')) {
    console.log('\n## redirect-URI matching: matches/s (median / best), redirectUriMatches over redirect_uris');
    const byFile = Object.fromEntries(docs.map((d) => [d.file, d]));
    for (const c of manifest.redirect_cases ?? []) {
      const registered = c.doc ? JSON.parse(byFile[c.doc].text).redirect_uris : c.patterns;
      const uri = c.redirect_uri === 'LAST' ? registered.at(-1) : c.redirect_uri;
      const check = () => registered.some((r) => redirectUriMatches(uri, r));
      const result = timeBlock((n) => {
        let ok = 0;
        for (let i = 0; i < n; i++) if (check()) ok++;
        sink += ok;
      }, targetS, reps);
      result.result = check();
      console.log(`${c.name.padEnd(26)} n=${String(registered.length).padEnd(3)} expect=${String(c.expect).padEnd(12)} ${result.result ? 'MATCH' : 'no   '} ${result.per_s_median.toFixed(0)}/${result.per_s_best.toFixed(0)}`);
      redirects.push({ name: c.name, uri, n_patterns: registered.length, expect: c.expect, modes: { sdk: result } });
    }
  }
  console.log(`\n(sink ${sink})`);
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ env, verdicts, docs: rows, redirects }, null, 1)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
