// The editor end to end in headless Chromium, on the page the Worker serves in workerd: a broken
// document typed key by key shows each problem at its place (squiggle, gutter, hover, panel), the
// panel jumps the cursor (mouse and keyboard), fixing it key by key makes it valid, the profile and
// strict toggles and the examples menu re-validate. Expected reports come from the npm package under
// Node (the same core), positions also from the text itself.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as cimd from 'cimd';
import {
  setup, screenshot, editorText, selection, select, setText, panelRows, lineColumn,
} from './harness.mjs';

const URL_ = 'https://app.example.com/oauth/client.json';
const MEMBERS = [
  '"client_id": "http://app.example.com/oauth/client.json"',
  '"client_name": "Demo"',
  '"client_secret": "hunter2"',
  '"redirect_uris": ["http://localhost:*/callback", "https://app.example.com/cb#done"]',
  '"token_endpoint_auth_method": "client_secret_basic"',
];
const TYPED = `{\n  ${MEMBERS.join(',\n  ')}\n}`;

const state = setup({ page: true });
let page;
before(async () => { ({ page } = await state.ready); });

/** The page's rows as the npm package predicts them for `text`, in the panel's order. */
function expectedRows(text, options) {
  const order = { error: 0, warning: 1, info: 2 };
  return cimd.validate(text, options).diagnostics
    .map((d, i) => [d, i])
    .sort(([a, i], [b, j]) => order[a.severity] - order[b.severity] || i - j)
    .map(([d]) => ({ severity: d.severity, where: d.range ? `${d.range.start.line}:${d.range.start.column}` : '—', code: d.code, message: d.message.replaceAll('`', '') }));
}

/** The text under the squiggles of one code (marks are split where diagnostics overlap). */
function markedText(code) {
  return page.$$eval(`.cm-content .cimd-${code}`, (els) => els.map((e) => e.textContent).join(''));
}

test('typing a broken document key by key: every keystroke re-validates, each problem shows where it is', async () => {
  await page.fill('#doc-url', URL_);
  await setText(page, '');
  await select(page, 0);
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'invalid', 'an empty document is invalid');
  assert.deepEqual((await panelRows(page)).map((r) => r.code), ['CIMD008']);

  // Key by key, with the editor's own help (closing brackets and quotes, indentation on Enter).
  const keys = ['{', 'Enter'];
  MEMBERS.forEach((m, i) => keys.push(...m, ...(i < MEMBERS.length - 1 ? [',', 'Enter'] : [])));
  let checked = 0;
  for (const key of keys) {
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    // No debounce: the report shown is always the one of the text in the editor, right after the key.
    const [text, reported] = await page.evaluate(() => [window.cimdPlayground.view.state.doc.toString(), window.cimdPlayground.result().text]);
    assert.equal(reported, text, `after ${JSON.stringify(key)} the report is stale`);
    checked++;
    if (text === `{\n  ${MEMBERS[0]}\n}`) {
      // The first member typed: its problems are already listed at their place.
      const rows = await panelRows(page);
      const at = lineColumn(text, text.indexOf('http://'));
      assert.ok(rows.some((r) => r.code === 'CIMD101' && r.where === at), `CIMD101 at ${at}: ${JSON.stringify(rows)}`);
    }
  }
  assert.equal(checked, keys.length);
  assert.equal(await editorText(page), TYPED, 'the typed text');

  // The panel lists exactly what the core reports, errors first, with 1-based line:column.
  const rows = await panelRows(page);
  assert.deepEqual(rows, expectedRows(TYPED, { url: URL_ }));
  const codes = new Set(rows.map((r) => r.code));
  for (const code of ['CIMD101', 'CIMD107', 'CIMD201', 'CIMD202', 'CIMD303', 'CIMD309']) assert.ok(codes.has(code), `${code} in ${[...codes]}`);
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'invalid');
  assert.match(await page.textContent('#verdict'), /Invalid CIMD document.*\d+ errors/);

  // Squiggles cover the exact ranges.
  const report = cimd.validate(TYPED, { url: URL_ });
  for (const d of report.diagnostics.filter((x) => ['CIMD101', 'CIMD202', 'CIMD303', 'CIMD309'].includes(x.code))) {
    assert.equal(await markedText(d.code), TYPED.slice(d.span.start, d.span.end), `${d.code} squiggle`);
  }
  assert.equal(await markedText('CIMD101'), 'http', 'CIMD101 points at the scheme');
  assert.equal(await markedText('CIMD107'), 'http://app.example.com/oauth/client.json');
  assert.ok(await page.$eval('.cimd-CIMD101', (e) => e.classList.contains('cm-lintRange-error')));
  assert.match(await markedText('CIMD303'), /#done/);
  assert.match(await markedText('CIMD202'), /client_secret|hunter2/);

  // Gutter marks on the lines with errors (2: client_id, 4: client_secret, 5: redirect_uris, 6: auth method).
  const lines = await page.$$eval('.cm-content .cm-line', (ls) => ls.map((l) => l.getBoundingClientRect().top));
  const marks = await page.$$eval('.cm-gutter-lint .cm-gutterElement', (els) => els
    .filter((e) => e.querySelector('.cm-lint-marker'))
    .map((e) => ({ top: e.getBoundingClientRect().top, error: Boolean(e.querySelector('.cm-lint-marker-error')) })));
  const markedLines = marks.map((m) => 1 + lines.findIndex((top) => Math.abs(top - m.top) < 3));
  for (const line of [2, 4, 5, 6]) assert.ok(markedLines.includes(line), `gutter mark on line ${line}: ${markedLines}`);
  assert.ok(marks.every((m) => m.error || markedLines[marks.indexOf(m)] === 1), 'lines 2-6 carry error marks');
  await screenshot(page, 'editor-broken');
});

