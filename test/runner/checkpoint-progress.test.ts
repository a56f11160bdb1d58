import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inRanges, toRanges, unionRanges, UserProgress } from '../../src/runner/checkpoint-progress.js';

test('ordinal ranges: compact, searchable, joinable', () => {
  assert.deepEqual(toRanges([0, 1, 2, 5, 6, 9]), [
    [0, 3],
    [5, 7],
    [9, 10],
  ]);
  assert.deepEqual(toRanges([]), []);
  const r = toRanges([3, 4, 10]);
  assert.equal(inRanges(r, 3), true);
  assert.equal(inRanges(r, 5), false);
  assert.equal(inRanges(r, 10), true);
  assert.equal(inRanges([], 0), false);
  assert.deepEqual(
    unionRanges([
      [5, 7],
      [0, 2],
      [2, 3],
      [6, 9],
    ]),
    [
      [0, 3],
      [5, 9],
    ],
  );
});

/** Pulls `n` units and returns their ordinals. */
function pull(p: UserProgress, n: number): (number | undefined)[] {
  return Array.from({ length: n }, () => p.admit());
}

test('the resume point is the longest completed prefix reached with no handle open', () => {
  const p = new UserProgress(7);
  assert.deepEqual(pull(p, 6), [0, 1, 2, 3, 4, 5]);
  p.completed(0, 1); // create h0: a handle is open
  assert.equal(p.snapshot().resumeAt, 0);
  p.completed(1, 0); // close h0: nothing open -> quiescent at 2
  assert.deepEqual(p.snapshot(), { user: 7, done: false, iteration: 0, resumeAt: 2, measured: [] });
  p.completed(3, 1); // out of order, a handle open again
  p.completed(4, 1);
  assert.deepEqual(p.snapshot().measured, [[3, 5]], 'completed ahead of the prefix');
  p.completed(2, 1); // prefix jumps to 5, but a handle is open: no new quiescent point
  assert.deepEqual(p.snapshot(), { user: 7, done: false, iteration: 0, resumeAt: 2, measured: [[2, 5]] });
  p.completed(5, 0);
  assert.deepEqual(p.snapshot(), { user: 7, done: false, iteration: 0, resumeAt: 6, measured: [] });
});

test('iterations restart ordinals; a finished stream is done; fresh users have no progress', () => {
  const p = new UserProgress(1);
  assert.equal(p.hasProgress, false);
  pull(p, 2);
  p.completed(0, 0);
  assert.equal(p.hasProgress, true);
  p.completed(1, 0);
  p.nextIteration();
  assert.deepEqual(pull(p, 1), [0]);
  assert.deepEqual(p.snapshot(), { user: 1, done: false, iteration: 1, resumeAt: 0, measured: [] });
  p.completed(0, 0);
  p.finish();
  assert.equal(p.snapshot().done, true);
  assert.equal(p.isDone, true);
});

test('a resumed user passes over what came before its resume point and replays measured units warm', () => {
  const resume = {
    user: 3,
    done: false,
    iteration: 1,
    resumeAt: 2,
    measured: [[3, 5]] as [number, number][],
  };
  const p = new UserProgress(3, resume);
  assert.equal(p.resumesMidStream, true);
  // Iteration 0 entirely, then ordinals 0 and 1 of iteration 1, are passed over.
  assert.deepEqual(pull(p, 4), [undefined, undefined, undefined, undefined]);
  assert.deepEqual(p.snapshot(), resume, 'still before the resume iteration: the old point stands');
  p.nextIteration();
  assert.deepEqual(pull(p, 6), [undefined, undefined, 2, 3, 4, 5]);
  assert.equal(p.passedOver, 6);
  assert.deepEqual(
    [2, 3, 4, 5].map((o) => p.isWarm(o)),
    [false, true, true, false],
  );
  // Before any of them completes, the old measured units are still measured.
  assert.deepEqual(p.snapshot(), { ...resume, measured: [[3, 5]] });
  p.completed(2, 1);
  p.completed(3, 0); // quiescent at 4: the inherited 3 is now behind the point
  assert.deepEqual(p.snapshot(), { user: 3, done: false, iteration: 1, resumeAt: 4, measured: [[4, 5]] });
  p.completed(5, 0);
  p.completed(4, 0);
  assert.deepEqual(p.snapshot(), { user: 3, done: false, iteration: 1, resumeAt: 6, measured: [] });
});

test('a user done in an earlier segment stays done', () => {
  const p = new UserProgress(2, { user: 2, done: true, iteration: 0, resumeAt: 0, measured: [] });
  assert.equal(p.isDone, true);
  assert.equal(p.wasDoneBefore, true);
  assert.equal(p.snapshot().done, true);
  assert.equal(
    new UserProgress(2, { user: 2, done: false, iteration: 0, resumeAt: 0, measured: [] }).resumesMidStream,
    false,
  );
});
