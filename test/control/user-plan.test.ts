import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planUserNames } from '../../src/control/user-plan.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';

test('names are the prefix plus a zero-padded index', () => {
  assert.deepEqual(planUserNames({ prefix: 'sbu', count: 3 }), ['sbu0001', 'sbu0002', 'sbu0003']);
  assert.deepEqual(planUserNames({ prefix: 'u', count: 2, start: 9999 }), ['u09999', 'u10000']);
  assert.deepEqual(planUserNames({ prefix: 'x', count: 2, start: 0, digits: 2 }), ['x00', 'x01']);
  assert.equal(planUserNames({ prefix: 'sbu', count: 5000 }).at(-1), 'sbu5000');
});

test('bad prefixes and counts are usage errors', () => {
  const usage = (fn: () => unknown): void =>
    assert.throws(fn, (err: unknown) => err instanceof SmbBenchError && err.code === ErrorCode.USAGE);
  usage(() => planUserNames({ prefix: 'a-very-long-prefix-x', count: 10 }));
  usage(() => planUserNames({ prefix: 'bad/', count: 1 }));
  usage(() => planUserNames({ prefix: 'ok', count: 0 }));
  usage(() => planUserNames({ prefix: 'ok', count: 1, start: -1 }));
});