test('hovering a squiggle shows the code, message, help and a docs link that opens the code\'s documentation', async () => {
  const d = cimd.validate(TYPED, { url: URL_ }).diagnostics.find((x) => x.code === 'CIMD303');
  await page.hover('.cm-content .cimd-CIMD303');
  const tip = page.locator('.cm-tooltip-lint');
  await tip.waitFor({ state: 'visible' });
  const text = await tip.textContent();
  for (const part of ['CIMD303', d.name, d.message.replaceAll('`', ''), 'Help:', d.help.replaceAll('`', ''), 'CIMD303 docs']) {
    assert.ok(text.includes(part), `tooltip has ${JSON.stringify(part)}: ${text}`);
  }
  const link = tip.locator('a.docs-link').first();
  assert.equal(await link.getAttribute('href'), d.docs);
  assert.equal(d.docs, 'https://github.com/cimd-dev/cimd/blob/main/docs/codes.md#cimd303');
  await screenshot(page, 'editor-hover');
  await link.click();
  const dialog = page.locator('#explain');
  await dialog.waitFor({ state: 'visible' });
  assert.match(await page.textContent('#explain-title'), /CIMD303/);
  const body = await page.textContent('#explain-body');
  assert.ok(body.includes('What it checks') && body.includes('Why'), body.slice(0, 200));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.mouse.move(0, 0);
});

test('a click on a panel item selects the diagnostic\'s range in the editor; so does Enter after Tab', async () => {
  const report = cimd.validate(TYPED, { url: URL_ });
  const d = report.diagnostics.find((x) => x.code === 'CIMD309');
  await page.locator('#diag-list .diag-row', { hasText: 'CIMD309' }).locator('button.diag-jump').click();
  assert.deepEqual(await selection(page), { from: d.span.start, to: d.span.end }, 'ASCII text: byte span = UTF-16 range');
  assert.ok(await page.evaluate(() => window.cimdPlayground.view.hasFocus), 'the editor has focus after the jump');

  // Keyboard only: from the editor, Tab reaches the first panel item (errors first), Enter jumps.
  const first = expectedRows(TYPED, { url: URL_ })[0];
  const target = report.diagnostics.find((x) => x.code === first.code && `${x.range.start.line}:${x.range.start.column}` === first.where);
  await select(page, 0);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { cls: el.className, text: el.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.equal(focused.cls, 'diag-jump', `focus went to ${focused.cls}`);
  assert.ok(focused.text.includes(first.code));
  assert.equal(focused.outline, 'solid', 'visible focus');
  assert.ok(focused.width >= 2, `focus outline ${focused.width}px`);
  await page.keyboard.press('Enter');
  assert.deepEqual(await selection(page), { from: target.span.start, to: target.span.end });
});

test('fixing the document key by key makes it valid', async () => {
  const fix = async (find, deleteCount, insert) => {
    const text = await editorText(page);
    const at = text.indexOf(find);
    assert.ok(at >= 0, `${find} in the text`);
    await select(page, at + find.length);
    for (let i = 0; i < deleteCount; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type(insert);
  };
  await fix('"http', 0, 's');                                          // http -> https
  await fix('"client_secret_basic', 'client_secret_basic'.length, 'none');
  await fix('/cb#done', '#done'.length, '');
  await fix('localhost:*', 'localhost:*'.length, '127.0.0.1');
  // Delete the client_secret line: select it and press Backspace (then join the lines).
  const text = await editorText(page);
  const start = text.indexOf('  "client_secret"');
  await select(page, start, text.indexOf('\n', start) + 1);
  await page.keyboard.press('Backspace');
  const fixed = await editorText(page);
  assert.equal(fixed, `{
  "client_id": "https://app.example.com/oauth/client.json",
  "client_name": "Demo",
  "redirect_uris": ["http://127.0.0.1/callback", "https://app.example.com/cb"],
  "token_endpoint_auth_method": "none"
}`);
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'valid');
  assert.match(await page.textContent('#verdict'), /Valid CIMD document.*0 errors/);
  assert.deepEqual(await panelRows(page), expectedRows(fixed, { url: URL_ }));
  assert.equal(await page.locator('.cm-content .cm-lintRange-error').count(), 0, 'no error squiggle left');
  assert.equal(cimd.validate(fixed, { url: URL_ }).valid, true);
  await screenshot(page, 'editor-fixed');
});

test('the profile and strict toggles and the document URL re-validate at once', async () => {
  const text = await editorText(page);
  const loose = cimd.validate(text, { url: URL_ });
  assert.ok(loose.summary.warnings > 0, 'the fixed document still has a warning (portless loopback)');
  await page.check('#strict');
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'invalid', 'strict: warnings fail');
  assert.match(await page.textContent('#verdict'), /strict/);
  await page.uncheck('#strict');
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'valid');

  await page.selectOption('#profile', 'ietf');
  assert.deepEqual(await panelRows(page), expectedRows(text, { url: URL_, profile: 'ietf' }));
  assert.match(await page.textContent('#verdict'), /IETF draft profile/);
  await page.selectOption('#profile', 'mcp');

  await page.fill('#doc-url', 'https://app.example.com/oauth/other.json');
  const rows = await panelRows(page);
  const at = lineColumn(text, text.indexOf('https://app.example.com/oauth/client.json'));
  assert.equal(at, '2:17');
  assert.ok(rows.some((r) => r.code === 'CIMD107' && r.where === at), JSON.stringify(rows));
  await page.fill('#doc-url', URL_);
  assert.equal(await page.getAttribute('#verdict', 'data-state'), 'valid');
});

