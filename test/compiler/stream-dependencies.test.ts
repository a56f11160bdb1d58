import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCodec } from '../../src/smb2/commands/read.js';
import { CreateAction, CreateDisposition } from '../../src/smb2/commands/create.js';
import { Command } from '../../src/smb2/constants.js';
import { compileTrace } from './support/compile-trace.js';
import { fid, SmbScript, Status } from './support/smb-script.js';
import { errorBody, readResponseBody, requestBody } from './support/trace-builder.js';

const DELETE = 0x00010000;

/** Sends a READ on `fileId` and returns a function that answers it (so the user is not idle meanwhile). */
function pendingRead(s: SmbScript, fileId: ReturnType<typeof fid>): () => void {
  const m = s.mid();
  const body = requestBody(readCodec, {
    padding: 0x50,
    flags: 0,
    length: 10,
    offset: 0n,
    fileId,
    minimumCount: 0,
    channel: 0,
    remainingBytes: 0,
  });
  s.b.request(Command.READ, body, s.hdr(m), s.conn);
  return () => s.b.response(Command.READ, readResponseBody(10), s.hdr(m), s.conn);
}

describe('dependencies around streams and deleting opens', () => {
  test('a stream open waits for the create of its file; a DELETE open for the last use of its path', async () => {
    const s = new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
    s.create({ name: 'busy.txt', fileId: fid(9), endOfFile: 100n }); // seq 0, kept busy below
    s.create({
      name: 'a.txt',
      fileId: fid(1),
      disposition: CreateDisposition.FILE_CREATE,
      action: CreateAction.FILE_CREATED,
    }); // seq 1
    s.close(fid(1)); // seq 2
    s.create({ name: 'b.txt', fileId: fid(2), endOfFile: 10n }); // seq 3
    s.read(fid(2), 0, 10); // seq 4
    const answer = pendingRead(s, fid(9)); // seq 5: the user is not idle from here on
    s.create({ name: 'a.txt:AFP_AfpInfo', fileId: fid(3), disposition: CreateDisposition.FILE_OPEN_IF }); // seq 6
    s.create({ name: 'b.txt', fileId: fid(4), access: DELETE }); // seq 7
    answer();
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    const bySeq = new Map(doc.ops.map((o) => [o.seq, o]));
    assert.equal(bySeq.get(6)?.op, 'create');
    assert.deepEqual(bySeq.get(6)?.deps, [1], 'the stream waits for the create of a.txt');
    assert.deepEqual(bySeq.get(7)?.deps, [4], 'the deleting open waits for the read on b.txt');
  });

  test('a listing of one exact name waits for what created that name; a wildcard listing does not', async () => {
    const s = new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
    s.create({ name: 'busy.txt', fileId: fid(9), endOfFile: 100n }); // seq 0
    s.create({ name: '', fileId: fid(5), createOptions: 1, attributes: 0x10 }); // seq 1: the share root
    s.create({
      name: 'a.txt',
      fileId: fid(1),
      disposition: CreateDisposition.FILE_CREATE,
      action: CreateAction.FILE_CREATED,
    }); // seq 2
    s.close(fid(1)); // seq 3
    const answer = pendingRead(s, fid(9)); // seq 4
    for (const pattern of ['a.txt', 'a*']) {
      const m = s.mid();
      s.b.request(Command.QUERY_DIRECTORY, s.queryDirectoryBody(fid(5), pattern), s.hdr(m), s.conn);
      s.b.response(Command.QUERY_DIRECTORY, errorBody(), s.hdr(m, { status: Status.NO_MORE_FILES }), s.conn);
    } // seqs 5, 6
    answer();
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    const bySeq = new Map(doc.ops.map((o) => [o.seq, o]));
    assert.deepEqual(bySeq.get(5)?.deps, [1, 2], 'the handle, and the create of a.txt');
    assert.deepEqual(bySeq.get(6)?.deps, [5], 'the previous use of the handle only');
  });
});
