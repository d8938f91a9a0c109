// Every server whose verdict the core predicts is described by the core (`servers()`), and the
// playground's Servers tab takes names from there, not from a list of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as cimd from 'cimd';
import { root } from './corpus.mjs';

test('servers() describes every server the core predicts, in the report order', () => {
  const predicted = cimd.validate('{}').portability.map((p) => p.server);
  assert.ok(predicted.length >= 8, predicted.join(' '));
  const servers = cimd.servers();
  assert.deepEqual(servers.map((s) => s.id), predicted);
  for (const s of servers) {
    assert.ok(s.name && s.what && s.source, `${s.id} has a name, a description and a source`);
  }
});

test('the playground names servers from the package', () => {
  const tab = readFileSync(`${root}www/src/tools/portability.js`, 'utf8');
  assert.doesNotMatch(tab, /fastmcp|auth0|atproto/i, 'no server named in the playground itself');
  assert.match(readFileSync(`${root}www/src/main.js`, 'utf8'), /cimd\.servers\(\)/);
});
