import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrWriteOp } from '../../src/ir/types.js';
import { planNamespaces } from '../../src/runner/namespace-plan.js';
import { fillerAt, PATTERN_SIZE, writePayload } from '../../src/runner/payload.js';

test('filler is a function of the file position, so a re-sent write writes the same bytes', () => {
  const whole = fillerAt(0, 3 * PATTERN_SIZE + 10);
  assert.equal(whole.length, 3 * PATTERN_SIZE + 10);
  assert.deepEqual(fillerAt(1000, 500), whole.subarray(1000, 1500));
  assert.deepEqual(fillerAt(PATTERN_SIZE - 5, 10), whole.subarray(PATTERN_SIZE - 5, PATTERN_SIZE + 5));
  assert.deepEqual(fillerAt(2 * PATTERN_SIZE + 3, 7), whole.subarray(3, 10));
  // Not constant: a compressing server must not get it for free.
  assert.ok(new Set(fillerAt(0, 4096)).size > 200);
});

test('write payloads: recorded data when present and of the right length, filler otherwise', () => {
  const base = {
    seq: 0,
    user: 'u0',
    t: 0,
    status: 0,
    deps: [],
    op: 'write',
    handle: 'h0',
    offset: 10,
    length: 4,
  } as const;
  assert.deepEqual(
    writePayload({ ...base, data: Buffer.from('abcd').toString('base64') } as IrWriteOp),
    Buffer.from('abcd'),
  );
  assert.deepEqual(writePayload(base as IrWriteOp), fillerAt(10, 4));
  assert.deepEqual(writePayload({ ...base, data: 'AA==' } as IrWriteOp), fillerAt(10, 4));
});

test('namespace plans: implied ancestors, parents before children, per user', () => {
  const plans = planNamespaces([
    { user: 'u0', path: 'a/b/c.txt', kind: 'file', size: 10, attributes: 0x20 },
    { user: 'u0', path: 'a/empty', kind: 'dir', size: 0, attributes: 2 },
    { user: 'u0', path: 'top.bin', kind: 'file', size: 5 },
    { user: 'u1', path: 'x', kind: 'dir', size: 0 },
  ]);
  const u0 = plans.get('u0')!;
  assert.deepEqual(
    u0.levels.map((l) => l.map((d) => d.path).sort()),
    [['a'], ['a/b', 'a/empty']],
  );
  assert.equal(u0.levels[1]!.find((d) => d.path === 'a/empty')!.attributes, 2);
  assert.deepEqual(
    u0.files.map((f) => [f.path, f.size]),
    [
      ['a/b/c.txt', 10],
      ['top.bin', 5],
    ],
  );
  assert.equal(u0.totalBytes, 15);
  assert.deepEqual(plans.get('u1')!.files, []);
  assert.deepEqual(plans.get('u1')!.levels, [[{ path: 'x', attributes: undefined }]]);
});
