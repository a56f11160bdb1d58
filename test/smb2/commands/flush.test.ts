import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flushCodec } from '../../../src/smb2/commands/flush.js';
import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FLUSH request round-trips', () => {
  const req = { fileId: { persistent: 5n, volatile: 6n } };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + flushCodec.requestSize(req));
  flushCodec.encodeRequest(req, msg);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 24);
  assert.deepEqual(flushCodec.decodeRequest(msg), req);
});

test('FLUSH response is StructureSize 4', () => {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + 4);
  msg.writeUInt16LE(4, SMB2_HEADER_SIZE);
  assert.deepEqual(flushCodec.decodeResponse(msg), {});
  msg.writeUInt16LE(9, SMB2_HEADER_SIZE);
  assert.throws(() => flushCodec.decodeResponse(msg), MalformedMessageError);
  assert.throws(() => flushCodec.decodeResponse(Buffer.alloc(SMB2_HEADER_SIZE)), MalformedMessageError);
});
