// The conformance corpus (tests/conformance/cases/*.json) read and run through the npm package, with
// the semantics of the native runner (crates/cimd/tests/support/mod.rs): `validate` for a document
// (bytes for `document_base64`), `validateFetched` for a `response`, `fetchFailure` for a `failure`.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const root = new URL('../../', import.meta.url).pathname;
export const targetDir = process.env.CARGO_TARGET_DIR
  ? (process.env.CARGO_TARGET_DIR.startsWith('/') ? process.env.CARGO_TARGET_DIR : `${root}${process.env.CARGO_TARGET_DIR}`)
  : `${root}target`;

/** Every case, in file-name order then file order (as the native runner loads them). */
export function loadCases() {
  const dir = `${root}tests/conformance/cases`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')).map((c) => ({ ...c, file })));
}

/** `tests/conformance/xfail.txt`: the names of cases the code is known to get wrong. */
export function xfail() {
  return new Set(readFileSync(`${root}tests/conformance/xfail.txt`, 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split('#')[0].trim()));
}

export function options(c) {
  return { profile: c.profile ?? 'mcp', strict: c.strict ?? false, maxBytes: c.max_bytes ?? 5120 };
}

export function bytesOf(c) {
  if (c.document !== undefined) return new TextEncoder().encode(c.document);
  if (c.document_base64 !== undefined) return new Uint8Array(Buffer.from(c.document_base64, 'base64'));
  return new Uint8Array(0);
}

/** How a host runs one case with the package: which function, with which arguments. */
export function plan(c) {
  if (c.failure) {
    const f = c.failure;
    return { fn: 'fetchFailure', args: [c.url, { kind: f.kind, message: f.message, address: f.address, afterMs: f.after_ms }, options(c)] };
  }
  if (c.response) {
    const r = c.response;
    return {
      fn: 'validateFetched',
      args: [{
        url: c.url,
        status: r.status,
        headers: r.headers ?? [],
        body: bytesOf(c),
        truncated: r.truncated ?? false,
        address: r.address,
        elapsedMs: r.elapsed_ms,
        allowLoopback: r.allow_loopback ?? false,
        receivedUnixS: r.received_unix_s,
      }, c.compare === undefined ? options(c) : { ...options(c), compare: c.compare }],
    };
  }
  return { fn: 'validate', args: [c.document ?? bytesOf(c), { ...options(c), url: c.url }] };
}

/** Runs one case through the package `cimd` (the module given), as a host would. */
export function run(cimd, c) {
  const { fn, args } = plan(c);
  return cimd[fn](...args);
}

/** The native reports of every case, by name: the JSON `Report::to_json` prints (the CLI's). */
export function nativeReports() {
  const result = spawnSync('cargo', ['run', '-q', '--locked', '-p', 'cimd-wasm', '--example', 'native_reports'], {
    cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`cargo run --example native_reports failed (exit ${result.status})`);
  return new Map(JSON.parse(result.stdout).map(({ name, report }) => [name, report]));
}

/** The distinct codes of a report, sorted (as `expect.codes` lists them). */
export function codesOf(report) {
  return [...new Set(report.diagnostics.map((d) => d.code))].sort();
}
