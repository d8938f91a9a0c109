// The npm package's API under Node: each export against the CLI's behaviour, bad input from
// JavaScript (a thrown Error with a clear message, never a wasm trap), no leak, and validateUrl's
// fetch rules with an injected fetch (redirects, status, size cap, timeout, network errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as cimd from 'cimd';
import { wasm } from '../../js/state.js';

const URL_ = 'https://app.example.com/oauth/client.json';
const root = new URL('../../', import.meta.url).pathname;
const broken = readFileSync(`${root}examples/broken.json`, 'utf8');
const vscode = readFileSync(`${root}examples/vscode.json`, 'utf8');
const good = JSON.stringify({
  client_id: URL_, client_name: 'App', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none',
});

test('validate returns a plain report of the documented shape', () => {
  const r = cimd.validate(broken, { url: URL_ });
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.deepEqual(Object.keys(r), ['valid', 'profile', 'strict', 'url', 'summary', 'diagnostics', 'document', 'fetch', 'portability']);
  assert.equal(r.valid, false);
  assert.equal(r.url, URL_);
  assert.ok(r.diagnostics.some((d) => d.code === 'CIMD107' && d.name === 'client-id-mismatch' && d.pointer === '/client_id'));
  const d = r.diagnostics.find((x) => x.code === 'CIMD107');
  assert.deepEqual(Object.keys(d), ['code', 'name', 'severity', 'message', 'help', 'spec', 'docs', 'pointer', 'span', 'range']);
  assert.equal(broken.slice(d.span.start, d.span.end), JSON.parse(broken).client_id);
  assert.equal(r.fetch, null);
  assert.equal(cimd.validate(good, { url: URL_ }).valid, true);
});

test('validate honours profile, strict and maxBytes', () => {
  const text = vscode;
  const url = 'https://vscode.dev/oauth/client-metadata.json';
  assert.equal(cimd.validate(text, { url }).profile, 'mcp');
  assert.equal(cimd.validate(text, { url, profile: 'ietf' }).profile, 'ietf');
  const loose = cimd.validate(good, { url: URL_ });
  const strict = cimd.validate(good, { url: URL_, strict: true });
  assert.equal(strict.strict, true);
  assert.equal(strict.valid, loose.valid && loose.summary.warnings === 0);
  const tiny = cimd.validate(good, { url: URL_, maxBytes: 10 });
  assert.notDeepEqual(tiny.diagnostics, loose.diagnostics);
});

test('validate takes bytes that are not UTF-8', () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('{"client_name":"'), 0xff, 0x22, 0x7d]);
  const r = cimd.validate(bytes);
  assert.equal(r.valid, false);
  assert.ok(r.diagnostics.some((d) => /UTF-8/.test(d.message)), JSON.stringify(r.diagnostics));
  assert.deepEqual(cimd.validate(Buffer.from(good), { url: URL_ }), cimd.validate(good, { url: URL_ }));
});

test('create builds FastMCP\'s document and validates it', () => {
  const { document, report, placeholder } = cimd.create({ name: 'My App', redirectUris: ['http://127.0.0.1/callback'], clientId: URL_, clientUri: 'https://app.example.com' });
  assert.equal(placeholder, false);
  assert.deepEqual(Object.keys(JSON.parse(document)), ['client_id', 'client_name', 'redirect_uris', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'client_uri']);
  assert.ok(document.endsWith('\n'));
  assert.deepEqual(report, cimd.validate(document, { url: URL_ }));
  const reminder = cimd.create({ name: 'A', redirectUris: ['http://127.0.0.1/cb'], compact: true });
  assert.equal(reminder.placeholder, true);
  assert.equal(reminder.document.split('\n').length, 2);
});

test('matchRedirect explains every candidate', () => {
  const loopback = cimd.matchRedirect(['http://127.0.0.1/callback'], 'http://127.0.0.1:53124/callback');
  assert.equal(loopback.matched, true);
  assert.equal(loopback.policy, 'rfc8252');
  assert.equal(loopback.matched_index, 0);
  const exact = cimd.matchRedirect(['http://127.0.0.1/callback', 'https://a.example/cb/'], 'https://a.example/cb', { policy: 'exact' });
  assert.equal(exact.matched, false);
  assert.equal(exact.candidates.length, 2);
  assert.match(exact.candidates[1].reason, /slash/);
  assert.equal(cimd.matchRedirect(['https://*.example.com/cb'], 'https://a.example.com/cb', { policy: 'wildcard' }).matched, true);
});

