// The e2e harness: the playground build (www/dist) served by the built Worker in real workerd
// (worker/tests/harness.mjs: Miniflare configured from worker/wrangler.toml, whose static assets
// are www/dist; every outbound request, DNS over HTTPS included, answered by an in-process MockWeb,
// never the internet), and Debian's Chromium driven by playwright-core. Screenshots: target/e2e/.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startWorker } from '../../worker/tests/harness.mjs';
import { MockWeb } from '../../worker/tests/mock.mjs';

export { MockWeb };
export const root = new URL('../../', import.meta.url).pathname;
export const dist = `${root}www/dist`;
export const shots = `${root}target/e2e`;

/** Starts the site in workerd; `web` (a MockWeb) answers the Worker's fetches. Returns `{base, web, dispose}`. */
export async function startSite({ web = new MockWeb() } = {}) {
  if (!existsSync(`${dist}/sw.js`)) throw new Error('www/dist has no playground build: run node scripts/build-www.mjs (npm test does)');
  if (!existsSync(`${root}worker/build/index.js`)) throw new Error('the Worker is not built: run node scripts/build-worker.mjs (npm test does)');
  const { mf, base } = await startWorker({ web });
  return { base: `${base}/`, web, dispose: () => mf.dispose() };
}

export const CHROMIUM = '/usr/bin/chromium';

/** Headless Debian Chromium. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
  });
}

/**
 * A test file's playground: `await state.ready` (in its `before`) starts the site (`web` answers the
 * Worker's fetches) and a browser, and with `page` opens one page on the playground in a context
 * with `contextOptions`. An `after` hook closes both and fails the file if a page opened with
 * `state.errors` logged an error.
 */
export function setup({ web, page = false, contextOptions = { viewport: { width: 1280, height: 900 }, colorScheme: 'light' } } = {}) {
  const state = { errors: [] };
  let starting;
  const start = async () => {
    state.site = await startSite({ web });
    state.browser = await launch();
    if (page) {
      state.context = await state.browser.newContext(contextOptions);
      state.page = await openPlayground(state.context, state.site.base, { errors: state.errors });
    }
    return state;
  };
  Object.defineProperty(state, 'ready', { get: () => (starting ??= start()) });
  after(async () => {
    await state.browser?.close();
    await state.site?.dispose();
    assert.deepEqual(state.errors, [], 'errors in the page');
  });
  return state;
}

/** A new page on `base` (a full URL: a share link keeps its fragment) or `path` in it, ready (wasm loaded, first report shown); page errors fail the test. */
export async function openPlayground(context, base, { path = '', errors = [] } = {}) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // Console errors of the page count, except the browser's own line about a failed load of another
  // site's resource (a document's logo_uri in the consent preview: these machines have no internet)
  // or of an API answer the test provokes (429, 400, no network): the page shows those itself.
  page.on('console', (m) => {
    const from = new URL(m.location().url || base);
    const resource = m.text().startsWith('Failed to load resource');
    if (m.type() === 'error' && !(resource && (from.origin !== new URL(base).origin || from.pathname.startsWith('/api/')))) errors.push(m.text());
  });
  page.setDefaultTimeout(10_000);
  await page.goto(path ? new URL(path, base).href : base);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  return page;
}

/** Saves a screenshot as target/e2e/<name>.png and returns its path. */
export async function screenshot(page, name, options = {}) {
  mkdirSync(shots, { recursive: true });
  const path = `${shots}/${name}.png`;
  await page.screenshot({ path, ...options });
  return path;
}

/** The editor's text. */
export function editorText(page) {
  return page.evaluate(() => window.cimdPlayground.view.state.doc.toString());
}

/** The editor's main selection `{from, to}`. */
export function selection(page) {
  return page.evaluate(() => {
    const { from, to } = window.cimdPlayground.view.state.selection.main;
    return { from, to };
  });
}

/** Puts the cursor at `from` (and selects to `to`) without typing, then focuses the editor. */
export function select(page, from, to = from) {
  return page.evaluate(([a, b]) => {
    const { view } = window.cimdPlayground;
    view.dispatch({ selection: { anchor: a, head: b } });
    view.focus();
  }, [from, to]);
}

/** Replaces the whole text (not typed: a paste-like change). */
export function setText(page, text) {
  return page.evaluate((t) => {
    const { view } = window.cimdPlayground;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } });
  }, text);
}

/** The diagnostics panel as `{severity, where, code, message}` rows, in page order. */
export function panelRows(page) {
  return page.$$eval('#diag-list .diag-row', (rows) => rows.map((r) => ({
    severity: r.querySelector('.sev').textContent,
    where: r.querySelector('.diag-loc').textContent,
    code: r.querySelector('.diag-code').textContent,
    message: r.querySelector('.diag-message').textContent,
  })));
}

/** 1-based line and UTF-16 column of `offset` in `text` (what the report uses). */
export function lineColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1).length + 1}`;
}
