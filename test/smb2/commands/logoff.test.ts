import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logoffCodec } from '../../../src/smb2/commands/logoff.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { encodeRequest, withHeader } from '../fixtures/encode.js';

test('LOGOFF is StructureSize 4 + Reserved both ways (MS-SMB2 2.2.7, 2.2.8)', () => {
  assert.equal(logoffCodec.command, Command.LOGOFF);
  const msg = encodeRequest(logoffCodec, {});
  assert.deepEqual(msg.subarray(SMB2_HEADER_SIZE), Buffer.from([4, 0, 0, 0]));
  assert.deepEqual(logoffCodec.decodeRequest(msg), {});
  assert.deepEqual(logoffCodec.decodeResponse(msg), {});
});

test('LOGOFF rejects a wrong StructureSize and a truncated body', () => {
  assert.throws(
    () => logoffCodec.decodeResponse(withHeader(Buffer.from([8, 0, 0, 0]))),
    MalformedMessageError,
  );
  assert.throws(() => logoffCodec.decodeResponse(withHeader(Buffer.from([4, 0]))), MalformedMessageError);
});