test('render prints the CLI\'s text, frames included', () => {
  const report = cimd.validate(broken, { url: URL_ });
  const text = cimd.render(report, broken, { path: 'broken.json' });
  assert.match(text, /error\[CIMD107\]/);
  assert.match(text, /--> broken\.json:2:17/);
  assert.match(text, /\^{10}/);
  assert.match(text, /✗ Invalid CIMD document \(5 errors, 4 warnings, 3 info, profile mcp\)/);
  assert.ok(!cimd.render(report, broken, { diagnosticsOnly: true }).includes('Document details:'));
  assert.ok(cimd.render(report, broken, { color: true }).includes('\x1b['));
  assert.ok(!cimd.render(report).includes('^^^'), 'no frames without the text');
});

test('explain and codes come from the registry', () => {
  const all = cimd.codes();
  assert.ok(all.length > 50);
  assert.ok(all.every((c) => /^CIMD\d{3}$/.test(c.code) && c.name && c.doc));
  assert.match(cimd.explain('CIMD107'), /^# CIMD107 client-id-mismatch/);
  assert.equal(cimd.explain('client-id-mismatch'), cimd.explain('CIMD107'));
  assert.equal(cimd.explain('CIMD999'), null);
});

test('wrong argument types throw a TypeError that names the argument', () => {
  const cases = [
    [() => cimd.validate(), /cimd\.validate: text must be a string or a Uint8Array, got undefined/],
    [() => cimd.validate(42), /text must be a string or a Uint8Array, got a number/],
    [() => cimd.validate({}), /got an object/],
    [() => cimd.validate(null), /got null/],
    [() => cimd.validate('{}', 'mcp'), /options must be an object, got a string/],
    [() => cimd.validate('{}', { url: 7 }), /options\.url must be a string, got a number/],
    [() => cimd.validate('{}', { profile: 'oauth' }), /options\.profile must be one of "mcp", "ietf", got "oauth"/],
    [() => cimd.validate('{}', { strict: 'yes' }), /options\.strict must be a boolean/],
    [() => cimd.validate('{}', { maxBytes: -1 }), /options\.maxBytes must be a whole number/],
    [() => cimd.validate('{}', { maxBytes: 1.5 }), /options\.maxBytes/],
    [() => cimd.create(), /cimd\.create: options must be an object, got undefined/],
    [() => cimd.create({ name: 'A' }), /options\.redirectUris must be an array of strings, got undefined/],
    [() => cimd.create({ name: 'A', redirectUris: [1] }), /options\.redirectUris\[0\] must be a string/],
    [() => cimd.create({ name: 'A', redirectUris: [], profile: 'x' }), /options\.profile/],
    [() => cimd.matchRedirect('http://a/cb', 'http://a/cb'), /registered must be an array of strings, got a string/],
    [() => cimd.matchRedirect([], undefined), /requested must be a string, got undefined/],
    [() => cimd.matchRedirect([], 'x', { policy: 'loose' }), /options\.policy must be one of "rfc8252", "exact", "wildcard"/],
    [() => cimd.render(), /cimd\.render: report must be an object, got undefined/],
    [() => cimd.render({ valid: true }), /cimd\.render: report\.profile is required/],
    [() => cimd.render({ ...cimd.validate('{}'), diagnostics: [{ code: 'CIMD999' }] }), /cimd\.render: report/],
    [() => cimd.explain(107), /cimd\.explain: code must be a string, got a number/],
    [() => cimd.validateFetched({ url: URL_ }), /response\.status is required/],
    [() => cimd.validateFetched({ url: URL_, status: '200' }), /response\.status must be a whole number/],
    [() => cimd.validateFetched({ url: URL_, status: 200, headers: [['a']] }), /response\.headers\[0\] must be a \[name, value\] pair/],
    [() => cimd.validateFetched({ url: URL_, status: 200, address: 'nope' }), /cimd\.validateFetched: response\.address `nope` is not an IP address/],
    [() => cimd.validateFetched({ url: URL_, status: 200, body: 5 }), /response\.body must be a string or a Uint8Array/],
    [() => cimd.fetchFailure(URL_, { kind: 'gone' }), /failure\.kind must be one of/],
    [() => cimd.fetchFailure(URL_, { kind: 'timeout' }), /afterMs/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof TypeError && message.test(e.message), `${call}`);
  }
});

test('an option or member a function does not read is refused, saying why', async () => {
  const cases = [
    [() => cimd.validate('{}', { timeoutMs: 5 }), /cimd\.validate: options\.timeoutMs: has no effect: nothing is fetched here \(validateUrl fetches\)/],
    [() => cimd.validate('{}', { allowLoopback: true }), /options\.allowLoopback: has no effect/],
    [() => cimd.validate('{}', { maxbytes: 10 }), /options\.maxbytes: unknown option \(options takes url, profile, strict, maxBytes\)/],
    [() => cimd.validateFetched({ url: URL_, status: 200 }, { url: URL_ }), /options\.url: has no effect: the document URL is response\.url/],
    [() => cimd.validateFetched({ url: URL_, status: 200 }, { allowLoopback: true }), /response\.allowLoopback/],
    [() => cimd.validateFetched({ url: URL_, status: 200, header: [] }), /response\.header: unknown member/],
    [() => cimd.fetchFailure(URL_, { kind: 'other' }, { url: URL_ }), /options\.url: has no effect/],
    [() => cimd.fetchFailure(URL_, { kind: 'other', after_ms: 1 }), /failure\.after_ms: unknown member/],
    [() => cimd.create({ name: 'A', redirectUris: [], pretty: true }), /options\.pretty: unknown option/],
    [() => cimd.matchRedirect([], 'x', { policy: 'exact', profile: 'mcp' }), /options\.profile: unknown option \(options takes policy\)/],
    [() => cimd.render(cimd.validate('{}'), '{}', { format: 'json' }), /options\.format: unknown option/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof TypeError && message.test(e.message), `${call}`);
  }
  await assert.rejects(cimd.validateUrl(URL_, { url: URL_ }), /options\.url: has no effect: the URL to fetch is the first argument/);
  await assert.rejects(cimd.validateUrl(URL_, { timeout: 5 }), /options\.timeout: unknown option/);
  // An explicit `undefined` is an option not given.
  assert.equal(cimd.validate(good, { url: URL_, timeoutMs: undefined }).valid, true);
});

test('a lone surrogate is refused with its index; well-formed astral text is fine', () => {
  assert.throws(() => cimd.validate('{"client_name":"\ud800"}'), /text is not well-formed UTF-16: a lone surrogate at index 16/);
  assert.throws(() => cimd.validate('{}', { url: 'https://a.example/\udc00' }), /options\.url is not well-formed/);
  assert.throws(() => cimd.matchRedirect(['\ud83d'], 'x'), /registered\[0\] is not well-formed/);
  const r = cimd.validate(JSON.stringify({ ...JSON.parse(good), client_name: 'App 😀' }), { url: URL_ });
  assert.equal(r.document.client_name, 'App 😀');
});

test('a report made by wasm and never decoded does not leave wrong strings behind', () => {
  const expected = cimd.validate(broken, { url: URL_ });
  const glue = wasm.exports;
  let resets = 0;
  wasm.exports = { ...glue, resetStrings: () => { resets += 1; glue.resetStrings(); } };
  try {
    // The raw export defines strings the JavaScript table never sees (what api.js never does).
    glue.validateText('{"client_secret":"x","jwks":{},"scope":7,"software_statement":1}', undefined, true, true, 5);
    assert.deepStrictEqual(cimd.validate(broken, { url: URL_ }), expected);
    assert.equal(resets, 1, 'the tables were found out of step and reset');
    assert.deepStrictEqual(cimd.validate(broken, { url: URL_ }), expected);
    assert.equal(resets, 1);
  } finally {
    wasm.exports = glue;
  }
});

test('huge input: a report up to the limit, a RangeError past it', () => {
  const big = `{"client_name":"${'a'.repeat(1024 * 1024)}"}`;
  const r = cimd.validate(big, { url: URL_ });
  assert.equal(r.valid, false);
  assert.ok(r.diagnostics.some((d) => /large|bytes/.test(d.message)));
  const tooBig = 'x'.repeat(cimd.MAX_INPUT_LENGTH + 1);
  assert.throws(() => cimd.validate(tooBig), RangeError);
  assert.throws(() => cimd.validate(new Uint8Array(cimd.MAX_INPUT_LENGTH + 1)), RangeError);
  // The module still works after every refusal.
  assert.equal(cimd.validate(good, { url: URL_ }).valid, true);
});

test('no leak: memory stays flat over many calls, errors included', () => {
  const round = () => {
    for (let i = 0; i < 2000; i++) {
      cimd.validate(broken, { url: URL_ });
      cimd.validate(new TextEncoder().encode(vscode));
      cimd.matchRedirect(['http://127.0.0.1/cb'], 'http://127.0.0.1:1/cb');
      assert.throws(() => cimd.render({ valid: true }));
      assert.throws(() => cimd.validateFetched({ url: URL_, status: 200, address: 'x' }));
      cimd.render(cimd.validate('{'), '{');
    }
  };
  round();
  const before = cimd.memoryBytes();
  round();
  round();
  assert.equal(cimd.memoryBytes(), before);
});

// validateUrl with an injected fetch: what the rules see is what a server would get.
function fakeFetch(respond) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { fetch, calls };
}

