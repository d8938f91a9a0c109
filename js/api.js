// The public API of the npm package `cimd`, shared by every runtime's entry point (node.js,
// browser.js, workerd.js). Everything a user sees comes from the Rust core through the wasm module;
// this file only checks JavaScript arguments (so that nothing malformed reaches wasm: a clear
// `TypeError`/`RangeError` instead), turns the JSON the core returns into plain objects, and, for
// `validateUrl`, does the I/O with the runtime's `fetch`.
import { wasm } from './state.js';

/** The size limit of the core (-02 §8.7 recommends 5 KB; FastMCP uses 5120 bytes). */
export const DEFAULT_MAX_BYTES = 5120;
/** The longest text (UTF-16 code units) or byte array any function accepts: 4 MiB. */
export const MAX_INPUT_LENGTH = 4 * 1024 * 1024;
/** `validateUrl`'s default timeout for the whole fetch, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const PROFILES = ['mcp', 'ietf'];
const POLICIES = ['rfc8252', 'exact', 'wildcard'];
const FAILURE_KINDS = ['timeout', 'resolve', 'connect', 'tls', 'special_use_address', 'refused', 'other'];

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': return `a string of length ${value.length}`;
    case 'object': return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
    case 'undefined': return 'undefined';
    default: return `a ${typeof value}`;
  }
}

function fail(fn, what) {
  throw new TypeError(`cimd.${fn}: ${what}`);
}

const lone = /\p{Cs}/u;
const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !lone.test(s);

/** A string argument: its type, its size, and well-formed UTF-16 (wasm takes UTF-8). */
function string(fn, name, value) {
  if (typeof value !== 'string') fail(fn, `${name} must be a string, got ${describe(value)}`);
  if (value.length > MAX_INPUT_LENGTH) {
    throw new RangeError(`cimd.${fn}: ${name} is ${value.length} UTF-16 code units long; the limit is ${MAX_INPUT_LENGTH}`);
  }
  if (!wellFormed(value)) {
    fail(fn, `${name} is not well-formed UTF-16: a lone surrogate at index ${value.search(lone)} (JSON text is Unicode; a lone surrogate cannot be encoded)`);
  }
  return value;
}

function optionalString(fn, name, value) {
  return value === undefined || value === null ? undefined : string(fn, name, value);
}

function bool(fn, name, value) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(fn, `${name} must be a boolean, got ${describe(value)}`);
  return value;
}

function oneOf(fn, name, value, allowed, fallback) {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    fail(fn, `${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${typeof value === 'string' ? JSON.stringify(value) : describe(value)}`);
  }
  return value;
}

function count(fn, name, value, fallback, max) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    fail(fn, `${name} must be a whole number from 0 to ${max}, got ${typeof value === 'number' ? value : describe(value)}`);
  }
  return value;
}

function optionalCount(fn, name, value) {
  return value === null ? undefined : count(fn, name, value, undefined, Number.MAX_SAFE_INTEGER);
}

function object(fn, name, value, optional) {
  if (value === undefined || value === null) {
    if (optional) return {};
    fail(fn, `${name} must be an object, got ${describe(value)}`);
  }
  if (typeof value !== 'object' || Array.isArray(value)) fail(fn, `${name} must be an object, got ${describe(value)}`);
  return value;
}

