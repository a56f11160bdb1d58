import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelCodec } from '../../../src/smb2/commands/cancel.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { encodeRequest, withHeader } from '../fixtures/encode.js';

test('CANCEL body is 4 bytes and round-trips (MS-SMB2 2.2.30)', () => {
  assert.equal(cancelCodec.command, Command.CANCEL);
  assert.equal(cancelCodec.requestSize({}), 4);
  const msg = encodeRequest(cancelCodec, {});
  assert.deepEqual(msg.subarray(SMB2_HEADER_SIZE), Buffer.from([4, 0, 0, 0]));
  assert.deepEqual(cancelCodec.decodeRequest(msg), {});
});

test('CANCEL has no response and rejects malformed requests', () => {
  assert.throws(
    () => cancelCodec.decodeResponse(withHeader(Buffer.from([4, 0, 0, 0]))),
    MalformedMessageError,
  );
  assert.throws(
    () => cancelCodec.decodeRequest(withHeader(Buffer.from([2, 0, 0, 0]))),
    MalformedMessageError,
  );
});
