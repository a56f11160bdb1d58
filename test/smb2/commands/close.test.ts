import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeCodec, CloseFlags } from '../../../src/smb2/commands/close.js';
import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('CLOSE request round-trips through encode/decode', () => {
  const req = {
    flags: CloseFlags.SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB,
    fileId: { persistent: 7n, volatile: 0x1234n },
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + closeCodec.requestSize(req));
  closeCodec.encodeRequest(req, msg);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 24);
  assert.deepEqual(closeCodec.decodeRequest(msg), req);
});

test('CLOSE response decoder rejects a truncated body', () => {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + 20);
  msg.writeUInt16LE(60, SMB2_HEADER_SIZE);
  assert.throws(() => closeCodec.decodeResponse(msg), MalformedMessageError);
});
