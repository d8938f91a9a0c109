// What an authorization server's consent screen would show for the document being edited: the
// client name, the client_id's host in large type (the one thing a user can check), the logo, the
// links, where the browser will be sent back to, and the extra warning servers show when every
// redirect URI is loopback (the core reports that as CIMD308).
import { h } from '../dom.js';

/** The host of an absolute URL (WHATWG parsing, as a browser-based consent page would show it). */
export function hostOf(uri) {
  if (typeof uri !== 'string') return null;
  try {
    const u = new URL(uri);
    return u.host || `${u.protocol} (app scheme)`;
  } catch {
    return null;
  }
}

function str(doc, name) {
  return typeof doc[name] === 'string' && doc[name].trim() !== '' ? doc[name] : null;
}

function link(label, uri) {
  const host = hostOf(uri);
  if (!host) return null;
  const safe = /^https?:$/.test(new URL(uri).protocol);
  return h('li', null, safe ? h('a', { href: uri, target: '_blank', rel: 'noopener noreferrer' }, label) : label, ' ', h('span', { class: 'consent-muted' }, host));
}

function logo(doc, name) {
  const letter = h('span', { class: 'consent-logo consent-logo-letter', 'aria-hidden': 'true' }, (name.trim()[0] ?? '?').toUpperCase());
  const uri = str(doc, 'logo_uri');
  if (!uri || !uri.startsWith('https://')) return letter;
  const img = h('img', { class: 'consent-logo', src: uri, alt: `${name} logo`, width: 56, height: 56, referrerpolicy: 'no-referrer', loading: 'lazy' });
  img.addEventListener('error', () => img.replaceWith(letter), { once: true });
  return img;
}

export function renderConsent(el, report) {
  el.replaceChildren();
  const doc = report?.document;
  if (!doc) {
    el.append(h('p', { class: 'tool-empty' }, 'Fix the JSON to see what a server would show.'));
    return;
  }
  const codes = new Set(report.diagnostics.map((d) => d.code));
  const name = str(doc, 'client_name');
  const clientHost = hostOf(doc.client_id);
  const redirects = Array.isArray(doc.redirect_uris) ? doc.redirect_uris.filter((u) => typeof u === 'string') : [];
  const redirectHosts = [...new Set(redirects.map((u) => hostOf(u) ?? u))];
  el.append(h('div', { class: 'consent', role: 'group', 'aria-label': 'Consent screen preview' },
    h('div', { class: 'consent-top' },
      logo(doc, name ?? clientHost ?? '?'),
      h('div', null,
        h('p', { class: 'consent-title' }, h('strong', { 'data-field': 'name' }, name ?? 'An unnamed application'), ' wants to access your account'),
        h('p', { class: 'consent-host-line' }, 'Client from ', h('strong', { class: 'consent-host', 'data-field': 'host' }, clientHost ?? 'an unknown site')))),
    codes.has('CIMD308')
      ? h('p', { class: 'consent-warning', role: 'note', 'data-field': 'loopback-warning' },
        h('strong', null, 'This app runs on your own device. '),
        `It can only send you back to ${redirectHosts.join(', ')}. Allow it only if you started it yourself.`)
      : null,
    h('dl', { class: 'consent-facts' },
      h('dt', null, 'Client ID'), h('dd', null, h('code', null, typeof doc.client_id === 'string' ? doc.client_id : 'missing')),
      h('dt', null, 'Sends you back to'), h('dd', { 'data-field': 'redirects' }, redirectHosts.length ? redirectHosts.join(', ') : 'no redirect URI')),
    h('ul', { class: 'consent-links' },
      link('Website', doc.client_uri), link('Privacy policy', doc.policy_uri), link('Terms of service', doc.tos_uri)),
    h('div', { class: 'consent-actions', 'aria-hidden': 'true' },
      h('span', { class: 'fake-button' }, 'Cancel'), h('span', { class: 'fake-button fake-primary' }, 'Allow'))));
}
