// The core's report as editor diagnostics: positions from the report's 1-based line / UTF-16
// column ranges (CodeMirror counts UTF-16 code units too), and the DOM that shows one diagnostic
// (hover tooltip, diagnostics panel, URL check) with its code, message, help and documentation link.
import { h, inline } from './dom.js';

/** Where the docs of a code live when online; a click opens the same text in the page (offline too). */

/** The editor offset of a 1-based line and UTF-16 column, clamped to the document. */
export function offsetOf(doc, { line, column }) {
  if (line > doc.lines) return doc.length;
  const l = doc.line(Math.max(1, line));
  return Math.min(l.from + Math.max(0, column - 1), doc.length);
}

/** `{from, to}` of a diagnostic in `doc`, or null when the report gives no position. */
export function rangeOf(doc, diagnostic) {
  if (!diagnostic.range) return null;
  const from = offsetOf(doc, diagnostic.range.start);
  return { from, to: Math.max(from, offsetOf(doc, diagnostic.range.end)) };
}

/** A link to the documentation of `code`; `data-code` lets the page show it in place. */
export function docsLink(diagnostic, label = `${diagnostic.code} docs`) {
  return h('a', { class: 'docs-link', href: diagnostic.docs, 'data-code': diagnostic.code, target: '_blank', rel: 'noopener' }, label);
}

/** The full view of one diagnostic: severity, code and name, message, help, spec and docs link. */
export function diagnosticDetails(d) {
  return h('div', { class: 'diag-details' },
    h('div', { class: 'diag-head' },
      h('span', { class: `sev sev-${d.severity}` }, d.severity),
      h('code', { class: 'diag-code' }, d.code),
      h('span', { class: 'diag-name' }, d.name)),
    h('p', { class: 'diag-message' }, inline(d.message)),
    d.help ? h('p', { class: 'diag-help' }, h('strong', null, 'Help: '), inline(d.help)) : null,
    h('p', { class: 'diag-meta' }, d.spec ? h('span', { class: 'diag-spec' }, d.spec) : null, d.spec ? ' · ' : null, docsLink(d)));
}

/** The report's diagnostics for @codemirror/lint, in `doc`'s offsets. */
export function toEditorDiagnostics(report, doc) {
  const out = [];
  for (const d of report.diagnostics) {
    const r = rangeOf(doc, d) ?? { from: 0, to: Math.min(1, doc.length) };
    out.push({
      from: r.from,
      to: r.to,
      severity: d.severity,
      message: `${d.code} ${d.name}: ${d.message}`,
      markClass: `cimd-${d.code}`,
      renderMessage: () => diagnosticDetails(d),
    });
  }
  return out;
}
