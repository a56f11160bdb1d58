/**
 * A connection that ends on the wire with opens still held: the server closes them with the
 * session (MS-SMB2 3.3.7.1), so the compiler emits those CLOSEs (synthetic) at the connection's end.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateDisposition, CreateOptions } from '../../src/smb2/commands/create-constants.js';
import type { IrOp } from '../../src/ir/types.js';
import { compileTrace } from './support/compile-trace.js';
import { fid, SmbScript } from './support/smb-script.js';
import { TraceBuilder } from './support/trace-builder.js';

function summary(ops: readonly IrOp[]): unknown[] {
  return ops.map((o) => [
    o.op,
    'path' in o ? o.path : undefined,
    'handle' in o ? o.handle : undefined,
    o.op === 'close' ? (o.synthetic ?? false) : undefined,
  ]);
}

describe('opens left by a connection that ended', () => {
  test('are closed at its end (delete-on-close applied); a connection still open at the end keeps its opens', async () => {
    const b = new TraceBuilder();
    const first = new SmbScript(0, b).negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
    first.create({ name: 'dir', fileId: fid(1), createOptions: CreateOptions.FILE_DIRECTORY_FILE });
    first.create({ name: 'tmp.txt', fileId: fid(2), createOptions: CreateOptions.FILE_DELETE_ON_CLOSE });
    b.reset(0);
    const second = new SmbScript(1, b).negotiate().login('CONTOSO', 'alice').treeConnect('data', 9);
    second.create({ name: 'dir', fileId: fid(3), createOptions: CreateOptions.FILE_DIRECTORY_FILE });
    second.create({ name: 'tmp.txt', fileId: fid(4), disposition: CreateDisposition.FILE_CREATE, action: 2 });

    const { doc, problems } = await compileTrace(b);
    assert.deepEqual(problems, []);
    assert.deepEqual(summary(doc.ops), [
      ['create', 'dir', 'h0', undefined],
      ['create', 'tmp.txt', 'h1', undefined],
      ['close', undefined, 'h0', true],
      ['close', undefined, 'h1', true],
      ['create', 'dir', 'h2', undefined],
      ['create', 'tmp.txt', 'h3', undefined],
    ]);
    // The implicit close deleted tmp.txt, so creating it again waits for that close.
    assert.ok(doc.ops[4]!.deps?.includes(doc.ops[3]!.seq), JSON.stringify(doc.ops[4]));
  });
});
