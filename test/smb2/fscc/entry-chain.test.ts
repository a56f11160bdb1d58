import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryChain, layOutChain } from '../../../src/smb2/fscc/entry-chain.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('layOutChain aligns entries and entryChain walks them back', () => {
  const parts = [Buffer.alloc(5, 1), Buffer.alloc(9, 2), Buffer.alloc(6, 3)];
  const buf = layOutChain(parts, 8);
  assert.equal(buf.length, 8 + 16 + 6);
  const windows = [...entryChain(buf, 4, 'test')];
  assert.deepEqual(
    windows.map((w) => w.length),
    [8, 16, 6],
  );
  assert.equal(windows[2]!.readUInt32LE(0), 0);
  assert.equal(windows[1]![5], 2);
});

test('entryChain refuses steps smaller than an entry and entries past the end', () => {
  const buf = layOutChain([Buffer.alloc(8), Buffer.alloc(8)], 8);
  buf.writeUInt32LE(2, 0);
  assert.throws(() => [...entryChain(buf, 4, 'test')], MalformedMessageError);
  buf.writeUInt32LE(16, 0);
  assert.throws(() => [...entryChain(buf, 4, 'test')], MalformedMessageError);
  assert.throws(() => [...entryChain(Buffer.alloc(3), 4, 'test')], MalformedMessageError);
});
