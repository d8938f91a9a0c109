// The generator: `cimd create`'s options (FastMCP's flags) as a form; the core builds and validates
// the document, and it goes into the editor (with the client_id URL as the document URL).
import { h, inline, plural } from '../dom.js';

export function mountGenerator({ form, out, create, onCreated }) {
  const field = (name) => form.elements.namedItem(name);
  const value = (name) => field(name).value.trim() || null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    out.replaceChildren();
    const redirectUris = field('redirect_uris').value.split(/\s+/).filter(Boolean);
    let created;
    try {
      created = create({
        name: field('client_name').value.trim(),
        redirectUris,
        clientId: value('client_id'),
        clientUri: value('client_uri'),
        logoUri: value('logo_uri'),
        scope: value('scope'),
      });
    } catch (e) {
      out.append(h('p', { class: 'tool-error', role: 'alert' }, e.message));
      return;
    }
    onCreated(created, value('client_id'));
    const { summary, valid } = created.report;
    out.append(h('p', { class: valid ? 'tool-ok' : 'tool-error', role: 'status' },
      valid ? 'Written to the editor.' : `Written to the editor with ${plural(summary.errors, 'error')}: the CLI would refuse to write it.`,
      summary.warnings ? ` ${plural(summary.warnings, 'warning')}.` : ''));
    if (created.placeholder) {
      out.append(h('p', { class: 'tool-note' }, inline('No client_id URL given: the document has FastMCP\'s placeholder; replace it with the https URL you will serve it at.')));
    }
  });
}
