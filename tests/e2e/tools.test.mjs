// The tools beside the editor, end to end in headless Chromium on the page the Worker serves: the
// generator writes into the editor, the redirect-match tester, the consent-screen preview, the
// portability verdicts, the share link round trip, and "check a hosted document" through the
// Worker's GET /api/validate (the Worker's outbound fetches answered by a mock, never the internet).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as cimd from 'cimd';
import { setup, openPlayground, screenshot, editorText, selection, setText, MockWeb } from './harness.mjs';

const HOSTED = 'https://app.example.com/oauth/client.json';
const HOSTED_DOC = `${JSON.stringify({
  client_id: HOSTED,
  client_name: 'Hosted App',
  redirect_uris: ['http://127.0.0.1/callback'],
  token_endpoint_auth_method: 'none',
}, null, 2)}\n`;
// The web the Worker sees: app.example.com on a public address, the hosted document and a 404.
const web = new MockWeb()
  .answer('app.example.com', ['93.184.216.34'])
  .page(HOSTED, { headers: [['content-type', 'application/json'], ['cache-control', 'public, max-age=3600']], body: HOSTED_DOC })
  .page('https://app.example.com/missing.json', { status: 404, headers: [['content-type', 'text/html']], body: '<html>not here</html>' });

const state = setup({ web, page: true });
let site, context, page, errors;
before(async () => { ({ site, context, page, errors } = await state.ready); });

async function loadExample(id) {
  await page.selectOption('#examples', id);
  return page.evaluate((x) => window.cimdPlayground.examples.find((e) => e.id === x), id);
}

test('the generator writes cimd create\'s document into the editor', async () => {
  await page.click('#tab-generate');
  const form = page.locator('#generate-form');
  await form.locator('[name=client_name]').fill('Test App');
  await form.locator('[name=redirect_uris]').fill('http://127.0.0.1/callback\nhttps://app.example.com/callback');
  await form.locator('[name=client_id]').fill(HOSTED);
  await form.locator('[name=client_uri]').fill('https://app.example.com');
  await form.locator('[name=logo_uri]').fill('');
  await form.locator('[name=scope]').fill('read write');
  await form.locator('button[type=submit]').click();
  const expected = cimd.create({
    name: 'Test App', redirectUris: ['http://127.0.0.1/callback', 'https://app.example.com/callback'],
    clientId: HOSTED, clientUri: 'https://app.example.com', scope: 'read write',
  });
  assert.equal(await editorText(page), expected.document);
  assert.equal(await page.inputValue('#doc-url'), HOSTED, 'the client_id URL becomes the document URL');
  assert.equal(await page.getAttribute('#verdict', 'data-state'), expected.report.valid ? 'valid' : 'invalid');
  assert.match(await page.textContent('#generate-out'), /Written to the editor/);
  await screenshot(page, 'tool-generate');

  // Without a client_id: FastMCP's placeholder, and a note saying so.
  await form.locator('[name=client_id]').fill('');
  await form.locator('button[type=submit]').click();
  const text = await editorText(page);
  assert.ok(text.includes(cimd.create({ name: 'Test App', redirectUris: ['http://127.0.0.1/callback'] }).report.document.client_id), text);
  assert.equal(await page.inputValue('#doc-url'), '');
  assert.match(await page.textContent('#generate-out'), /placeholder/);

  // Nothing to write: the form's own checks (required fields) stop it, the editor keeps its text.
  await form.locator('[name=client_name]').fill('');
  await form.locator('button[type=submit]').click();
  assert.equal(await editorText(page), text);
  assert.equal(await form.locator('[name=client_name]').evaluate((e) => e.validity.valueMissing), true);
});

test('the redirect-match tester: the document\'s redirect_uris, the requested URI, the policy and the reason', async () => {
  const e = await loadExample('real-claude-code');
  const registered = JSON.parse(e.text).redirect_uris;
  await page.click('#tab-match');
  const requested = 'http://localhost:53124/callback';
  await page.fill('#match-uri', requested);
  for (const policy of ['rfc8252', 'exact', 'wildcard']) {
    await page.selectOption('#match-policy', policy);
    const want = cimd.matchRedirect(registered, requested, { policy });
    const verdict = page.locator('#match-out .match-verdict');
    assert.equal(await verdict.getAttribute('data-matched'), String(want.matched), policy);
    assert.ok((await verdict.textContent()).includes(want.reason.replaceAll('`', '')), `${policy}: ${await verdict.textContent()}`);
    const reasons = await page.$$eval('#match-out .candidates li', (li) => li.map((l) => l.textContent));
    assert.equal(reasons.length, registered.length);
    want.candidates.forEach((c, i) => assert.ok(reasons[i].includes(c.registered) && reasons[i].includes(c.reason.replaceAll('`', ''))));
  }
  assert.equal(cimd.matchRedirect(registered, requested, { policy: 'rfc8252' }).matched, true, 'RFC 8252: any port on loopback');
  assert.equal(cimd.matchRedirect(registered, requested, { policy: 'exact' }).matched, false, 'exact: the port differs');
  await page.selectOption('#match-policy', 'exact');
  await screenshot(page, 'tool-match');

  // The tester follows the document: edit redirect_uris and the verdict changes at once.
  await setText(page, e.text.replace('http://localhost/callback', 'http://localhost:53124/callback'));
  assert.equal(await page.getAttribute('#match-out .match-verdict', 'data-matched'), 'true');
});

