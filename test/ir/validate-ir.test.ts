import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { formatIrProblems, validateIr } from '../../src/ir/validate-ir.js';
import type { IrProblem } from '../../src/ir/validate-ir.js';
import { base, createOp, H, OP, tempDir, U, writeRaw } from './fixtures.js';

/** Writes the records (plus a correct end record unless `end` is given) and validates them. */
async function problems(
  records: readonly (object | string)[],
  end?: object | string | null,
): Promise<IrProblem[]> {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    writeRaw(path, records, end);
    return [...(await validateIr(path)).errors];
  } finally {
    cleanup();
  }
}

const echo = (seq: number, t: number, userN = 0) => OP({ ...base(seq, userN, t), op: 'echo' });
const create = (seq: number, t: number, handle: string, userN = 0, status = 0) =>
  OP({ ...createOp(seq, userN, t, 'dir/a.txt', handle), status });
const use = (seq: number, t: number, handle: string, deps: number[] = [], userN = 0) =>
  OP({ ...base(seq, userN, t, deps), op: 'flush', handle });
const close = (seq: number, t: number, handle: string, deps: number[] = []) =>
  OP({ ...base(seq, 0, t, deps), op: 'close', handle, flags: 0 });

test('a valid file has no problems', async () => {
  assert.deepEqual(
    await problems([H(), U(0), create(0, 0, 'h0'), use(1, 5, 'h0', [0]), close(2, 9, 'h0', [1])]),
    [],
  );
});

test('schema errors name the field and the line', async () => {
  const read = OP({ ...base(1, 0, 5, [0]), op: 'read', handle: 'h0', offset: -4, length: 10 });
  assert.deepEqual(await problems([H(), U(0), create(0, 0, 'h0'), read]), [
    { line: 4, message: 'op.offset must be a non-negative integer' },
  ]);
  const bad = await problems([H(), U(0), '{"type":"op",', OP({ ...base(1, 0, 1), op: 'frobnicate' })]);
  assert.equal(bad[0]?.line, 3);
  assert.match(bad[0]!.message, /^not valid JSON/);
  assert.equal(bad[1]?.line, 4);
  assert.match(bad[1]!.message, /^op\.op must be one of "create"/);
  const info = OP({
    ...base(1, 0, 5, [0]),
    op: 'set_info',
    handle: 'h0',
    info: { kind: 'rename', newPath: '../x' },
  });
  assert.deepEqual(await problems([H(), U(0), create(0, 0, 'h0'), info]), [
    { line: 4, message: 'op.info.newPath must not contain "." or ".." components' },
    { line: 4, message: 'op.info.replaceIfExists is required' },
  ]);
});

test('record order: header first, users before ns, ns before ops, nothing after end', async () => {
  assert.deepEqual(await problems([U(0), H()]), [
    { line: 1, message: 'the first record must be the header' },
    { line: 2, message: 'duplicate header' },
  ]);
  const ns = { type: 'ns', user: 'u0', path: 'a', kind: 'dir', size: 0 };
  assert.deepEqual(await problems([H(), U(0), ns, U(1)]), [
    { line: 4, message: 'user records must come before ns records' },
  ]);
  assert.deepEqual(await problems([H(), U(0), echo(0, 0), ns]), [
    { line: 4, message: 'ns records must come before op records' },
  ]);
  const lines = [H(), U(0), echo(0, 0)];
  const sha256 = createHash('sha256')
    .update(lines.map((l) => JSON.stringify(l) + '\n').join(''))
    .digest('hex');
  const after = await problems([...lines, { type: 'end', ops: 1, sha256 }, echo(1, 1)], null);
  assert.deepEqual(after, [{ line: 5, message: 'op record after the end record' }]);
});

test('unknown users, duplicate users', async () => {
  assert.deepEqual(
    await problems([H(), U(0), U(0), { type: 'ns', user: 'u7', path: 'a', kind: 'file', size: 1 }]),
    [
      { line: 3, message: 'user.id u0 is already defined' },
      { line: 4, message: 'ns.user u7 is not a defined user' },
    ],
  );
  assert.deepEqual(await problems([H(), U(0), echo(0, 0, 3)]), [
    { line: 3, message: 'op.user u3 is not a defined user' },
  ]);
});

