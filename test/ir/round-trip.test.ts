import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { IrWriter } from '../../src/ir/ir-writer.js';
import { readIr, readIrFully } from '../../src/ir/ir-reader.js';
import { validateIr } from '../../src/ir/validate-ir.js';
import { SmbBenchError, ErrorCode } from '../../src/errors/smbench-error.js';
import type { IrNamespaceEntry, IrOp, IrUser } from '../../src/ir/types.js';
import { base, createOp, header, tempDir, user } from './fixtures.js';

const USERS = 10;

/** A deterministic mix of every op kind: per user, cycles of create -> 8 ops on the handle -> close. */
function* generateOps(total: number): Generator<IrOp> {
  const nextHandle = new Array<number>(USERS).fill(0);
  const open = new Array<{ handle: string; last: number } | undefined>(USERS).fill(undefined);
  const step = new Array<number>(USERS).fill(0);
  for (let seq = 0; seq < total; seq++) {
    const u = seq % USERS;
    const t = seq * 7;
    const o = open[u];
    const s = step[u]!++;
    if (!o) {
      const handle = `h${nextHandle[u]!++}`;
      open[u] = { handle, last: seq };
      yield createOp(seq, u, t, `dir${u}/file${s}.dat`, handle);
      continue;
    }
    const common = { ...base(seq, u, t, [o.last]), handle: o.handle, latencyUs: 100 + (s % 50) };
    o.last = seq;
    switch (s % 10) {
      case 1:
        yield { ...common, op: 'write', offset: s * 4096, length: 4096, written: 4096 };
        break;
      case 2:
        yield { ...common, op: 'read', offset: 0, length: 65536, dataLength: 4096 };
        break;
      case 3:
        yield { ...common, op: 'query_info', infoType: 1, infoClass: 5, outputBufferLength: 24 };
        break;
      case 4:
        yield { ...common, op: 'set_info', info: { kind: 'end_of_file', size: s } };
        break;
      case 5:
        yield { ...common, op: 'lock', locks: [{ offset: 0, length: 10, flags: 0x12 }] };
        break;
      case 6:
        yield { ...common, op: 'flush' };
        break;
      case 7:
        yield {
          ...common,
          op: 'ioctl',
          ctlCode: 0x00140204,
          flags: 1,
          inputLength: 0,
          maxOutputLength: 1024,
        };
        break;
      case 8:
        yield {
          ...common,
          op: 'set_info',
          info: { kind: 'basic', attributes: 0x20, times: { lastWrite: '133592480000000000' } },
        };
        break;
      default:
        yield { ...common, op: 'close', flags: 0 };
        open[u] = undefined;
    }
  }
}

test('100k ops round-trip through writer and reader unchanged, with a verified content hash', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'big.smbw');
    const users: IrUser[] = Array.from({ length: USERS }, (_, i) => user(i));
    const namespace: IrNamespaceEntry[] = users.flatMap((u, i) => [
      { user: u.id, path: `dir${i}`, kind: 'dir' as const, size: 0 },
      { user: u.id, path: `dir${i}/seed.bin`, kind: 'file' as const, size: 1 << 20, attributes: 0x20 },
    ]);
    const total = 100_000;
    const w = await IrWriter.create(
      path,
      header({ counts: { users: USERS, ops: total, namespace: namespace.length } }),
    );
    for (const u of users) await w.writeUser(u);
    for (const e of namespace) await w.writeNamespaceEntry(e);
    for (const op of generateOps(total)) await w.writeOp(op);
    const result = await w.close();
    assert.equal(result.ops, total);
    assert.match(result.sha256, /^[0-9a-f]{64}$/);
    assert.equal(result.workloadId, result.sha256.slice(0, 16));

    const doc = await readIrFully(path);
    assert.equal(doc.workloadId, result.workloadId);
    assert.deepEqual(doc.users, users);
    assert.deepEqual(doc.namespace, namespace);
    assert.equal(doc.ops.length, total);
    let i = 0;
    for (const expected of generateOps(total)) assert.deepEqual(doc.ops[i++], expected);
    assert.ok(Object.isFrozen(doc.ops[5]));
    assert.ok(Object.isFrozen(doc.ops[5]!.deps));

    // Streaming reader: hash verified up front, ops can be iterated twice and filtered by user.
    const reader = await readIr(path);
    assert.equal(reader.workloadId, result.workloadId);
    let count = 0;
    for await (const op of reader.ops({ users: ['u3'] })) {
      assert.equal(op.user, 'u3');
      count++;
    }
    assert.equal(count, total / USERS);
    let again = 0;
    for await (const _ of reader.ops()) again++;
    assert.equal(again, total);

    const v = await validateIr(path);
    assert.deepEqual(v.errors, []);
    assert.equal(v.ok, true);
  } finally {
    cleanup();
  }
});

async function smallWorkload(path: string): Promise<void> {
  const w = await IrWriter.create(path, header());
  await w.writeUser(user(0));
  await w.writeOp(createOp(0, 0, 0, 'a.txt', 'h0'));
  await w.writeOp({ ...base(1, 0, 10, [0]), op: 'write', handle: 'h0', offset: 0, length: 5 });
  await w.writeOp({ ...base(2, 0, 20, [1]), op: 'close', handle: 'h0', flags: 0 });
  await w.close();
}

test('a byte flipped inside the gzip stream is refused with ERR_IR, never a crash', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    await smallWorkload(path);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x5a;
    writeFileSync(path, bytes);
    await assert.rejects(
      readIr(path),
      (err: unknown) => err instanceof SmbBenchError && err.code === ErrorCode.IR,
    );
    const v = await validateIr(path);
    assert.equal(v.ok, false);
  } finally {
    cleanup();
  }
});

test('content changed and re-compressed fails the content hash with the end line number', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    await smallWorkload(path);
    const text = gunzipSync(readFileSync(path)).toString('utf8').replace('"length":5', '"length":6');
    writeFileSync(path, gzipSync(text));
    await assert.rejects(readIr(path), /w\.smbw:6: content hash mismatch/);
    await assert.rejects(readIrFully(path), /w\.smbw:6: content hash mismatch/);
    const v = await validateIr(path);
    assert.deepEqual(
      v.errors.map((e) => e.line),
      [6],
    );
    assert.match(v.errors[0]!.message, /content hash mismatch/);
  } finally {
    cleanup();
  }
});

test('a truncated gzip file gives a clear ERR_IR error naming the line reached', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    const w = await IrWriter.create(path, header());
    await w.writeUser(user(0));
    for (let i = 0; i < 5000; i++) {
      await w.writeOp({ ...base(i, 0, i), op: 'echo' });
    }
    await w.close();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assert.rejects(
      readIr(path, { verifyHash: false }).then(async (r) => {
        for await (const _ of r.ops());
      }),
      (err: unknown) => {
        assert.ok(err instanceof SmbBenchError);
        assert.equal(err.code, ErrorCode.IR);
        assert.match(err.message, /^w\.smbw:\d+: corrupt or truncated gzip data/);
        return true;
      },
    );
    const v = await validateIr(path);
    assert.equal(v.ok, false);
    assert.match(v.errors.at(-1)!.message, /truncated/);
    assert.ok(v.errors.at(-1)!.line > 2);
  } finally {
    cleanup();
  }
});

test('a missing file is an ERR_IR error', async () => {
  await assert.rejects(readIr('/nonexistent/x.smbw'), (err: unknown) => {
    return (
      err instanceof SmbBenchError && err.code === ErrorCode.IR && /cannot open workload/.test(err.message)
    );
  });
});
