import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readIr } from '../../src/ir/ir-reader.js';
import { IrFileError } from '../../src/ir/ir-error.js';
import { base, H, OP, tempDir, U, writeRaw } from './fixtures.js';

const echo = (seq: number) => OP({ ...base(seq, 0, seq), op: 'echo' });

test('readIr loads the prologue eagerly, freezes records and can be closed without reading ops', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'r.smbw');
    writeRaw(path, [
      H(),
      U(0),
      { type: 'ns', user: 'u0', path: 'a', kind: 'dir', size: 0 },
      echo(0),
      echo(1),
    ]);
    const ir = await readIr(path);
    assert.equal(ir.header.generator, 'smbench-test');
    assert.deepEqual(
      ir.users.map((u) => u.id),
      ['u0'],
    );
    assert.equal(ir.namespace[0]?.path, 'a');
    assert.equal(ir.end?.ops, 2);
    assert.equal(ir.workloadId?.length, 16);
    assert.throws(() => {
      (ir.header as { generator: string }).generator = 'x';
    }, TypeError);
    await ir.close();
  } finally {
    cleanup();
  }
});

test('without the up-front check, a hash mismatch surfaces at the end of ops()', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'r.smbw');
    writeRaw(path, [H(), U(0), echo(0), echo(1)], { type: 'end', ops: 2, sha256: 'a'.repeat(64) });
    await assert.rejects(readIr(path), /r\.smbw:5: content hash mismatch/);
    const ir = await readIr(path, { verifyHash: false });
    assert.equal(ir.workloadId, undefined);
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const op of ir.ops()) seen.push(op.seq);
      })(),
      (err: unknown) =>
        err instanceof IrFileError && err.line === 5 && /content hash mismatch/.test(err.message),
    );
    assert.deepEqual(seen, [0, 1]);
  } finally {
    cleanup();
  }
});

test('readIr stops at the first structural problem with its line', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'r.smbw');
    writeRaw(path, [H(), U(0), echo(3), echo(2)]);
    const ir = await readIr(path);
    await assert.rejects(
      (async () => {
        for await (const _ of ir.ops());
      })(),
      /r\.smbw:4: op\.seq 2 must be greater than 3/,
    );
    writeRaw(path, [H({ version: 9 as 1 }), U(0)]);
    await assert.rejects(readIr(path), /r\.smbw:1: header\.version 9 is not supported/);
    writeRaw(path, [H(), U(0), echo(0)], null);
    await assert.rejects(readIr(path), /r\.smbw:4: missing end record/);
  } finally {
    cleanup();
  }
});
