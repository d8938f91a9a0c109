// The conformance corpus in the browser: every case run by the package as the playground bundles it
// (Vite build, size-optimised wasm, served by the Worker, in Chromium) must give the report the npm
// package gives under Node (itself checked against the native core and the CLI in tests/npm), and
// the case's expected verdict and codes unless the case is a known failure (xfail.txt).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as cimd from 'cimd';
import { loadCases, plan, codesOf, xfail } from '../npm/corpus.mjs';
import { setup, openPlayground } from './harness.mjs';

const cases = loadCases();
const known = xfail();
const state = setup();
let inBrowser;

/** Byte arrays do not survive page.evaluate as such: tag them on the way in. */
const wire = (value) => JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? { bytes: [...v] } : v)));

before(async () => {
  await state.ready;
  const page = await openPlayground(await state.browser.newContext(), state.site.base, { errors: state.errors });
  const plans = cases.map((c) => wire(plan(c)));
  inBrowser = await page.evaluate((all) => {
    const revive = (v) => {
      if (Array.isArray(v)) return v.map(revive);
      if (v === null || typeof v !== 'object') return v;
      if (Array.isArray(v.bytes) && Object.keys(v).length === 1) return new Uint8Array(v.bytes);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    };
    const { cimd: pkg } = window.cimdPlayground;
    return all.map(({ fn, args }) => {
      try {
        return { report: pkg[fn](...args.map(revive)) };
      } catch (e) {
        return { error: String(e) };
      }
    });
  }, plans);
});

test('the browser ran every case of the corpus', () => {
  assert.ok(cases.length >= 400, `${cases.length} cases`);
  assert.equal(inBrowser.length, cases.length);
});

cases.forEach((c, i) => {
  test(`browser: ${c.file}: ${c.name}`, () => {
    const got = inBrowser[i];
    assert.equal(got.error, undefined, got.error);
    const { fn, args } = plan(c);
    assert.deepStrictEqual(got.report, cimd[fn](...args), 'the bundled package differs from the package under Node');
    if (!known.has(c.name)) assert.deepStrictEqual({ valid: got.report.valid, codes: codesOf(got.report) }, c.expect, c.description);
  });
});
