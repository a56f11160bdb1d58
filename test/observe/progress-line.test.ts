import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProgress, ProgressLine } from '../../src/observe/progress-line.js';
import type { MetricsSnapshot } from '../../src/observe/run-metrics.js';

const snap: MetricsSnapshot = {
  elapsedMs: 12_300,
  ops: 12345,
  opsPerSecond: 1029.4,
  p99Us: 3200,
  errors: 0,
  mismatched: 0,
  skips: 0,
  activeUsers: 50,
  targetUsers: 50,
  sessions: 50,
  connections: 10,
};

test('formats the progress line', () => {
  assert.equal(formatProgress(snap), 'elapsed 12s  ops 12345  1029 ops/s  p99 3.20ms  errors 0  users 50/50');
  assert.equal(
    formatProgress({
      ...snap,
      ops: 0,
      opsPerSecond: 0,
      targetUsers: 0,
      activeUsers: 0,
      mismatched: 2,
      skips: 1,
    }),
    'elapsed 12s  ops 0  0.0 ops/s  p99 -  errors 0  users 0  mismatched 2  skipped 1',
  );
});

function fakeStream(
  isTTY: boolean,
  columns?: number,
): { chunks: string[]; write: (c: string) => boolean; isTTY: boolean; columns?: number } {
  const chunks: string[] = [];
  return { chunks, write: (c: string) => chunks.push(c) > 0, isTTY, columns };
}

test('on a TTY the line is rewritten in place and erased on stop', async () => {
  const stream = fakeStream(true, 40);
  const p = new ProgressLine(stream, 10);
  let calls = 0;
  p.start(() => {
    calls++;
    return snap;
  });
  // Wait for at least two ticks (bounded, so a loaded machine only slows the test down).
  for (let waited = 0; calls < 2 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  p.stop();
  assert.ok(calls >= 2, `ticks ${calls}`);
  for (const c of stream.chunks.slice(0, -1)) {
    assert.ok(c.startsWith('\r\x1b[2K'));
    assert.ok(!c.includes('\n'));
    assert.ok(c.length - 5 < 40, 'fitted to the terminal width');
  }
  assert.equal(stream.chunks.at(-1), '\r\x1b[2K');
});

test('off a TTY one full line is printed per 10 s', () => {
  const stream = fakeStream(false);
  const p = new ProgressLine(stream, 1000);
  p.start(() => snap);
  p.tick();
  p.stop();
  assert.deepEqual(stream.chunks, [formatProgress(snap) + '\n']);
});
