// Offline once loaded: everything the page runs on (script, styles, the wasm) comes from the site
// itself, the service worker caches it on the first visit, and after the server is gone (stopped,
// and the browser offline) the page still loads, validates as you type, and says that checking a
// hosted document needs the network.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPlayground, screenshot, select, panelRows } from './harness.mjs';

const state = setup();
let context, base, first, errors;
before(async () => {
  ({ errors } = await state.ready);
  base = state.site.base;
  context = await state.browser.newContext();
});

test('the page needs nothing from other sites to run, and its service worker caches the app shell', async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const requests = [];
  const caching = new Map();
  page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
  page.on('response', (r) => caching.set(new URL(r.url()).pathname, r.headers()['cache-control']));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector('html[data-ready="true"]');
  // Everything but images (a document's logo_uri is another site's, shown in the consent preview).
  const code = requests.filter((r) => r.type !== 'image');
  assert.ok(code.some((r) => r.url.endsWith('.wasm')), 'the wasm is one of the page\'s own files');
  assert.deepEqual(code.filter((r) => new URL(r.url).origin !== new URL(base).origin), [], 'no CDN');
  // www/public/_headers: hashed files are kept a year, the page is revalidated.
  const assets = [...caching].filter(([path]) => path.startsWith('/assets/'));
  assert.ok(assets.length >= 4, JSON.stringify([...caching]));
  for (const [path, value] of assets) assert.equal(value, 'public, max-age=31536000, immutable', path);
  assert.match(caching.get('/'), /max-age=0/);

  await page.waitForSelector('html[data-offline="ready"]');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  assert.match(await page.textContent('#offline-status'), /Works offline/);
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('cimd-playground-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  for (const kind of ['.wasm', '.js', '.css']) assert.ok(cached.some((p) => p.endsWith(kind)), `${kind} cached: ${cached}`);
  assert.ok(cached.includes('/'), 'the page itself');
  first = page;
});

test('with the server stopped and the browser offline, a reload loads the page and it validates as you type', async () => {
  await state.site.dispose();
  state.site = null;
  await assert.rejects(fetch(base), 'the server is gone');
  await context.setOffline(true);
  await first.reload();
  await first.waitForSelector('html[data-ready="true"]');
  assert.equal(await first.evaluate(() => navigator.onLine), false);
  await select(first, 0);
  await first.keyboard.press('Control+End');
  for (let i = 0; i < 3; i++) await first.keyboard.press('Backspace');
  assert.equal(await first.getAttribute('#verdict', 'data-state'), 'invalid', 'validated offline, in the page');
  assert.ok((await panelRows(first)).some((r) => r.code === 'CIMD001'), 'a JSON syntax error after deleting the closing brace');

  await first.click('#tab-check');
  await first.fill('#check-form [name=url]', 'https://vscode.dev/oauth/client-metadata.json');
  await first.click('#check-form button[type=submit]');
  await first.locator('#check-out [data-state=failed]', { hasText: 'You are offline' }).waitFor();
  await screenshot(first, 'offline');
});

test('a new tab opens the playground offline too', async () => {
  const page = await openPlayground(context, base, { errors });
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'valid');
  assert.ok((await panelRows(page)).length > 0);
});