test('the examples menu loads published and broken documents with their URL', async () => {
  const { examples } = await page.evaluate(() => ({ examples: window.cimdPlayground.examples }));
  assert.ok(examples.length >= 10);
  for (const id of ['real-vscode', 'broken']) {
    const e = examples.find((x) => x.id === id);
    await page.selectOption('#examples', id);
    assert.equal(await editorText(page), e.text);
    assert.equal(await page.inputValue('#doc-url'), e.url);
    assert.equal(await page.inputValue('#examples'), '', 'the menu resets');
    const report = cimd.validate(e.text, { url: e.url, profile: e.profile, strict: e.strict });
    assert.equal(await page.getAttribute('#verdict', 'data-state'), report.valid ? 'valid' : 'invalid');
    assert.equal((await panelRows(page)).length, report.diagnostics.length);
  }
  // Undo brings the previous document back (loading is one undoable change).
  await page.evaluate(() => window.cimdPlayground.view.focus());
  await page.keyboard.press('Control+z');
  assert.equal(await editorText(page), examples.find((x) => x.id === 'real-vscode').text);
});

/** Pastes `text` over the whole editor, as Ctrl+A then Ctrl+V with `text` on the clipboard would. */
async function pasteAll(text) {
  await page.evaluate(() => window.cimdPlayground.view.focus());
  await page.keyboard.press('Control+a');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.querySelector('.cm-content').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('a document pasted over an example is not judged against the example\'s URL', async () => {
  // ChatGPT's published document (chatgpt.com/oauth/client.json), pasted over the VS Code example.
  const chatgpt = JSON.stringify({
    client_id: 'https://chatgpt.com/oauth/client.json', client_uri: 'https://chatgpt.com/',
    redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'],
    token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], client_name: 'ChatGPT',
    logo_uri: 'https://persistent.oaistatic.com/sonic/misc/openai-logo.png', token_endpoint_auth_signing_alg: 'RS256',
    jwks_uri: 'https://chatgpt.com/oauth/jwks.json',
  }, null, 2);
  await page.selectOption('#examples', 'real-vscode');
  await pasteAll(chatgpt);
  assert.equal(await editorText(page), chatgpt);
  await page.waitForFunction(() => document.querySelector('#doc-url').value === '');
  const expected = cimd.validate(chatgpt, { url: null });
  assert.equal(await page.getAttribute('#verdict', 'data-state'), expected.valid ? 'valid' : 'invalid');
  assert.ok(!(await panelRows(page)).some((r) => r.code === 'CIMD107'), 'no client_id mismatch against the example URL');
  assert.match(await page.textContent('#verdict'), /client_id not compared/);

  // Once the user gives the URL, it is compared, and a later paste keeps it.
  await page.fill('#doc-url', 'https://chatgpt.com/oauth/other.json');
  assert.ok((await panelRows(page)).some((r) => r.code === 'CIMD107'));
  await pasteAll(chatgpt.replace('"ChatGPT"', '"ChatGPT 2"'));
  assert.equal(await page.inputValue('#doc-url'), 'https://chatgpt.com/oauth/other.json');
  assert.ok((await panelRows(page)).some((r) => r.code === 'CIMD107'));

  // A paste that keeps the example's client_id keeps its URL.
  await page.selectOption('#examples', 'real-vscode');
  const vscode = await editorText(page);
  const url = await page.inputValue('#doc-url');
  await pasteAll(vscode.replace('Visual Studio Code', 'VS Code'));
  assert.equal(await page.inputValue('#doc-url'), url);
});
