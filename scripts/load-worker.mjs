// `node scripts/load-worker.mjs [--seconds N] [--rounds N]`: the load test of the local Worker.
// Starts it as `npm start` does (wrangler dev --local, workerd on loopback), then alternates
// autocannon runs of a trivial route (GET /api/health) and of POST /api/validate (the VS Code
// document with its URL) round by round, and reports requests/s, p50/p99 latency, errors and
// non-2xx answers of each, the ratio within each round, workerd's memory (RSS) through the runs,
// and the bundle size (gzip) against the 3 MB free-plan limit. Loopback only; bounded in time.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { root } from './lib.mjs';
import { buildWorker } from './build-worker.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('--seconds', 10);
const ROUNDS = arg('--rounds', 3);
const CONNECTIONS = arg('--connections', 8);
const port = String(arg('--port', 8799));
const origin = `http://127.0.0.1:${port}`;

const { js, wasm } = await buildWorker();
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const bundle = { js: readFileSync(js).length, jsGzip: gz(js), wasm: readFileSync(wasm).length, wasmGzip: gz(wasm) };
bundle.totalGzip = bundle.jsGzip + bundle.wasmGzip;

const wrangler = spawn(`${root}node_modules/.bin/wrangler`,
  ['dev', '--local', '--ip', '127.0.0.1', '--port', port, '--config', 'worker/wrangler.toml', '--show-interactive-dev-session=false'],
  { cwd: root, detached: true, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' } });
const stop = () => { try { process.kill(-wrangler.pid, 'SIGTERM'); } catch { /* gone */ } };
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));

for (let i = 0; ; i++) {
  try { if ((await fetch(`${origin}/api/health`)).ok) break; } catch { /* starting */ }
  if (i > 240) throw new Error('the Worker did not start');
  await new Promise((r) => setTimeout(r, 500));
}

/** The workerd processes in wrangler's process group: `[pid, rss KiB]`. */
function workerds() {
  const out = spawnSync('ps', ['-o', 'pid=,rss=,comm=', '-g', String(wrangler.pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((l) => l.includes('workerd')).map((l) => l.trim().split(/\s+/).slice(0, 2).map(Number));
}
const workerdRss = () => workerds().reduce((sum, [, rss]) => sum + rss, 0);
/** CPU time (ms, user + system) the workerd processes have used: robust to other load on the machine. */
function workerdCpuMs() {
  return workerds().reduce((sum, [pid]) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in 1/100 s
  }, 0);
}

const document = readFileSync(`${root}examples/vscode.json`, 'utf8');
const validateBody = JSON.stringify({ document, url: 'https://vscode.dev/oauth/client-metadata.json' });
// The report must be right before it is measured.
const check = await (await fetch(`${origin}/api/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: validateBody })).json();
if (!check.valid || check.url !== 'https://vscode.dev/oauth/client-metadata.json') throw new Error('unexpected report');

const targets = {
  trivial: { url: `${origin}/api/health`, method: 'GET' },
  validate: { url: `${origin}/api/validate`, method: 'POST', headers: { 'content-type': 'application/json' }, body: validateBody },
};
async function run(target) {
  const cpu = workerdCpuMs();
  const result = await autocannon({ ...target, connections: CONNECTIONS, duration: SECONDS });
  result.cpuUsPerRequest = ((workerdCpuMs() - cpu) * 1000) / result.requests.total;
  return result;
}

// Warm-up (JIT, wasm tiers), not counted.
await run({ ...targets.validate, duration: 3 });
await run({ ...targets.trivial, duration: 2 });

/** The Worker's wasm linear memory (from GET /api/health): the Rust heap's high-water mark. */
const wasmMemory = async () => (await (await fetch(`${origin}/api/health`)).json()).wasm_memory_bytes;

const rounds = [];
const rss = [workerdRss()];
const wasmBytes = [await wasmMemory()];
for (let round = 0; round < ROUNDS; round++) {
  const row = {};
  for (const name of round % 2 ? ['validate', 'trivial'] : ['trivial', 'validate']) {
    const r = await run(targets[name]);
    row[name] = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: r.cpuUsPerRequest, requests: r.requests.total,
      errors: r.errors + r.timeouts, non2xx: r.non2xx };
    rss.push(workerdRss());
    wasmBytes.push(await wasmMemory());
  }
  row.ratio = row.validate.rps / row.trivial.rps;
  row.cpuRatio = row.trivial.cpuUs / row.validate.cpuUs;
  rounds.push(row);
  const show = (r) => `${r.rps.toFixed(0)} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpuUs.toFixed(0)} µs workerd CPU a request)`;
  console.log(`round ${round + 1}: trivial ${show(row.trivial)}, validate ${show(row.validate)}: ` +
    `${(row.ratio * 100).toFixed(0)}% of the requests/s, ${(row.cpuRatio * 100).toFixed(0)}% by CPU time`);
}
stop();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = (runs) => Object.fromEntries(['rps', 'p50', 'p99', 'cpuUs'].map((k) => [k, median(runs.map((r) => r[k]))]));
const summary = {
  date: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS,
  trivial: medians(rounds.map((r) => r.trivial)),
  validate: medians(rounds.map((r) => r.validate)),
  ratio: median(rounds.map((r) => r.ratio)),
  cpuRatio: median(rounds.map((r) => r.cpuRatio)),
  requests: rounds.reduce((n, r) => n + r.trivial.requests + r.validate.requests, 0),
  errors: rounds.reduce((n, r) => n + r.trivial.errors + r.validate.errors, 0),
  non2xx: rounds.reduce((n, r) => n + r.trivial.non2xx + r.validate.non2xx, 0),
  rssMiB: rss.map((k) => Math.round(k / 102.4) / 10),
  wasmMemoryBytes: wasmBytes,
  bundle,
  loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  rounds,
};
writeFileSync(`${root}worker/build/load.json`, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`
| route | req/s | p50 | p99 | workerd CPU a request |
|---|---:|---:|---:|---:|
| GET /api/health (trivial) | ${summary.trivial.rps.toFixed(0)} | ${summary.trivial.p50} ms | ${summary.trivial.p99} ms | ${summary.trivial.cpuUs.toFixed(0)} µs |
| POST /api/validate (VS Code document) | ${summary.validate.rps.toFixed(0)} | ${summary.validate.p50} ms | ${summary.validate.p99} ms | ${summary.validate.cpuUs.toFixed(0)} µs |

validate / trivial: ${(summary.ratio * 100).toFixed(0)}% of the requests/s, ${(summary.cpuRatio * 100).toFixed(0)}% by workerd CPU time a request (medians of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections; target >= 80%)
${summary.requests} requests, ${summary.errors} errors, ${summary.non2xx} non-2xx; workerd RSS (MiB) after each run: ${summary.rssMiB.join(', ')}
wasm linear memory (bytes) after each run: ${wasmBytes.join(', ')}
RSS over the second half of the runs: ${Math.min(...summary.rssMiB.slice(summary.rssMiB.length >> 1))} to ${Math.max(...summary.rssMiB.slice(summary.rssMiB.length >> 1))} MiB
bundle: index.js ${bundle.js} B (${bundle.jsGzip} gzip) + index_bg.wasm ${bundle.wasm} B (${bundle.wasmGzip} gzip) = ${(bundle.totalGzip / 1024).toFixed(0)} KiB gzip of the 3 MB free-plan limit
load average: ${summary.loadavg}`);
process.exit(summary.errors === 0 && summary.non2xx === 0 ? 0 : 1);
