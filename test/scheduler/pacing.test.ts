import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intendedStartUs, makePacing, rampUpOffsetUs } from '../../src/scheduler/pacing.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';

test('recorded pacing divides the recorded offset by speed', () => {
  assert.equal(intendedStartUs({ mode: 'recorded', speed: 1 }, 2_000_000, 500), 2_000_500);
  assert.equal(intendedStartUs({ mode: 'recorded', speed: 2 }, 2_000_000, 500), 1_000_500);
  assert.equal(intendedStartUs({ mode: 'recorded', speed: 0.5 }, 1000, 0), 2000);
});

test('max pacing has no intended start', () => {
  assert.equal(intendedStartUs({ mode: 'max' }, 2_000_000, 500), undefined);
});

test('makePacing validates speed', () => {
  assert.deepEqual(makePacing('max'), { mode: 'max' });
  assert.deepEqual(makePacing('recorded', 3), { mode: 'recorded', speed: 3 });
  assert.throws(() => makePacing('recorded', 0), SmbBenchError);
  assert.throws(() => makePacing('recorded', -1), SmbBenchError);
  assert.throws(() => makePacing('recorded', Number.NaN), SmbBenchError);
});

test('ramp-up spreads users evenly, user 0 first', () => {
  assert.equal(rampUpOffsetUs(0, 10, 10_000_000), 0);
  assert.equal(rampUpOffsetUs(1, 10, 10_000_000), 1_000_000);
  assert.equal(rampUpOffsetUs(9, 10, 10_000_000), 9_000_000);
  assert.equal(rampUpOffsetUs(0, 1, 10_000_000), 0);
  assert.equal(rampUpOffsetUs(5, 10, 0), 0);
  const offsets = Array.from({ length: 5000 }, (_, i) => rampUpOffsetUs(i, 5000, 60_000_000));
  for (let i = 1; i < offsets.length; i++) assert.ok((offsets[i] as number) >= (offsets[i - 1] as number));
  assert.ok((offsets[4999] as number) < 60_000_000);
});
