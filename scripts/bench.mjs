// `npm run bench`: cimd next to FastMCP and the MCP TypeScript SDK, measured in one run as ratios and
// judged against the budgets (docs/benchmarks.md#budgets).
//
//   npm run bench [-- --rounds 2 --reps 7 --target-ms 200 --cold-runs 10 --no-redirects]
//   npm run bench -- --smoke        (rounds 1, reps 3, 20 ms, 3 cold-start pairs: under a minute once set up)
//
// Set-up (idempotent, fast once done): FastMCP into target/peers/venv (scripts/peers/setup.mjs), the
// root node_modules (the TS SDK), `bench_peers` and the `cimd` CLI in release.
// Then `rounds` rounds of FastMCP (scripts/peers/bench_fastmcp.py), the TS SDK
// (scripts/peers/bench_ts_sdk.mjs) and cimd (crates/cimd/examples/bench_peers.rs) in turn, on the
// documents of tests/data/peers; then whole processes, `cimd create` and `fastmcp auth cimd create`
// alternating (scripts/peers/cold_start.py). Ratios are taken within a round (pair by pair for the
// processes), then the median over rounds: a busy machine moves absolute numbers by 10-30% between
// runs, but it hits the contenders of one round alike.
// Output: target/bench/<UTC stamp>/ (each contender's table and JSON per round, cold_start.json, and
// report.md, printed at the end). Exit status 1 when a budget is missed.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { root, run, targetDir, ensureNodeModules } from './lib.mjs';
import { fastmcpPython, fastmcpCli, fastmcpVersions } from './peers/setup.mjs';

// The budgets judged here (docs/benchmarks.md#budgets).
const SERDE_SHARE = 0.5; // cimd::validate >= 50% of serde_json::from_str::<Value> throughput ...
const SERDE_MIN_BYTES = 500; // ... on every document of at least this size (smaller: printed only)
const FASTMCP_TIMES = 10; // cimd::validate >= 10x FastMCP's in-process validation, every document
const CREATE_TIMES = 100; // `cimd create` >= 100x faster than `fastmcp auth cimd create`, as a process

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
function knob(name, fallback, { whole = true } = {}) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!(value > 0) || (whole && !Number.isInteger(value))) {
    throw new Error(`${name} needs a positive ${whole ? 'whole ' : ''}number`);
  }
  return value;
}
const smoke = flag('--smoke');
const ROUNDS = knob('--rounds', smoke ? 1 : 2);
const REPS = knob('--reps', smoke ? 3 : 7);
const TARGET_MS = knob('--target-ms', smoke ? 20 : 200, { whole: false });
const COLD_RUNS = knob('--cold-runs', smoke ? 3 : 10);
const REDIRECTS = !flag('--no-redirects');

const DOCS = `${root}tests/data/peers`;
if (!existsSync(`${DOCS}/manifest.json`)) {
  console.error(`no ${DOCS}/manifest.json: the benchmark's documents are vendored in tests/data/peers`);
  process.exit(1);
}
const CREATE_ARGS = ['create', '--name', 'My App', '--redirect-uri', 'http://localhost:*/callback'];
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const OUT = `${root}target/bench/${stamp}`;
mkdirSync(OUT, { recursive: true });
const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const t0 = Date.now();
const load0 = os.loadavg();

