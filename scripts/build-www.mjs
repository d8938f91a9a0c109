// Builds the playground (www/) with Vite into www/dist, the directory worker/wrangler.toml serves as
// static assets (scripts/build-worker.mjs calls buildWww before it would write its landing page).
// The page uses the npm package `cimd` through its public browser entry, so the package is built
// first when pkg/web is missing. Skipped when no input changed since the last build (the stamp is
// kept in target/, outside the served directory).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, root, ensureNodeModules } from './lib.mjs';

export const wwwDir = `${root}www`;
export const distDir = `${wwwDir}/dist`;
const stampFile = `${root}target/www-inputs-sha256`;

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => !path.startsWith(distDir) && statSync(path).isFile())
    .sort();
}

/** A hash of everything the build reads: the page, the package's browser entry and wasm, the examples, the tools. */
function inputStamp() {
  const hash = createHash('sha256');
  const inputs = [
    ...files(wwwDir), ...files(`${root}js`), ...files(`${root}pkg/web`), `${root}pkg/docs.js`, ...files(`${root}tests/conformance/cases`),
    `${root}examples/broken.json`, `${root}package.json`, `${root}package-lock.json`,
  ];
  for (const path of inputs) hash.update(path).update(readFileSync(path));
  return hash.digest('hex');
}

export async function buildWww({ force = false } = {}) {
  ensureNodeModules();
  if (!existsSync(`${root}pkg/web/cimd_bg.wasm`) || !existsSync(`${root}pkg/docs.js`)) {
    const { build } = await import(pathToFileURL(`${root}scripts/build.mjs`).href);
    await build();
  }
  const stamp = inputStamp();
  if (!force && existsSync(`${distDir}/index.html`) && existsSync(`${distDir}/sw.js`)
    && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    console.log('www/dist is up to date');
    return distDir;
  }
  run(`${root}node_modules/.bin/vite`, ['build', '--config', 'www/vite.config.js', '--logLevel', 'warn']);
  mkdirSync(`${root}target`, { recursive: true });
  writeFileSync(stampFile, stamp);
  const assets = readdirSync(`${distDir}/assets`).map((name) => {
    const size = statSync(`${distDir}/assets/${name}`).size;
    return `${name} ${(size / 1024).toFixed(1)} KB`;
  });
  console.log(`www/dist: index.html, sw.js, ${assets.join(', ')}`);
  return distDir;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildWww({ force: process.argv.includes('--force') });