test('validateUrl fetches without following redirects and validates the body', async () => {
  const { fetch, calls } = fakeFetch(() => new Response(good, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=3600' } }));
  const r = await cimd.validateUrl(URL_, { fetch });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].init.redirect, 'manual');
  assert.equal(calls[0].init.credentials, 'omit');
  assert.equal(r.valid, true, JSON.stringify(r.diagnostics));
  assert.equal(r.url, URL_);
  assert.equal(r.fetch.status, 200);
  assert.equal(r.fetch.content_type, 'application/json');
  assert.equal(r.fetch.bytes, new TextEncoder().encode(good).length);
  assert.equal(r.fetch.cache_ttl_s, 3600);
  assert.equal(r.fetch.address, null);
});

test('validateUrl reports a redirect, a 404 and a wrong content type', async () => {
  const redirect = await cimd.validateUrl(URL_, { fetch: fakeFetch(() => new Response(null, { status: 301, headers: { location: `${URL_}/` } })).fetch });
  assert.equal(redirect.valid, false);
  assert.match(redirect.diagnostics[0].message, /301 Moved Permanently redirecting to/);
  const missing = await cimd.validateUrl(URL_, { fetch: fakeFetch(() => new Response('nope', { status: 404 })).fetch });
  assert.equal(missing.valid, false);
  assert.equal(missing.fetch.status, 404);
  const text = await cimd.validateUrl(URL_, { fetch: fakeFetch(() => new Response(good, { headers: { 'content-type': 'text/plain' } })).fetch });
  assert.ok(text.diagnostics.some((d) => /text\/plain/.test(d.message)));
});

