// The browser entry (js/browser.js, the size-optimised web build) in headless Chromium: imported
// through an import map as a bundler would resolve it, it gives the Node build's report on every
// conformance case, renders, and refuses to fetch what a server must not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { build as esbuild } from 'esbuild';
import * as cimd from 'cimd';
import { loadCases, plan, root } from './corpus.mjs';

const CHROMIUM = '/usr/bin/chromium';
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
const PAGE = `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"cimd": "/js/browser.js"}}</script>
<script type="module">import * as cimd from 'cimd'; window.cimd = cimd; document.title = 'ready';</script>`;

let server, context, page, profile, bundled;

before(async () => {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    // /esbuild/...: an app bundled by esbuild, served from its own folder.
    const base = path.startsWith('/esbuild/') ? bundled : root;
    const file = join(base, path.replace(/^\/esbuild\//, '/'));
    if (!file.startsWith(base) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // An app that imports the package by name, bundled by esbuild for the browser (the `browser`
  // condition); esbuild keeps `new URL('../pkg/web/cimd_bg.wasm', import.meta.url)` as it is, so the
  // .wasm is copied there, as the README tells esbuild users to.
  bundled = mkdtempSync(join(tmpdir(), 'cimd-esbuild-'));
  writeFileSync(join(bundled, 'app.js'), "import { validate } from 'cimd'; window.esbuildReport = validate(window.documentText, { url: window.documentUrl });");
  mkdirSync(join(bundled, 'node_modules'));
  symlinkSync(root, join(bundled, 'node_modules/cimd'), 'dir');
  await esbuild({ entryPoints: [join(bundled, 'app.js')], bundle: true, format: 'esm', platform: 'browser', outfile: join(bundled, 'dist/app.js'), logLevel: 'silent' });
  mkdirSync(join(bundled, 'pkg/web'), { recursive: true });
  copyFileSync(join(root, 'pkg/web/cimd_bg.wasm'), join(bundled, 'pkg/web/cimd_bg.wasm'));
  writeFileSync(join(bundled, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./dist/app.js"></script>');
  profile = mkdtempSync(join(tmpdir(), 'cimd-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.title === 'ready', null, { timeout: 30_000 });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (bundled) rmSync(bundled, { recursive: true, force: true });
});

// Uint8Arrays cross page.evaluate as plain arrays: mark them and rebuild them in the page.
const pack = (v) => (v instanceof Uint8Array ? { $bytes: [...v] } : v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pack(x)])) : v);

test('every conformance case gives the Node report in Chromium', async () => {
  const cases = loadCases();
  const plans = cases.map((c) => {
    const { fn, args } = plan(c);
    return { fn, args: args.map(pack) };
  });
  const reports = await page.evaluate((all) => {
    const unpack = (v) => (v && typeof v === 'object' && !Array.isArray(v)
      ? ('$bytes' in v ? new Uint8Array(v.$bytes) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unpack(x)])))
      : v);
    return all.map(({ fn, args }) => window.cimd[fn](...args.map(unpack)));
  }, plans);
  assert.equal(reports.length, cases.length);
  cases.forEach((c, i) => {
    const { fn, args } = plan(c);
    assert.deepStrictEqual(reports[i], cimd[fn](...args), c.name);
  });
});

test('render, create, matchRedirect, explain and bad input in Chromium', async () => {
  const broken = readFileSync(`${root}examples/broken.json`, 'utf8');
  const out = await page.evaluate((text) => {
    const c = window.cimd;
    const report = c.validate(text, { url: 'https://app.example.com/oauth/client.json' });
    let thrown = null;
    try { c.validate(undefined); } catch (e) { thrown = `${e.constructor.name}: ${e.message}`; }
    return {
      render: c.render(report, text, { path: 'broken.json' }),
      created: c.create({ name: 'App', redirectUris: ['http://127.0.0.1/cb'] }),
      matched: c.matchRedirect(['http://127.0.0.1/cb'], 'http://127.0.0.1:4000/cb'),
      explain: c.explain('CIMD107'),
      codes: c.codes().length,
      thrown,
    };
  }, broken);
  const url = 'https://app.example.com/oauth/client.json';
  assert.equal(out.render, cimd.render(cimd.validate(broken, { url }), broken, { path: 'broken.json' }));
  assert.deepStrictEqual(out.created, cimd.create({ name: 'App', redirectUris: ['http://127.0.0.1/cb'] }));
  assert.deepStrictEqual(out.matched, cimd.matchRedirect(['http://127.0.0.1/cb'], 'http://127.0.0.1:4000/cb'));
  assert.equal(out.explain, cimd.explain('CIMD107'));
  assert.equal(out.codes, cimd.codes().length);
  assert.equal(out.thrown, 'TypeError: cimd.validate: text must be a string or a Uint8Array, got undefined');
});

test('validateUrl in Chromium refuses http and special-use hosts before fetching', async () => {
  const reports = await page.evaluate(async (base) => Promise.all([
    window.cimd.validateUrl(`${base}/examples/vscode.json`),
    window.cimd.validateUrl('https://192.168.1.1/client.json'),
  ]), `http://127.0.0.1:${server.address().port}`);
  for (const r of reports) {
    assert.equal(r.valid, false);
    assert.equal(r.fetch.status, null);
  }
  assert.match(reports[0].diagnostics[0].message, /only https URLs are fetched/);
});

test('an app bundled by esbuild runs the package in Chromium', async () => {
  const text = readFileSync(`${root}examples/broken.json`, 'utf8');
  const url = 'https://app.example.com/oauth/client.json';
  const other = await context.newPage();
  await other.addInitScript(([t, u]) => { window.documentText = t; window.documentUrl = u; }, [text, url]);
  await other.goto(`http://127.0.0.1:${server.address().port}/esbuild/index.html`);
  await other.waitForFunction(() => window.esbuildReport !== undefined, null, { timeout: 30_000 });
  assert.deepStrictEqual(await other.evaluate(() => window.esbuildReport), cimd.validate(text, { url }));
  await other.close();
});
