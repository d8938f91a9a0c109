// The redirect-match tester: the document's redirect_uris against the redirect_uri a client sends,
// under a server's matching policy, with the core's reason for every registered entry.
import { h, inline } from '../dom.js';

export function mountMatch({ input, policy, out, matchRedirect }) {
  let registered = [];
  function run() {
    out.replaceChildren();
    const requested = input.value.trim();
    if (!registered.length) {
      out.append(h('p', { class: 'tool-empty' }, 'The document has no redirect_uris to match against.'));
      return;
    }
    if (!requested) {
      out.append(h('p', { class: 'tool-empty' }, 'Enter the redirect_uri a client sends.'));
      return;
    }
    let result;
    try {
      result = matchRedirect(registered, requested, { policy: policy.value });
    } catch (e) {
      out.append(h('p', { class: 'tool-error', role: 'alert' }, e.message));
      return;
    }
    out.append(
      h('p', { class: 'match-verdict', 'data-matched': String(result.matched) },
        h('strong', { class: result.matched ? 'is-ok' : 'is-bad' }, result.matched ? '✓ Matches' : '✗ No match'),
        h('span', { class: 'match-reason' }, inline(result.reason))),
      h('h3', null, 'Each registered redirect URI'),
      h('ol', { class: 'candidates', start: 0 }, result.candidates.map((c) => h('li', null,
        h('code', null, c.registered),
        h('span', { class: 'candidate-reason' }, h('span', { class: c.matched ? 'is-ok' : 'is-bad' }, c.matched ? '✓ ' : '✗ '), inline(c.reason))))),
    );
  }
  input.addEventListener('input', run);
  policy.addEventListener('change', run);
  return {
    update(report) {
      const uris = report?.document?.redirect_uris;
      registered = Array.isArray(uris) ? uris.filter((u) => typeof u === 'string') : [];
      run();
    },
  };
}
