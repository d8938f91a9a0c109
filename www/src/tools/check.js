// "Check a hosted document": the Worker fetches the URL as an authorization server would
// (GET /api/validate?url=) and answers with the report; this shows how the fetch went (status,
// content type, size, cache lifetime, time, address) and what the rules found. A browser cannot do
// this fetch itself: it has no say over redirects, addresses or other sites' CORS. "Compare with the
// editor" posts the editor's text with the URL (POST /api/validate with compare): the Worker fetches
// the URL the same way and the report lists every difference (CIMD604), positioned in the editor.
import { h, plural } from '../dom.js';
import { diagnosticRow, counts, bySeverity } from '../panel.js';

const API = 'api/validate';

function bytes(n) {
  return n === null || n === undefined ? 'unknown' : n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB (${n} bytes)`;
}

function lifetime(s) {
  if (s === null || s === undefined) return 'not cached (errors are never cached)';
  if (s === 0) return 'not cached';
  const parts = s >= 3600 ? `${+(s / 3600).toFixed(1)} h` : s >= 60 ? `${+(s / 60).toFixed(1)} min` : `${s} s`;
  return `${parts} (${s} s)`;
}

function fetchDetails(f) {
  const row = (name, value, key) => [h('dt', null, name), h('dd', { 'data-field': key }, value ?? 'unknown')];
  return h('dl', { class: 'fetch-details' },
    row('HTTP status', f.status === null ? 'no response' : String(f.status), 'status'),
    row('Content type', f.content_type ?? 'none', 'content-type'),
    row('Size', bytes(f.bytes), 'bytes'),
    row('Cache lifetime', lifetime(f.cache_ttl_s), 'cache'),
    row('Time', f.elapsed_ms === null ? null : `${f.elapsed_ms} ms`, 'elapsed'),
    row('Address', f.address, 'address'));
}

/** What went wrong talking to the API itself (not the document's fault). */
async function apiProblem(response) {
  const type = response.headers.get('content-type') ?? '';
  let detail = '';
  if (type.includes('json')) {
    const body = await response.json().catch(() => null);
    detail = body?.error ?? body?.message ?? '';
  }
  if (response.status === 429) {
    const retry = response.headers.get('retry-after');
    return `Too many checks from this address${retry ? `: try again in ${retry} s` : '; wait a little and try again'}.`;
  }
  if (response.status === 400) return `The check was refused: ${detail || 'bad request'}.`;
  return `The cimd API answered HTTP ${response.status}${detail ? `: ${detail}` : ''}.`;
}

/** Returns `{prefill(url)}`: puts the document's URL in the box while the box is empty. */
export function mountCheck({ form, out, getOptions, getText, onOpen, fetchImpl = (...a) => fetch(...a) }) {
  const input = form.elements.namedItem('url');
  const compareBox = form.elements.namedItem('compare');
  const button = form.querySelector('button[type=submit]');
  let seq = 0;
  const show = (...nodes) => out.replaceChildren(...nodes);
  const problem = (text) => show(h('p', { class: 'tool-error', role: 'alert', 'data-state': 'failed' }, text));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const url = input.value.trim();
    if (!/^https:\/\//i.test(url)) {
      problem('Enter the https:// URL the document is served at (servers fetch https only).');
      return;
    }
    const { profile, strict } = getOptions();
    const compare = compareBox?.checked === true;
    const query = new URLSearchParams({ url, profile });
    if (strict) query.set('strict', 'true');
    const request = compare
      ? [API, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ document: getText(), url, compare: true, profile, strict }),
      }]
      : [`${API}?${query}`, { headers: { accept: 'application/json' } }];
    const mine = ++seq;
    button.disabled = true;
    out.setAttribute('aria-busy', 'true');
    show(h('p', { class: 'tool-note', role: 'status' }, `Fetching ${url} as a server would…`));
    try {
      let response;
      try {
        response = await fetchImpl(...request);
      } catch {
        if (mine === seq) problem(navigator.onLine === false
          ? 'You are offline. Editing works offline; checking a hosted document needs the cimd API.'
          : 'Could not reach the cimd API. Editing works without it; checking a hosted document does not.');
        return;
      }
      if (mine !== seq) return;
      const type = response.headers.get('content-type') ?? '';
      const report = response.ok && type.includes('json') ? await response.json().catch(() => null) : null;
      if (mine !== seq) return;
      if (!report || typeof report.valid !== 'boolean') {
        problem(response.ok ? `The cimd API answered with ${type || 'no content type'} instead of a report.` : await apiProblem(response));
        return;
      }
      const drift = report.diagnostics.filter((d) => d.code === 'CIMD604').length;
      show(
        compare
          ? h('p', { class: 'check-drift', 'data-state': drift ? 'differs' : 'same' },
            drift
              ? `${plural(drift, 'difference')} between the editor and the document served at ${url} (CIMD604, positioned in the editor)`
              : `The document served at ${url} is the one in the editor.`)
          : null,
        h('p', { class: `check-verdict ${report.valid ? 'is-ok' : 'is-bad'}`, role: 'status', 'data-state': report.valid ? 'valid' : 'invalid' },
          h('span', { 'aria-hidden': 'true' }, report.valid ? '✓ ' : '✗ '),
          h('strong', null, report.valid ? 'A server would accept it' : 'A server would refuse it'), ` · ${counts(report.summary)}`),
        report.fetch ? fetchDetails(report.fetch) : null,
        report.diagnostics.length
          ? h('ul', { class: 'diag-list check-diagnostics', 'aria-label': `${plural(report.diagnostics.length, 'finding')} on ${url}` },
            bySeverity(report.diagnostics).map(([d, i]) => diagnosticRow(d, i, null)))
          : null,
        // In a comparison the report's document is the editor's own.
        report.document && !compare
          ? h('button', { type: 'button', class: 'secondary', onclick: () => onOpen(report, url) }, 'Open the fetched document in the editor')
          : null,
      );
    } finally {
      if (mine === seq) {
        button.disabled = false;
        out.removeAttribute('aria-busy');
      }
    }
  });
  return {
    prefill(url) {
      if (!input.value && url) input.value = url;
    },
  };
}
