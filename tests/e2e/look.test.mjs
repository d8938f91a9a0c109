// How the page looks and reads, in headless Chromium: light and dark themes (system choice, toggle,
// remembered), WCAG AA contrast of every visible piece of text in both themes and on every tool tab,
// labelled controls, and a 375 px wide phone layout without sideways scrolling. Screenshots of each
// go to target/e2e/.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPlayground, screenshot } from './harness.mjs';

const state = setup();
let site, browser, errors;
before(async () => { ({ site, browser, errors } = await state.ready); });

/**
 * Every visible element with text of its own: its text colour against the background it is drawn
 * on (the first opaque background up the tree, alpha blended), as WCAG contrast ratios.
 */
function contrastFailures(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)$/);
      if (!m) throw new Error(`unparsed colour ${c}`);
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    };
    const blend = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] === 1) break;
      }
      return layers.reduceRight((under, top) => blend(top, under), [255, 255, 255, 1]);
    };
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const failures = [];
    let checked = 0;
    for (const el of document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      if (el.closest('.sr-only, .skip-link, option, select')) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = blend(parse(style.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      checked++;
      if (ratio < (large ? 3 : 4.5)) {
        failures.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
      }
    }
    return { checked, failures };
  });
}

async function eachTab(page, fn) {
  for (const tab of ['consent', 'servers', 'match', 'generate', 'check']) {
    await page.click(`#tab-${tab}`);
    await fn(tab);
  }
}

test('light and dark themes: the system\'s choice first, then the toggle, remembered across loads', async () => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await openPlayground(context, site.base, { errors });
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark', 'the system prefers dark');
  assert.equal(await page.getAttribute('#theme', 'aria-pressed'), 'true');
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const darkEditor = await page.evaluate(() => getComputedStyle(document.querySelector('.cm-editor')).backgroundColor);
  await page.click('#theme');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.equal(await page.getAttribute('#theme', 'aria-pressed'), 'false');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), darkBg);
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('.cm-editor')).backgroundColor), darkEditor, 'the editor follows');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light', 'the choice is remembered over the system\'s');
  await context.close();
});

for (const theme of ['light', 'dark']) {
  test(`${theme} theme: every visible text meets WCAG AA contrast, on every tab`, async () => {
    const context = await browser.newContext({ colorScheme: theme, viewport: { width: 1280, height: 900 } });
    const page = await openPlayground(context, site.base, { errors });
    assert.equal(await page.getAttribute('html', 'data-theme'), theme);
    // The check itself: a grey-on-panel probe must be caught.
    await page.evaluate(() => document.querySelector('.tagline').insertAdjacentHTML('afterend', '<p id="probe" style="color:#999;background:#fff">probe</p>'));
    assert.ok((await contrastFailures(page)).failures.some((f) => f.includes('"probe" 2.85:1')), 'the contrast check catches a 2.85:1 text');
    await page.evaluate(() => document.getElementById('probe').remove());
    await page.selectOption('#examples', 'broken');
    let total = 0;
    const failures = [];
    await eachTab(page, async (tab) => {
      if (tab === 'check') {
        await page.fill('#check-form [name=url]', 'http://not-https.example/');
        await page.click('#check-form button[type=submit]');
      }
      if (tab === 'generate') await page.click('#generate-form button[type=submit]');
      const r = await contrastFailures(page);
      total += r.checked;
      failures.push(...r.failures.map((f) => `${tab}: ${f}`));
    });
    await page.selectOption('#examples', 'broken');
    await page.hover('.cm-content .cm-lintRange-error');
    await page.locator('.cm-tooltip-lint').waitFor();
    const tip = await contrastFailures(page);
    failures.push(...tip.failures.map((f) => `tooltip: ${f}`));
    assert.ok(total > 100, `${total} texts checked`);
    assert.deepEqual([...new Set(failures)], []);
    await page.mouse.move(0, 0);
    await page.click('#tab-servers');
    await screenshot(page, `playground-${theme}-1280`, { fullPage: true });
    // The view of the README (docs/playground.png is a copy): a squiggle's hover card and the servers.
    await page.setViewportSize({ width: 1200, height: 760 });
    await page.hover('.cm-content .cimd-CIMD414');
    await page.locator('.cm-tooltip-lint').waitFor();
    await screenshot(page, `playground-${theme}-readme`);
    await context.close();
  });
}

test('every control has a label; focus is visible on each', async () => {
  const context = await browser.newContext();
  const page = await openPlayground(context, site.base, { errors });
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button, [role=tab], [contenteditable=true]')]
    .filter((el) => el.checkVisibility())
    .filter((el) => {
      const label = el.labels?.[0]?.textContent.trim() || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim());
      return !label;
    })
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, []);
  // Tab through the whole page (until focus leaves it): every stop shows a focus indicator.
  const seen = new Set();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (el === document.body) return null;
      const s = getComputedStyle(el);
      const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      const box = el.closest('.cm-editor');
      const editor = box && getComputedStyle(box).outlineStyle === 'solid' && parseFloat(getComputedStyle(box).outlineWidth) >= 2;
      return { id: el.id || el.className || el.tagName, ok: ring || editor };
    });
    if (!f) break;
    assert.ok(f.ok, `no visible focus on ${f.id}`);
    seen.add(f.id);
  }
  for (const id of ['examples', 'share', 'theme', 'doc-url', 'profile', 'strict', 'cm-content', 'diag-jump', 'tab-consent']) {
    assert.ok([...seen].some((s) => s === id || s.split(' ').includes(id)), `the Tab order reaches ${id}: ${[...seen].join(', ')}`);
  }
  await context.close();
});

for (const theme of ['light', 'dark']) {
  test(`375 px wide (${theme}): one column, no sideways scrolling, everything reachable`, async () => {
    const context = await browser.newContext({ colorScheme: theme, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await openPlayground(context, site.base, { errors });
    await page.selectOption('#examples', 'broken');
    const overflow = async () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'no horizontal scroll');
    const editor = await page.locator('.cm-editor').boundingBox();
    assert.ok(editor.width >= 340 && editor.x >= 0 && editor.x + editor.width <= 375, JSON.stringify(editor));
    const tools = await page.locator('.pane-tools').boundingBox();
    assert.ok(tools.y > editor.y + editor.height, 'the tools come below the editor');
    await eachTab(page, async (tab) => {
      assert.equal(await page.isVisible(`#panel-${tab}`), true);
      assert.equal(await overflow(), 0, `no horizontal scroll on ${tab}`);
    });
    for (const sel of ['#tab-consent', '#tab-check', '#share', '#theme', '#examples']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 375 && box.height >= 24, `${sel} ${JSON.stringify(box)}`);
    }
    await page.click('#tab-consent');
    await page.evaluate(() => scrollTo(0, 0));
    await screenshot(page, `playground-${theme}-375`, { fullPage: true });
    await context.close();
  });
}
