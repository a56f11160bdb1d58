import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockCodec, LockFlags } from '../../../src/smb2/commands/lock.js';
import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

const fileId = { persistent: 1n, volatile: 2n };

test('LOCK request round-trips several elements and the packed lock sequence', () => {
  const req = {
    lockSequenceNumber: 0xa,
    lockSequenceIndex: 0x0abcdef1,
    fileId,
    locks: [
      {
        offset: 0n,
        length: 100n,
        flags: LockFlags.SMB2_LOCKFLAG_EXCLUSIVE_LOCK | LockFlags.SMB2_LOCKFLAG_FAIL_IMMEDIATELY,
      },
      { offset: 0xffff_ffff_0000n, length: 1n, flags: LockFlags.SMB2_LOCKFLAG_SHARED_LOCK },
      { offset: 0n, length: 100n, flags: LockFlags.SMB2_LOCKFLAG_UNLOCK },
    ],
  };
  assert.equal(lockCodec.requestSize(req), 24 + 3 * 24);
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + lockCodec.requestSize(req));
  lockCodec.encodeRequest(req, msg);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 48);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 2), 3);
  // LockSequenceNumber is the low 4 bits, LockSequenceIndex the high 28 (MS-SMB2 2.2.26).
  assert.equal(msg.readUInt32LE(SMB2_HEADER_SIZE + 4), 0xabcdef1a);
  assert.deepEqual(lockCodec.decodeRequest(msg), req);
});

test('LOCK with LockCount 0 encodes the fixed part alone, as probing clients send it', () => {
  const req = { lockSequenceNumber: 0, lockSequenceIndex: 0, fileId, locks: [] };
  assert.equal(lockCodec.requestSize(req), 24);
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + lockCodec.requestSize(req));
  lockCodec.encodeRequest(req, msg);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 48);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 2), 0);
  assert.deepEqual(lockCodec.decodeRequest(msg), req);
});

test('LOCK request with LockCount past the message is rejected', () => {
  const req = {
    lockSequenceNumber: 0,
    lockSequenceIndex: 0,
    fileId,
    locks: [{ offset: 0n, length: 1n, flags: 2 }],
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + lockCodec.requestSize(req));
  lockCodec.encodeRequest(req, msg);
  msg.writeUInt16LE(2, SMB2_HEADER_SIZE + 2);
  assert.throws(() => lockCodec.decodeRequest(msg), MalformedMessageError);
});

test('LOCK response is StructureSize 4', () => {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + 4);
  msg.writeUInt16LE(4, SMB2_HEADER_SIZE);
  assert.deepEqual(lockCodec.decodeResponse(msg), {});
  msg.writeUInt16LE(5, SMB2_HEADER_SIZE);
  assert.throws(() => lockCodec.decodeResponse(msg), MalformedMessageError);
});
