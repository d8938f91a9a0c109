// The real servers' code on the conformance corpus: each case served as its document (or its recorded
// response) to FastMCP (PyPI, in process), @cloudflare/workers-oauth-provider (npm, in workerd through
// Miniflare) and the MCP TypeScript SDK's metadata schema, and each verdict set beside cimd's
// prediction for that server in `report.portability`. The network is the only thing replaced: every
// request is answered from memory with the case's status, headers and body.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Miniflare } from 'miniflare';
import * as cimd from 'cimd';
import { OAuthClientInformationFullSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { fastmcpPython } from '../../scripts/peers/setup.mjs';
import { bytesOf, loadCases, root, run } from '../npm/corpus.mjs';

const here = `${root}tests/servers/`;
const PUBLIC_ADDRESS = '93.184.216.34';

/**
 * The URL a server fetches: the case's, or for a document checked without one, its own client_id (a
 * client presents the URL its document is served at), or the corpus's usual URL.
 */
export function urlOf(c) {
  if (c.url) return c.url;
  try {
    const id = JSON.parse(c.document ?? '').client_id;
    if (typeof id === 'string') return id;
  } catch { /* not JSON: any URL serves */ }
  return 'https://app.example.com/oauth/client.json';
}

/** What a server fetching the case's URL receives: the recorded response, or the document as a 200. */
export function answerOf(c) {
  const r = c.response;
  return {
    url: urlOf(c),
    status: r?.status ?? 200,
    headers: r?.headers ?? [['content-type', 'application/json']],
    body: bytesOf(c),
    address: r?.address ?? addressOf(urlOf(c)),
  };
}

/**
 * Where a name resolves when the case recorded no address: an IP literal to itself, `localhost`
 * names to loopback (as every resolver does), any other name to a public address.
 */
function addressOf(url) {
  let host;
  try { host = new URL(url).hostname; } catch { return PUBLIC_ADDRESS; }
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return bare;
  if (host === 'localhost' || host.endsWith('.localhost')) return '127.0.0.1';
  return PUBLIC_ADDRESS;
}

/** Every corpus case cimd predicts verdicts for (a failed fetch or no document has no rows). */
export function predictedCases() {
  // A case with its own byte cap checks cimd's option, not a server: each server has its own cap.
  return loadCases().filter((c) => c.max_bytes === undefined).flatMap((c) => {
    const report = run(cimd, c);
    if (report.portability.length === 0) return [];
    const predicted = Object.fromEntries(report.portability.map((p) => [p.server, p]));
    const codes = [...new Set(report.diagnostics.map((d) => d.code))].sort();
    return [{ case: c, predicted, codes }];
  });
}

/** FastMCP's verdicts, one Python process for all requests (JSON lines). */
export function fastmcp(requests) {
  const input = requests.map((q) => JSON.stringify(q.redirect ? q : {
    url: q.url, status: q.status, headers: q.headers, address: q.address,
    body_b64: Buffer.from(q.body).toString('base64'),
  })).join('\n') + '\n';
  const out = spawnSync(fastmcpPython(), [`${here}fastmcp_verdicts.py`], {
    input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`fastmcp_verdicts.py failed:\n${out.stderr}`);
  return out.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const normal = (url) => { try { return new URL(url).href; } catch { return url; } };

/** An address workerd's `global_fetch_strictly_public` would not connect to (the platform's SSRF guard). */
function isPrivate(address) {
  if (!isIP(address)) return false;
  const mapped = address.toLowerCase().match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  const a = mapped
    ? [parseInt(mapped[1], 16) >> 8, parseInt(mapped[1], 16) & 255, parseInt(mapped[2], 16) >> 8, parseInt(mapped[2], 16) & 255].join('.')
    : address.toLowerCase().replace(/^::ffff:/, '');
  return /^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|192\.0\.[02]\.|198\.1[89]\.|198\.51\.100\.|203\.0\.113\.|2[2-5]\d\.)/.test(a)
    || a === '::1' || a === '::' || /^(f[cd]|fe[89ab]|ff|64:ff9b:|2002:|2001:db8:|::ffff:)/.test(a);
}

/** The provider in workerd, asked about each request in turn; `close()` when done. */
export async function cloudflare() {
  const provider = `${root}node_modules/@cloudflare/workers-oauth-provider/dist/oauth-provider.js`;
  let answer = null;
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: `${here}worker.mjs`, contents: readFileSync(`${here}cloudflare-worker.mjs`, 'utf8') },
      { type: 'ESModule', path: `${here}oauth-provider.js`, contents: readFileSync(provider, 'utf8') },
    ],
    compatibilityDate: '2025-09-01',
    // The provider enables CIMD only with this flag (its SSRF guard is the platform's).
    compatibilityFlags: ['global_fetch_strictly_public', 'nodejs_compat'],
    kvNamespaces: ['OAUTH_KV'],
    cache: false,
    outboundService: (request) => {
      // workerd sends the URL in its WHATWG form (lower-case host, no default port).
      if (!answer || request.url !== normal(answer.url)) return new Response('not in the mock', { status: 404 });
      if (isPrivate(answer.address)) throw new Error(`connection to ${answer.address} refused`);
      const nullBody = [101, 204, 205, 304].includes(answer.status);
      return new Response(nullBody ? null : answer.body, { status: answer.status, headers: answer.headers });
    },
    cf: false,
    verbose: false,
  });
  await mf.ready;
  const ask = async (body) => {
    const response = await mf.dispatchFetch('https://as.example.com/', { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`the provider's Worker: ${await response.text()}`);
    return response.json();
  };
  return {
    async verdict(a) {
      answer = a;
      return ask({ url: a.url });
    },
    async redirect({ url, document, uri }) {
      answer = { url, status: 200, headers: [['content-type', 'application/json']], body: document, address: PUBLIC_ADDRESS };
      return ask({ redirect: { url, uri } });
    },
    close: () => mf.dispose(),
  };
}

