import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DependencyTracker } from '../../src/runner/dependency-tracker.js';

interface Unit {
  readonly ops: { seq: number }[];
  readonly deps: number[];
}
const unit = (seqs: number[], deps: number[] = []): Unit => ({ ops: seqs.map((seq) => ({ seq })), deps });

test('a unit without deps, or whose deps completed, is ready at once', () => {
  const t = new DependencyTracker<Unit>();
  const a = unit([1]);
  assert.equal(t.add(a), true);
  assert.deepEqual(t.complete(a), []);
  assert.equal(t.add(unit([2], [1])), true);
  assert.equal(t.pending, 1);
});

test('a unit waits for every dep and is released by the last one', () => {
  const t = new DependencyTracker<Unit>();
  const a = unit([1]);
  const b = unit([2]);
  const c = unit([3], [1, 2]);
  t.add(a);
  t.add(b);
  assert.equal(t.add(c), false);
  assert.equal(t.parked, 1);
  assert.deepEqual(t.complete(b), []);
  assert.deepEqual(t.complete(a), [c]);
  assert.equal(t.parked, 0);
});

test('independent units overlap; ready units come back in seq order', () => {
  const t = new DependencyTracker<Unit>();
  const a = unit([1]);
  const x = unit([5], [1]);
  const y = unit([3], [1]);
  const z = unit([4], [1]);
  t.add(a);
  t.add(x);
  t.add(y);
  t.add(z);
  assert.deepEqual(
    t.complete(a).map((u) => u.ops[0]!.seq),
    [3, 4, 5],
  );
});

test('deps on ops never added (filtered, dropped) count as satisfied', () => {
  const t = new DependencyTracker<Unit>();
  assert.equal(t.add(unit([10], [7, 8])), true);
});

test('a compound unit completes all its seqs at once', () => {
  const t = new DependencyTracker<Unit>();
  const chain = unit([1, 2, 3]);
  const after = unit([4], [3]);
  t.add(chain);
  assert.equal(t.add(after), false);
  assert.equal(t.isIncomplete(2), true);
  assert.deepEqual(t.complete(chain), [after]);
  assert.equal(t.isIncomplete(2), false);
});

test('memory is bounded by pending units: completed seqs are forgotten', () => {
  const t = new DependencyTracker<Unit>();
  for (let i = 0; i < 100_000; i++) {
    const u = unit([i], i > 0 ? [i - 1] : []);
    assert.equal(t.add(u), true);
    t.complete(u);
  }
  assert.equal(t.pending, 0);
  assert.equal(t.isIncomplete(99_999), false);
  t.reset();
  assert.equal(t.parked, 0);
});
