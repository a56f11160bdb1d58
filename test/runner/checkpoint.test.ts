import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import type { RunResults } from '../../src/observe/run-results.js';
import {
  assertCheckpoint,
  assertSameRun,
  fingerprintDifferences,
  runFingerprint,
  type Checkpoint,
} from '../../src/runner/checkpoint-format.js';
import { combineSegments } from '../../src/runner/checkpoint-results.js';
import { readCheckpoint, writeCheckpoint } from '../../src/runner/checkpoint-store.js';
import { CheckpointWriter, composeCheckpoint } from '../../src/runner/checkpoint-writer.js';
import type { ReplaySnapshot } from '../../src/runner/replay.js';
import type { ReplayEngine } from '../../src/runner/workers/replay-engine.js';
import { makePacing } from '../../src/scheduler/pacing.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smbench-checkpoint-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fingerprint = runFingerprint({
  workloadId: 'sha256:abc',
  users: 10,
  accounts: [
    { user: 'alice', domain: 'LAB' },
    { user: 'bob', domain: '' },
  ],
  shard: '1/3',
  iterations: 2,
  pacing: makePacing('recorded', 2),
  runRoot: 'smbench-run',
  target: 'smb://127.0.0.1:445/bench',
});

/** Results of `ops` reads of `us` µs each, stamped at `startMs`. */
function results(ops: number, us: number, startMs: number, durationMs: number): RunResults {
  let now = startMs;
  const m = new RunMetrics(startMs, () => now);
  for (let i = 0; i < ops; i++) {
    now = startMs + Math.floor((i * durationMs) / Math.max(1, ops));
    m.recordOp({ kind: 'read', serviceUs: us, fromIntendedUs: us, bytes: 10, status: 0, expectedStatus: 0 });
  }
  m.recordLag(us);
  m.setGauge('activeUsers', 5);
  now = startMs + durationMs;
  return m.toResults({ segment: startMs });
}

test('the fingerprint names accounts without passwords; any difference blocks a resume', () => {
  assert.deepEqual(fingerprint.accounts, ['LAB\\alice', 'bob']);
  assert.ok(!JSON.stringify(fingerprint).includes('password'));
  assert.deepEqual(fingerprintDifferences(fingerprint, fingerprint), []);
  const other = { ...fingerprint, users: 11, shard: '2/3' };
  assert.deepEqual(fingerprintDifferences(fingerprint, other), [
    'users: checkpoint has 10, this run has 11',
    'shard: checkpoint has "1/3", this run has "2/3"',
  ]);
  assert.throws(
    () => assertSameRun(fingerprint, other, 'ck.json'),
    /ck\.json: it is a checkpoint of a different run/,
  );
});

test('segments join exactly: counts and histograms add, time is the sum of run times, peaks are maxima', () => {
  const a = results(100, 1000, 1_700_000_000_000, 10_000);
  const b = results(300, 3000, 1_700_000_100_000, 5_000);
  const whole = combineSegments([a, b]);
  assert.equal(whole.totals.ops, 400);
  assert.equal(whole.durationMs, 15_000, 'the 85 s of downtime between the segments is not run time');
  assert.equal(whole.totals.opsPerSecond, 400 / 15);
  assert.equal(whole.perKind['read']!.service.count, 400);
  // p50 from the merged histogram (not an average of the segments' percentiles).
  assert.ok(Math.abs(whole.service.p50 - 3000) <= 3, String(whole.service.p50));
  assert.equal(whole.peak.activeUsers, 5);
  assert.equal(whole.timeSeries.length, a.timeSeries.length + b.timeSeries.length, 'downtime not filled');
  assert.equal(
    whole.timeSeries.reduce((n, p) => n + p.ops, 0),
    400,
  );
  assert.deepEqual(
    (whole.meta['segments'] as { ops: number }[]).map((s) => s.ops),
    [100, 300],
  );
  assert.equal(whole.meta['mergedParts'], undefined);
  // A third segment keeps the list.
  const c = results(1, 1, 1_700_000_200_000, 1000);
  const three = combineSegments([whole, c]);
  assert.equal((three.meta['segments'] as unknown[]).length, 3);
  assert.equal(three.totals.ops, 401);
  assert.equal(combineSegments([a]), a);
});

const snapshot = (ops: number, startMs: number): ReplaySnapshot => ({
  users: [
    { user: 4, done: false, iteration: 0, resumeAt: 3, measured: [[5, 6]] },
    { user: 1, done: true, iteration: 0, resumeAt: 0, measured: [] },
  ],
  results: results(ops, 100, startMs, 2000),
});

test('checkpoints round-trip through an atomic write and are validated on read', async () => {
  const file = join(dir, 'ck.json');
  const first = composeCheckpoint(
    snapshot(10, 1_700_000_000_000),
    { workload: '/x/w.smbw', fingerprint },
    false,
  );
  assert.deepEqual(
    first.users.map((u) => u.user),
    [1, 4],
  );
  assert.equal(first.workload, 'w.smbw');
  assert.equal(first.segments, 1);
  await writeCheckpoint(file, first);
  const back = await readCheckpoint(file);
  assert.deepEqual(back, first);
  assert.deepEqual(await readdir(dir), ['ck.json'], 'no temporary file left behind');
  // A resume's checkpoint carries the earlier segment's results and time.
  const second = composeCheckpoint(
    snapshot(5, 1_700_000_050_000),
    { workload: 'w.smbw', fingerprint, previous: back },
    true,
  );
  assert.equal(second.segments, 2);
  assert.equal(second.results.totals.ops, 15);
  assert.equal(second.activeMs, back.activeMs + 2000);
  assert.equal(second.complete, true);

  await writeFile(join(dir, 'bad.json'), '{"format":"smbench-checkpoint","version":99}');
  await assert.rejects(readCheckpoint(join(dir, 'bad.json')), /version 99/);
  await writeFile(join(dir, 'torn.json'), '{"format":"smbench-chec');
  await assert.rejects(readCheckpoint(join(dir, 'torn.json')), /not valid JSON/);
  await assert.rejects(readCheckpoint(join(dir, 'missing.json')), SmbBenchError);
  const badUser = {
    ...first,
    users: [{ user: 1, done: false, iteration: 0, resumeAt: 0, measured: [[3, 2]] }],
  };
  assert.throws(() => assertCheckpoint(badUser, 'x'), /users\[0\]/);
  await assert.rejects(writeCheckpoint(join(dir, 'no/such/dir/ck.json'), first), /cannot write checkpoint/);
});

test('the writer writes periodically and a final checkpoint, one write at a time', async () => {
  const file = join(dir, 'periodic.json');
  let snapshots = 0;
  const engine: ReplayEngine = {
    finished: new Promise(() => {}),
    stop() {},
    progress: () => undefined,
    snapshot: async () => {
      snapshots++;
      // Still loading at first: nothing is written for that tick.
      return snapshots === 1 ? undefined : snapshot(snapshots, 1_700_000_000_000);
    },
  };
  const writer = new CheckpointWriter(engine, { file, intervalMs: 20, workload: 'w.smbw', fingerprint });
  writer.start();
  while (writer.written < 2) await new Promise((r) => setTimeout(r, 5));
  const periodic: Checkpoint = await readCheckpoint(file);
  assert.equal(periodic.complete, false);
  const final = await writer.writeFinal(snapshot(99, 1_700_000_000_000), true);
  assert.equal(final.complete, true);
  assert.equal((await readCheckpoint(file)).results.totals.ops, 99);
  const count = snapshots;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(snapshots, count, 'no periodic write after the final one');
});
