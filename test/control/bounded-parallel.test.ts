import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachBounded, percentile } from '../../src/control/bounded-parallel.js';

test('never more than limit calls in flight, every item once', async () => {
  let inFlight = 0;
  let peak = 0;
  const seen: number[] = [];
  await forEachBounded([...Array(50).keys()], 4, async (item) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await sleep(1);
    seen.push(item);
    inFlight--;
  });
  assert.equal(peak, 4);
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    [...Array(50).keys()],
  );
});

test('the first error stops new calls; in-flight ones settle first', async () => {
  const started: number[] = [];
  let settled = 0;
  await assert.rejects(
    forEachBounded([...Array(100).keys()], 3, async (item) => {
      started.push(item);
      await sleep(item === 5 ? 0 : 2);
      settled++;
      if (item === 5) throw new Error('boom');
    }),
    /boom/,
  );
  assert.ok(started.length < 20, `started ${started.length}`);
  assert.equal(settled, started.length);
});

test('percentile by nearest rank', () => {
  assert.equal(percentile([], 50), 0);
  assert.equal(percentile([5, 1, 3], 50), 3);
  assert.equal(
    percentile(
      [...Array(100).keys()].map((i) => i + 1),
      95,
    ),
    95,
  );
  assert.equal(percentile([1, 2, 3], 100), 3);
});
