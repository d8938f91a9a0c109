// The conformance corpus through the Worker in workerd. Documents go through POST /api/validate and
// must give the very report of the native CLI (`cimd validate - --format json`, run here) and of the
// native runner. Fetched responses and fetch failures are served by the mock and go through
// GET /api/validate?url=: the same report as the native one (the time taken aside), except where the
// Worker refuses earlier than the recorded fetch (a special-use or loopback address: refused before
// any request, as -02 §8.6 asks) or where only the kind of failure can be reproduced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadCases, nativeReports, bytesOf, codesOf, root, targetDir } from '../../tests/npm/corpus.mjs';
import { startWorker } from './harness.mjs';
import { MockWeb } from './mock.mjs';

const TIMEOUT_MS = 300;
const cases = loadCases();
const native = nativeReports();
const build = spawnSync('cargo', ['build', '-q', '--locked', '-p', 'cimd-cli'], { cwd: root, stdio: 'inherit' });
const cli = `${targetDir}/debug/cimd`;
const web = new MockWeb();
let mf, base;

before(async () => {
  // No cache: cases share URLs and each must be fetched afresh.
  ({ mf, base } = await startWorker({ web, timeoutMs: TIMEOUT_MS, cache: false, ratelimit: { limit: 100000, period: 60 } }));
});
after(() => mf?.dispose());

function cliReport(c) {
  const args = ['validate', '-', '--format', 'json', '--profile', c.profile ?? 'mcp', '--max-bytes', String(c.max_bytes ?? 5120)];
  if (c.url != null) args.push('--url', c.url);
  if (c.strict) args.push('--strict');
  const result = spawnSync(cli, args, { input: bytesOf(c), encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `cimd ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function postValidate(c) {
  const body = { url: c.url, profile: c.profile ?? 'mcp', strict: c.strict ?? false, max_bytes: c.max_bytes ?? 5120 };
  if (c.document !== undefined) body.document = c.document;
  else body.document_base64 = c.document_base64;
  const r = await fetch(`${base}/api/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
  return r.json();
}

async function getValidate(c) {
  if (c.compare !== undefined) {
    // A drift check: the file POSTed with `compare`, the live document fetched from the mock.
    const body = { document: c.compare, url: c.url, compare: true, profile: c.profile ?? 'mcp', strict: c.strict ?? false, max_bytes: c.max_bytes ?? 5120 };
    const r = await fetch(`${base}/api/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 200);
    return r.json();
  }
  const query = new URLSearchParams({ url: c.url, profile: c.profile ?? 'mcp', strict: String(c.strict ?? false), max_bytes: String(c.max_bytes ?? 5120) });
  const r = await fetch(`${base}/api/validate?${query}`);
  assert.equal(r.status, 200);
  return r.json();
}

const SPECIAL = /^(10\.|127\.|169\.254\.|192\.168\.|100\.64\.|::1$|::ffff:|fd|fe80)/;
const hostOf = (url) => new URL(url).hostname.replace(/^\[|\]$/g, '');
const isLiteral = (host) => /^[\d.]+$/.test(host) || host.includes(':');
const withoutTime = (report) => ({ ...report, fetch: report.fetch && { ...report.fetch, elapsed_ms: null } });

/**
 * Serves a case's response (or failure) from the mock, and says how much of the native report the
 * Worker can reproduce: `full` (all of it but the time taken), `codes` (the verdict and the codes),
 * `clock` (the verdict and the codes but the cache-lifetime ones, which depend on the time of
 * receipt), `refusedEarly` (a special-use address: refused before any request), or `skip`.
 */
function serve(c) {
  web.reset();
  const host = hostOf(c.url);
  if (c.failure) {
    const f = c.failure;
    if (['connect', 'tls', 'other'].includes(f.kind)) {
      // Miniflare answers an outbound function that throws with a 500 response: a failure without
      // a response cannot reach the Worker from the mock.
      return { skip: `a ${f.kind} failure cannot be produced through Miniflare's outbound service` };
    }
    if (f.kind === 'resolve') web.answer(host, { rcode: 3 });
    else web.answer(host, [f.kind === 'special_use_address' ? f.address : '93.184.216.34']);
    web.page(c.url.split('#')[0], { delayMs: TIMEOUT_MS + 300, body: '{}' });
    // The native report of a recorded failure carries the recorded message; the Worker's its own.
    return f.kind === 'special_use_address' ? { full: true } : { codes: true };
  }
  const r = c.response;
  const address = r.address ?? '93.184.216.34';
  if (!isLiteral(host)) web.answer(host, [address]);
  const body = bytesOf(c);
  web.page(c.url.split('#')[0], { status: r.status, headers: r.headers ?? [], body });
  if (r.allow_loopback || SPECIAL.test(address)) return { refusedEarly: true };
  const names = (r.headers ?? []).map(([n]) => n.toLowerCase());
  if (r.received_unix_s || (names.includes('expires') && !names.includes('date'))) return { clock: true };
  // A server reads no further than the cap: a recorded body read past it is not reproducible.
  if (body.length > (c.max_bytes ?? 5120) && !r.truncated) return { codes: true };
  return { full: true, address: r.address == null ? '93.184.216.34' : undefined };
}

test('the corpus, the native reports and the CLI are all there', () => {
  assert.ok(cases.length >= 400, `${cases.length} cases`);
  assert.equal(native.size, cases.length);
  assert.equal(build.status, 0, 'cargo build -p cimd-cli');
});

const verdict = (report, drop = () => false) => ({ valid: report.valid, codes: codesOf(report).filter((code) => !drop(code)) });
const cacheCode = (code) => /^CIMD60\d$/.test(code);

for (const c of cases) {
  test(`${c.file}: ${c.name}`, async (t) => {
    const expected = native.get(c.name);
    if (!c.response && !c.failure) {
      const report = await postValidate(c);
      assert.deepStrictEqual(report, cliReport(c), 'POST /api/validate differs from the CLI');
      assert.deepStrictEqual(report, expected, 'POST /api/validate differs from the native report');
      return;
    }
    const plan = serve(c);
    if (plan.skip) {
      t.skip(plan.skip);
      return;
    }
    const report = await getValidate(c);
    if (plan.refusedEarly) {
      assert.deepEqual(codesOf(report), ['CIMD506'], JSON.stringify(report.diagnostics));
      assert.equal(report.valid, false);
      assert.equal(web.count(c.url.split('#')[0]), 0, 'the document was not requested');
    } else if (plan.full) {
      const want = withoutTime(expected);
      if (plan.address) want.fetch.address = plan.address;
      assert.deepStrictEqual(withoutTime(report), want, 'GET /api/validate?url= differs from the native report');
    } else {
      assert.deepStrictEqual(verdict(report, plan.clock ? cacheCode : undefined), verdict(expected, plan.clock ? cacheCode : undefined));
    }
  });
}
