// The repository stands on its own: a clone alone builds, tests and documents itself.
// Every tracked text file is read once and checked for
// - paths outside the repository (a sibling folder of the checkout, absolute home or work paths);
// - Markdown files it names that the repository does not have;
// - links (`[text](path#anchor)` in Markdown, and a docs file with an anchor cited anywhere) to a file
//   or an anchor that does not exist;
// - decision numbers that only an outside rulebook explains: cite a section of docs/decisions.md;
// - the story of the repository's making in its docs (work periods, tracker issues): git keeps history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\0').filter((f) => f && existsSync(join(root, f)));

// Data that is not ours to edit, and lock files: read for nothing.
const SKIP = [/^tests\/data\/JSONTestSuite\//, /(^|\/)(Cargo|package-lock)\.(lock|json)$/, /\.lock$/, /\.(png|wasm|ico|gz)$/];
const files = tracked.filter((f) => !SKIP.some((re) => re.test(f)))
  .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }))
  .filter(({ text }) => !text.includes('\0'));

/** Each finding as `path:line: text`, for a failure message a reader can act on. */
function findings(check) {
  const out = [];
  for (const { path, text } of files) {
    text.split('\n').forEach((line, i) => {
      for (const found of check(line, path)) out.push(`${path}:${i + 1}: ${found}`);
    });
  }
  return out;
}

/** Matches of a global regex in a line, as strings. */
const all = (re, line) => [...line.matchAll(re)].map((m) => m[0]);

test('no tracked file refers to a path outside the repository', () => {
  // A climb out of the root to the reference folder, and absolute paths of a machine's home or work folders.
  const outside = /(?:\.\.\/)+shared\b|(?<![\w.])\/(?:root|home\/[\w.-]+|work|Users\/[\w.-]+)\/[\w.-]/g;
  assert.deepEqual(findings((line) => all(outside, line)), []);
});

test('every Markdown file a tracked file names is in the repository', () => {
  const have = new Set(tracked.filter((f) => f.endsWith('.md')).map((f) => basename(f)));
  // Files the benchmark writes under target/ at run time.
  const written = new Set(['report.md', 'summary.md']);
  const named = /(?<![\w/-])[\w-]+(?:\.[\w-]+)*\.md\b/g;
  assert.deepEqual(findings((line) => all(named, line).filter((n) => !have.has(n) && !written.has(n))), []);
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim().toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map();
/** The anchors of a Markdown file: its headings' slugs (numbered when repeated) and every `id="..."`. */
function anchors(path) {
  if (!anchorCache.has(path)) {
    const text = readFileSync(join(root, path), 'utf8');
    const ids = new Set();
    const seen = new Map();
    let fenced = false;
    for (const line of text.split('\n')) {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) continue;
      const h = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
      if (h) {
        const base = slug(h[1]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        ids.add(n === 0 ? base : `${base}-${n}`);
      }
      for (const m of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) ids.add(m[1]);
    }
    anchorCache.set(path, ids);
  }
  return anchorCache.get(path);
}

/** Why a link from `from` to `target` (a relative path with an optional `#anchor`) is broken, or null. */
function broken(from, target) {
  const [file, anchor] = target.split('#');
  const path = file === '' ? from : normalize(join(dirname(from), file)).replace(/\/$/, '');
  if (path.startsWith('..')) return `${target}: outside the repository`;
  const exists = tracked.includes(path) || tracked.some((f) => f.startsWith(`${path}/`));
  if (!exists) return `${target}: no such file in the repository`;
  if (anchor !== undefined && path.endsWith('.md') && !anchors(path).has(anchor.toLowerCase())) {
    return `${target}: ${path} has no anchor #${anchor}`;
  }
  return null;
}

test('every relative Markdown link points at a file and an anchor that exist', () => {
  const link = /\]\(([^)\s]+)\)/g;
  assert.deepEqual(findings((line, path) => {
    if (!path.endsWith('.md')) return [];
    return [...line.matchAll(link)].map((m) => m[1])
      .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
      .map((t) => broken(path, t)).filter(Boolean);
  }), []);
});

test('every docs/*.md#anchor cited anywhere exists', () => {
  // Code comments, codes' docs and test data cite sections as a docs file, `#` and the section's anchor.
  const cite = /(?<![\w/.-])((?:docs\/)?[\w-]+\.md)#([\w-]+)/g;
  assert.deepEqual(findings((line) => [...line.matchAll(cite)]
    .map((m) => {
      const file = m[1].includes('/') ? m[1] : tracked.find((f) => basename(f) === m[1]);
      return file === undefined ? `${m[0]}: no such file` : broken('', `${file}#${m[2]}`);
    })
    .filter(Boolean)), []);
});

test('no decision is cited by a number that only an outside rulebook explains', () => {
  const number = /\b(?:[Dd]ecisions?\s+)?D(?:[1-9]|[1-3]\d)a?\b(?![-.]\d)/g;
  assert.deepEqual(findings((line) => all(number, line)), []);
});

test('the docs speak of the product, not of the story of its making', () => {
  // Periods of work and this tracker's issues belong to git history, not to README, docs or comments.
  // (Built from parts so that this file does not match itself.)
  const story = new RegExp(String.raw`\b(?:sessions? \d+|(?:this|last|next|previous|earlier|later|first|second|third) session|issue \d+|${'spr'}int)\b`, 'gi');
  assert.deepEqual(findings((line) => all(story, line)), []);
});
