// Shared helpers for the project scripts: run a step, time it, fail loudly. Plain Node, no deps.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const root = new URL('..', import.meta.url).pathname;

/**
 * Runs a command (in the repo root unless `cwd`), streaming its output; returns its stdout when
 * `capture` (also shown unless `quiet`).
 */
export function run(cmd, args, { capture = false, quiet = false, env = {}, allowFail = false, cwd = root } = {}) {
  const t0 = Date.now();
  process.stderr.write(`\n▶ ${cmd} ${args.join(' ')}\n`);
  const result = spawnSync(cmd, args, {
    cwd,
    stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (capture && !quiet && result.stdout) process.stdout.write(result.stdout);
  if (result.status !== 0 && !allowFail) {
    process.stderr.write(`✗ ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) after ${secs}s\n`);
    process.exit(1);
  }
  process.stderr.write(`  (${secs}s)\n`);
  return { status: result.status, stdout: result.stdout ?? '' };
}

/** Whether a command exists and answers `--version`. */
export function has(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Makes sure the wasm32 target is installed (rustup ships it; the core must build for it). */
export function ensureWasmTarget() {
  const installed = spawnSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' }).stdout ?? '';
  if (!installed.split('\n').includes('wasm32-unknown-unknown')) {
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  }
}

/** The cargo target folder: `CARGO_TARGET_DIR` when set, else `target/` in the repository. */
export function targetDir() {
  const dir = process.env.CARGO_TARGET_DIR;
  if (!dir) return `${root}target`;
  return dir.startsWith('/') ? dir : `${root}${dir}`;
}

/** Whether `cmd --version` prints exactly `version` (a version-checked guard before an install). */
export function have(cmd, version) {
  const result = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === version;
}

/** The wasm-bindgen CLI whose version equals the `wasm-bindgen` crate pinned in crates/cimd-wasm. */
export const WASM_BINDGEN_VERSION = '0.2.130';
export function ensureWasmBindgen() {
  if (!have('wasm-bindgen', `wasm-bindgen ${WASM_BINDGEN_VERSION}`)) {
    // Not --locked: its lock file names a webpki-roots release the registry no longer has.
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', WASM_BINDGEN_VERSION]);
  }
}

/** `npm ci` unless node_modules was installed from this very package-lock.json. */
export function ensureNodeModules() {
  const lock = readFileSync(`${root}package-lock.json`);
  const hash = createHash('sha256').update(lock).digest('hex');
  const stamp = `${root}node_modules/.cimd-lock-sha256`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, hash);
}

/** Debian's Chromium and its WebDriver, for the browser tests (root on these machines). */
export function ensureChromium() {
  if (existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver')) return;
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'chromium-driver'], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}