/** Runs a command with its stdout into `file` (the contender's own table); stops the bench on a failure. */
function runTo(file, cmd, args) {
  const fd = openSync(file, 'w');
  const result = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  if (result.status !== 0) {
    process.stderr.write(readFileSync(file, 'utf8'));
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

// --- set-up
ensureNodeModules();
const python = fastmcpPython();
run('cargo', ['build', '--release', '--locked', '-p', 'cimd', '--example', 'bench_peers']);
run('cargo', ['build', '--release', '--locked', '-p', 'cimd-cli']);
const benchPeers = `${targetDir()}/release/examples/bench_peers`;
const cimdCli = `${targetDir()}/release/cimd`;

// --- throughput rounds
const timing = ['--docs', DOCS, '--reps', String(REPS), '--target-ms', String(TARGET_MS)];
const contenders = {
  fastmcp: (json) => [python, [`${root}scripts/peers/bench_fastmcp.py`, ...timing,
    ...(REDIRECTS ? [] : ['--no-redirects']), '--json-out', json]],
  ts_sdk: (json) => [process.execPath, [`${root}scripts/peers/bench_ts_sdk.mjs`, ...timing,
    ...(REDIRECTS ? [] : ['--no-redirects']), '--json-out', json]],
  cimd: (json) => [benchPeers, [...timing, ...(REDIRECTS ? [] : ['--redirect-modes', '']), '--json-out', json]],
};
const rounds = [];
for (let r = 1; r <= ROUNDS; r++) {
  const round = {};
  for (const [name, command] of Object.entries(contenders)) {
    log(`round ${r}/${ROUNDS}: ${name}`);
    const json = `${OUT}/${name}_r${r}.json`;
    runTo(`${OUT}/${name}_r${r}.txt`, ...command(json));
    round[name] = readJson(json);
  }
  rounds.push(round);
}

// --- whole processes
log(`cold start: cimd create vs fastmcp auth cimd create (${COLD_RUNS} pairs)`);
const cold = `${OUT}/cold_start.json`;
runTo(`${OUT}/cold_start.txt`, python, [`${root}scripts/peers/cold_start.py`, '--runs', String(COLD_RUNS),
  '--a', JSON.stringify([cimdCli, ...CREATE_ARGS]),
  '--b', JSON.stringify([fastmcpCli(), 'auth', 'cimd', ...CREATE_ARGS]), '--json-out', cold]);
const coldStart = readJson(cold);

// --- the report
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
/** docs/s of `contender` in `mode` on `file`, one value per round. */
const perRound = (contender, mode, file) =>
  rounds.map((round) => round[contender].docs.find((d) => d.file === file).modes[mode].per_s_median);
/** The median over rounds of the ratio a / b taken within each round. */
const ratio = (a, b) => median(a.map((x, i) => x / b[i]));
const num = (x) => Math.round(x).toLocaleString('en-US');
// Enough digits that a ratio just under a budget line never prints as the line itself.
const times = (x) => `${x >= 100 ? Math.round(x) : x.toFixed(2)}x`;
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const verdict = (accepted) => (accepted ? 'accept' : 'reject');

const first = rounds[0];
const docs = first.cimd.docs.map((d) => d.file);
const bytes = Object.fromEntries(first.cimd.docs.map((d) => [d.file, d.bytes]));
const accepted = (contender, file) => first[contender].verdicts.find((v) => v.file === file).accepted;

const rows = docs.map((file) => {
  const cimd = perRound('cimd', 'validate', file);
  const serde = perRound('cimd', 'json', file);
  const fastmcp = perRound('fastmcp', 'server', file);
  const ts = perRound('ts_sdk', 'schema', file);
  return {
    file, bytes: bytes[file], cimd, serde, fastmcp, ts,
    toSerde: ratio(cimd, serde), toFastmcp: ratio(cimd, fastmcp), toTs: ratio(cimd, ts),
    judgedSerde: bytes[file] >= SERDE_MIN_BYTES,
  };
});
const serdeJudged = rows.filter((r) => r.judgedSerde);
const serdeMissed = serdeJudged.filter((r) => r.toSerde < SERDE_SHARE);
const fastmcpMissed = rows.filter((r) => r.toFastmcp < FASTMCP_TIMES);
const wall = (side) => coldStart[side].runs.map((x) => x.wall_s);
const createRatio = median(coldStart.b_over_a_wall);
const createMissed = createRatio < CREATE_TIMES;

const cpus = os.cpus();
const rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' }).stdout.trim();
const fm = fastmcpVersions();
const ts = first.ts_sdk.env;
const range = (xs, fmt) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;
const met = (missed) => (missed ? '**missed**' : 'met');
const command = process.env.npm_lifecycle_event === 'bench'
  ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`
  : `node scripts/bench.mjs ${argv.join(' ')}`.trim();
const seconds = Math.round((Date.now() - t0) / 1000);
const load = os.loadavg();

const lines = [];
const p = (line = '') => lines.push(line);
p(`# cimd benchmark, ${stamp}`);
p();
p(`- Command: \`${command}\` (${ROUNDS} round(s), ${REPS} repetitions of ~${TARGET_MS} ms per document and mode, ${COLD_RUNS} cold-start pairs), ${seconds} s in all`);
p(`- Date: ${new Date(t0).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
p(`- Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores (${os.arch()}, ${os.type()} ${os.release()}); load average ${load0.map((x) => x.toFixed(2)).join(' ')} at the start, ${load.map((x) => x.toFixed(2)).join(' ')} at the end`);
p(`- cimd ${first.cimd.env.cimd} (${first.cimd.env.build}, ${rustc})`);
p(`- FastMCP ${fm.fastmcp} (mcp ${fm.mcp}, pydantic ${fm.pydantic}, pydantic-core ${fm['pydantic-core']}, Python ${fm.python})`);
p(`- MCP TypeScript SDK ${ts.sdk} (zod ${ts.zod}, Node ${ts.node})`);
p();
p('## Budgets');
p();
p('| budget | verdict |');
p('|---|---|');
p(`| \`cimd::validate\` >= ${SERDE_SHARE * 100}% of \`serde_json::from_str::<Value>\` on every document of ${SERDE_MIN_BYTES} bytes or more | ${met(serdeMissed.length)}: ${serdeJudged.map((r) => `${r.file} ${pct(r.toSerde)}`).join(', ')} |`);
p(`| \`cimd::validate\` >= ${FASTMCP_TIMES}x FastMCP's in-process validation on every document | ${met(fastmcpMissed.length)}: ${range(rows.map((r) => r.toFastmcp), times)}${fastmcpMissed.length ? ` (under on ${fastmcpMissed.map((r) => r.file).join(', ')})` : ''} |`);
p(`| \`cimd create\` >= ${CREATE_TIMES}x faster than \`fastmcp auth cimd create\`, whole process | ${met(createMissed)}: ${times(createRatio)} |`);
p();
p('## Documents, docs/s');
p();
p('In process, each document with the URL it is served at (tests/data/peers/manifest.json). cimd: `cimd::validate`, the full report. serde_json: `serde_json::from_str::<Value>` of the same text, the yardstick. FastMCP: its server\'s path, `CIMDFetcher.is_cimd_client_id` + `CIMDFetcher.fetch` with the HTTP layer answering from memory. TS SDK: `isHttpsUrl` + `JSON.parse` + `OAuthClientInformationFullSchema.safeParse` + `client_id === url`.');
p(`docs/s: the median over rounds of each round's median repetition. Ratios: taken within each round, median over rounds; ✓/✗ where judged (the serde_json ratio from ${SERDE_MIN_BYTES} bytes up).`);
p();
p('| document | bytes | cimd | serde_json | FastMCP | TS SDK | cimd / serde_json | cimd / FastMCP | cimd / TS SDK | verdicts: cimd, FastMCP, TS SDK |');
p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const serdeCell = `${pct(r.toSerde)}${r.judgedSerde ? (r.toSerde >= SERDE_SHARE ? ' ✓' : ' ✗') : ''}`;
  const fastmcpCell = `${times(r.toFastmcp)}${r.toFastmcp >= FASTMCP_TIMES ? ' ✓' : ' ✗'}`;
  const verdicts = ['cimd', 'fastmcp', 'ts_sdk'].map((c) => verdict(accepted(c, r.file))).join(', ');
  p(`| ${r.file} | ${r.bytes} | ${num(median(r.cimd))} | ${num(median(r.serde))} | ${num(median(r.fastmcp))} | ${num(median(r.ts))} | ${serdeCell} | ${fastmcpCell} | ${times(r.toTs)} | ${verdicts} |`);
}
p();
if (REDIRECTS) {
  // matches/s and the verdict of each matcher (a first-round verdict; every round gives the same).
  const cell = (contender, mode, name) => {
    const values = rounds.map((round) => round[contender].redirects.find((c) => c.name === name)?.modes[mode]);
    if (values.some((v) => v === undefined)) return '';
    return `${num(median(values.map((v) => v.per_s_median)))} (${values[0].result ? 'match' : 'no'})`;
  };
  p('## Redirect-URI matching, matches/s');
  p();
  p('Each matcher on the manifest\'s `redirect_cases`, against the registered URIs as a server holds them; its verdict in brackets. cimd: `cimd::match_redirect` with the rfc8252 and wildcard policies. FastMCP: `CIMDFetcher.validate_redirect_uri`. TS SDK: `redirectUriMatches` over the registered URIs.');
  p();
  p('| case | registered | expected | cimd rfc8252 | cimd wildcard | FastMCP | TS SDK |');
  p('|---|---:|---|---:|---:|---:|---:|');
  for (const c of first.cimd.redirects) {
    p(`| ${c.name} | ${c.n_patterns} | ${c.expect} | ${cell('cimd', 'rfc8252', c.name)} | ${cell('cimd', 'wildcard', c.name)} | ${cell('fastmcp', 'fetcher', c.name)} | ${cell('ts_sdk', 'sdk', c.name)} |`);
  }
  p();
}
const ms = (s) => `${(s * 1000).toFixed(1)} ms`;
const side = (key, label) => {
  const runs = coldStart[key].runs;
  return `| ${label} | ${ms(median(wall(key)))} | ${ms(median(runs.map((x) => x.cpu_s)))} | ${median(runs.map((x) => x.rss_mib)).toFixed(1)} MiB |`;
};
p('## Whole process: `create --name "My App" --redirect-uri "http://localhost:*/callback"`');
p();
p(`${COLD_RUNS} runs each after one warm-up pair, alternating; medians. The ratio is taken pair by pair (FastMCP's wall time over cimd's), median ${times(createRatio)}, range ${range(coldStart.b_over_a_wall, times)}.`);
p();
p('| command | wall | CPU (user + system) | peak RSS |');
p('|---|---:|---:|---:|');
p(side('a', '`cimd create`'));
p(side('b', '`fastmcp auth cimd create`'));
p();
p(`Raw data: target/bench/${stamp}/ (per round: <contender>_r<N>.txt as printed, .json in full; cold_start.json).`);

const report = `${lines.join('\n')}\n`;
writeFileSync(`${OUT}/report.md`, report);
process.stdout.write(`\n${report}\n`);
log(`report: ${OUT}/report.md`);
if (serdeMissed.length || fastmcpMissed.length || createMissed) {
  log('a budget is missed (see Budgets above)');
  process.exit(1);
}
