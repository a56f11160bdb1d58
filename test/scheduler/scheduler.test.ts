import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from '../../src/scheduler/scheduler.js';

test('tasks run in deadline order', async () => {
  const s = new Scheduler();
  const t0 = s.now;
  const order: number[] = [];
  s.schedule(t0 + 30_000, () => order.push(3));
  s.schedule(t0 + 10_000, () => order.push(1));
  s.schedule(t0 + 20_000, () => order.push(2));
  s.schedule(t0 - 5_000, () => order.push(0));
  assert.equal(s.pending, 4);
  s.start();
  await s.onIdle();
  assert.deepEqual(order, [0, 1, 2, 3]);
  assert.equal(s.pending, 0);
  s.stop();
});

test('equal deadlines run in scheduling order', async () => {
  const s = new Scheduler();
  const at = s.now + 5_000;
  const order: number[] = [];
  for (let i = 0; i < 50; i++) s.schedule(at, () => order.push(i));
  s.start();
  await s.onIdle();
  assert.deepEqual(
    order,
    Array.from({ length: 50 }, (_, i) => i),
  );
  s.stop();
});

test('a task never runs more than the batch window early and lag is measured', async () => {
  const s = new Scheduler();
  const t0 = s.now;
  const results: { intended: number; actual: number; lag: number }[] = [];
  for (const d of [2_000, 15_000, 40_000]) {
    const intended = t0 + d;
    s.schedule(intended, (lag) => results.push({ intended, actual: s.now, lag }));
  }
  s.start();
  await s.onIdle();
  s.stop();
  assert.equal(results.length, 3);
  for (const r of results) {
    assert.ok(r.actual >= r.intended - 1_000, `ran ${r.intended - r.actual}µs early`);
    assert.ok(r.lag >= 0);
    assert.ok(r.lag <= Math.max(0, r.actual - r.intended) + 1);
    // Generous bound: CI machines are noisy, but a 40 ms wait should not be a second late.
    assert.ok(r.lag < 1_000_000, `lag ${r.lag}µs`);
  }
});

test('lag reflects a late start when the loop was blocked', async () => {
  let fakeNow = 1_000_000;
  const s = new Scheduler({ clock: () => fakeNow });
  let seen = -1;
  s.schedule(1_000_000, (lag) => (seen = lag));
  fakeNow = 1_250_000; // the process was busy for 250 ms before the batch ran
  s.start();
  await s.onIdle();
  s.stop();
  assert.equal(seen, 250_000);
});

test('100k tasks all run, in order, from one timer heap', async () => {
  const s = new Scheduler();
  const t0 = s.now;
  const n = 100_000;
  let ran = 0;
  let lastAt = -Infinity;
  let outOfOrder = 0;
  for (let i = 0; i < n; i++) {
    const at = t0 + ((i * 7919) % 50_000);
    s.schedule(at, () => {
      ran++;
      if (at < lastAt) outOfOrder++;
      lastAt = at;
    });
  }
  s.start();
  await s.onIdle();
  s.stop();
  assert.equal(ran, n);
  assert.equal(outOfOrder, 0);
});

test('tasks scheduled by tasks run, and onIdle waits for them', async () => {
  const s = new Scheduler();
  let count = 0;
  const step = (): void => {
    count++;
    if (count < 20) s.schedule(s.now + 500, step);
  };
  s.start();
  s.schedule(s.now, step);
  await s.onIdle();
  s.stop();
  assert.equal(count, 20);
});

test('stop discards queued tasks and resolves onIdle', async () => {
  const s = new Scheduler();
  let ran = 0;
  s.schedule(s.now + 60_000_000, () => ran++);
  s.schedule(s.now + 60_000_000, () => ran++);
  s.start();
  const idle = s.onIdle();
  s.stop();
  await idle;
  assert.equal(s.pending, 0);
  assert.equal(ran, 0);
});

test('stop from inside a task prevents later tasks from running', async () => {
  const s = new Scheduler();
  const at = s.now;
  const order: number[] = [];
  s.schedule(at, () => order.push(1));
  s.schedule(at, () => {
    order.push(2);
    s.stop();
  });
  s.schedule(at, () => order.push(3));
  const idle = s.onIdle();
  s.start();
  await idle;
  assert.deepEqual(order, [1, 2]);
});

test('a throwing task goes to onTaskError and the rest still run', async () => {
  const errors: unknown[] = [];
  const s = new Scheduler({ onTaskError: (e) => errors.push(e) });
  const at = s.now;
  let ran = 0;
  s.schedule(at, () => {
    throw new Error('boom');
  });
  s.schedule(at + 2_000, () => ran++);
  s.start();
  await s.onIdle();
  s.stop();
  assert.equal(errors.length, 1);
  assert.equal(ran, 1);
});

test('an idle scheduler holds no timer (the process can exit)', async () => {
  const s = new Scheduler();
  s.start();
  assert.equal(s.pending, 0);
  await s.onIdle();
  // Nothing queued: nothing armed. (If a timer leaked, node --test would hang on this file.)
  s.stop();
});

test('a NaN deadline is rejected', () => {
  const s = new Scheduler();
  assert.throws(() => s.schedule(Number.NaN, () => undefined), RangeError);
  assert.equal(s.pending, 0);
});