function isBytes(value) {
  return value instanceof Uint8Array || Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function bytes(fn, name, value) {
  if (!isBytes(value)) fail(fn, `${name} must be a string or a Uint8Array, got ${describe(value)}`);
  if (value.length > MAX_INPUT_LENGTH) {
    throw new RangeError(`cimd.${fn}: ${name} is ${value.length} bytes long; the limit is ${MAX_INPUT_LENGTH}`);
  }
  return value;
}

// Reports cross the boundary in two parts (crates/cimd-wasm/src/wire.rs): the numbers (flags,
// counts, code indexes, positions, string references) as f64s in wasm memory, and the strings as a
// JSON array. What a diagnostic takes from the code registry travels as the code's index into
// `codes()`, read here once; the core's static strings (messages, pointers, notes, server names)
// are defined once and then referred to by their index in `strings`, a table wire.rs keeps too.
let registry = null;
let strings = [];
const SEVERITIES = ['error', 'warning', 'info'];
const NEW = -1;
const NULL = -3;
const DEFAULT_HELP = -4;

function codeTable() {
  registry ??= JSON.parse(wasm.exports.codes()).map((c) => ({
    code: c.code, name: c.name, spec: c.spec, help: c.help, docs: `docs/codes.md#${c.code.toLowerCase()}`,
  }));
  return registry;
}

/** The report of `cimd validate --format json` from its wire form; null if the tables were out of step. */
function decodeReport(json) {
  const s = JSON.parse(json);
  const n = new Float64Array(wasm.memory.buffer, s[0], s[1]);
  const table = codeTable();
  let at = 0;
  let next = 2;
  const text = (slot) => {
    if (slot >= 0) return strings[slot];
    if (slot === NULL) return null;
    const value = s[next++];
    if (slot === NEW) strings.push(value);
    return value;
  };
  const valid = n[at++] === 1;
  const profile = n[at++] === 1 ? 'ietf' : 'mcp';
  const strict = n[at++] === 1;
  const url = text(n[at++]);
  const summary = { errors: n[at++], warnings: n[at++], infos: n[at++] };
  const diagnostics = [];
  for (let count = n[at++]; count > 0; count--) {
    const c = table[n[at++]];
    const severity = SEVERITIES[n[at++]];
    const message = text(n[at++]);
    const help = n[at] === DEFAULT_HELP ? (at++, c.help) : text(n[at++]);
    const pointer = text(n[at++]);
    const start = n[at++];
    const end = n[at++];
    const line = n[at++];
    const column = n[at++];
    const endLine = n[at++];
    const endColumn = n[at++];
    diagnostics.push({
      code: c.code,
      name: c.name,
      severity,
      message,
      help,
      spec: c.spec,
      docs: c.docs,
      pointer,
      span: start === -1 ? null : { start, end },
      range: line === -1 ? null : { start: { line, column }, end: { line: endLine, column: endColumn } },
    });
  }
  let fetch = null;
  if (n[at++] === 1) {
    const nullable = (v) => (v === -1 ? null : v);
    const status = nullable(n[at++]);
    const bytes = nullable(n[at++]);
    const ttl = nullable(n[at++]);
    const elapsed = nullable(n[at++]);
    const contentType = text(n[at++]);
    fetch = { status, content_type: contentType, bytes, cache_ttl_s: ttl, elapsed_ms: elapsed, address: text(n[at++]) };
  }
  const portability = [];
  for (let rows = n[at++]; rows > 0; rows--) {
    const server = text(n[at++]);
    const accepts = n[at++] === 1;
    const because = [];
    for (let k = n[at++]; k > 0; k--) because.push(table[n[at++]].code);
    const notes = [];
    for (let m = n[at++]; m > 0; m--) notes.push(text(n[at++]));
    portability.push({ server, accepts, because, notes });
  }
  if (strings.length !== n[at]) {
    // Only if a report was made and not decoded (the raw exports called directly): the strings
    // cannot be trusted, so both tables start again and the caller asks once more.
    strings = [];
    wasm.exports.resetStrings();
    return null;
  }
  return { valid, profile, strict, url, summary, diagnostics, document: s[s.length - 1], fetch, portability };
}

/**
 * Decodes the report `made` by `make` (a call of a wasm export returning a report's wire form);
 * if the string tables were out of step, they have been reset and `make` is called once more.
 */
function reportOf(make, made = make()) {
  return decodeReport(made) ?? decodeReport(make());
}

const DEFAULTS = Object.freeze({ url: undefined, ietf: false, strict: false, maxBytes: DEFAULT_MAX_BYTES });

/** The options every validating function takes: `{url?, profile?, strict?, maxBytes?}`. */
function settings(fn, options) {
  if (options === undefined || options === null) return DEFAULTS;
  const { url, profile, strict, maxBytes } = object(fn, 'options', options, true);
  return {
    url: optionalString(fn, 'options.url', url),
    ietf: oneOf(fn, 'options.profile', profile, PROFILES, 'mcp') === 'ietf',
    strict: bool(fn, 'options.strict', strict),
    maxBytes: count(fn, 'options.maxBytes', maxBytes, DEFAULT_MAX_BYTES, 0xffff_ffff),
  };
}

/**
 * Validates a document: the text (a string), or its bytes (a `Uint8Array`, which may not be UTF-8).
 * Returns the report of `cimd validate --format json`.
 */
export function validate(text, options) {
  const o = settings('validate', options);
  if (typeof text === 'string') {
    string('validate', 'text', text);
    return reportOf(() => wasm.exports.validateText(text, o.url, o.ietf, o.strict, o.maxBytes));
  }
  bytes('validate', 'text', text);
  return reportOf(() => wasm.exports.validateBytes(text, o.url, o.ietf, o.strict, o.maxBytes));
}

function headerPairs(fn, headers) {
  if (headers === undefined || headers === null) return [];
  if (typeof headers.entries === 'function' && !Array.isArray(headers)) return [...headers.entries()];
  if (Array.isArray(headers)) {
    headers.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        fail(fn, `response.headers[${i}] must be a [name, value] pair of strings, got ${describe(pair)}`);
      }
    });
    return headers;
  }
  return Object.entries(object(fn, 'response.headers', headers, false));
}

