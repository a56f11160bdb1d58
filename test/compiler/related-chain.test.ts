/**
 * Related compound members (MS-SMB2 3.3.5.2.7.2) as test suites send them: one naming another
 * SessionId in its header (the server uses the previous request's session anyway), and one after
 * the chain's CLOSE (the related FileId names an open that is gone). The IR must stay valid: a
 * chain is one user's, and no op uses a closed handle.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closeCodec } from '../../src/smb2/commands/close.js';
import { queryInfoCodec } from '../../src/smb2/commands/query-info.js';
import { Command, HeaderFlags, RELATED_FILE_ID } from '../../src/smb2/constants.js';
import { NtStatus } from '../../src/smb2/nt-status.js';
import { compileTrace } from './support/compile-trace.js';
import { fid, SmbScript } from './support/smb-script.js';
import { compound, emptyBody, errorBody, message, requestBody } from './support/trace-builder.js';

describe('related compound members', () => {
  test('use the previous request session, and after the CLOSE a never-opened handle', async () => {
    const s = new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
    const [m1, m2, m3] = [s.mid(), s.mid(), s.mid()];
    const related = { flags: HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS };
    const queryInfo = requestBody(queryInfoCodec, {
      infoType: 1,
      fileInfoClass: 5,
      outputBufferLength: 24,
      inputBuffer: Buffer.alloc(0),
      additionalInformation: 0,
      flags: 0,
      fileId: RELATED_FILE_ID,
    });
    const close = requestBody(closeCodec, { flags: 0, fileId: RELATED_FILE_ID });
    s.b.send(
      true,
      compound([
        message(Command.CREATE, s.createBody({ name: 'x.txt' }), s.hdr(m1), false),
        // Another SessionId in the header of a related request: the chain's session still applies.
        message(Command.CLOSE, close, { ...s.hdr(m2, related), sessionId: 0xdeadn }, false),
        message(Command.QUERY_INFO, queryInfo, s.hdr(m3, related), false),
      ]),
    );
    s.b.send(
      false,
      compound([
        message(Command.CREATE, s.createResponse({ name: 'x.txt', fileId: fid(5) }).body, s.hdr(m1), true),
        message(Command.CLOSE, emptyBody(60), s.hdr(m2), true),
        message(Command.QUERY_INFO, errorBody(), s.hdr(m3, { status: NtStatus.STATUS_FILE_CLOSED }), true),
      ]),
    );
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.user, o.op, 'handle' in o ? o.handle : undefined, o.neverOpened ?? false]),
      [
        ['u0', 'create', 'h0', false],
        ['u0', 'close', 'h0', false],
        ['u0', 'query_info', 'h1', true],
      ],
    );
    assert.equal(doc.ops[2]!.status, NtStatus.STATUS_FILE_CLOSED);
    assert.equal(result.stats.synthesized.users, 0);
    assert.deepEqual(
      Object.entries(result.stats.skipped).filter(([, n]) => n > 0),
      [],
    );
  });

  test('a chain of related CLOSEs with no CREATE replays each on a never-opened handle', async () => {
    const s = new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
    const [m1, m2] = [s.mid(), s.mid()];
    const related = { flags: HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS };
    const close = requestBody(closeCodec, { flags: 0, fileId: RELATED_FILE_ID });
    s.b.send(
      true,
      compound([
        message(Command.CLOSE, close, s.hdr(m1, related), false),
        message(Command.CLOSE, close, s.hdr(m2, related), false),
      ]),
    );
    const closed = { status: NtStatus.STATUS_FILE_CLOSED };
    s.b.send(
      false,
      compound([
        message(Command.CLOSE, errorBody(), s.hdr(m1, closed), true),
        message(Command.CLOSE, errorBody(), s.hdr(m2, closed), true),
      ]),
    );
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, o.neverOpened ?? false, o.status]),
      [
        ['close', true, NtStatus.STATUS_FILE_CLOSED],
        ['close', true, NtStatus.STATUS_FILE_CLOSED],
      ],
    );
    assert.equal(result.stats.skipped.orphanHandle, 0);
  });
});
