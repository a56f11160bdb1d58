import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCodec, WriteFlags, WRITE_DATA_OFFSET } from '../../../src/smb2/commands/write.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { BASIC_PCAP, havePcap, readSmb2Messages } from '../pcap-messages.js';

const fileId = { persistent: 1n, volatile: 2n };

function encode(req: Parameters<typeof writeCodec.encodeRequest>[0]): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + writeCodec.requestSize(req));
  writeCodec.encodeRequest(req, msg);
  return msg;
}

test('WRITE request round-trips with data at DataOffset 0x70', () => {
  const data = Buffer.from('the quick brown fox');
  const req = {
    offset: 12345n,
    fileId,
    data,
    flags: WriteFlags.SMB2_WRITEFLAG_WRITE_THROUGH,
    channel: 0,
    remainingBytes: 0,
    writeChannelInfo: Buffer.alloc(0),
  };
  assert.equal(writeCodec.requestSize(req), 48 + data.length);
  const msg = encode(req);
  assert.equal(msg.length, SMB2_HEADER_SIZE + 48 + data.length);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 2), WRITE_DATA_OFFSET);
  assert.equal(msg.subarray(WRITE_DATA_OFFSET).toString(), 'the quick brown fox');
  assert.deepEqual(writeCodec.decodeRequest(msg), req);
  assert.equal(writeCodec.command, Command.WRITE);
});

test('WRITE request with optional fields omitted and with an empty payload', () => {
  const empty = { offset: 0n, fileId, data: Buffer.alloc(0), flags: 0 };
  assert.equal(writeCodec.requestSize(empty), 49);
  const decoded = writeCodec.decodeRequest(encode(empty));
  assert.equal(decoded.data.length, 0);
  assert.equal(decoded.channel, 0);
  assert.equal(decoded.remainingBytes, 0);
});

test('WRITE request with channel info puts it after the data', () => {
  const req = {
    offset: 0n,
    fileId,
    data: Buffer.from('abc'),
    flags: 0,
    channel: 1,
    remainingBytes: 3,
    writeChannelInfo: Buffer.from([9, 9, 9, 9]),
  };
  const msg = encode(req);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 40), WRITE_DATA_OFFSET + 3);
  assert.deepEqual(writeCodec.decodeRequest(msg), req);
});

test('WRITE response decodes count/remaining and rejects truncation', () => {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + 16);
  msg.writeUInt16LE(17, SMB2_HEADER_SIZE);
  msg.writeUInt32LE(65536, SMB2_HEADER_SIZE + 4);
  assert.deepEqual(writeCodec.decodeResponse(msg), { count: 65536, remaining: 0 });
  assert.throws(
    () => writeCodec.decodeResponse(msg.subarray(0, SMB2_HEADER_SIZE + 10)),
    MalformedMessageError,
  );
});

test('WRITE request data length beyond the message is rejected', () => {
  const msg = encode({ offset: 0n, fileId, data: Buffer.from('abcd'), flags: 0 });
  msg.writeUInt32LE(1000, SMB2_HEADER_SIZE + 4);
  assert.throws(() => writeCodec.decodeRequest(msg), MalformedMessageError);
});

test('WRITE request and response from a real Samba capture', { skip: !havePcap() }, () => {
  const msgs = readSmb2Messages(BASIC_PCAP, 4450).filter((m) => m.command === Command.WRITE);
  const req = writeCodec.decodeRequest(msgs.find((m) => !m.isResponse)!.msg);
  assert.equal(req.data.length, 300 * 1024);
  assert.equal(req.offset, 0n);
  assert.deepEqual(writeCodec.decodeResponse(msgs.find((m) => m.isResponse)!.msg), {
    count: 300 * 1024,
    remaining: 0,
  });
  // Re-encoding the decoded request reproduces the captured body byte for byte.
  const original = msgs.find((m) => !m.isResponse)!.msg;
  const again = Buffer.alloc(original.length);
  original.copy(again, 0, 0, SMB2_HEADER_SIZE);
  writeCodec.encodeRequest(req, again);
  assert.ok(again.equals(original));
});
