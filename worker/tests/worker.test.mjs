// The Worker in real workerd (Miniflare, configured from worker/wrangler.toml), outbound requests
// answered by the in-process mock: every route and status, the hosted documents, fetching as a
// careful server (status, redirects, content types, size, time, special-use addresses from literals
// and from DNS answers), the cache, the rate limit, the static assets, and no 500 for any input.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { startWorker, root } from './harness.mjs';
import { MockWeb } from './mock.mjs';

const TIMEOUT_MS = 500;
const web = new MockWeb();
let mf, base;

before(async () => {
  ({ mf, base } = await startWorker({ web, timeoutMs: TIMEOUT_MS, ratelimit: { limit: 1000, period: 60 } }));
});
after(() => mf?.dispose());

const get = (path, init = {}) => fetch(`${base}${path}`, { redirect: 'manual', ...init });
const postJson = (path, body, headers = {}) =>
  get(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const codes = (report) => [...new Set(report.diagnostics.map((d) => d.code))].sort();
const check = (url, query = '') => get(`/api/validate?url=${encodeURIComponent(url)}${query}`);

async function assertError(response, status) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  const body = await response.json();
  assert.equal(body.status, status);
  assert.ok(body.error && body.message, JSON.stringify(body));
  return body;
}

const clients = readdirSync(`${root}worker/clients`).filter((n) => n.endsWith('.json')).sort();
const ORIGIN = readFileSync(`${root}worker/wrangler.toml`, 'utf8').match(/^PUBLIC_ORIGIN = "(.*)"$/m)[1];
const DOC_URL = 'https://app.example.com/oauth/client.json';
const DOC = JSON.stringify({
  client_id: DOC_URL, client_name: 'App', client_uri: 'https://app.example.com', logo_uri: 'https://app.example.com/logo.png',
  redirect_uris: ['https://app.example.com/callback'], token_endpoint_auth_method: 'none',
});
const JSON_HEADERS = [['content-type', 'application/json'], ['cache-control', 'max-age=3600']];

