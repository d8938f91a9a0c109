// Types of the npm package `cimd` (every runtime's entry point exports the same API).
// The code, name and server unions are generated from the core's registry (pkg/codes.d.ts).
import type { CodeNames, DiagnosticCode, DiagnosticName, ServerName } from '../pkg/codes.js';

export type { CodeNames, DiagnosticCode, DiagnosticName, ServerName };

/** Which texts the rules follow: the draft plus MCP (default), or the IETF draft alone. */
export type Profile = 'mcp' | 'ietf';
export type Severity = 'error' | 'warning' | 'info';
export type MatchPolicy = 'rfc8252' | 'exact' | 'wildcard';

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [member: string]: JsonValue };

/** Byte offsets into the UTF-8 of the validated text, `start..end`. */
export interface Span {
  start: number;
  end: number;
}

/** 1-based line and 1-based column in UTF-16 code units (what editors use). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One finding; `name`, `spec` and `docs` follow from `code`. */
export type Diagnostic = {
  [C in DiagnosticCode]: {
    code: C;
    name: CodeNames[C];
    severity: Severity;
    message: string;
    help: string;
    /** The section of the text the rule comes from. */
    spec: string;
    /** The code's published documentation: `https://github.com/cimd-dev/cimd/blob/main/docs/codes.md#cimd107` */
    docs: `https://github.com/cimd-dev/cimd/blob/main/docs/codes.md#${Lowercase<C>}`;
    /** A JSON Pointer into the document, or null. */
    pointer: string | null;
    span: Span | null;
    range: Range | null;
  };
}[DiagnosticCode];

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
}

/** What the fetch learnt (null when the text was given directly). */
export interface FetchInfo {
  status: number | null;
  content_type: string | null;
  bytes: number | null;
  /** Set on valid documents only: errors are never cached. */
  cache_ttl_s: number | null;
  elapsed_ms: number | null;
  /** The address the document came from; `validateUrl` cannot know it (fetch does not say). */
  address: string | null;
}

/** A known server's predicted verdict on the document. */
export interface Portability {
  server: ServerName;
  accepts: boolean;
  /** Codes of this report that make the server refuse the document. */
  because: DiagnosticCode[];
  /** What else makes the server refuse (no code covers it), and where it differs from the draft. */
  notes: string[];
  /** For each loopback redirect URI of the document, the request ports the server matches; empty when its redirect matching was not read. */
  loopback: LoopbackPorts[];
}

/** Which ports of an authorization request a server matches for one registered loopback redirect URI. */
export interface LoopbackPorts {
  /** The registered redirect URI, as written in the document. */
  uri: string;
  /** `any` (RFC 8252 §7.3), `registered` (only the port in the URI), or `none` (a portless URI compared exactly, or a `*` port the server does not read as a wildcard). */
  ports: 'any' | 'registered' | 'none';
}

/** The report: exactly what `cimd validate --format json` prints for the same input. */
export interface Report {
  /** No error-severity diagnostic (with `strict`: no warning either). */
  valid: boolean;
  profile: Profile;
  strict: boolean;
  /** The URL the document is served at, or null when validated without one. */
  url: string | null;
  summary: Summary;
  /** By position (unpositioned first), then code. */
  diagnostics: Diagnostic[];
  /** The parsed document object, or null when the text is not a JSON object. */
  document: { [member: string]: JsonValue } | null;
  fetch: FetchInfo | null;
  portability: Portability[];
}

export interface ValidateOptions {
  /** The URL the document is (or will be) served at: enables the client_id comparison. */
  url?: string | null;
  /** Default `mcp`. */
  profile?: Profile;
  /** Warnings fail validation too. Default false. */
  strict?: boolean;
  /** Size limit in bytes: a warning for given text, an error for a fetched body. Default 5120. */
  maxBytes?: number;
}

/** The options of the functions that have a live document: a drift check against a file. */
export interface LiveOptions extends Omit<ValidateOptions, 'url'> {
  /**
   * A file's text (or bytes) to compare with the live document: the report is then the file's,
   * with one CIMD604 per top-level member that differs, positioned in the file.
   */
  compare?: string | Uint8Array;
}

export interface ValidateUrlOptions extends LiveOptions {
  /** One deadline for the whole fetch, body included. Default 10000. */
  timeoutMs?: number;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Allow loopback addresses: for tests against local servers only, never in production. */
  allowLoopback?: boolean;
}

/** A response fetched by the caller (`validateFetched`). */
export interface FetchedResponse {
  /** The URL requested: the one client_id must equal. */
  url: string;
  status: number;
  /** In order, names as received; a `Headers` object or a record also works. */
  headers?: ReadonlyArray<readonly [string, string]> | Headers | Record<string, string>;
  /** The body as read, at most `maxBytes + 1` bytes. */
  body?: string | Uint8Array | ArrayBuffer | null;
  /** Reading stopped because the body exceeded the cap. */
  truncated?: boolean;
  /** The address the connection was made to (after the caller's own special-use check). */
  address?: string | null;
  elapsedMs?: number | null;
  allowLoopback?: boolean;
  /** When the response was received (Unix seconds), for `Expires` without `Date`. */
  receivedUnixS?: number | null;
}

