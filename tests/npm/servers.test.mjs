// Every server whose verdict the core predicts has a display name and a description in the
// playground's Servers tab (a server added to the core and not there would show as its bare id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cimd from 'cimd';
import { SERVERS } from '../../www/src/tools/portability.js';

test('the playground names every server the core predicts, and no other', () => {
  const predicted = cimd.validate('{}').portability.map((p) => p.server).sort();
  assert.ok(predicted.length >= 6, predicted.join(' '));
  assert.deepEqual(Object.keys(SERVERS).sort(), predicted);
  for (const [id, [name, what]] of Object.entries(SERVERS)) {
    assert.ok(name && what, `${id} has a name and a description`);
  }
});
