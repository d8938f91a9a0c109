// `codes()` and `explain` of the npm package against the CLI, for every code: the package's wasm
// leaves the codes' long docs out (pkg/docs.js carries them), so this checks that the two halves
// still make exactly what `cimd codes --format json` and `cimd explain` print. Also the size budget
// of the web .wasm (docs/benchmarks.md#budgets: 150 KB gzipped), as pkg/sizes.json reports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as cimd from 'cimd';
import { root, targetDir } from './corpus.mjs';
import { sizes, WEB_GZIP_BUDGET } from '../../scripts/build.mjs';

const build = spawnSync('cargo', ['build', '-q', '--locked', '-p', 'cimd-cli'], { cwd: root, stdio: 'inherit' });
const cli = (...args) => spawnSync(`${targetDir}/debug/cimd`, args, { encoding: 'utf8' });

test('codes() equals `cimd codes --format json`', () => {
  assert.equal(build.status, 0, 'cargo build -p cimd-cli');
  const out = cli('codes', '--format', 'json');
  assert.equal(out.status, 0, out.stderr);
  assert.deepStrictEqual(cimd.codes(), JSON.parse(out.stdout));
  assert.ok(cimd.codes().every((c) => c.doc.includes('## What it checks')));
});

test('explain equals `cimd explain` for every code, by number and by name', () => {
  for (const c of cimd.codes()) {
    const expected = cli('explain', c.code).stdout;
    assert.ok(expected.startsWith(`# ${c.code} ${c.name}\n`), expected);
    assert.equal(cimd.explain(c.code), expected, c.code);
    assert.equal(cimd.explain(c.name), expected, c.name);
    assert.equal(cimd.explain(` ${c.code.toLowerCase()} `), expected, c.code);
  }
  assert.equal(cimd.explain('CIMD999'), null);
  assert.equal(cli('explain', 'CIMD999').status, 2);
});

test('the web .wasm is within its gzip budget', () => {
  const web = sizes(`${root}pkg/web/cimd_bg.wasm`);
  assert.ok(web.gzip <= WEB_GZIP_BUDGET, `pkg/web/cimd_bg.wasm is ${web.gzip} bytes gzipped; the budget is ${WEB_GZIP_BUDGET}`);
});