describe('hosted documents', () => {
  test('each is served byte for byte at the path of its client_id, with validators and CORS', async () => {
    assert.ok(clients.length >= 2);
    for (const name of clients) {
      const file = readFileSync(`${root}worker/clients/${name}`, 'utf8');
      assert.equal(JSON.parse(file).client_id, `${ORIGIN}/clients/${name}`);
      const r = await get(`/clients/${name}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'public, max-age=3600');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.match(r.headers.get('etag'), /^"[0-9a-f]+-[0-9a-f]{16}"$/);
      assert.equal(await r.text(), file);
    }
  });

  test('If-None-Match gives 304 without a body; a stale tag gives 200', async () => {
    const first = await get(`/clients/${clients[0]}`);
    const etag = first.headers.get('etag');
    await first.arrayBuffer();
    const again = await get(`/clients/${clients[0]}`, { headers: { 'if-none-match': `"nope", W/${etag}` } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    const star = await get(`/clients/${clients[0]}`, { headers: { 'if-none-match': '*' } });
    assert.equal(star.status, 304);
    const stale = await get(`/clients/${clients[0]}`, { headers: { 'if-none-match': '"0-0000000000000000"' } });
    assert.equal(stale.status, 200);
    await stale.arrayBuffer();
    const other = await get(`/clients/${clients[1]}`, { headers: { 'if-none-match': etag } });
    assert.equal(other.status, 200, 'each document has its own tag');
    assert.notEqual(other.headers.get('etag'), etag);
    await other.arrayBuffer();
  });

  test('HEAD has the headers and no body; OPTIONS is a CORS preflight; other methods 405', async () => {
    const head = await get(`/clients/${clients[0]}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.ok(head.headers.get('etag'));
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const preflight = await get(`/clients/${clients[0]}`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get(`/clients/${clients[0]}`, { method, body: method === 'DELETE' ? undefined : '{}' });
      await assertError(r, 405);
      assert.equal(r.headers.get('allow'), 'GET, HEAD, OPTIONS');
    }
  });

  test('near-miss paths are 404 JSON, never a redirect', async () => {
    const name = clients[0];
    for (const path of [`/clients/${name}/`, `/clients/${name.toUpperCase()}`, `/clients/${name.replace('.json', '')}`,
      `/clients/${name}.json`, `//clients/${name}`, '/clients/', '/clients', `/clients/%2e%2e/${name}`, `/clients/${name}?x=1`.replace('?', '%3F')]) {
      const r = await get(path);
      assert.ok(r.status === 404, `${path}: ${r.status}`);
      await assertError(r, 404);
    }
  });

  test('every hosted document is valid through POST /api/validate at its URL', async () => {
    for (const name of clients) {
      const url = `${ORIGIN}/clients/${name}`;
      const document = readFileSync(`${root}worker/clients/${name}`, 'utf8');
      const report = await (await postJson('/api/validate', { document, url })).json();
      assert.equal(report.valid, true, JSON.stringify(report.diagnostics));
      assert.equal(report.summary.errors, 0);
    }
  });

  test('every hosted document is valid when GET /api/validate?url= fetches it from the Worker itself', async () => {
    const host = new URL(ORIGIN).hostname;
    web.answer(host, ['93.184.216.34']);
    for (const name of clients) {
      const url = `${ORIGIN}/clients/${name}`;
      // The mock forwards the Worker's own request to the Worker: real hosting headers are judged.
      const served = await mf.dispatchFetch(`http://127.0.0.1/clients/${name}`);
      web.page(url, { status: served.status, headers: [...served.headers], body: new Uint8Array(await served.arrayBuffer()) });
      const report = await (await check(url)).json();
      assert.equal(report.valid, true, JSON.stringify(report.diagnostics));
      assert.deepEqual(codes(report).filter((c) => c.startsWith('CIMD5') || c.startsWith('CIMD6')), []);
      assert.equal(report.fetch.status, 200);
      assert.equal(report.fetch.cache_ttl_s, 3600);
    }
  });
});

describe('routes', () => {
  test('unknown paths are 404 JSON for every method', async () => {
    for (const method of ['GET', 'POST', 'HEAD', 'DELETE']) {
      const r = await get('/no/such/thing', { method });
      assert.equal(r.status, 404);
      if (method !== 'HEAD') await assertError(r, 404);
    }
  });

  test('static assets: the landing page or the playground is served at /', async () => {
    const r = await get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    const html = await r.text();
    assert.match(html, /cimd/i);
    assert.equal(html, readFileSync(`${root}www/dist/index.html`, 'utf8'));
  });

  test('GET /api/health and GET /api/codes', async () => {
    const health = await get('/api/health');
    assert.equal(health.status, 200);
    const status = await health.json();
    assert.equal(status.status, 'ok');
    assert.ok(status.wasm_memory_bytes >= 65536 && status.wasm_memory_bytes % 65536 === 0, JSON.stringify(status));
    const r = await get('/api/codes');
    assert.equal(r.status, 200);
    const all = await r.json();
    assert.ok(all.length > 80);
    const cimd107 = all.find((c) => c.code === 'CIMD107');
    assert.equal(cimd107.name, 'client-id-mismatch');
    assert.equal(cimd107.mcp, 'error');
    await assertError(await get('/api/codes', { method: 'POST', body: '{}' }), 405);
    await assertError(await get('/api/codes?x=1'), 400);
  });

  test('POST /api/validate: the report, JSON or text', async () => {
    const ok = await postJson('/api/validate', { document: DOC, url: DOC_URL });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/json; charset=utf-8');
    const report = await ok.json();
    assert.equal(report.valid, true);
    assert.equal(report.url, DOC_URL);
    assert.equal(report.document.client_name, 'App');
    assert.equal(report.fetch, null);
    assert.ok(report.portability.length >= 6);
    const bad = await (await postJson('/api/validate', { document: DOC, url: `${DOC_URL}/`, profile: 'ietf', strict: true })).json();
    assert.equal(bad.valid, false);
    assert.equal(bad.profile, 'ietf');
    assert.deepEqual(codes(bad), ['CIMD107']);
    const mismatch = bad.diagnostics[0];
    assert.equal(mismatch.pointer, '/client_id');
    assert.deepEqual(mismatch.range.start, { line: 1, column: 15 });
    const text = await postJson('/api/validate?format=text', { document: DOC, url: `${DOC_URL}/` });
    assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    const body = await text.text();
    assert.match(body, /error\[CIMD107\]/);
    assert.match(body, /\^\^\^/);
    const b64 = await (await postJson('/api/validate', { document_base64: Buffer.from('{"client_name":"\xff"}', 'latin1').toString('base64') })).json();
    assert.ok(codes(b64).includes('CIMD003'), JSON.stringify(codes(b64)));
  });

  test('POST /api/validate: 400, 405, 413, 415 with a JSON error', async () => {
    const post = (body, headers) => get('/api/validate', { method: 'POST', headers, body });
    await assertError(await post('{"document":"{}"}', { 'content-type': 'text/plain' }), 415);
    await assertError(await post('{"document":"{}"}', {}), 415);
    await assertError(await post('{"document":"{}"}', { 'content-type': 'application/json; charset=iso-8859-1' }), 415);
    await assertError(await post('', { 'content-type': 'application/json' }), 400);
    await assertError(await post('{"document":', { 'content-type': 'application/json' }), 400);
    await assertError(await post('{"document": 1}', { 'content-type': 'application/json' }), 400);
    await assertError(await post('{"document": "{}", "typo": 1}', { 'content-type': 'application/json' }), 400);
    await assertError(await post('{"document": "{}", "profile": "oauth"}', { 'content-type': 'application/json' }), 400);
    await assertError(await post('\xff\xfe', { 'content-type': 'application/json' }), 400);
    const big = JSON.stringify({ document: ' '.repeat(70 * 1024) });
    await assertError(await post(big, { 'content-type': 'application/json' }), 413);
    // No Content-Length (a streamed body): the Worker stops reading past the limit.
    const chunks = new ReadableStream({
      start(c) { for (let i = 0; i < 100; i++) c.enqueue(new TextEncoder().encode(' '.repeat(1024))); c.close(); },
    });
    await assertError(await get('/api/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' }), 413);
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await get('/api/validate', { method });
      await assertError(r, 405);
      assert.equal(r.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
    }
    const preflight = await get('/api/validate', { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers'), /content-type/);
  });

  test('POST /api/match: the CLI result, and its errors', async () => {
    const r = await postJson('/api/match', { registered: ['http://127.0.0.1/callback'], requested: 'http://127.0.0.1:53124/callback' });
    assert.equal(r.status, 200);
    const result = await r.json();
    assert.equal(result.matched, true);
    assert.equal(result.policy, 'rfc8252');
    const exact = await (await postJson('/api/match', { document: DOC, requested: 'https://app.example.com/callback/', policy: 'exact' })).json();
    assert.equal(exact.matched, false);
    assert.match(exact.candidates[0].reason, /slash/);
    await assertError(await postJson('/api/match', { requested: 'x' }), 400);
    await assertError(await postJson('/api/match', { requested: 'x', registered: [], policy: 'fuzzy' }), 400);
    await assertError(await postJson('/api/match', { requested: 'x', document: '{}' }), 400);
    await assertError(await get('/api/match'), 405);
    await assertError(await get('/api/match', { method: 'POST', body: '{}' }), 415);
  });
});

describe('POST /api/validate with compare: drift against the live document', () => {
  before(() => web.reset());

  test('the document POSTed against the one the URL serves, each difference at its member', async () => {
    const live = 'https://drift.example.com/oauth/client.json';
    const served = JSON.stringify({ ...JSON.parse(DOC), client_id: live, redirect_uris: ['http://127.0.0.1/callback'] });
    web.answer('drift.example.com', ['93.184.216.34']).page(live, { headers: JSON_HEADERS, body: served });
    const file = JSON.stringify({ ...JSON.parse(served), redirect_uris: ['http://localhost/callback'] }, null, 2);
    const r = await postJson('/api/validate', { document: file, url: live, compare: true });
    assert.equal(r.status, 200);
    const report = await r.json();
    assert.equal(report.valid, false);
    const drift = report.diagnostics.filter((d) => d.code === 'CIMD604');
    assert.equal(drift.length, 1, JSON.stringify(report.diagnostics));
    assert.equal(drift[0].pointer, '/redirect_uris');
    assert.match(drift[0].message, /localhost.*127\.0\.0\.1/);
    assert.equal(report.fetch.status, 200);
    assert.deepEqual(report.document, JSON.parse(file));
    assert.equal(web.count(live), 1);
    const same = await (await postJson('/api/validate', { document: served, url: live, compare: true })).json();
    assert.ok(!same.diagnostics.some((d) => d.code === 'CIMD604'), JSON.stringify(same.diagnostics));
    const text = await (await postJson('/api/validate?format=text', { document: file, url: live, compare: true })).text();
    assert.match(text, /error\[CIMD604\]/);
    await assertError(await postJson('/api/validate', { document: file, compare: true }), 400);
    await assertError(await postJson('/api/validate', { document: file, url: live, compare: 'yes' }), 400);
  });
});

describe('GET /api/validate?url=: fetching as a careful server', () => {
  before(() => web.reset());

  test('a clean document: 200, validated, the fetch recorded', async () => {
    web.answer('app.example.com', ['93.184.216.34']).page(DOC_URL, { headers: JSON_HEADERS, body: DOC });
    const r = await check(DOC_URL);
    assert.equal(r.status, 200);
    const report = await r.json();
    assert.equal(report.valid, true, JSON.stringify(report.diagnostics));
    assert.equal(report.url, DOC_URL);
    assert.deepEqual({ ...report.fetch, elapsed_ms: 0 },
      { status: 200, content_type: 'application/json', bytes: DOC.length, cache_ttl_s: 3600, elapsed_ms: 0, address: '93.184.216.34' });
    const text = await (await check(DOC_URL, '&format=text')).text();
    assert.match(text, /Valid CIMD document/);
  });

  const cases = [
    ['404', { status: 404, headers: [['content-type', 'text/html']], body: '<h1>Not Found</h1>' }, ['CIMD500']],
    ['201', { status: 201, headers: JSON_HEADERS, body: DOC }, ['CIMD500']],
    ['500', { status: 500, body: 'oops' }, ['CIMD500']],
    ['challenge', { status: 403, headers: [['content-type', 'text/html'], ['cf-mitigated', 'challenge']], body: '<title>Just a moment...</title>' }, ['CIMD510']],
    ['301', { status: 301, headers: [['location', 'https://app.example.com/elsewhere.json']] }, ['CIMD501']],
    ['302', { status: 302, headers: [['location', '/elsewhere.json']] }, ['CIMD501']],
    ['307', { status: 307, headers: [['location', 'https://app.example.com/elsewhere.json']] }, ['CIMD501']],
    ['308', { status: 308, headers: [['location', 'https://app.example.com/elsewhere.json']] }, ['CIMD501']],
    ['text-plain', { headers: [['content-type', 'text/plain; charset=utf-8'], ['cache-control', 'max-age=3600']], body: DOC }, ['CIMD502']],
    ['no-content-type', { headers: [['cache-control', 'max-age=3600']], body: DOC }, ['CIMD502']],
    ['latin1', { headers: [['content-type', 'application/json; charset=iso-8859-1'], ['cache-control', 'max-age=3600']], body: DOC }, ['CIMD503']],
    ['over-cap', { headers: JSON_HEADERS, body: DOC + ' '.repeat(5200) }, ['CIMD504']],
    ['endless', { headers: JSON_HEADERS, endless: true }, ['CIMD504']],
    ['no-cache-headers', { headers: [['content-type', 'application/json']], body: DOC }, ['CIMD600']],
    ['no-store', { headers: [['content-type', 'application/json'], ['cache-control', 'no-store']], body: DOC }, ['CIMD602']],
    ['slow-headers', { headers: JSON_HEADERS, body: DOC, delayMs: TIMEOUT_MS + 400 }, ['CIMD505']],
    ['slow-body', { headers: JSON_HEADERS, body: DOC, bodyDelayMs: TIMEOUT_MS + 400 }, ['CIMD505']],
  ];
  for (const [name, page, expected] of cases) {
    test(`${name}: ${expected.join(', ')}`, async () => {
      const url = `https://app.example.com/${name}.json`;
      web.answer('app.example.com', ['93.184.216.34']).page(url, page);
      const started = Date.now();
      const r = await check(url);
      assert.equal(r.status, 200);
      const report = await r.json();
      const got = codes(report).filter((c) => !['CIMD107'].includes(c));
      assert.deepEqual(got, expected, JSON.stringify(report.diagnostics.map((d) => d.message)));
      assert.equal(web.count(url), 1, 'one request, redirects never followed');
      assert.equal(web.count('https://app.example.com/elsewhere'), 0);
      if (name.startsWith('slow')) assert.ok(Date.now() - started < TIMEOUT_MS + 2000, 'the deadline holds');
      // The Worker kept the cap plus one byte of a 16 MiB body, within the deadline.
      if (name === 'endless' || name === 'over-cap') assert.equal(report.fetch.bytes, 5121);
      if (name.startsWith('30')) assert.match(report.diagnostics[0].message, /elsewhere/);
    });
  }

  test('max_bytes raises or lowers the cap', async () => {
    const url = 'https://app.example.com/over-cap-2.json';
    web.answer('app.example.com', ['93.184.216.34']).page(url, { headers: JSON_HEADERS, body: DOC.replace('"App"', `"App${' '.repeat(5200)}"`) });
    const raised = await (await check(url, '&max_bytes=10000')).json();
    assert.ok(!codes(raised).includes('CIMD504'));
    const lowered = await (await check(DOC_URL, '&max_bytes=100')).json();
    assert.ok(codes(lowered).includes('CIMD504'));
  });

  const refused = [
    ['http scheme', 'http://app.example.com/c.json', 'CIMD509'],
    ['userinfo', 'https://user@app.example.com/c.json', 'CIMD509'],
    ['loopback literal', 'https://127.0.0.1/c.json', 'CIMD506'],
    ['hex loopback', 'https://0x7f.1/c.json', 'CIMD506'],
    ['IPv6 loopback', 'https://[::1]/c.json', 'CIMD506'],
    ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/c.json', 'CIMD506'],
    ['localhost', 'https://localhost/c.json', 'CIMD506'],
    ['metadata service', 'https://169.254.169.254/latest', 'CIMD506'],
  ];
  for (const [what, url, code] of refused) {
    test(`refused before any request: ${what}`, async () => {
      web.log.length = 0;
      const report = await (await check(url)).json();
      assert.deepEqual(codes(report), [code], JSON.stringify(report.diagnostics));
      assert.equal(report.valid, false);
      assert.deepEqual(web.log, [], 'nothing was requested');
    });
  }

  const dns = [
    ['a private A record', ['10.0.0.1'], '10.0.0.1'],
    ['a loopback A record', ['127.0.0.1'], '127.0.0.1'],
    ['CGNAT', ['100.64.0.1'], '100.64.0.1'],
    ['a public A and a loopback AAAA', ['93.184.216.34', '::1'], '::1'],
    ['a ULA AAAA', ['fd12:3456::1'], 'fd12:3456::1'],
    ['an IPv4-mapped AAAA', ['::ffff:192.168.0.5'], '::ffff:192.168.0.5'],
  ];
  for (const [what, addresses, flagged] of dns) {
    test(`a name resolving to special-use addresses is refused: ${what}`, async () => {
      web.log.length = 0;
      const host = `sneaky-${addresses.length}-${flagged.replace(/[:.]/g, '-')}.example.net`;
      const url = `https://${host}/c.json`;
      web.answer(host, addresses).page(url, { headers: JSON_HEADERS, body: DOC });
      const report = await (await check(url)).json();
      assert.deepEqual(codes(report), ['CIMD506'], JSON.stringify(report.diagnostics));
      assert.equal(report.fetch.address, flagged);
      assert.equal(web.count(url), 0, 'the document was never requested');
      assert.ok(web.count('https://cloudflare-dns.com/dns-query') >= 1, 'the name was resolved over DoH');
    });
  }

  test('NXDOMAIN and an unreachable host: CIMD507', async () => {
    web.answer('gone.example.org', { rcode: 3 });
    const nx = await (await check('https://gone.example.org/c.json')).json();
    assert.deepEqual(codes(nx), ['CIMD507']);
    assert.match(nx.diagnostics[0].message, /NXDOMAIN/);
    web.answer('down.example.org', ['93.184.216.40']);
    web.pages.delete('https://down.example.org/c.json');
    const down = await (await check('https://down.example.org/c.json')).json();
    assert.ok(down.valid === false);
  });

  test('query mistakes are 400', async () => {
    await assertError(await get('/api/validate'), 400);
    await assertError(await get('/api/validate?url=a&url=b'), 400);
    await assertError(await get('/api/validate?url=a&strict=perhaps'), 400);
    await assertError(await get('/api/validate?url=a&max_bytes=0'), 400);
    await assertError(await get('/api/validate?url=a&max_bytes=2000000'), 400);
    await assertError(await get('/api/validate?url=a&format=xml'), 400);
    await assertError(await get('/api/validate?url=a&nope=1'), 400);
    await assertError(await get('/api/validate?url=%FF'), 400);
  });
});

describe('the cache', () => {
  before(() => web.reset());

  test('a valid document is fetched once and then served from the Cache API', async () => {
    const url = 'https://cached.example.com/c.json';
    const doc = DOC.replaceAll(DOC_URL, url).replaceAll('app.example.com', 'cached.example.com');
    web.answer('cached.example.com', ['93.184.216.34']).page(url, { headers: JSON_HEADERS, body: doc });
    const first = await check(url);
    assert.equal(first.headers.get('cimd-cache'), 'miss');
    assert.equal(first.headers.get('access-control-expose-headers'), 'cimd-cache', 'a page on another origin can read it');
    const a = await first.json();
    assert.equal(a.valid, true, JSON.stringify(a.diagnostics));
    const second = await check(url);
    assert.equal(second.headers.get('cimd-cache'), 'hit');
    assert.deepEqual(await second.json(), a);
    assert.equal(web.count(url), 1, 'the second call did not fetch');
    const text = await check(url, '&format=text');
    assert.equal(text.headers.get('cimd-cache'), 'hit');
    assert.match(await text.text(), /Valid CIMD document/);
    // Other options are another entry.
    const strict = await check(url, '&strict=true');
    assert.equal(strict.headers.get('cimd-cache'), 'miss');
    await strict.arrayBuffer();
    assert.equal(web.count(url), 2);
  });

  // A stale entry is asked again with its validators (docs/decisions.md#caching). The core's
  // shortest lifetime is 60 s, so this waits just over a minute of real time in workerd.
  test('a stale entry is revalidated with If-None-Match and refreshed by a 304', async () => {
    const url = 'https://cached.example.com/etag.json';
    const doc = DOC.replaceAll(DOC_URL, url).replaceAll('app.example.com', 'cached.example.com');
    web.answer('cached.example.com', ['93.184.216.34']).page(url, {
      headers: [['content-type', 'application/json'], ['cache-control', 'max-age=60'], ['etag', '"v1"']],
      body: doc,
      notModified: [['cache-control', 'max-age=120'], ['etag', '"v1"']],
    });
    const first = await check(url);
    assert.equal(first.headers.get('cimd-cache'), 'miss');
    assert.equal((await first.json()).fetch.cache_ttl_s, 60);
    assert.equal(web.headersOf(url)[0]['if-none-match'], undefined, 'the first request is not conditional');
    await new Promise((r) => setTimeout(r, 61_000));
    const second = await check(url);
    assert.equal(second.headers.get('cimd-cache'), 'revalidated');
    const report = await second.json();
    assert.equal(report.valid, true, JSON.stringify(report.diagnostics));
    assert.equal(report.fetch.cache_ttl_s, 120, "the 304's Cache-Control replaces the stored one");
    assert.equal(web.headersOf(url)[1]['if-none-match'], '"v1"');
    const third = await check(url);
    assert.equal(third.headers.get('cimd-cache'), 'hit', 'fresh again after the 304');
    await third.arrayBuffer();
    assert.equal(web.count(url), 2);
  });

  test('errors, invalid documents and no-store are never cached', async () => {
    const pages = [
      ['https://cached.example.com/missing.json', { status: 404, body: 'gone' }],
      ['https://cached.example.com/invalid.json', { headers: JSON_HEADERS, body: '{"client_id": 1}' }],
      ['https://cached.example.com/moved.json', { status: 301, headers: [['location', '/c.json']] }],
      ['https://cached.example.com/no-store.json', { headers: [['content-type', 'application/json'], ['cache-control', 'no-store']], body: DOC }],
    ];
    for (const [url, page] of pages) {
      web.page(url, page);
      for (let i = 0; i < 2; i++) {
        const r = await check(url);
        assert.equal(r.headers.get('cimd-cache'), 'miss', url);
        await r.arrayBuffer();
      }
      assert.equal(web.count(url), 2, `${url} was fetched both times`);
    }
  });
});

describe('the rate limit of the fetching endpoint', () => {
  let limited;
  before(async () => {
    limited = await startWorker({ web, ratelimit: { limit: 3, period: 60 } });
  });
  after(() => limited.mf.dispose());

  test('over the limit: 429 with Retry-After, while POST and other clients go on', async () => {
    const url = `${limited.base}/api/validate?url=${encodeURIComponent('http://app.example.com/c.json')}`;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(url, { headers: { 'cf-connecting-ip': '203.0.113.9' } });
      statuses.push(r.status);
      if (r.status === 429) {
        assert.equal(r.headers.get('retry-after'), '60');
        await assertError(r, 429);
      } else await r.arrayBuffer();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const post = await fetch(`${limited.base}/api/validate`, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' }, body: '{"document":"{}"}' });
    assert.equal(post.status, 200);
    await post.arrayBuffer();
    const other = await fetch(url, { headers: { 'cf-connecting-ip': '198.51.100.7' } });
    assert.equal(other.status, 200, 'another client has its own budget');
    await other.arrayBuffer();
  });
});

test('no request makes a 500 (and the isolate survives all of them)', async () => {
  const paths = ['/', '/api/validate', '/api/validate?url=https%3A%2F%2F%5B%3A%3A1', '/api/validate?url=https://a.b:99999/x',
    '/api/validate?url=https://%00/', '/api/validate?url=https://xn--/c.json', '/api/match', '/api/codes', '/clients/x', '/%ff', '/api/validate?%',
    `/api/validate?url=${encodeURIComponent(`https://${'a'.repeat(300)}.example/c.json`)}`];
  const bodies = [undefined, '', '{}', '[]', 'null', '{"document": null}', '{"document": "\\ud800"}', '{"document": "{\\"a\\":' + '['.repeat(5000) + '"}',
    JSON.stringify({ document: `{"redirect_uris": [${'"x",'.repeat(2000)}"y"]}` }), '{"requested": "x", "registered": [1]}',
    JSON.stringify({ document: '{"client_id":"https://a/b","jwks":{"keys":[{"kty":"RSA","d":"x"}]}}', url: '\u0000' })];
  const methods = ['GET', 'POST', 'PUT', 'OPTIONS', 'HEAD', 'DELETE', 'PATCH'];
  let n = 0;
  for (const path of paths) {
    for (const method of methods) {
      for (const body of method === 'GET' || method === 'HEAD' ? [undefined] : bodies) {
        const r = await get(path, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
        assert.ok(r.status < 500, `${method} ${path} ${String(body).slice(0, 40)}: ${r.status}`);
        await r.arrayBuffer();
        n++;
      }
    }
  }
  assert.ok(n > 300);
  const health = await get('/api/health');
  assert.equal(health.status, 200);
  await health.arrayBuffer();
});