function bodyBytes(fn, body) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return new TextEncoder().encode(string(fn, 'response.body', body));
  if (body instanceof ArrayBuffer) return bytes(fn, 'response.body', new Uint8Array(body));
  return bytes(fn, 'response.body', body);
}

/**
 * Checks a response the caller fetched itself (with its own resolver, address checks and client):
 * the fetch rules (status, redirect, content type, size, address, caching) and, for a 200, the
 * document rules on the body. `response`: `{url, status, headers?, body?, truncated?, address?,
 * elapsedMs?, allowLoopback?, receivedUnixS?}`.
 */
export function validateFetched(response, options) {
  const fn = 'validateFetched';
  const o = settings(fn, options);
  const r = object(fn, 'response', response, false);
  if (r.status === undefined) fail(fn, 'response.status is required');
  const meta = JSON.stringify({
    url: string(fn, 'response.url', r.url),
    status: count(fn, 'response.status', r.status, undefined, 999),
    headers: headerPairs(fn, r.headers),
    truncated: bool(fn, 'response.truncated', r.truncated),
    address: optionalString(fn, 'response.address', r.address),
    elapsedMs: optionalCount(fn, 'response.elapsedMs', r.elapsedMs),
    allowLoopback: bool(fn, 'response.allowLoopback', r.allowLoopback),
    receivedUnixS: optionalCount(fn, 'response.receivedUnixS', r.receivedUnixS),
  });
  const body = bodyBytes(fn, r.body);
  return reportOf(() => rethrow(fn, () => wasm.exports.validateFetched(meta, body, o.ietf, o.strict, o.maxBytes)));
}

/**
 * The report for a fetch of `url` that produced no response. `failure`: `{kind, message?, address?,
 * afterMs?}` with `kind` one of timeout, resolve, connect, tls, special_use_address, refused, other.
 */
export function fetchFailure(url, failure, options) {
  const fn = 'fetchFailure';
  const o = settings(fn, options);
  const f = object(fn, 'failure', failure, false);
  oneOf(fn, 'failure.kind', f.kind ?? '', FAILURE_KINDS);
  const json = JSON.stringify({
    kind: f.kind,
    message: optionalString(fn, 'failure.message', f.message),
    address: optionalString(fn, 'failure.address', f.address),
    afterMs: optionalCount(fn, 'failure.afterMs', f.afterMs),
  });
  string(fn, 'url', url);
  return reportOf(() => rethrow(fn, () => wasm.exports.fetchFailure(url, json, o.ietf, o.strict, o.maxBytes)));
}

