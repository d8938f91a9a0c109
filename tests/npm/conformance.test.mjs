// The whole conformance corpus through the npm package under Node: every report must equal the
// native one (the JSON `cimd validate --format json` prints) member for member, and the cases the
// CLI can take directly (a document, with --url/--profile/--strict/--max-bytes) are also run through
// the real `cimd` binary and compared with its stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as cimd from 'cimd';
import { loadCases, nativeReports, run, bytesOf, codesOf, xfail, root, targetDir } from './corpus.mjs';

const cases = loadCases();
const native = nativeReports();
const known = xfail();

const build = spawnSync('cargo', ['build', '-q', '--locked', '-p', 'cimd-cli'], { cwd: root, stdio: 'inherit' });
const cli = `${targetDir}/debug/cimd`;

function cliReport(c) {
  const args = ['validate', '-', '--format', 'json', '--profile', c.profile ?? 'mcp', '--max-bytes', String(c.max_bytes ?? 5120)];
  if (c.url !== null && c.url !== undefined) args.push('--url', c.url);
  if (c.strict) args.push('--strict');
  const result = spawnSync(cli, args, { input: bytesOf(c), encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `cimd ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

test('the corpus and the native reports agree in size', () => {
  assert.ok(cases.length >= 220, `${cases.length} cases`);
  assert.equal(native.size, cases.length);
  assert.equal(build.status, 0, 'cargo build -p cimd-cli');
});

for (const c of cases) {
  test(`${c.file}: ${c.name}`, () => {
    const report = run(cimd, c);
    assert.deepStrictEqual(report, native.get(c.name), 'the wasm report differs from the native one');
    if (!c.response && !c.failure) assert.deepStrictEqual(report, cliReport(c), 'the wasm report differs from the CLI');
    if (!known.has(c.name)) {
      assert.deepStrictEqual({ valid: report.valid, codes: codesOf(report) }, c.expect, c.description);
    }
  });
}
