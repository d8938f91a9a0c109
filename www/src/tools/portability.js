// Which known servers would accept the document, and why not (the report's portability rows).
import { h, inline } from '../dom.js';

/** The request ports a server matches for a loopback redirect URI (the report's `loopback`). */
function portsText({ uri, ports }) {
  if (ports === 'any') return 'any port';
  if (ports === 'none') return 'no port a client can use';
  let port = '';
  try { port = new URL(uri).port; } catch { /* shown as written */ }
  return port ? `only port ${port}` : 'only the registered port';
}

/**
 * `onCode(code)` shows that diagnostic in the editor; `servers` is the package's `servers()` (names
 * and descriptions come from the core, with the rules).
 */
export function renderPortability(el, report, onCode, servers) {
  const byId = new Map(servers.map((s) => [s.id, s]));
  el.replaceChildren();
  if (!report?.portability?.length) {
    el.append(h('p', { class: 'tool-empty' }, 'Fix the JSON to see which servers would accept it.'));
    return;
  }
  const messages = new Map(report.diagnostics.map((d) => [d.code, d.message]));
  const accepted = report.portability.filter((p) => p.accepts).length;
  el.append(
    h('p', { class: 'tool-summary' }, `Accepted by ${accepted} of ${report.portability.length} servers (predicted from their published code and docs).`),
    h('ul', { class: 'servers' }, report.portability.map((p) => {
      const { name, what } = byId.get(p.server) ?? { name: p.server, what: '' };
      return h('li', { class: `server ${p.accepts ? 'server-ok' : 'server-no'}`, 'data-server': p.server },
        h('div', { class: 'server-head' },
          h('span', { class: 'server-mark', 'aria-hidden': 'true' }, p.accepts ? '✓' : '✗'),
          h('strong', null, name),
          h('span', { class: 'server-verdict' }, p.accepts ? 'accepts' : 'refuses'),
          what ? h('span', { class: 'server-what' }, what) : null),
        p.because.length || p.notes.length
          ? h('ul', { class: 'server-reasons' },
            p.because.map((code) => h('li', null,
              h('button', { type: 'button', class: 'code-button', onclick: () => onCode(code), title: 'Show in the editor' }, code),
              ' ', inline(messages.get(code) ?? ''))),
            p.notes.map((note) => h('li', { class: 'server-note' }, inline(note))))
          : null,
        p.loopback?.length
          ? h('ul', { class: 'server-ports', 'aria-label': 'Loopback redirect ports' },
            p.loopback.map((l) => h('li', null, h('code', null, l.uri), ' ', portsText(l))))
          : null);
    })),
  );
}
