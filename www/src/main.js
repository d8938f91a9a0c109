// The playground: wires the editor, the options, the panels and the tools to the core (the npm
// package `cimd`, its browser build: the wasm is bundled with the page).
import examples from 'virtual:examples';
import { createEditor, optionsOf, replaceText, jumpTo, setOptions } from './editor.js';
import { renderVerdict, renderDiagnostics, jumper } from './panel.js';
import { renderConsent } from './tools/consent.js';
import { renderPortability } from './tools/portability.js';
import { mountMatch } from './tools/match.js';
import { mountGenerator } from './tools/generate.js';
import { mountCheck } from './tools/check.js';
import { mountTabs } from './tabs.js';
import { mountTheme } from './theme.js';
import { encodeShare, decodeShare } from './share.js';
import { markdown } from './markdown.js';
import { byId, h, plural } from './dom.js';
import { createPerf } from './perf.js';
import './style.css';

performance.mark('cimd-script');
const verdict = byId('verdict');
const DEFAULT_EXAMPLE = 'real-mcp-spec-example';

mountTheme(byId('theme'));

let cimd;
try {
  cimd = await import('cimd');
  performance.mark('cimd-wasm');
} catch (e) {
  verdict.dataset.state = 'error';
  verdict.textContent = `Could not load the validator (WebAssembly): ${e.message}`;
  throw e;
}

// Examples menu, grouped.
const examplesSelect = byId('examples');
for (const group of [...new Set(examples.map((e) => e.group))]) {
  examplesSelect.append(h('optgroup', { label: group },
    examples.filter((e) => e.group === group).map((e) => h('option', { value: e.id }, e.label))));
}

// The state a page starts with: a share link's, else the default example.
async function initialState() {
  if (location.hash) {
    try {
      const shared = await decodeShare(location.hash);
      if (shared) return { state: shared, note: null };
    } catch (e) {
      return { state: null, note: `The share link could not be read (${e.message}); showing an example instead.` };
    }
  }
  return { state: null, note: null };
}

const exampleState = (e) => ({ text: e.text, url: e.url, profile: e.profile, strict: e.strict });
const start = await initialState();
const first = start.state ?? exampleState(examples.find((e) => e.id === DEFAULT_EXAMPLE) ?? examples[0]);

// Option controls.
const urlInput = byId('doc-url');
const profileSelect = byId('profile');
const strictBox = byId('strict');
function showOptions({ url, profile, strict }) {
  urlInput.value = url ?? '';
  profileSelect.value = profile;
  strictBox.checked = strict;
}
const optionsFromControls = () => ({ url: urlInput.value.trim() || null, profile: profileSelect.value, strict: strictBox.checked });
showOptions(first);
// Whether the user gave the URL in "Served at" (typed it, or it came with their share link, their
// generator form or their URL check). An example's URL is not theirs: a document pasted over an
// example is not judged against it (see `onResult`).
let urlGiven = Boolean(start.state?.url);
let pasted = false;

// The latest result, and the views that show it.
let latest = null;
const list = byId('diag-list');
const empty = byId('diag-empty');
const count = byId('diag-count');
let view;
const jump = (d) => jumper(view, jumpTo)(d);
const jumpToCode = (code) => {
  const d = latest?.report?.diagnostics.find((x) => x.code === code);
  if (d) jump(d);
};
const servers = cimd.servers();
const match = mountMatch({ input: byId('match-uri'), policy: byId('match-policy'), out: byId('match-out'), matchRedirect: cimd.matchRedirect });

// What each view shows depends on a few parts of the report: a view is redrawn only when those
// changed (typing inside a string usually changes none of them), which keeps a keystroke's DOM work
// (and the layout after it) small. Of the tools, only the visible one follows the keystrokes.
function redrawn(render, key) {
  let last;
  const show = (report) => {
    const k = key(report);
    if (k === last) return;
    last = k;
    render(report);
  };
  show.reset = () => { last = undefined; };
  return show;
}
const diagnosticsKey = (r) => (r ? JSON.stringify(r.diagnostics) : '');
const CONSENT_MEMBERS = ['client_name', 'client_id', 'client_uri', 'policy_uri', 'tos_uri', 'logo_uri', 'redirect_uris'];
const tools = {
  'panel-consent': redrawn((r) => renderConsent(byId('consent-out'), r), (r) => (r?.document
    ? JSON.stringify([CONSENT_MEMBERS.map((m) => r.document[m]), r.diagnostics.some((d) => d.code === 'CIMD308')])
    : '')),
  'panel-servers': redrawn((r) => renderPortability(byId('servers-out'), r, jumpToCode, servers), (r) => (r ? JSON.stringify(r.portability) + diagnosticsKey(r) : '')),
  'panel-match': redrawn((r) => match.update(r), (r) => JSON.stringify(r?.document?.redirect_uris ?? null)),
  'panel-check': () => check.prefill(latest?.options.url),
};
const tabs = mountTabs(byId('tools'), (id) => {
  tools[id]?.reset?.();
  tools[id]?.(latest?.report ?? null);
});

const perf = createPerf();

