import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { IrWriter } from '../../src/ir/ir-writer.js';
import { readIrFully } from '../../src/ir/ir-reader.js';
import { SmbBenchError, ErrorCode } from '../../src/errors/smbench-error.js';
import type { IrOp } from '../../src/ir/types.js';
import { base, createOp, header, tempDir, user } from './fixtures.js';

async function withWriter(fn: (w: IrWriter, path: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'w.smbw');
  const w = await IrWriter.create(path, header());
  try {
    await fn(w, path);
  } finally {
    await w.abort();
    cleanup();
  }
}

const echo = (seq: number, t: number, userN = 0): IrOp => ({ ...base(seq, userN, t), op: 'echo' });

function rejectsIr(p: Promise<unknown>, message: RegExp): Promise<void> {
  return assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof SmbBenchError);
    assert.equal(err.code, ErrorCode.IR);
    assert.match(err.message, message);
    return true;
  });
}

test('writer enforces header -> users -> ns -> ops order', async () => {
  await withWriter(async (w) => {
    await w.writeUser(user(0));
    await w.writeNamespaceEntry({ user: 'u0', path: 'a', kind: 'dir', size: 0 });
    await rejectsIr(w.writeUser(user(1)), /w\.smbw:4: user records must come before ns records/);
  });
  await withWriter(async (w) => {
    await w.writeUser(user(0));
    await w.writeOp(echo(0, 0));
    await rejectsIr(
      w.writeNamespaceEntry({ user: 'u0', path: 'a', kind: 'dir', size: 0 }),
      /w\.smbw:4: ns records must come before op records/,
    );
  });
});

test('writer enforces increasing seq and non-decreasing time', async () => {
  await withWriter(async (w) => {
    await w.writeUser(user(0));
    await w.writeOp(echo(5, 100));
    await rejectsIr(w.writeOp(echo(5, 100)), /op\.seq 5 must be greater than 5/);
  });
  await withWriter(async (w) => {
    await w.writeUser(user(0));
    await w.writeOp(echo(0, 100));
    await w.writeOp(echo(1, 100));
    await rejectsIr(w.writeOp(echo(2, 99)), /w\.smbw:5: op\.t 99 must not be less than 100/);
  });
});

test('writer rejects schema errors and semantic errors, then refuses further writes', async () => {
  await withWriter(async (w) => {
    await w.writeUser(user(0));
    await rejectsIr(
      w.writeOp({ ...base(0, 0, 0), op: 'read', handle: 'h0', offset: -1, length: 5 }),
      /op\.offset must be a non-negative integer/,
    );
    await rejectsIr(w.writeOp(echo(1, 1)), /writer failed earlier/);
  });
  await withWriter(async (w) => {
    await w.writeUser(user(0));
    await rejectsIr(
      w.writeOp({ ...base(0, 0, 0), op: 'flush', handle: 'h3' }),
      /op\.handle h3 was not opened by an earlier create of user u0/,
    );
  });
  await withWriter(async (w) => {
    await rejectsIr(w.writeOp(echo(0, 0)), /op\.user u0 is not a defined user/);
  });
});

test('writer can skip semantic checks', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    const w = await IrWriter.create(path, header(), { checks: 'structure' });
    await w.writeUser(user(0));
    await w.writeOp({ ...base(0, 0, 0), op: 'flush', handle: 'h3' });
    assert.equal((await w.close()).ops, 1);
  } finally {
    cleanup();
  }
});

test('header counts are checked at close and the partial file is removed', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    const w = await IrWriter.create(path, header({ counts: { users: 1, ops: 2, namespace: 0 } }));
    await w.writeUser(user(0));
    await w.writeOp(echo(0, 0));
    await rejectsIr(w.close(), /w\.smbw:1: header\.counts\.ops is 2 but the file has 1/);
    assert.equal(existsSync(path), false);
  } finally {
    cleanup();
  }
});

test('an invalid header is refused at create', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    await rejectsIr(
      IrWriter.create(path, { ...header(), payloads: 'all' as 'data' }),
      /w\.smbw:1: header\.payloads must be one of/,
    );
    await rejectsIr(
      IrWriter.create(path, { ...header(), version: 2 as 1 }),
      /header\.version 2 is not supported/,
    );
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    cleanup();
  }
});

test('the file appears only when closed, and write payloads survive in data mode', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    const w = await IrWriter.create(path, header({ payloads: 'data' }));
    await w.writeUser(user(0));
    await w.writeOp(createOp(0, 0, 0, 'a.txt', 'h0'));
    const data = Buffer.from('hello').toString('base64');
    await w.writeOp({ ...base(1, 0, 5, [0]), op: 'write', handle: 'h0', offset: 0, length: 5, data });
    assert.equal(existsSync(path), false);
    const { workloadId } = await w.close();
    const doc = await readIrFully(path);
    assert.equal(doc.workloadId, workloadId);
    const write = doc.ops[1];
    assert.ok(write?.op === 'write');
    assert.equal(Buffer.from(write.data!, 'base64').toString(), 'hello');
  } finally {
    cleanup();
  }
});
