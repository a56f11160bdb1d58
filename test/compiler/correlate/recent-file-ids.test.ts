import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentFileIds } from '../../../src/compiler/correlate/recent-file-ids.js';

test('recently closed FileIds are remembered, the oldest forgotten first, a rebound one at once', () => {
  const recent = new RecentFileIds();
  for (let i = 0; i < 40; i++) recent.add(i, 0, 1000 + i, 0);
  assert.equal(recent.has(0, 0, 1000, 0), false, 'evicted: only the last 32 are kept');
  assert.equal(recent.has(7, 0, 1007, 0), false);
  assert.equal(recent.has(8, 0, 1008, 0), true);
  assert.equal(recent.has(39, 0, 1039, 0), true);
  assert.equal(recent.has(39, 1, 1039, 0), false, 'all four halves are compared');
  recent.delete(39, 0, 1039, 0);
  assert.equal(recent.has(39, 0, 1039, 0), false);
});
