import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closeCodec } from '../../src/smb2/commands/close.js';
import { lockCodec } from '../../src/smb2/commands/lock.js';
import { queryInfoCodec } from '../../src/smb2/commands/query-info.js';
import { Command } from '../../src/smb2/constants.js';
import { NtStatus } from '../../src/smb2/nt-status.js';
import { compileTrace } from './support/compile-trace.js';
import { fid, SmbScript, Status } from './support/smb-script.js';
import { errorBody, requestBody } from './support/trace-builder.js';

/** A QUERY_INFO (FileStandardInformation) on `fileId`, answered with `status` and no body. */
function queryInfo(s: SmbScript, fileId: { persistent: bigint; volatile: bigint }, status: number): void {
  const m = s.mid();
  const body = requestBody(queryInfoCodec, {
    infoType: 1,
    fileInfoClass: 5,
    outputBufferLength: 24,
    inputBuffer: Buffer.alloc(0),
    additionalInformation: 0,
    flags: 0,
    fileId,
  });
  s.b.request(Command.QUERY_INFO, body, s.hdr(m));
  s.b.response(Command.QUERY_INFO, errorBody(), s.hdr(m, { status }));
}

/** A failed create's FileId answered FILE_CLOSED, then a FileId opened before the capture. */
function trace(): SmbScript {
  const s = new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
  s.create({ name: 'missing.txt', status: Status.OBJECT_NAME_NOT_FOUND });
  queryInfo(s, fid(5), NtStatus.STATUS_FILE_CLOSED); // the failed create's "handle"
  s.create({ name: 'a.txt', fileId: fid(1), endOfFile: 3n });
  queryInfo(s, fid(42), 0); // opened before the capture
  s.close(fid(1));
  return s;
}

describe('ops on a FileId the server never granted', () => {
  test('answered STATUS_FILE_CLOSED: a fresh never-opened handle, not a pre-open; a FileId the server knew is pre-opened', async () => {
    const { result, doc, problems } = await compileTrace(trace().b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, 'handle' in o ? o.handle : undefined, o.neverOpened ?? false]),
      [
        ['create', undefined, false],
        ['query_info', 'h0', true],
        ['create', 'h1', false],
        ['create', 'h2', false],
        ['query_info', 'h2', false],
        ['close', 'h1', false],
      ],
    );
    assert.equal(doc.ops[1]!.status, NtStatus.STATUS_FILE_CLOSED);
    assert.equal(result.stats.synthesized.handles, 1, 'only the FileId the server knew');
    assert.equal(result.stats.skipped.unknownHandle, 0);
  });

  test('with --no-synthesize the FileId opened before the capture is skipped', async () => {
    const { result, doc, problems } = await compileTrace(trace().b, { synthesize: false });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, 'handle' in o ? o.handle : undefined, o.neverOpened ?? false]),
      [
        ['create', undefined, false],
        ['query_info', 'h0', true],
        ['create', 'h1', false],
        ['close', 'h1', false],
      ],
    );
    assert.equal(result.stats.skipped.unknownHandle, 1);
  });

  test('a second request sent on the FileId before the first answer undid its pre-open is never-opened too', async () => {
    const s = new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
    const bogus = fid(77);
    const m1 = s.mid();
    const m2 = s.mid();
    // Both sent before either answer, as a compound or a pipelining client does (MS-SMB2 3.2.4.1.4).
    const lock = {
      lockSequenceNumber: 0,
      lockSequenceIndex: 0,
      fileId: bogus,
      locks: [{ offset: 0n, length: 1n, flags: 2 }],
    };
    s.b.request(Command.LOCK, requestBody(lockCodec, lock), s.hdr(m1));
    s.b.request(Command.CLOSE, requestBody(closeCodec, { flags: 0, fileId: bogus }), s.hdr(m2));
    s.b.response(Command.LOCK, errorBody(), s.hdr(m1, { status: NtStatus.STATUS_FILE_CLOSED }));
    s.b.response(Command.CLOSE, errorBody(), s.hdr(m2, { status: NtStatus.STATUS_FILE_CLOSED }));
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, o.neverOpened ?? false, o.status]),
      [
        ['lock', true, NtStatus.STATUS_FILE_CLOSED],
        ['close', true, NtStatus.STATUS_FILE_CLOSED],
      ],
    );
    assert.equal(result.stats.skipped.orphanHandle, 0);
    assert.equal(result.stats.synthesized.handles, 0);
  });
});
