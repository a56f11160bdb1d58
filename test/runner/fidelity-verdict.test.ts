import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import { judgeFidelity } from '../../src/runner/runner.js';

function results(matched: number, mismatched: number) {
  const m = new RunMetrics();
  for (let i = 0; i < matched; i++)
    m.recordOp({ kind: 'read', serviceUs: 10, fromIntendedUs: 10, bytes: 0, status: 0, expectedStatus: 0 });
  for (let i = 0; i < mismatched; i++) {
    m.recordOp({
      kind: 'read',
      serviceUs: 10,
      fromIntendedUs: 10,
      bytes: 0,
      status: 0xc0000022,
      expectedStatus: 0,
    });
  }
  return m.toResults({});
}

test('fidelity passes at or above the minimum and fails below it', () => {
  assert.equal(judgeFidelity(results(99, 1), 0.99, 100).ok, true);
  const low = judgeFidelity(results(98, 2), 0.99, 100);
  assert.equal(low.ok, false);
  assert.match(low.reason, /98\.00% of 100 statuses matched \(minimum 99\.00%\)/);
});

test('a run that compared nothing is not green unless the workload was empty', () => {
  const none = judgeFidelity(results(0, 0), 0.9, 50);
  assert.equal(none.ok, false);
  assert.match(none.reason, /no op could be compared/);
  assert.equal(judgeFidelity(results(0, 0), 0.9, 0).ok, true);
});