test('seq must increase and time must not go backwards', async () => {
  assert.deepEqual(await problems([H(), U(0), echo(4, 10), echo(4, 10), echo(5, 9)]), [
    { line: 4, message: 'op.seq 4 must be greater than 4' },
    { line: 5, message: 'op.t 9 must not be less than 10 (ops are in time order)' },
  ]);
});

test('handle lifecycle: never opened, closed twice, reused, failed create', async () => {
  assert.deepEqual(await problems([H(), U(0), use(0, 0, 'h1')]), [
    { line: 3, message: 'op.handle h1 was not opened by an earlier create of user u0' },
  ]);
  assert.deepEqual(
    await problems([H(), U(0), create(0, 0, 'h0'), close(1, 1, 'h0', [0]), close(2, 2, 'h0', [1])]),
    [{ line: 5, message: 'op.handle h0 is no longer open' }],
  );
  assert.deepEqual(await problems([H(), U(0), create(0, 0, 'h2'), create(1, 1, 'h1')]), [
    { line: 4, message: 'op.handle h1 is reused or out of order (handles are new and increasing per user)' },
  ]);
  // Handles are per user: u1 cannot use u0's h0.
  assert.deepEqual(await problems([H(), U(0), U(1), create(0, 0, 'h0'), use(1, 1, 'h0', [], 1)]), [
    { line: 5, message: 'op.handle h0 was not opened by an earlier create of user u1' },
  ]);
  assert.deepEqual(await problems([H(), U(0), create(0, 0, 'h0', 0, 0xc0000034)]), [
    { line: 3, message: 'op.handle must be absent for a failed create outside a compound chain' },
  ]);
  const ok = OP({ ...createOp(0, 0, 0, 'x', 'h0'), handle: undefined });
  assert.deepEqual(await problems([H(), U(0), ok]), [
    { line: 3, message: 'op.handle is required for a successful create' },
  ]);
});

test('a failed create inside a compound chain lends its handle to the rest of the chain only', async () => {
  const chain = (index: number, related: boolean) => ({ compound: { id: 0, index, size: 2, related } });
  const failedCreate = OP({ ...createOp(0, 0, 0, 'x', 'h0'), status: 0xc0000034, ...chain(0, false) });
  const relatedClose = OP({
    ...base(1, 0, 0),
    status: 0xc0000034,
    op: 'close',
    handle: 'h0',
    flags: 0,
    ...chain(1, true),
  });
  assert.deepEqual(await problems([H(), U(0), failedCreate, relatedClose]), []);
  assert.deepEqual(await problems([H(), U(0), failedCreate, relatedClose, use(2, 1, 'h0')]), [
    { line: 5, message: 'op.handle h0 is no longer open' },
  ]);
});

test('compound chains must be contiguous per user, complete and start unrelated', async () => {
  const member = (seq: number, index: number, t = 0, related = index > 0) =>
    OP({ ...base(seq, 0, t), op: 'echo', compound: { id: 0, index, size: 3, related } });
  assert.deepEqual(await problems([H(), U(0), member(0, 0), member(1, 1), member(2, 2)]), []);
  assert.deepEqual(await problems([H(), U(0), member(0, 0), member(1, 1)]), [
    { line: 3, message: 'compound chain 0 of user u0 is incomplete' },
  ]);
  assert.deepEqual(await problems([H(), U(0), member(0, 0), echo(1, 0), member(2, 2)]), [
    { line: 4, message: 'op interrupts compound chain 0 of user u0 (expected index 1)' },
    { line: 5, message: 'op.compound: chain 0 does not start at index 0' },
  ]);
  assert.deepEqual(await problems([H(), U(0), member(0, 0, 0, true), member(1, 1, 3), member(2, 2)]), [
    { line: 3, message: 'op.compound.related must be false for the first op of a chain' },
    { line: 4, message: "op.t 3 differs from the chain's 0" },
    { line: 5, message: 'op.t 0 must not be less than 3 (ops are in time order)' },
  ]);
});

