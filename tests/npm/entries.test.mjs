// The package's entry points resolve by condition (node, workerd, browser) and give the same
// reports: the workerd entry runs in Node with a loader that imports `.wasm` as workerd does (the
// browser entry runs in Chromium: browser.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as cimd from 'cimd';

const root = new URL('../../', import.meta.url).pathname;
const broken = readFileSync(`${root}examples/broken.json`, 'utf8');
const url = 'https://app.example.com/oauth/client.json';

function inChild(args, script) {
  const result = spawnSync(process.execPath, [...args, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const probe = `
  const resolved = import.meta.resolve('cimd');
  const cimd = await import('cimd');
  const text = ${JSON.stringify(broken)};
  console.log(JSON.stringify({ resolved, report: cimd.validate(text, { url: ${JSON.stringify(url)} }), render: cimd.render(cimd.validate(text), text) }));
`;

test('the node condition loads the speed build', () => {
  const out = inChild([], probe);
  assert.ok(out.resolved.endsWith('/js/node.js'), out.resolved);
  assert.deepStrictEqual(out.report, cimd.validate(broken, { url }));
});

test('the workerd condition loads the web build from a compiled WebAssembly.Module', () => {
  const out = inChild(['--conditions=workerd', '--import', './tests/npm/wasm-module-loader.mjs'], probe);
  assert.ok(out.resolved.endsWith('/js/workerd.js'), out.resolved);
  assert.deepStrictEqual(out.report, cimd.validate(broken, { url }));
  assert.equal(out.render, cimd.render(cimd.validate(broken), broken));
});
