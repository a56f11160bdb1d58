import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeResults, RunMetrics } from '../../src/observe/run-metrics.js';
import type { OpSample } from '../../src/observe/run-metrics.js';
import { HdrHistogram } from '../../src/observe/hdr-histogram.js';
import { NtStatus } from '../../src/smb2/nt-status.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

function clock(startMs = T0): { now: () => number; set: (ms: number) => void } {
  let t = startMs;
  return { now: () => t, set: (ms) => (t = ms) };
}

function op(over: Partial<OpSample> = {}): OpSample {
  return {
    kind: 'read',
    serviceUs: 1000,
    fromIntendedUs: 1500,
    bytes: 4096,
    status: NtStatus.STATUS_SUCCESS,
    expectedStatus: NtStatus.STATUS_SUCCESS,
    ...over,
  };
}

test('recordOp accumulates per-kind counts, statuses and fidelity', () => {
  const c = clock();
  const m = new RunMetrics(T0, c.now);
  m.recordOp(op());
  m.recordOp(op({ serviceUs: 3000 }));
  m.recordOp(op({ kind: 'write', bytes: 100 }));
  m.recordOp(
    op({
      kind: 'create',
      bytes: 0,
      status: NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
      expectedStatus: NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
    }),
  );
  m.recordOp(
    op({
      kind: 'create',
      bytes: 0,
      status: NtStatus.STATUS_ACCESS_DENIED,
      expectedStatus: NtStatus.STATUS_SUCCESS,
    }),
  );
  m.recordOp(op({ kind: 'create', bytes: 0, status: 0, error: 'ERR_SMB_TIMEOUT' }));
  m.recordOp(op({ kind: 'echo', bytes: 0, expectedStatus: undefined }));
  c.set(T0 + 2000);
  const r = m.toResults({ workload: 'x' });

  assert.equal(r.format, 'smbench-results');
  assert.equal(r.version, 1);
  assert.deepEqual(r.meta, { workload: 'x' });
  assert.equal(r.durationMs, 2000);
  assert.equal(r.startedAt, new Date(T0).toISOString());
  assert.deepEqual(r.totals, { ops: 7, errors: 2, bytesRead: 8192, bytesWritten: 100, opsPerSecond: 3.5 });
  assert.deepEqual(Object.keys(r.perKind), ['create', 'echo', 'read', 'write']);

  const read = r.perKind['read']!;
  assert.equal(read.ops, 2);
  assert.equal(read.bytes, 8192);
  assert.equal(read.service.max, 3000);
  assert.equal(read.fromIntended.p50, 1500);
  assert.deepEqual(read.statuses, { STATUS_SUCCESS: 2 });

  const create = r.perKind['create']!;
  assert.equal(create.errors, 2, 'a reproduced recorded failure is not an error');
  assert.deepEqual(create.statuses, {
    STATUS_OBJECT_NAME_NOT_FOUND: 1,
    STATUS_ACCESS_DENIED: 1,
    ERR_SMB_TIMEOUT: 1,
  });
  assert.deepEqual(create.fidelity, {
    matched: 1,
    mismatched: 2,
    mismatches: {
      'expected STATUS_SUCCESS got STATUS_ACCESS_DENIED': 1,
      'expected STATUS_SUCCESS got ERR_SMB_TIMEOUT': 1,
    },
    breakdown: [
      { recorded: 'STATUS_SUCCESS', replayed: 'ERR_SMB_TIMEOUT', count: 1, examples: [] },
      { recorded: 'STATUS_SUCCESS', replayed: 'STATUS_ACCESS_DENIED', count: 1, examples: [] },
    ],
  });
  assert.deepEqual(r.fidelity, { matched: 4, mismatched: 2, matchRatio: 4 / 6 });
  assert.deepEqual(r.errorsByStatus, { STATUS_ACCESS_DENIED: 1, ERR_SMB_TIMEOUT: 1 });
  assert.equal(r.service.count, 7);
  // Round trip through JSON keeps everything (the document is plain data).
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});

test('signed and unsigned statuses compare equal', () => {
  const m = new RunMetrics(T0, clock().now);
  m.recordOp(
    op({ status: NtStatus.STATUS_ACCESS_DENIED | 0, expectedStatus: NtStatus.STATUS_ACCESS_DENIED }),
  );
  const r = m.toResults({});
  assert.equal(r.totals.errors, 0);
  assert.equal(r.fidelity.matched, 1);
  assert.deepEqual(r.perKind['read']!.statuses, { STATUS_ACCESS_DENIED: 1 });
});

test('skips, retries, lag and gauges are reported', () => {
  const m = new RunMetrics(T0, clock().now);
  m.recordSkip('ioctl', 'unsupported FSCTL');
  m.recordSkip('ioctl', 'unsupported FSCTL');
  m.recordSkip('lock', 'no handle');
  m.recordRetry('read');
  m.recordOp(op());
  m.recordLag(250);
  m.recordLag(5000);
  m.setGauge('activeUsers', 10);
  m.setGauge('activeUsers', 4);
  m.setGauge('connections', 3);
  const r = m.toResults({});
  assert.deepEqual(r.skips, { 'ioctl: unsupported FSCTL': 2, 'lock: no handle': 1 });
  assert.equal(r.retries, 1);
  assert.equal(r.perKind['read']!.retries, 1);
  assert.equal(r.lag.count, 2);
  assert.equal(r.lag.max, 5000);
  assert.deepEqual(r.peak, { activeUsers: 10, sessions: 0, connections: 3 });
});

