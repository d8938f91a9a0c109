// The verdict at a glance and the diagnostics panel: one button per diagnostic that puts the editor's
// selection on the range the core reported.
import { h, inline, plural } from './dom.js';
import { docsLink, rangeOf } from './diagnostics.js';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** "2 errors · 1 warning · 3 notes". */
export function counts(summary) {
  const parts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), plural(summary.infos, 'note')];
  return parts.join(' · ');
}

export function renderVerdict(el, result) {
  const { report, error, options } = result;
  el.replaceChildren();
  if (!report) {
    el.dataset.state = 'error';
    el.append(h('span', { class: 'verdict-mark', 'aria-hidden': 'true' }, '!'), h('strong', null, 'Cannot validate'), h('span', { class: 'verdict-detail' }, error));
    return;
  }
  el.dataset.state = report.valid ? 'valid' : 'invalid';
  el.append(
    h('span', { class: 'verdict-mark', 'aria-hidden': 'true' }, report.valid ? '✓' : '✗'),
    h('strong', { class: 'verdict-title' }, report.valid ? 'Valid CIMD document' : 'Invalid CIMD document'),
    h('span', { class: 'verdict-detail' }, counts(report.summary)),
    h('span', { class: 'verdict-detail verdict-profile' },
      `${report.profile === 'ietf' ? 'IETF draft' : 'MCP'} profile${report.strict ? ', strict' : ''}${options.url ? '' : ', client_id not compared: no “Served at” URL'}`),
  );
}

/** One diagnostic as a panel row: a jump button (when `onJump`) and the docs link. */
export function diagnosticRow(d, index, onJump) {
  const where = d.range ? `${d.range.start.line}:${d.range.start.column}` : '—';
  const label = [
    h('span', { class: `sev sev-${d.severity}` }, d.severity),
    h('span', { class: 'diag-loc' }, where),
    h('code', { class: 'diag-code' }, d.code),
    h('span', { class: 'diag-message' }, inline(d.message)),
  ];
  const body = onJump
    ? h('button', { type: 'button', class: 'diag-jump', 'data-index': index, title: 'Show in the editor', onclick: () => onJump(d) }, label)
    : h('div', { class: 'diag-jump' }, label);
  return h('li', { class: `diag-row sev-row-${d.severity}` },
    body,
    h('div', { class: 'diag-extra' }, d.help ? h('span', { class: 'diag-help' }, inline(d.help)) : null, ' ', docsLink(d, 'docs')));
}

/** `[diagnostic, index in the report]` pairs, errors first, then warnings, then the rest; stable. */
export function bySeverity(diagnostics) {
  return diagnostics
    .map((d, i) => [d, i])
    .sort(([a, i], [b, j]) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || i - j);
}

/** The report's diagnostics, errors first, as rows; `onJump(diagnostic)` moves the editor. */
export function renderDiagnostics(list, empty, report, onJump) {
  const rows = report ? bySeverity(report.diagnostics).map(([d, i]) => diagnosticRow(d, i, onJump)) : [];
  list.replaceChildren(...rows);
  empty.hidden = rows.length > 0 || !report;
}

/** Jump handler for the editor `view`: selects the diagnostic's range. */
export function jumper(view, jumpTo) {
  return (d) => {
    const r = rangeOf(view.state.doc, d) ?? { from: 0, to: 0 };
    jumpTo(view, r.from, r.to);
  };
}