test('validateUrl stops reading past maxBytes', async () => {
  let pulled = 0;
  const endless = new ReadableStream({
    pull(controller) {
      pulled += 1;
      controller.enqueue(new Uint8Array(1000).fill(0x20));
    },
  });
  const r = await cimd.validateUrl(URL_, { maxBytes: 2500, fetch: fakeFetch(() => new Response(endless, { headers: { 'content-type': 'application/json' } })).fetch });
  assert.equal(r.valid, false);
  assert.equal(r.fetch.bytes, 2501);
  assert.ok(r.diagnostics.some((d) => /2500-byte cap/.test(d.message)));
  assert.ok(pulled < 10, `read ${pulled} chunks`);
});

test('validateUrl times out, on the response and on the body', async () => {
  const hang = (url, init) => new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
  const r = await cimd.validateUrl(URL_, { timeoutMs: 50, fetch: hang });
  assert.equal(r.valid, false);
  assert.equal(r.fetch.elapsed_ms, 50);
  assert.match(r.diagnostics[0].message, /no complete response within 0\.0 s|within/);
  const slowBody = () => new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { headers: { 'content-type': 'application/json' } });
  const body = await cimd.validateUrl(URL_, { timeoutMs: 50, fetch: slowBody });
  assert.equal(body.valid, false);
  assert.equal(body.fetch.elapsed_ms, 50);
});

test('validateUrl reports network errors by kind', async () => {
  const failing = (code) => async () => {
    throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
  };
  const dns = await cimd.validateUrl(URL_, { fetch: failing('ENOTFOUND') });
  assert.match(dns.diagnostics[0].message, /^DNS: fetch failed/);
  const refused = await cimd.validateUrl(URL_, { fetch: failing('ECONNREFUSED') });
  assert.match(refused.diagnostics[0].message, /^connection failed/);
  const tls = await cimd.validateUrl(URL_, { fetch: failing('DEPTH_ZERO_SELF_SIGNED_CERT') });
  assert.match(tls.diagnostics[0].message, /^TLS/);
  for (const r of [dns, refused, tls]) assert.equal(r.valid, false);
});