test('the consent-screen preview shows the name, the client_id host, redirect hosts and the loopback warning', async () => {
  await page.click('#tab-consent');
  const vscode = await loadExample('real-vscode');
  const doc = JSON.parse(vscode.text);
  assert.equal(await page.textContent('#consent-out [data-field=name]'), doc.client_name);
  assert.equal(await page.textContent('#consent-out [data-field=host]'), 'vscode.dev');
  assert.equal(await page.textContent('#consent-out [data-field=redirects]'), '127.0.0.1:33418, vscode.dev');
  assert.equal(await page.locator('#consent-out [data-field=loopback-warning]').count(), 0, 'an https redirect: no loopback warning');
  assert.equal(await page.locator('#consent-out .consent-links a', { hasText: 'Website' }).getAttribute('href'), doc.client_uri);
  assert.equal(await page.locator('#consent-out .consent-logo').count(), 1, 'the logo (or its letter when it cannot load)');

  await loadExample('real-claude-code');
  const warning = page.locator('#consent-out [data-field=loopback-warning]');
  assert.equal(await warning.count(), 1, 'every redirect URI is loopback (CIMD308): the warning');
  assert.match(await warning.textContent(), /localhost, 127\.0\.0\.1/);
  assert.equal(await page.textContent('#consent-out [data-field=host]'), 'claude.ai');
  await screenshot(page, 'tool-consent');

  await setText(page, '{"client_id": ');
  assert.match(await page.textContent('#consent-out'), /Fix the JSON/);
});

test('the portability verdicts say which servers accept the document and why not; a code jumps to it', async () => {
  const e = await loadExample('broken');
  await page.click('#tab-servers');
  const report = cimd.validate(e.text, { url: e.url });
  const rows = await page.$$eval('#servers-out li.server', (li) => li.map((l) => ({
    server: l.dataset.server,
    accepts: l.classList.contains('server-ok'),
    codes: [...l.querySelectorAll('.code-button')].map((b) => b.textContent),
  })));
  assert.deepEqual(rows, report.portability.map((p) => ({ server: p.server, accepts: p.accepts, codes: p.because })));
  assert.ok(rows.some((r) => !r.accepts), 'the broken document is refused somewhere');
  assert.match(await page.textContent('#servers-out .tool-summary'), new RegExp(`Accepted by ${rows.filter((r) => r.accepts).length} of ${rows.length}`));

  const refusal = report.portability.find((p) => p.because.length);
  const code = refusal.because[0];
  await page.locator(`#servers-out li[data-server="${refusal.server}"] .code-button`, { hasText: code }).first().click();
  const d = report.diagnostics.find((x) => x.code === code);
  assert.deepEqual(await selection(page), { from: d.span.start, to: d.span.end });
  await screenshot(page, 'tool-servers');
});

test('the tabs work from the keyboard (arrows, Home, End)', async () => {
  await page.focus('#tab-servers');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-match', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-match');
  assert.equal(await page.isVisible('#panel-match'), true);
  assert.equal(await page.isVisible('#panel-servers'), false);
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-check');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-consent', 'wraps around');
  assert.equal(await page.getAttribute('#tab-check', 'tabindex'), '-1', 'one tab stop for the list');
});

test('a share link carries the document and its options in the fragment and opens them', async () => {
  const e = await loadExample('redirect-uri-wildcard-port-localhost');
  await page.selectOption('#profile', 'ietf');
  await page.check('#strict');
  const text = `${e.text.trimEnd()}\n// ünïcödé ✓ 𝄞\n`;
  await setText(page, text);
  await page.click('#share');
  await page.locator('#share-status').filter({ hasText: /./ }).waitFor();
  const link = await page.inputValue('#share-link');
  const url = new URL(link);
  assert.equal(url.origin + url.pathname, new URL(site.base).href);
  assert.ok(!url.hash.includes('client_id'), 'the document is compressed, not in clear');
  assert.equal(await page.evaluate(() => location.hash), url.hash, 'the address bar carries it too');
  await page.uncheck('#strict');
  await page.selectOption('#profile', 'mcp');

  const other = await openPlayground(context, link, { errors });
  assert.equal(await editorText(other), text);
  assert.equal(await other.inputValue('#doc-url'), e.url ?? '');
  assert.equal(await other.inputValue('#profile'), 'ietf');
  assert.equal(await other.isChecked('#strict'), true);
  const report = cimd.validate(text, { url: e.url, profile: 'ietf', strict: true });
  assert.equal(await other.getAttribute('#verdict', 'data-state'), report.valid ? 'valid' : 'invalid');
  await other.close();

  // A damaged link says so and falls back to an example.
  const broken = await openPlayground(context, `${site.base}#doc=AAAA`, { errors });
  assert.match(await broken.textContent('.layout'), /share link could not be read/);
  await broken.close();
  await page.click('#share-close');
});

