import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IrWriter } from '../../src/ir/ir-writer.js';
import { readIr, readIrFully } from '../../src/ir/ir-reader.js';
import { percentiles, summarizeIr } from '../../src/ir/summary.js';
import type { IrOp } from '../../src/ir/types.js';
import { base, createOp, header, tempDir, user } from './fixtures.js';

const ops: IrOp[] = [
  createOp(0, 0, 0, 'a.txt', 'h0'),
  createOp(1, 1, 50, 'b.txt', 'h0'),
  { ...base(2, 0, 100, [0]), op: 'write', handle: 'h0', offset: 0, length: 4096, written: 4000 },
  {
    ...base(3, 0, 400, [2]),
    op: 'read',
    handle: 'h0',
    offset: 0,
    length: 8192,
    dataLength: 4096,
    latencyUs: 50,
  },
  { ...base(4, 1, 500, [1]), op: 'read', handle: 'h0', offset: 0, length: 100 },
  { ...base(5, 1, 600, [4]), status: 0xc0000022, op: 'read', handle: 'h0', offset: 0, length: 999 },
  { ...base(6, 0, 1000, [3]), op: 'close', handle: 'h0', flags: 0, latencyUs: 20 },
];

test('summary counts ops, bytes, namespace, duration and think time', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 's.smbw');
    const w = await IrWriter.create(path, header());
    await w.writeUser(user(0));
    await w.writeUser(user(1));
    await w.writeNamespaceEntry({ user: 'u0', path: 'd', kind: 'dir', size: 0 });
    await w.writeNamespaceEntry({ user: 'u0', path: 'd/x', kind: 'file', size: 300 });
    await w.writeNamespaceEntry({ user: 'u1', path: 'y', kind: 'file', size: 700 });
    for (const op of ops) await w.writeOp(op);
    await w.close();

    const fromArray = await summarizeIr(await readIrFully(path));
    const fromStream = await summarizeIr(await readIr(path));
    assert.deepEqual(fromStream, fromArray);
    const s = fromArray;
    assert.equal(s.users, 2);
    assert.equal(s.ops, 7);
    assert.equal(s.failedOps, 1);
    assert.equal(s.opsByKind.create, 2);
    assert.equal(s.opsByKind.read, 3);
    assert.equal(s.opsByKind.write, 1);
    assert.equal(s.opsByKind.close, 1);
    assert.equal(s.opsByKind.echo, 0);
    assert.deepEqual(s.namespace, { files: 2, dirs: 1, bytes: 1000 });
    assert.equal(s.durationUs, 1020);
    assert.equal(s.bytesWritten, 4000);
    assert.equal(s.bytesRead, 4096 + 100);
    // u0 gaps: 100, 300, 600; u1 gaps: 450, 100.
    assert.deepEqual(s.thinkTime, { count: 5, p50: 300, p90: 600, p99: 600, max: 600 });
    const [u0, u1] = s.perUser;
    assert.deepEqual(u0, {
      user: 'u0',
      name: 'LAB\\user0',
      ops: 4,
      failedOps: 0,
      bytesRead: 4096,
      bytesWritten: 4000,
      durationUs: 1020,
      thinkTime: { count: 3, p50: 300, p90: 600, p99: 600, max: 600 },
    });
    assert.equal(u1?.ops, 3);
    assert.equal(u1?.failedOps, 1);
    assert.equal(u1?.durationUs, 550);
    assert.deepEqual(u1?.thinkTime, { count: 2, p50: 100, p90: 450, p99: 450, max: 450 });
  } finally {
    cleanup();
  }
});

test('nearest-rank percentiles', () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual(percentiles(sorted), { count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  assert.deepEqual(percentiles(new Float64Array(0)), { count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
});
