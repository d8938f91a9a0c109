// Shared helpers for the project scripts: run a step, time it, fail loudly. Plain Node, no deps.
import { spawnSync } from 'node:child_process';

export const root = new URL('..', import.meta.url).pathname;

/** Runs a command in the repo root, streaming its output; returns its stdout when `capture`. */
export function run(cmd, args, { capture = false, env = {}, allowFail = false } = {}) {
  const t0 = Date.now();
  process.stderr.write(`\n▶ ${cmd} ${args.join(' ')}\n`);
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (capture && result.stdout) process.stdout.write(result.stdout);
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
