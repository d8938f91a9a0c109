// FastMCP (PyPI `fastmcp`), the Python peer of the benchmark, in a virtualenv of its own under
// target/peers/venv, pinned with every dependency by scripts/peers/requirements.txt.
//
//   import { fastmcpPython } from './peers/setup.mjs';
//   const python = fastmcpPython();   // the venv's python, FastMCP importable
//
// Idempotent and fast: a stamp in the venv holds the hash of the requirements it was installed from,
// so a second call runs nothing. Needs python3 (with its venv module) and PyPI the first time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { root, run } from '../lib.mjs';

export const REQUIREMENTS = `${root}scripts/peers/requirements.txt`;
export const VENV = `${root}target/peers/venv`;
const STAMP = `${VENV}/.cimd-requirements-sha256`;

/** The venv's python with the pinned FastMCP installed; installs it first when needed. */
export function fastmcpPython() {
  const python = `${VENV}/bin/python`;
  const hash = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return python;

  if (!existsSync(python)) {
    mkdirSync(`${root}target/peers`, { recursive: true });
    run(process.env.PYTHON ?? 'python3', ['-m', 'venv', VENV]);
  }
  // --no-deps: the file already lists every package, so pip installs exactly those versions.
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', REQUIREMENTS]);
  // An install that succeeded but cannot import the validator is no peer: fail here, not mid-bench.
  const check = spawnSync(python, ['-c', 'import fastmcp.server.auth.cimd'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`FastMCP's CIMD module does not import in ${VENV}:\n${check.stderr}`);
  }
  writeFileSync(STAMP, hash);
  return python;
}

/** The `fastmcp` command of the venv (installs first when needed). */
export function fastmcpCli() {
  fastmcpPython();
  return `${VENV}/bin/fastmcp`;
}

/** Versions of FastMCP and what decides its validation, as `{ name: version }`. */
export function fastmcpVersions() {
  const script = 'import importlib.metadata as m, json, platform\n'
    + 'names = ["fastmcp", "mcp", "pydantic", "pydantic-core"]\n'
    + 'print(json.dumps({"python": platform.python_version(), **{n: m.version(n) for n in names}}))';
  const out = spawnSync(fastmcpPython(), ['-c', script], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`reading FastMCP's versions:\n${out.stderr}`);
  return JSON.parse(out.stdout);
}

// `node scripts/peers/setup.mjs`: install (or check) and print the venv's python.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(fastmcpPython());
  console.log(JSON.stringify(fastmcpVersions()));
}