const showVerdict = redrawn(() => renderVerdict(verdict, latest), () => JSON.stringify([
  latest.error, latest.report?.valid, latest.report?.summary, latest.report?.profile, latest.report?.strict, Boolean(latest.options.url)]));
const showDiagnostics = redrawn((r) => {
  renderDiagnostics(list, empty, r, jump);
  count.textContent = r ? `(${r.diagnostics.length})` : '';
}, diagnosticsKey);

// A pasted document whose client_id is not the URL in "Served at", when the user never gave that
// URL, is compared with nothing: the URL is cleared (the verdict then says client_id was not
// compared) until the user types the URL it is served at.
function afterPaste({ options, report }) {
  const clientId = report?.document?.client_id;
  if (urlGiven || !options.url || clientId === options.url) return;
  urlInput.value = '';
  queueMicrotask(applyOptions);
}

function onResult(result) {
  if (pasted) {
    pasted = false;
    afterPaste(result);
  }
  latest = result;
  showVerdict(result.report);
  showDiagnostics(result.report);
  tools[tabs.current()]?.(result.report);
  perf?.rendered(result);
}

view = createEditor({
  parent: byId('editor'),
  text: first.text,
  options: { url: first.url, profile: first.profile, strict: first.strict },
  validate: perf ? perf.timed(cimd.validate) : cimd.validate,
  onResult,
  label: 'CIMD document (JSON)',
});
perf?.attach(view);
byId('editor').addEventListener('paste', () => { pasted = true; }, true);
if (start.note) verdict.after(h('p', { class: 'tool-error', role: 'alert' }, start.note));

const applyOptions = () => view.dispatch({ effects: setOptions.of(optionsFromControls()) });
urlInput.addEventListener('input', () => {
  urlGiven = true;
  applyOptions();
});
profileSelect.addEventListener('change', applyOptions);
strictBox.addEventListener('change', applyOptions);

/** Shows `state`; `given`: its URL is the user's (not an example's). */
function load(state, given = true) {
  urlGiven = given && Boolean(state.url);
  showOptions(state);
  replaceText(view, state.text, { url: state.url, profile: state.profile, strict: state.strict });
}

examplesSelect.addEventListener('change', () => {
  const e = examples.find((x) => x.id === examplesSelect.value);
  if (e) load(exampleState(e), false);
  examplesSelect.value = '';
});

mountGenerator({
  form: byId('generate-form'),
  out: byId('generate-out'),
  create: cimd.create,
  onCreated: (created, clientId) => load({ ...optionsOf(view), text: created.document, url: clientId }),
});

const check = mountCheck({
  form: byId('check-form'),
  out: byId('check-out'),
  getOptions: () => optionsOf(view),
  getText: () => view.state.doc.toString(),
  onOpen: (report, url) => load({ ...optionsOf(view), text: `${JSON.stringify(report.document, null, 2)}\n`, url }),
});

// Share links.
const shareBox = byId('share-box');
const shareLink = byId('share-link');
const shareStatus = byId('share-status');
byId('share').addEventListener('click', async () => {
  shareStatus.textContent = '';
  const fragment = await encodeShare({ text: view.state.doc.toString(), ...optionsOf(view) });
  const link = `${location.origin}${location.pathname}#${fragment}`;
  history.replaceState(null, '', `#${fragment}`);
  shareLink.value = link;
  shareBox.hidden = false;
  shareLink.focus();
  shareLink.select();
  try {
    await navigator.clipboard.writeText(link);
    shareStatus.textContent = `Link copied (${plural(link.length, 'character')}).`;
  } catch {
    shareStatus.textContent = 'Copy the selected link (Ctrl+C).';
  }
});
byId('share-close').addEventListener('click', () => {
  shareBox.hidden = true;
  byId('share').focus();
});
addEventListener('hashchange', async () => {
  try {
    const shared = await decodeShare(location.hash);
    if (shared && shared.text !== view.state.doc.toString()) load(shared);
  } catch { /* a damaged fragment typed by hand: keep the document */ }
});

// Code documentation in place (works offline): a click on a docs link opens the core's `explain`.
const dialog = byId('explain');
byId('explain-close').addEventListener('click', () => dialog.close());
document.addEventListener('click', (event) => {
  const a = event.target.closest?.('a[data-code]');
  if (!a || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  const doc = cimd.explain(a.dataset.code);
  if (!doc) return;
  event.preventDefault();
  const [titleLine, ...rest] = doc.split('\n');
  byId('explain-title').textContent = titleLine.replace(/^#\s*/, '');
  byId('explain-body').replaceChildren(markdown(rest.join('\n'), 2));
  byId('explain-link').href = a.href;
  dialog.showModal();
});

// Offline: the service worker caches the app shell (production builds only).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').then(() => navigator.serviceWorker.ready).then(() => {
    byId('offline-status').textContent = 'Works offline.';
    document.documentElement.dataset.offline = 'ready';
  }).catch(() => { /* no service worker (private mode, http): the page still works online */ });
}

// For the e2e tests (and the curious): the editor, the latest result and the package itself.
window.cimdPlayground = { view, examples, cimd, result: () => latest };
document.documentElement.dataset.ready = 'true';
performance.mark('cimd-ready');
