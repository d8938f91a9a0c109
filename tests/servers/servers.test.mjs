// cimd's predictions (report.portability) against the real code of the servers that can run here, on
// every conformance case, and their redirect matching against the policy the core names for each
// (tests/servers/run.mjs). A disagreement is either fixed in crates/cimd/src/portability.rs or listed
// with its reason in disagreements.json, which may only shrink: a new disagreement fails, and so does
// a listed one that now agrees. The counts go to target/servers/summary.json (docs/servers.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as cimd from 'cimd';
import { root } from '../npm/corpus.mjs';
import { SERVERS, check, checkRedirects } from './run.mjs';

const listed = JSON.parse(readFileSync(new URL('./disagreements.json', import.meta.url), 'utf8'));
const summary = {};

/** Problems of `rows` (name, real, predicted) against the listed disagreements of `list`. */
function judge(what, rows, list) {
  const problems = [];
  const names = new Set(rows.map((r) => r.name));
  for (const r of rows) {
    const agrees = r.real === r.predicted;
    if (!agrees && !(r.name in list)) {
      problems.push(`${what} ${r.name}: the server ${r.real ? 'accepts' : 'refuses'}, cimd predicts ${r.predicted ? 'accepts' : 'refuses'} (${r.detail})`);
    }
    if (agrees && r.name in list) problems.push(`${what} ${r.name}: listed as a disagreement but now agrees: remove it from disagreements.json`);
  }
  for (const name of Object.keys(list)) if (!names.has(name)) problems.push(`${what} ${name}: listed but not checked`);
  return problems;
}

test('every server that runs here agrees with its prediction on the corpus, or the difference is listed', async () => {
  const results = await check();
  const problems = [];
  for (const server of SERVERS) {
    const rows = results[server].map((r) => ({
      name: r.name, real: r.accepted, predicted: r.predicted,
      detail: `${r.reason || 'accepted'}; because ${r.because.join(' ') || '-'}; codes ${r.codes.join(' ') || '-'}`,
    }));
    assert.ok(rows.every((r) => typeof r.predicted === 'boolean'), `${server} has a prediction on every case`);
    const list = listed.documents[server] ?? {};
    problems.push(...judge(server, rows, list));
    summary[server] = { ...summary[server], documents: { checked: rows.length, agreed: rows.filter((r) => r.real === r.predicted).length, listed: Object.keys(list).length } };
  }
  assert.deepEqual(problems, []);
});

test('each server matches redirect URIs as the policy the core names for it, or the difference is listed', async () => {
  const policies = Object.fromEntries(cimd.servers().map((s) => [s.id, s.redirects]));
  const results = await checkRedirects();
  const problems = [];
  for (const [server, rows] of Object.entries(results)) {
    assert.ok(policies[server], `the core names a redirect policy for ${server}`);
    const judged = rows.map((r) => {
      const predicted = cimd.matchRedirect(r.registered, r.uri, { policy: policies[server] }).matched;
      return { name: r.name, real: r.matched, predicted, detail: `${r.registered.join(' ')} ← ${r.uri}${r.reason ? `; ${r.reason}` : ''}` };
    });
    const list = listed.redirects[server] ?? {};
    problems.push(...judge(`${server} redirect`, judged, list));
    summary[server] = { ...summary[server], redirects: { policy: policies[server], checked: judged.length, agreed: judged.filter((r) => r.real === r.predicted).length, listed: Object.keys(list).length } };
  }
  assert.deepEqual(problems, []);
});

/** Whether `a` and `b` differ in their port at most (WHATWG parsing, as both servers' requests). */
function samePlaceOtherPort(a, b) {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.protocol === y.protocol && x.hostname === y.hostname && x.pathname === y.pathname && x.search === y.search;
  } catch {
    return false;
  }
}

test("each server takes the request ports the report's loopback rows predict, or the difference is listed", async () => {
  const results = await checkRedirects();
  const problems = [];
  for (const [server, rows] of Object.entries(results)) {
    const judged = rows.flatMap((r) => {
      if (r.registered.length !== 1 || !samePlaceOtherPort(r.registered[0], r.uri)) return [];
      const report = cimd.validate(JSON.stringify({
        client_id: 'https://app.example.com/oauth/client.json', client_name: 'Example App',
        redirect_uris: r.registered, token_endpoint_auth_method: 'none',
      }), { url: 'https://app.example.com/oauth/client.json' });
      const row = report.portability.find((p) => p.server === server).loopback.find((l) => l.uri === r.registered[0]);
      if (!row) return [];
      const port = (u) => new URL(u).port;
      const predicted = row.ports === 'any' || (row.ports === 'registered' && port(row.uri) === port(r.uri));
      return [{ name: r.name, real: r.matched, predicted, detail: `${row.uri} ${row.ports} ← ${r.uri}` }];
    });
    const list = listed.ports?.[server] ?? {};
    problems.push(...judge(`${server} loopback ports`, judged, list));
    summary[server] = { ...summary[server], loopbackPorts: { checked: judged.length, agreed: judged.filter((r) => r.real === r.predicted).length, listed: Object.keys(list).length } };
  }
  mkdirSync(`${root}target/servers`, { recursive: true });
  writeFileSync(`${root}target/servers/summary.json`, JSON.stringify(summary, null, 1));
  assert.deepEqual(problems, []);
});
