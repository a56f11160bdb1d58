import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateThresholds, parseThreshold, parseThresholds } from '../../src/observe/thresholds.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import type { RunResults } from '../../src/observe/run-results.js';
import { NtStatus } from '../../src/smb2/nt-status.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';

test('parses latency thresholds with units', () => {
  assert.deepEqual(parseThreshold('p99<20ms'), {
    spec: 'p99<20ms',
    opKind: undefined,
    comparison: '<',
    metric: 'latency',
    source: 'service',
    stat: { kind: 'percentile', p: 99 },
    value: 20_000,
  });
  assert.equal(parseThreshold('p50<=5ms').comparison, '<=');
  assert.equal(parseThreshold('p99.9 < 1.5 s').value, 1_500_000);
  assert.equal(parseThreshold('max<250us').value, 250);
  assert.equal(parseThreshold('mean<250µs').value, 250);
  const read = parseThreshold('read.p99<10ms');
  assert.equal(read.opKind, 'read');
  assert.equal(read.source, 'service');
  const intended = parseThreshold('read.intended.p99<50ms');
  assert.equal(intended.source, 'fromIntended');
  const lag = parseThreshold('lag.p99<2ms');
  assert.equal(lag.source, 'lag');
  assert.equal(lag.opKind, undefined);
  assert.equal(lag.value, 2000);
});

test('parses errors, fidelity and throughput thresholds', () => {
  const rate = parseThreshold('errors<1%');
  assert.equal(rate.metric, 'errorRate');
  assert.equal(rate.value, 0.01);
  const count = parseThreshold('write.errors<=10');
  assert.equal(count.metric, 'errorCount');
  assert.equal(count.opKind, 'write');
  assert.equal(count.value, 10);
  const fid = parseThreshold('fidelity>=99%');
  assert.equal(fid.metric, 'fidelity');
  assert.equal(fid.value, 0.99);
  const ops = parseThreshold('ops/s>1000');
  assert.equal(ops.metric, 'throughput');
  assert.equal(ops.value, 1000);
  assert.equal(parseThresholds(['p99<1s', 'errors<1%']).length, 2);
});

test('rejects bad thresholds with the offending text', () => {
  for (const spec of [
    'p99<20',
    'p99<20%',
    'p101<1ms',
    'p99=20ms',
    'latency<5ms',
    'fidelity>=99',
    'fidelity>=120%',
    'errors<1ms',
    'ops/s>10ms',
    'lag.intended.p99<1ms',
    'lag.errors<1%',
    '',
    'p99<<1ms',
  ]) {
    assert.throws(
      () => parseThresholds(['p99<1s', spec]),
      (e: unknown) => e instanceof SmbBenchError && e.code === 'ERR_USAGE' && e.message.includes(`'${spec}'`),
      spec,
    );
  }
});

function sampleResults(): RunResults {
  let now = Date.UTC(2024, 0, 1);
  const m = new RunMetrics(now, () => now);
  for (let i = 1; i <= 1000; i++) {
    m.recordOp({
      kind: i % 2 === 0 ? 'read' : 'write',
      serviceUs: i * 10, // 10µs .. 10ms
      fromIntendedUs: i * 20,
      bytes: 0,
      status: i <= 5 ? NtStatus.STATUS_ACCESS_DENIED : NtStatus.STATUS_SUCCESS,
      expectedStatus: NtStatus.STATUS_SUCCESS,
    });
    m.recordLag(i);
  }
  now += 2000;
  return m.toResults({});
}

test('evaluates thresholds against results', () => {
  const r = sampleResults();
  const specs = [
    'p99<10ms', // p99 = 9.9ms -> pass
    'p50<=4ms', // 5ms -> fail
    'read.p99<10ms',
    'read.intended.p99<10ms', // ~19.8ms -> fail
    'intended.max<=20ms',
    'errors<1%', // 0.5% -> pass
    'errors<5', // 5 -> fail
    'fidelity>=99%', // 99.5% -> pass
    'ops/s>400', // 500 -> pass
    'read.ops/s>=300', // 250 -> fail
    'lag.p99<2ms', // 990µs -> pass
    'delete.p99<1ms', // no such ops -> fail
  ];
  const report = evaluateThresholds(r, parseThresholds(specs));
  assert.equal(report.passed, false);
  const byspec = Object.fromEntries(report.checks.map((c) => [c.spec, c]));
  const passed = Object.fromEntries(report.checks.map((c) => [c.spec, c.passed]));
  assert.deepEqual(passed, {
    'p99<10ms': true,
    'p50<=4ms': false,
    'read.p99<10ms': true,
    'read.intended.p99<10ms': false,
    'intended.max<=20ms': true,
    'errors<1%': true,
    'errors<5': false,
    'fidelity>=99%': true,
    'ops/s>400': true,
    'read.ops/s>=300': false,
    'lag.p99<2ms': true,
    'delete.p99<1ms': false,
  });
  assert.equal(byspec['errors<1%']!.actual, 0.005);
  assert.equal(byspec['errors<1%']!.actualText, '0.50%');
  assert.equal(byspec['ops/s>400']!.actual, 500);
  assert.equal(byspec['delete.p99<1ms']!.actual, null);
  assert.equal(byspec['delete.p99<1ms']!.actualText, 'no delete ops');
  assert.equal(byspec['p99<10ms']!.actualText, '9.90ms');

  assert.equal(evaluateThresholds(r, parseThresholds(['p99<1s', 'fidelity>90%'])).passed, true);
  assert.deepEqual(evaluateThresholds(r, []), { passed: true, checks: [] });
});
