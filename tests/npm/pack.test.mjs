// `npm pack` produces a tarball that installs and runs in a fresh directory (no registry needed:
// the package has no dependencies), and ships only the package: JS, types and both .wasm builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

function sh(cmd, args, cwd) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  assert.equal(result.status, 0, `${cmd} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test('npm pack installs and runs in a fresh directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimd-pack-'));
  try {
    const [packed] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', dir], root));
    const files = packed.files.map((f) => f.path).sort();
    for (const f of ['package.json', 'README.md', 'js/api.js', 'js/node.js', 'js/browser.js', 'js/workerd.js', 'js/index.d.ts',
      'pkg/codes.d.ts', 'pkg/docs.js', 'pkg/node/cimd.js', 'pkg/node/cimd_bg.wasm', 'pkg/web/cimd.js', 'pkg/web/cimd_bg.wasm']) {
      assert.ok(files.includes(f), `${f} is missing from the tarball: ${files.join(', ')}`);
    }
    assert.ok(!files.some((f) => f.startsWith('crates/') || f.startsWith('tests/') || f.startsWith('scripts/')), files.join(', '));

    const app = join(dir, 'app');
    sh('mkdir', ['-p', app], dir);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    sh('npm', ['install', '--no-package-lock', join(dir, packed.filename)], app);
    writeFileSync(join(app, 'index.mjs'), `
      import { validate, matchRedirect, explain, codes, render } from 'cimd';
      const url = 'https://app.example.com/oauth/client.json';
      const report = validate(JSON.stringify({ client_id: url + '/', client_name: 'A', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' }), { url });
      console.log(JSON.stringify({
        valid: report.valid,
        codes: report.diagnostics.map((d) => d.code),
        matched: matchRedirect(['http://127.0.0.1/cb'], 'http://127.0.0.1:9/cb').matched,
        explained: explain('CIMD107').split('\\n')[0],
        codes: codes().length > 50,
        documented: explain('CIMD107').includes('## What it checks') && codes().every((c) => c.doc.includes('## Why')),
        rendered: render(report).includes('Invalid CIMD document'),
      }));
    `);
    const out = JSON.parse(sh(process.execPath, ['index.mjs'], app));
    assert.deepEqual(out, { valid: false, codes: out.codes, matched: true, explained: '# CIMD107 client-id-mismatch', documented: true, rendered: true });
    assert.equal(out.codes, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