test('validateUrl refuses before any I/O what a server must not fetch', async () => {
  const { fetch, calls } = fakeFetch(() => new Response(good));
  for (const url of ['http://app.example.com/c.json', 'https://127.0.0.1/c.json', 'https://10.0.0.1/c.json', 'https://localhost/c.json', 'https://u@app.example.com/c.json']) {
    const r = await cimd.validateUrl(url, { fetch });
    assert.equal(r.valid, false, url);
    assert.equal(r.url, url);
  }
  assert.equal(calls.length, 0);
  await cimd.validateUrl('https://127.0.0.1/c.json', { fetch, allowLoopback: true });
  assert.equal(calls.length, 1);
  await assert.rejects(cimd.validateUrl(URL_, { fetch: 'no' }), /options\.fetch must be a function/);
  await assert.rejects(cimd.validateUrl(URL_, { url: URL_ }), /options\.url: has no effect: the URL to fetch is the first argument/);
  await assert.rejects(cimd.validateUrl(undefined), /cimd\.validateUrl: url must be a string, got undefined/);
});

test('validateUrl with compare: the file against the live document (drift)', async () => {
  const file = JSON.stringify({
    client_id: URL_, client_name: 'App', redirect_uris: ['http://localhost/callback'], token_endpoint_auth_method: 'none',
  }, null, 2);
  const served = (body) => fakeFetch(() => new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=3600' } }));
  // The same document served minified: no drift.
  const same = await cimd.validateUrl(URL_, { fetch: served(JSON.stringify(JSON.parse(file))).fetch, compare: file });
  assert.ok(!same.diagnostics.some((d) => d.code === 'CIMD604'), JSON.stringify(same.diagnostics));
  assert.equal(same.fetch.status, 200);
  // The live document registers 127.0.0.1: one difference, at the file's redirect_uris.
  const { fetch, calls } = served(good);
  const r = await cimd.validateUrl(URL_, { fetch, compare: file });
  assert.equal(calls.length, 1);
  assert.equal(r.valid, false);
  const drift = r.diagnostics.filter((d) => d.code === 'CIMD604');
  assert.equal(drift.length, 1, JSON.stringify(r.diagnostics));
  assert.equal(drift[0].pointer, '/redirect_uris');
  assert.equal(drift[0].range.start.line, 4);
  assert.match(drift[0].message, /file `\["http:\/\/localhost\/callback"\]`, live `\["http:\/\/127\.0\.0\.1\/callback"\]`/);
  assert.ok(cimd.render(r, file).includes('error[CIMD604]'));
  // Bytes work as text does; the report is the file's (its document).
  const bytes = await cimd.validateUrl(URL_, { fetch: served(good).fetch, compare: new TextEncoder().encode(file) });
  // (Two fetches: the time each took may differ by a millisecond.)
  assert.deepEqual({ ...bytes, fetch: { ...bytes.fetch, elapsed_ms: 0 } }, { ...r, fetch: { ...r.fetch, elapsed_ms: 0 } });
  assert.deepEqual(r.document, JSON.parse(file));
  // No live document: the failure beside the file's own findings; a refused URL likewise.
  const down = await cimd.validateUrl(URL_, { compare: file, fetch: async () => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); } });
  assert.ok(down.diagnostics.some((d) => d.code === 'CIMD507'));
  assert.ok(!down.diagnostics.some((d) => d.code === 'CIMD604'));
  assert.deepEqual(down.document, JSON.parse(file));
  const refused = await cimd.validateUrl('http://app.example.com/c.json', { compare: file, fetch });
  assert.ok(refused.diagnostics.some((d) => d.code === 'CIMD509'));
  assert.deepEqual(refused.document, JSON.parse(file));
  // validateFetched and fetchFailure take it too; validate has no live document.
  const fetched = cimd.validateFetched({ url: URL_, status: 200, headers: [['content-type', 'application/json']], body: good }, { compare: file });
  assert.ok(fetched.diagnostics.some((d) => d.code === 'CIMD604'));
  assert.ok(cimd.fetchFailure(URL_, { kind: 'timeout', afterMs: 5 }, { compare: file }).document);
  assert.throws(() => cimd.validate(file, { compare: file }), /options\.compare: has no effect: there is no live document here/);
  await assert.rejects(cimd.validateUrl(URL_, { fetch, compare: 5 }), /options\.compare must be the file's text/);
});