test('deps must be earlier ops of the same user, sorted', async () => {
  assert.deepEqual(
    await problems([H(), U(0), U(1), echo(0, 0, 1), OP({ ...base(1, 0, 1, [0]), op: 'echo' })]),
    [{ line: 5, message: 'op.deps: 0 is not an earlier op of user u0' }],
  );
  assert.deepEqual(await problems([H(), U(0), echo(0, 0), OP({ ...base(1, 0, 1, [1]), op: 'echo' })]), [
    { line: 4, message: 'op.deps must refer to earlier ops (found 1 >= seq 1)' },
  ]);
  assert.deepEqual(
    await problems([H(), U(0), echo(0, 0), echo(1, 0), OP({ ...base(2, 0, 1, [1, 0]), op: 'echo' })]),
    [{ line: 5, message: 'op.deps must be strictly increasing' }],
  );
  const cancel = OP({ ...base(1, 0, 1), op: 'cancel', target: 7 });
  assert.deepEqual(await problems([H(), U(0), echo(0, 0), cancel]), [
    { line: 4, message: 'op.target: 7 is not an earlier op of user u0' },
  ]);
});

test('initial namespace: no duplicates, nothing inside a file', async () => {
  const ns = (path: string, kind: 'file' | 'dir') => ({ type: 'ns', user: 'u0', path, kind, size: 0 });
  assert.deepEqual(
    await problems([H(), U(0), ns('a', 'file'), ns('a/b', 'file'), ns('a', 'dir'), ns('c/d', 'dir')]),
    [
      { line: 5, message: 'ns.path "a" of user u0 is already listed on line 3' },
      { line: 4, message: 'ns.path "a/b" of user u0 is inside "a", which is a file' },
    ],
  );
  assert.deepEqual(await problems([H(), U(0), { type: 'ns', user: 'u0', path: 'd', kind: 'dir', size: 3 }]), [
    { line: 3, message: 'ns.size must be 0 for a directory' },
  ]);
});

test('write payloads must match the header payload mode and length', async () => {
  const write = (data: string) =>
    OP({ ...base(1, 0, 1, [0]), op: 'write', handle: 'h0', offset: 0, length: 3, data });
  assert.deepEqual(await problems([H(), U(0), create(0, 0, 'h0'), write('YWJj')]), [
    { line: 4, message: 'op.data must be absent when header.payloads is "sizes"' },
  ]);
  assert.deepEqual(await problems([H({ payloads: 'data' }), U(0), create(0, 0, 'h0'), write('YWI=')]), [
    { line: 4, message: 'op.data decodes to 2 bytes but length is 3' },
  ]);
});

test('end record: hash, op count, header counts, missing end', async () => {
  const recs = [H({ counts: { users: 1, ops: 2, namespace: 0 } }), U(0), echo(0, 0)];
  assert.deepEqual(await problems(recs, { type: 'end', ops: 3, sha256: '0'.repeat(64) }), [
    {
      line: 4,
      message: `content hash mismatch: end.sha256 is ${'0'.repeat(64)} but the content hashes to ${sha(recs)}`,
    },
    { line: 4, message: 'end.ops is 3 but the file has 1 op records' },
    { line: 1, message: 'header.counts.ops is 2 but the file has 1' },
  ]);
  assert.deepEqual(await problems([H(), U(0), echo(0, 0)], null), [
    { line: 4, message: 'missing end record (the file is truncated)' },
  ]);
});

test('unknown major versions are refused; problems format as file:line: message', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    writeRaw(path, [H({ version: 2 as 1 }), U(0)]);
    const v = await validateIr(path);
    assert.equal(v.ok, false);
    assert.equal(
      formatIrProblems(path, v),
      'w.smbw:1: header.version 2 is not supported by this reader (supports 1)',
    );
  } finally {
    cleanup();
  }
});

test('maxErrors caps the list without stopping validation', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'w.smbw');
    writeRaw(path, [H(), U(0), ...Array.from({ length: 20 }, (_, i) => echo(i, 0, 9))]);
    const v = await validateIr(path, { maxErrors: 5 });
    assert.equal(v.errors.length, 5);
    assert.equal(v.truncated, true);
  } finally {
    cleanup();
  }
});

function sha(records: readonly object[]): string {
  return createHash('sha256')
    .update(records.map((r) => JSON.stringify(r) + '\n').join(''))
    .digest('hex');
}