/** A fetch that produced no response (`fetchFailure`). */
export type FetchFailure =
  | { kind: 'timeout'; afterMs: number; message?: string | null; address?: string | null }
  | { kind: 'special_use_address'; address: string; message?: string | null; afterMs?: number | null }
  | { kind: 'resolve' | 'connect' | 'tls' | 'refused' | 'other'; message?: string | null; address?: string | null; afterMs?: number | null };

/** FastMCP's `fastmcp auth cimd create` options. */
export interface CreateOptions {
  /** client_name */
  name: string;
  redirectUris: readonly string[];
  /** The URL the document will be served at; without it, FastMCP's placeholder. */
  clientId?: string | null;
  clientUri?: string | null;
  logoUri?: string | null;
  scope?: string | null;
  /** One line instead of two-space indentation. */
  compact?: boolean;
  profile?: Profile;
}

export interface Created {
  /** The JSON text, ending with a newline. */
  document: string;
  /** The report on `document` (client_id rules skipped when the placeholder is used). */
  report: Report;
  /** client_id is FastMCP's placeholder and must be replaced before hosting. */
  placeholder: boolean;
}

export interface Candidate {
  /** 0-based position in the registered list. */
  index: number;
  registered: string;
  matched: boolean;
  reason: string;
}

export interface MatchResult {
  matched: boolean;
  policy: MatchPolicy;
  requested: string;
  matched_index: number | null;
  matched_uri: string | null;
  reason: string;
  /** One per registered URI, in order. */
  candidates: Candidate[];
}

export interface RenderOptions {
  /** ANSI colours. Default false. */
  color?: boolean;
  /** The name shown in code frames. Default `document`. */
  path?: string | null;
  /** Leave out the fetch, document and portability blocks. */
  diagnosticsOnly?: boolean;
}

/** One entry of the code registry. */
export type CodeInfo = {
  [C in DiagnosticCode]: {
    code: C;
    name: CodeNames[C];
    /** Severity under the `mcp` profile. */
    mcp: Severity;
    /** Severity under the `ietf` profile. */
    ietf: Severity;
    spec: string;
    title: string;
    help: string;
    /** The long documentation (Markdown). */
    doc: string;
    /** Only on a retired code (never reported any more): what replaced it and why. */
    retired?: string;
  };
}[DiagnosticCode];

export const DEFAULT_MAX_BYTES: 5120;
export const MAX_INPUT_LENGTH: number;
export const DEFAULT_TIMEOUT_MS: 10000;

/** Validates document text (a string), or bytes that may not be UTF-8. Throws a TypeError for bad arguments. */
export function validate(text: string | Uint8Array, options?: ValidateOptions | null): Report;
/** Fetches `url` as a careful server does, as far as the runtime's fetch allows, and validates it. */
export function validateUrl(url: string, options?: ValidateUrlOptions | null): Promise<Report>;
/** Checks a response the caller fetched itself. */
export function validateFetched(response: FetchedResponse, options?: LiveOptions | null): Report;
/** The report for a fetch of `url` that produced no response. */
export function fetchFailure(url: string, failure: FetchFailure, options?: LiveOptions | null): Report;
/** Builds a document from FastMCP's options and validates it. */
export function create(options: CreateOptions): Created;
/** Does `requested` match one of the `registered` redirect URIs? */
export function matchRedirect(registered: readonly string[], requested: string, options?: { policy?: MatchPolicy } | null): MatchResult;
/** The CLI's text output for a report; `text` is the document the spans point into. */
export function render(report: Report, text?: string | null, options?: RenderOptions | null): string;
/** The Markdown documentation of a code, by number or name; null if there is none. */
export function explain(code: string): string | null;
/** Every registered code. */
export function codes(): CodeInfo[];
/** A server whose verdict the report predicts. */
export interface ServerInfo {
  /** As in `report.portability[].server`. */
  id: ServerName;
  /** Display name. */
  name: string;
  /** What it is, in a line. */
  what: string;
  /** Where its behaviour was read: repository and commit, package and version, or a documentation page. */
  source: string;
  /** The `matchRedirect` policy nearest to how it matches a requested redirect URI; null when its matcher was not read. */
  redirects: MatchPolicy | null;
}
/** Every server whose verdict the report predicts, in the report's order. */
export function servers(): ServerInfo[];
/** The wasm module's linear memory, in bytes (for leak monitoring). */
export function memoryBytes(): number;