/** Errors thrown by wasm carry the core's message; prefix the function's name. */
function rethrow(fn, call) {
  try {
    return call();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith('cimd.')) {
      throw new TypeError(`cimd.${fn}: ${e.message}`);
    }
    throw e;
  }
}

function networkFailure(error) {
  // Node's fetch (undici) says why in `cause.code`; browsers say nothing (DNS, TLS, CORS alike).
  const cause = error?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const message = [error?.message, cause?.message].filter(Boolean).join(': ') || String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'resolve', message };
  if (/CERT|TLS|SSL|SELF_SIGNED|HOSTNAME|ALTNAME/.test(code)) return { kind: 'tls', message };
  if (code.startsWith('E') || code.startsWith('UND_ERR')) return { kind: 'connect', message };
  return { kind: 'other', message: `${message} (the runtime does not say whether DNS, the connection, TLS or CORS failed)` };
}

async function readCapped(response, cap, signal) {
  if (!response.body) return { body: new Uint8Array(await response.arrayBuffer()), truncated: false };
  const reader = response.body.getReader();
  // The deadline covers the body too, even when the stream ignores the abort signal.
  const aborted = new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const chunks = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      chunks.push(value);
      size += value.length;
      if (size > cap) {
        truncated = true;
        break;
      }
    }
  } finally {
    if (truncated || signal.aborted) reader.cancel().catch(() => {});
  }
  const body = new Uint8Array(Math.min(size, cap + 1));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, body.length - at);
    body.set(part, at);
    at += part.length;
  }
  return { body, truncated };
}

/**
 * Fetches `url` with the runtime's `fetch` as a careful authorization server does, as far as the
 * platform allows (https only and no special-use IP literal, checked before any I/O; no redirects;
 * 200 only; the body read as a stream up to `maxBytes`; one timeout for the whole fetch), then
 * validates the response. What `fetch` cannot do: check the addresses a name resolves to, or pin
 * the connection to a checked address (see the README). Resolves to a report, never rejects for
 * anything the server does; rejects only for bad arguments.
 * Options: `{profile?, strict?, maxBytes?, timeoutMs?, fetch?, allowLoopback?}`.
 */