test('snapshot reports ops/s over the last interval', () => {
  const c = clock();
  const m = new RunMetrics(T0, c.now);
  m.setGauge('activeUsers', 5);
  m.setGauge('targetUsers', 50);
  for (let i = 0; i < 100; i++) m.recordOp(op({ serviceUs: i + 1 }));
  c.set(T0 + 1000);
  const s1 = m.snapshot();
  assert.equal(s1.ops, 100);
  assert.equal(s1.opsPerSecond, 100);
  assert.equal(s1.p99Us, 99);
  assert.equal(s1.elapsedMs, 1000);
  assert.equal(s1.activeUsers, 5);
  assert.equal(s1.targetUsers, 50);
  for (let i = 0; i < 50; i++) m.recordOp(op({ error: 'ERR_SMB_TIMEOUT' }));
  c.set(T0 + 3000);
  const s2 = m.snapshot();
  assert.equal(s2.ops, 150);
  assert.equal(s2.opsPerSecond, 25);
  assert.equal(s2.errors, 50);
});

test('time series has one point per wall-clock second with gaps filled', () => {
  const c = clock(T0 + 250);
  const m = new RunMetrics(T0, c.now);
  m.recordOp(op({ serviceUs: 100 }));
  m.recordOp(op({ serviceUs: 200 }));
  c.set(T0 + 1100);
  m.recordOp(op({ serviceUs: 300, error: 'ERR_SMB_TIMEOUT' }));
  c.set(T0 + 3999);
  m.recordOp(op({ serviceUs: 400 }));
  const ts = m.toResults({}).timeSeries;
  const s0 = T0 / 1000;
  assert.deepEqual(
    ts.map((p) => [p.t, p.ops, p.errors]),
    [
      [s0, 2, 0],
      [s0 + 1, 1, 1],
      [s0 + 2, 0, 0],
      [s0 + 3, 1, 0],
    ],
  );
  assert.equal(ts[0]!.p99, 200);
  assert.equal(ts[0]!.max, 200);
  assert.equal(HdrHistogram.decode(ts[0]!.encoded).count, 2);
  assert.equal(ts[2]!.encoded, '');
});

test('mergeResults equals recording everything in one RunMetrics', () => {
  const ca = clock();
  const cb = clock();
  const call = clock();
  const a = new RunMetrics(T0, ca.now);
  const b = new RunMetrics(T0 + 500, cb.now);
  const all = new RunMetrics(T0, call.now);
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 5000; i++) {
    const ms = T0 + 500 + Math.floor(i / 2);
    const s = op({
      kind: ['read', 'write', 'create'][i % 3]!,
      serviceUs: 1 + Math.floor(rand() * 50_000),
      fromIntendedUs: 1 + Math.floor(rand() * 80_000),
      status: i % 17 === 0 ? NtStatus.STATUS_ACCESS_DENIED : NtStatus.STATUS_SUCCESS,
    });
    const target = i % 2 === 0 ? a : b;
    (i % 2 === 0 ? ca : cb).set(ms);
    target.recordOp(s);
    call.set(ms);
    all.recordOp(s);
    target.recordLag(i);
    all.recordLag(i);
  }
  a.recordSkip('lock', 'x');
  all.recordSkip('lock', 'x');
  b.recordRetry('read');
  all.recordRetry('read');
  ca.set(T0 + 5000);
  cb.set(T0 + 5000);
  call.set(T0 + 5000);
  const merged = mergeResults([a.toResults({ worker: 0 }), b.toResults({ worker: 1 })]);
  const single = all.toResults({ worker: 0 });
  assert.deepEqual({ ...merged, meta: {}, peak: null }, { ...single, meta: {}, peak: null });
  assert.deepEqual(merged.meta, { worker: 0, mergedParts: 2 });
});

test('mergeResults rejects nothing-to-merge and foreign documents', () => {
  assert.throws(() => mergeResults([]), SmbBenchError);
  assert.throws(() => mergeResults([{ format: 'other' } as never]), SmbBenchError);
  const r = new RunMetrics(T0, clock().now).toResults({});
  assert.throws(() => mergeResults([{ ...r, version: 2 } as never]), SmbBenchError);
  assert.deepEqual(mergeResults([r]).totals, r.totals);
});

test('a short run also keeps a 100 ms series, which a run longer than 10 s drops', () => {
  const c = clock(T0);
  const m = new RunMetrics(T0, c.now);
  for (let ms = 0; ms < 900; ms += 50) {
    c.set(T0 + ms);
    m.recordOp(op({ serviceUs: 100 + ms }));
  }
  const short = m.toResults({});
  assert.equal(short.timeSeries.length, 1, 'one second: a single per-second point');
  const fine = short.fineTimeSeries;
  assert.ok(fine !== undefined);
  assert.equal(fine.length, 9);
  assert.deepEqual(
    fine.map((p) => p.ops),
    [2, 2, 2, 2, 2, 2, 2, 2, 2],
  );
  assert.equal(fine[3]!.t, (T0 + 300) / 1000);
  assert.equal(
    fine.reduce((n, p) => n + p.ops, 0),
    short.totals.ops,
  );

  c.set(T0 + 10_500);
  m.recordOp(op());
  const long = m.toResults({});
  assert.equal(long.fineTimeSeries, undefined);
  assert.equal(long.timeSeries.length, 11);
});

test('mergeResults keeps the fine series only when every part has one', () => {
  const a = new RunMetrics(T0, clock(T0 + 100).now);
  a.recordOp(op());
  const b = new RunMetrics(T0, clock(T0 + 250).now);
  b.recordOp(op());
  const both = mergeResults([a.toResults({}), b.toResults({})]);
  assert.deepEqual(
    both.fineTimeSeries?.map((p) => p.ops),
    [1, 1],
  );
  const { fineTimeSeries: _dropped, ...withoutFine } = b.toResults({});
  assert.equal(mergeResults([a.toResults({}), withoutFine]).fineTimeSeries, undefined);
});
