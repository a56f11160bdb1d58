import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrivalGate } from '../../src/runner/arrival-gate.js';
import {
  arrivalOffsetsUs,
  arrivalStagesMs,
  parseArrivalRate,
  peakArrivalRate,
} from '../../src/runner/arrival-rate.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';

test('rates and stages parse; bad ones are usage errors', () => {
  assert.deepEqual(parseArrivalRate('5/s'), [{ ratePerSecond: 5, durationMs: undefined }]);
  assert.deepEqual(parseArrivalRate('30/m:1m,120/m:30s'), [
    { ratePerSecond: 0.5, durationMs: 60_000 },
    { ratePerSecond: 2, durationMs: 30_000 },
  ]);
  assert.equal(arrivalStagesMs(parseArrivalRate('1/s:10s,2/s:5s')), 15_000);
  assert.equal(arrivalStagesMs(parseArrivalRate('1/s')), undefined);
  assert.equal(peakArrivalRate(parseArrivalRate('1/s:10s,20/s:5s,3/s:5s')), 20);
  for (const bad of ['5', 'five/s', '5/d', '1/s,2/s', '0/s']) {
    assert.throws(() => parseArrivalRate(bad), SmbBenchError, bad);
  }
});

test('a constant rate arrives evenly; a ramp arrives as the integral of its rate', () => {
  assert.deepEqual([...arrivalOffsetsUs(parseArrivalRate('4/s'), 1000)], [0, 250_000, 500_000, 750_000]);
  // 0 -> 10/s over 2 s: 10 arrivals in all, denser at the end (n = 2.5 t^2).
  const ramp = [...arrivalOffsetsUs(parseArrivalRate('0/s:1ms,10/s:2s'), 10_000)];
  assert.equal(ramp.length, 10);
  assert.ok(ramp[1]! - ramp[0]! > ramp[9]! - ramp[8]!, 'gaps shrink as the rate grows');
  assert.ok(ramp.every((t, i) => i === 0 || t > ramp[i - 1]!));
  // Stages end the run when shorter than the limit.
  assert.equal([...arrivalOffsetsUs(parseArrivalRate('2/s:1s'), 60_000)].length, 2);
});

test('an arrival with nobody waiting is dropped, not queued', async () => {
  const scheduler = new Scheduler();
  // 100/s for 100 ms: ten arrivals, all due well before the wait below ends.
  const gate = new ArrivalGate(scheduler, parseArrivalRate('100/s'), 100);
  const first = gate.waitTurn();
  scheduler.start();
  gate.start(scheduler.now);
  assert.equal(await first, true, 'the waiting user takes the first arrival');
  await new Promise((r) => setTimeout(r, 400));
  const counts = gate.counts();
  assert.equal(counts.arrivals, 10);
  assert.equal(counts.started, 1);
  assert.equal(counts.dropped, 9, 'nobody waited for the other nine');
  gate.close();
  assert.equal(await gate.waitTurn(), false, 'after the run, no more sessions');
  scheduler.stop();
});