test('check a hosted document: the Worker fetches it and the page shows the fetch and the report', async () => {
  await page.click('#tab-check');
  const documentUrl = await page.inputValue('#doc-url');
  assert.ok(documentUrl);
  assert.equal(await page.inputValue('#check-form [name=url]'), documentUrl, 'the box starts with the document URL');
  await page.fill('#check-form [name=url]', HOSTED);
  await page.click('#check-form button[type=submit]');
  const verdict = page.locator('#check-out .check-verdict');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute('data-state'), 'valid');
  assert.equal(web.count(HOSTED), 1, 'the Worker fetched the document (from the mock)');
  const field = (k) => page.textContent(`#check-out [data-field=${k}]`);
  assert.equal(await field('status'), '200');
  assert.equal(await field('content-type'), 'application/json');
  assert.match(await field('bytes'), new RegExp(`\\b${Buffer.byteLength(HOSTED_DOC)} bytes`));
  assert.equal(await field('cache'), '1 h (3600 s)');
  await screenshot(page, 'tool-check');
  await page.click('#check-out button', { hasText: 'Open the fetched document' });
  assert.deepEqual(JSON.parse(await editorText(page)), JSON.parse(HOSTED_DOC));
  assert.equal(await page.inputValue('#doc-url'), HOSTED);

  await page.click('#tab-check');
  await page.fill('#check-form [name=url]', 'https://app.example.com/missing.json');
  await page.click('#check-form button[type=submit]');
  await page.locator('#check-out .check-verdict[data-state=invalid]').waitFor();
  assert.equal(await field('status'), '404');
  assert.match(await page.textContent('#check-out .check-diagnostics'), /CIMD500/);
});

test('check a hosted document: compare with the editor lists every difference, positioned in the editor', async () => {
  await page.click('#tab-check');
  await page.fill('#check-form [name=url]', HOSTED);
  await page.check('#check-form [name=compare]');
  // The editor's document registers localhost where the served one has 127.0.0.1.
  const drifted = HOSTED_DOC.replace('http://127.0.0.1/callback', 'http://localhost/callback');
  await setText(page, drifted);
  await page.click('#tab-check');
  await page.click('#check-form button[type=submit]');
  const drift = page.locator('#check-out .check-drift');
  await drift.waitFor();
  assert.equal(await drift.getAttribute('data-state'), 'differs');
  assert.match(await drift.textContent(), /^1 difference between the editor and the document served at/);
  const findings = await page.textContent('#check-out .check-diagnostics');
  assert.match(findings, /CIMD604/);
  assert.match(findings, /localhost/);
  assert.match(findings, /127\.0\.0\.1/);
  assert.equal(await page.locator('#check-out button', { hasText: 'Open the fetched document' }).count(), 0,
    'the report of a comparison is the editor\'s own document');
  await screenshot(page, 'tool-check-compare');

  // The served document itself: nothing differs.
  await setText(page, HOSTED_DOC);
  await page.click('#tab-check');
  await page.click('#check-form button[type=submit]');
  await page.locator('#check-out .check-drift[data-state=same]').waitFor();
  assert.match(await page.textContent('#check-out .check-drift'), /is the one in the editor/);
  await page.uncheck('#check-form [name=compare]');
});

test('check a hosted document: clear messages when it cannot be checked', async () => {
  await page.click('#tab-check');
  const input = page.locator('#check-form [name=url]');
  const submit = page.locator('#check-form button[type=submit]');
  const failure = page.locator('#check-out [data-state=failed]');

  await input.fill('http://app.example.com/client.json');
  await submit.click();
  assert.match(await failure.textContent(), /https:\/\//);

  await input.fill(HOSTED);
  await page.route('**/api/validate?*', (route) => route.fulfill({ status: 429, headers: { 'retry-after': '30', 'content-type': 'application/json' }, body: '{"error":"rate limited"}' }));
  await submit.click();
  await page.locator('#check-out [data-state=failed]', { hasText: 'Too many checks' }).waitFor();
  assert.match(await failure.textContent(), /try again in 30 s/);
  await page.unroute('**/api/validate?*');

  await page.route('**/api/validate?*', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":"url must be an absolute https URL"}' }));
  await submit.click();
  await page.locator('#check-out [data-state=failed]', { hasText: 'refused' }).waitFor();
  assert.match(await failure.textContent(), /url must be an absolute https URL/);
  await page.unroute('**/api/validate?*');

  await page.route('**/api/validate?*', (route) => route.abort('internetdisconnected'));
  await submit.click();
  await page.locator('#check-out [data-state=failed]', { hasText: 'reach the cimd API' }).waitFor();
  await page.unroute('**/api/validate?*');
  assert.equal(await submit.isEnabled(), true, 'the button is usable again');
});
