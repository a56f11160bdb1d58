/** How `model learn` classifies each file session's path relative to the one before. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrCreateOp, IrOp } from '../../src/ir/index.js';
import { UserTrace } from '../../src/model/user-trace.js';

let seq = 0;
let handles = 0;

function create(path: string, opts: { dir?: boolean; created?: boolean; failed?: boolean } = {}): IrCreateOp {
  return {
    seq: seq++,
    user: 'u0',
    t: seq * 10,
    op: 'create',
    path,
    ...(opts.failed ? {} : { handle: `h${handles++}` }),
    desiredAccess: 0x120089,
    fileAttributes: 0,
    shareAccess: 7,
    createDisposition: opts.created ? 2 : 1,
    createOptions: opts.dir ? 1 : 0,
    oplockLevel: 0,
    ...(opts.failed ? {} : { createAction: opts.created ? 2 : 1, isDirectory: opts.dir === true }),
    status: opts.failed ? 0xc0000034 : 0,
    deps: [],
  };
}

function session(trace: UserTrace, c: IrCreateOp, more: IrOp['op'][] = []): void {
  trace.add(c);
  if (c.handle === undefined) return;
  for (const kind of more) {
    if (kind === 'read') {
      trace.add({
        seq: seq++,
        user: 'u0',
        t: seq * 10,
        op: 'read',
        handle: c.handle,
        offset: 0,
        length: 10,
        status: 0,
        deps: [],
      });
    }
  }
  trace.add({
    seq: seq++,
    user: 'u0',
    t: seq * 10,
    op: 'close',
    handle: c.handle,
    flags: 0,
    status: 0,
    deps: [],
  });
}

test('roles: dir, child, sibling, same, new, missing, new_dir, other; unmodelled ops counted', () => {
  const trace = new UserTrace();
  session(trace, create('', { dir: true }));
  session(trace, create('docs', { dir: true }));
  session(trace, create('docs/a.txt'), ['read']);
  session(trace, create('docs/b.txt'));
  session(trace, create('docs/b.txt'));
  session(trace, create('docs/new.txt', { created: true }));
  session(trace, create('docs/gone.txt', { failed: true }));
  session(trace, create('docs/sub', { dir: true, created: true }));
  session(trace, create('elsewhere/c.txt'));
  trace.add({ seq: seq++, user: 'u0', t: seq * 10, op: 'echo', status: 0, deps: [] });
  trace.add({ seq: seq++, user: 'u0', t: seq * 10, op: 'flush', handle: 'h99', status: 0, deps: [] });
  assert.deepEqual(
    trace.sessions.map((s) => s.role),
    ['dir', 'dir', 'child', 'sibling', 'same', 'new', 'missing', 'new_dir', 'other'],
  );
  assert.deepEqual(trace.sessions[2]!.actions, ['create', 'read', 'close']);
  assert.deepEqual(trace.sessions[6]!.actions, ['create']);
  assert.equal(trace.rootDirOpens, 1);
  assert.equal(trace.dirOpens, 2);
  assert.deepEqual(Object.fromEntries(trace.skipped), {
    echo: 1,
    'flush (handle not opened in the trace)': 1,
  });
});
