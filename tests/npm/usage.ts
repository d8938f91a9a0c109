// Type-checked by `tsc -p tests/npm` in `npm test`: how a TypeScript user calls the package, and
// what the types refuse (each `@ts-expect-error` line must be an error, or tsc fails).
import {
  validate, validateUrl, validateFetched, fetchFailure, create, matchRedirect, render, explain, codes,
  type Report, type Diagnostic, type DiagnosticCode, type MatchResult, type Created, type CodeInfo,
} from 'cimd';

const url = 'https://app.example.com/oauth/client.json';
const report: Report = validate('{"client_id":"x"}', { url, profile: 'ietf', strict: true, maxBytes: 4096 });
const bytes: Report = validate(new Uint8Array([123, 125]));
const valid: boolean = report.valid && bytes.valid;
const first: Diagnostic | undefined = report.diagnostics[0];
if (first && first.code === 'CIMD107') {
  // Narrowed by the code: the name and the docs anchor follow.
  const name: 'client-id-mismatch' = first.name;
  const docs: 'https://github.com/cimd-dev/cimd/blob/main/docs/codes.md#cimd107' = first.docs;
  void name;
  void docs;
}
const line: number | undefined = first?.range?.start.line;
const clientName = report.document?.client_name;
const server = report.portability[0]?.server;
const because: DiagnosticCode[] = report.portability.flatMap((p) => p.because);
const status: number | null | undefined = report.fetch?.status;

const pending: Promise<Report> = validateUrl(url, { timeoutMs: 5000, maxBytes: 5120, fetch: globalThis.fetch });
const fetched: Report = validateFetched({ url, status: 200, headers: [['content-type', 'application/json']], body: '{}', address: '93.184.216.34' });
const failed: Report = fetchFailure(url, { kind: 'timeout', afterMs: 10_000 });
const created: Created = create({ name: 'My App', redirectUris: ['http://127.0.0.1/callback'], clientId: url });
const matched: MatchResult = matchRedirect(['http://127.0.0.1/callback'], 'http://127.0.0.1:8080/callback', { policy: 'rfc8252' });
const text: string = render(report, '{"client_id":"x"}', { color: false, path: 'client.json' });
const doc: string | null = explain('CIMD107');
const all: CodeInfo[] = codes();

// @ts-expect-error: not a diagnostic code
const wrong: DiagnosticCode = 'CIMD999';
// @ts-expect-error: a code's name is fixed by its code
const mismatched: Diagnostic = { ...first!, code: 'CIMD107', name: 'json-syntax' };
// @ts-expect-error: the profile is mcp or ietf
validate('{}', { profile: 'oauth' });
// @ts-expect-error: text is a string or bytes
validate(42);
// @ts-expect-error: validateUrl's URL is its first argument
validateUrl(url, { url });
// @ts-expect-error: a timeout failure needs afterMs
fetchFailure(url, { kind: 'timeout' });
// @ts-expect-error: unknown match policy
matchRedirect([], 'x', { policy: 'loose' });
// @ts-expect-error: redirectUris is required
create({ name: 'x' });
// @ts-expect-error: severity is a union
const severity: Diagnostic['severity'] = 'fatal';

export { valid, line, clientName, server, because, status, pending, fetched, failed, created, matched, text, doc, all, wrong, mismatched, severity };