/** The TS SDK's verdict: its client metadata schema on the body (it has no server-side fetcher). */
export function tsSdk(a) {
  let data;
  try { data = JSON.parse(new TextDecoder().decode(a.body)); } catch (e) { return { accepted: false, reason: 'not JSON' }; }
  const result = OAuthClientInformationFullSchema.safeParse(data);
  return result.success
    ? { accepted: true, reason: '' }
    : { accepted: false, reason: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 200) };
}

export const SERVERS = ['fastmcp', 'cloudflare-workers-oauth-provider', 'mcp-typescript-sdk'];

/**
 * Every server's real verdict on every predicted case:
 * `{ server: [{ name, accepted, predicted, because, notes, reason }] }`.
 */
export async function check(cases = predictedCases()) {
  const answers = cases.map((x) => answerOf(x.case));
  const real = {
    fastmcp: fastmcp(answers),
    'mcp-typescript-sdk': answers.map(tsSdk),
  };
  const cf = await cloudflare();
  try {
    real['cloudflare-workers-oauth-provider'] = [];
    for (const a of answers) real['cloudflare-workers-oauth-provider'].push(await cf.verdict(a));
  } finally {
    await cf.close();
  }
  return Object.fromEntries(SERVERS.map((server) => [server, cases.map((x, i) => {
    const p = x.predicted[server];
    return {
      name: x.case.name,
      codes: x.codes,
      accepted: real[server][i].accepted,
      reason: real[server][i].reason,
      predicted: p?.accepts,
      because: p?.because ?? [],
      notes: p?.notes ?? [],
    };
  })]));
}

/** The smallest document that registers `registered`, served at the corpus's usual URL. */
function documentFor(registered) {
  const url = 'https://app.example.com/oauth/client.json';
  return { url, document: JSON.stringify({ client_id: url, client_name: 'Example App', redirect_uris: registered, token_endpoint_auth_method: 'none' }) };
}

/** The redirect cases: tests/data/peers/manifest.json's `redirect_cases`, then redirect-cases.json. */
export function redirectCases() {
  const peers = `${root}tests/data/peers/`;
  const manifest = JSON.parse(readFileSync(`${peers}manifest.json`, 'utf8'));
  const docs = new Map(manifest.docs.map((d) => [d.file, d]));
  const fromManifest = manifest.redirect_cases.map((c) => {
    const served = c.doc
      ? { url: docs.get(c.doc).url, document: readFileSync(`${peers}${c.doc}`, 'utf8') }
      : documentFor(c.patterns);
    const registered = JSON.parse(served.document).redirect_uris;
    return { name: c.name, ...served, registered, uri: c.redirect_uri === 'LAST' ? registered.at(-1) : c.redirect_uri };
  });
  const ours = JSON.parse(readFileSync(`${here}redirect-cases.json`, 'utf8'))
    .map((c) => ({ name: c.name, ...documentFor(c.registered), registered: c.registered, uri: c.uri }));
  return [...fromManifest, ...ours];
}

/** FastMCP's and Cloudflare's provider's matchers on every redirect case: `{ server: [{ name, registered, uri, matched, reason }] }`. */
export async function checkRedirects(cases = redirectCases()) {
  const row = (c, r) => ({ name: c.name, registered: c.registered, uri: c.uri, matched: r.matched, reason: r.reason });
  const fm = fastmcp(cases.map((c) => ({ redirect: { document: c.document, url: c.url, uri: c.uri } })));
  const cf = await cloudflare();
  const cfRows = [];
  try {
    for (const c of cases) cfRows.push(row(c, await cf.redirect({ url: c.url, document: new TextEncoder().encode(c.document), uri: c.uri })));
  } finally {
    await cf.close();
  }
  return { fastmcp: cases.map((c, i) => row(c, fm[i])), 'cloudflare-workers-oauth-provider': cfRows };
}
