// Builds the Cloudflare Worker (worker/): the hosted documents are validated by worker/build.rs
// (an invalid one fails the build), `worker-build --release` compiles the wasm and bundles it into
// worker/build/ (index.js + index_bg.wasm), and www/dist gets the static assets: the playground
// when its build is present (scripts/build-www.mjs), else a landing page written here.
//
// Tools, installed when missing: worker-build 0.8.7 (cargo install), wasm-bindgen 0.2.130, and the
// npm esbuild/binaryen (wasm-opt) that worker-build is pointed at, since it would otherwise download
// them from GitHub, which an offline or sandboxed build cannot reach. Skipped when no input changed
// since the last build.
// `wrangler dev`/`wrangler deploy` run this as the [build] command of worker/wrangler.toml.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { run, root, have, ensureWasmTarget, ensureWasmBindgen, ensureNodeModules } from './lib.mjs';

export const WORKER_BUILD_VERSION = '0.8.7';
export const workerDir = `${root}worker`;
export const buildDir = `${workerDir}/build`;
export const assetsDir = `${root}www/dist`;

export function ensureWorkerBuild() {
  if (!have('worker-build', WORKER_BUILD_VERSION)) {
    run('cargo', ['install', 'worker-build', '--version', WORKER_BUILD_VERSION, '--locked']);
  }
}

/** The absolute path of a command on PATH (worker-build wants the exact wasm-bindgen ensured above). */
function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
}

/** Every file below `dir` (sorted), for the input stamp. */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** A hash of everything the wasm bundle is made from. */
function inputStamp() {
  const hash = createHash('sha256');
  const inputs = [
    ...files(`${workerDir}/src`), ...files(`${workerDir}/clients`), `${workerDir}/build.rs`,
    `${workerDir}/Cargo.toml`, `${workerDir}/wrangler.toml`, ...files(`${root}crates/cimd/src`),
    `${root}crates/cimd/Cargo.toml`, `${root}Cargo.toml`, `${root}Cargo.lock`,
  ];
  for (const path of inputs) hash.update(path).update(readFileSync(path));
  hash.update(process.env.CARGO_TARGET_DIR ?? '');
  return hash.digest('hex');
}

/** The hosted documents' paths (`/clients/<file>`), as build.rs serves them. */
export function hostedPaths() {
  return readdirSync(`${workerDir}/clients`).filter((n) => n.endsWith('.json')).sort().map((n) => `/clients/${n}`);
}

function landingPage() {
  const docs = hostedPaths().map((p) => `      <li><a href="${p}"><code>${p}</code></a></li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>cimd: OAuth Client ID Metadata Documents, checked</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
    code, pre { font: 14px ui-monospace, monospace; } pre { background: #f4f4f5; padding: .75rem; overflow-x: auto; }
    @media (prefers-color-scheme: dark) { body { background: #111; color: #e5e5e5; } pre { background: #222; } a { color: #8ab4f8; } }
  </style>
</head>
<body>
  <!-- Written by scripts/build-worker.mjs until the playground (www/) is built here. -->
  <h1>cimd</h1>
  <p>A validator for OAuth <strong>Client ID Metadata Documents</strong> (CIMD,
    <code>draft-ietf-oauth-client-id-metadata-document-03</code>, used by MCP). This
    Worker runs the same Rust validation core as the <code>cimd</code> CLI and npm package, and gives the same report.
    The interactive playground is not built yet; the API below is.</p>
  <h2>API</h2>
  <ul>
    <li><code>POST /api/validate</code> with <code>{"document": "...", "url": "...", "profile": "mcp", "strict": false}</code>: the report (<code>?format=text</code> for the CLI's text)</li>
    <li><code>GET <a href="/api/validate?url=https%3A%2F%2Fvscode.dev%2Foauth%2Fclient-metadata.json">/api/validate?url=https://…</a></code>: fetches the document as a careful authorization server does (https only, no special-use addresses, no redirects, 200 only, 5 KB cap, 10 s timeout) and validates it</li>
    <li><code>POST /api/match</code> with <code>{"registered": ["http://127.0.0.1/callback"], "requested": "http://127.0.0.1:53124/callback"}</code>: does a redirect URI match?</li>
    <li><code>GET <a href="/api/codes">/api/codes</a></code>: every diagnostic code</li>
  </ul>
  <pre>curl -s -X POST -H 'content-type: application/json' \\
  --data '{"document": "{\\"client_id\\": \\"https://app.example/c.json/\\"}", "url": "https://app.example/c.json"}' \\
  ${'${ORIGIN}'}/api/validate?format=text</pre>
  <h2>Hosted documents</h2>
  <p>Sample documents served at the exact URL of their <code>client_id</code> (200, JSON, ETag, never a redirect):</p>
  <ul>
${docs}
  </ul>
</body>
</html>
`;
}

/** The static assets: the playground's build when there is one, else the landing page. */
async function buildAssets() {
  const www = `${root}scripts/build-www.mjs`;
  if (existsSync(www)) {
    await (await import(pathToFileURL(www).href)).buildWww?.();
  }
  const index = `${assetsDir}/index.html`;
  if (!existsSync(index)) {
    mkdirSync(assetsDir, { recursive: true });
    writeFileSync(index, landingPage().replace('${ORIGIN}', 'http://127.0.0.1:8787'));
    console.log(`wrote the landing page ${index}`);
  }
}

/** Builds the Worker into worker/build/ and the assets into www/dist; returns the bundle's files. */
export async function buildWorker({ force = false } = {}) {
  ensureWasmTarget();
  ensureWasmBindgen();
  ensureNodeModules();
  ensureWorkerBuild();
  await buildAssets();
  const stampFile = `${buildDir}/.inputs-sha256`;
  const stamp = inputStamp();
  const built = existsSync(`${buildDir}/index.js`) && existsSync(`${buildDir}/index_bg.wasm`);
  if (!force && built && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    console.log('worker/build is up to date');
  } else {
    const bin = `${root}node_modules/.bin`;
    run('worker-build', ['--release'], {
      cwd: workerDir,
      env: {
        WASM_BINDGEN_BIN: which('wasm-bindgen'),
        WASM_OPT_BIN: `${bin}/wasm-opt`,
        ESBUILD_BIN: `${bin}/esbuild`,
      },
    });
    writeFileSync(stampFile, stamp);
  }
  return { js: `${buildDir}/index.js`, wasm: `${buildDir}/index_bg.wasm` };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildWorker({ force: process.argv.includes('--force') });