export async function validateUrl(url, options) {
  const fn = 'validateUrl';
  string(fn, 'url', url);
  const o = settings(fn, options);
  if (o.url !== undefined) fail(fn, 'options.url is the URL to fetch: pass it as the first argument only');
  const extra = options ?? {};
  const timeoutMs = count(fn, 'options.timeoutMs', extra.timeoutMs, DEFAULT_TIMEOUT_MS, 600_000);
  const allowLoopback = bool(fn, 'options.allowLoopback', extra.allowLoopback);
  const fetcher = extra.fetch ?? globalThis.fetch;
  if (typeof fetcher !== 'function') fail(fn, `options.fetch must be a function (the runtime has no global fetch), got ${describe(fetcher)}`);

  const refuse = () => wasm.exports.refusal(url, allowLoopback, o.ietf, o.strict, o.maxBytes);
  const refused = refuse();
  if (refused !== undefined) return reportOf(refuse, refused);
  const failed = (failure) => reportOf(() => wasm.exports.fetchFailure(url, JSON.stringify(failure), o.ietf, o.strict, o.maxBytes));

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const started = Date.now();
  try {
    let response;
    try {
      response = await fetcher(url, {
        method: 'GET',
        redirect: 'manual',
        credentials: 'omit',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) return failed({ kind: 'timeout', afterMs: timeoutMs });
      return failed(networkFailure(error));
    }
    if (response.type === 'opaqueredirect') {
      // Browsers hide a redirect's status and Location from `redirect: 'manual'`.
      return failed({ kind: 'other', message: 'the server answered a redirect (the browser hides its status and Location); servers MUST NOT follow redirects (-02 §5)' });
    }
    let read;
    try {
      read = await readCapped(response, o.maxBytes, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return failed({ kind: 'timeout', afterMs: timeoutMs });
      return failed({ kind: 'other', message: `reading the body failed: ${error?.message ?? error}` });
    }
    const meta = JSON.stringify({
      url,
      status: response.status,
      headers: [...response.headers.entries()],
      truncated: read.truncated,
      elapsedMs: Date.now() - started,
      allowLoopback,
      receivedUnixS: Math.floor(Date.now() / 1000),
    });
    return reportOf(() => wasm.exports.validateFetched(meta, read.body, o.ietf, o.strict, o.maxBytes));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds a document from FastMCP's `create` options and validates it:
 * `{name, redirectUris, clientId?, clientUri?, logoUri?, scope?, compact?, profile?}` →
 * `{document, report, placeholder}` (`placeholder`: no clientId was given).
 */
export function create(options) {
  const fn = 'create';
  const o = object(fn, 'options', options, false);
  string(fn, 'options.name', o.name);
  if (!Array.isArray(o.redirectUris)) fail(fn, `options.redirectUris must be an array of strings, got ${describe(o.redirectUris)}`);
  o.redirectUris.forEach((uri, i) => string(fn, `options.redirectUris[${i}]`, uri));
  for (const key of ['clientId', 'clientUri', 'logoUri', 'scope']) optionalString(fn, `options.${key}`, o[key]);
  bool(fn, 'options.compact', o.compact);
  oneOf(fn, 'options.profile', o.profile, PROFILES, 'mcp');
  const json = JSON.stringify({
    name: o.name,
    redirectUris: o.redirectUris,
    clientId: o.clientId ?? undefined,
    clientUri: o.clientUri ?? undefined,
    logoUri: o.logoUri ?? undefined,
    scope: o.scope ?? undefined,
    compact: o.compact,
    profile: o.profile,
  });
  let created;
  const make = () => {
    created = JSON.parse(rethrow(fn, () => wasm.exports.create(json)));
    return created.report;
  };
  return { report: reportOf(make), document: created.document, placeholder: created.placeholder };
}

/**
 * Does `requested` match one of the `registered` redirect URIs? `options.policy`: `rfc8252`
 * (default: exact, but any port for a loopback redirect), `exact` or `wildcard` (FastMCP's).
 */
export function matchRedirect(registered, requested, options) {
  const fn = 'matchRedirect';
  if (!Array.isArray(registered)) fail(fn, `registered must be an array of strings, got ${describe(registered)}`);
  registered.forEach((uri, i) => string(fn, `registered[${i}]`, uri));
  string(fn, 'requested', requested);
  const policy = oneOf(fn, 'options.policy', object(fn, 'options', options, true).policy, POLICIES, 'rfc8252');
  return JSON.parse(rethrow(fn, () => wasm.exports.matchRedirect(JSON.stringify(registered), requested, policy)));
}

/**
 * The CLI's text output for a report: code frames with carets into `text` (the document the
 * report is about; frames are left out without it) and FastMCP's summary lines.
 * Options: `{color?, path?, diagnosticsOnly?}`.
 */
export function render(report, text, options) {
  const fn = 'render';
  object(fn, 'report', report, false);
  const source = optionalString(fn, 'text', text);
  const o = object(fn, 'options', options, true);
  const json = JSON.stringify(report);
  return rethrow(fn, () => wasm.exports.render(
    json,
    source,
    bool(fn, 'options.color', o.color),
    optionalString(fn, 'options.path', o.path),
    bool(fn, 'options.diagnosticsOnly', o.diagnosticsOnly),
  ));
}

/** The Markdown documentation of a code, by number (`CIMD107`) or name; `null` if there is none. */
export function explain(code) {
  return wasm.exports.explain(string('explain', 'code', code)) ?? null;
}

/** Every diagnostic code of the registry (what `cimd codes --format json` prints). */
export function codes() {
  return JSON.parse(wasm.exports.codes());
}

/** The size of the wasm module's linear memory in bytes (for leak monitoring). */
export function memoryBytes() {
  return wasm.memory.buffer.byteLength;
}
