import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCodec, ReadFlags, Channel } from '../../../src/smb2/commands/read.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { BASIC_PCAP, havePcap, readSmb2Messages } from '../pcap-messages.js';

const fileId = { persistent: 0x1122334455667788n, volatile: 0x99n };

function encode(req: Parameters<typeof readCodec.encodeRequest>[0]): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + readCodec.requestSize(req));
  readCodec.encodeRequest(req, msg);
  return msg;
}

function response(dataOffset: number, dataLength: number, data: Buffer): Buffer {
  const msg = Buffer.alloc(Math.max(SMB2_HEADER_SIZE + 16, dataOffset + data.length));
  msg.writeUInt16LE(17, SMB2_HEADER_SIZE);
  msg[SMB2_HEADER_SIZE + 2] = dataOffset;
  msg.writeUInt32LE(dataLength, SMB2_HEADER_SIZE + 4);
  msg.writeUInt32LE(7, SMB2_HEADER_SIZE + 8);
  data.copy(msg, dataOffset);
  return msg;
}

test('READ request round-trips and carries the mandatory 1-byte buffer', () => {
  const req = {
    padding: 0x50,
    flags: ReadFlags.SMB2_READFLAG_READ_UNBUFFERED,
    length: 1 << 20,
    offset: 0x1_0000_0000n,
    fileId,
    minimumCount: 0,
    channel: Channel.SMB2_CHANNEL_NONE,
    remainingBytes: 0,
    readChannelInfo: Buffer.alloc(0),
  };
  assert.equal(readCodec.requestSize(req), 49);
  const msg = encode(req);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 49);
  assert.deepEqual(readCodec.decodeRequest(msg), req);
  assert.equal(readCodec.command, Command.READ);
});

test('READ request places channel info at 0x70', () => {
  const info = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
  const req = {
    padding: 0,
    flags: 0,
    length: 4096,
    offset: 0n,
    fileId,
    minimumCount: 1,
    channel: 1,
    remainingBytes: 9,
    readChannelInfo: info,
  };
  const msg = encode(req);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 44), 0x70);
  assert.deepEqual(readCodec.decodeRequest(msg), req);
});

test('READ response returns a zero-copy view of the data', () => {
  const msg = response(0x50, 5, Buffer.from('hello'));
  const res = readCodec.decodeResponse(msg);
  assert.equal(res.data.toString(), 'hello');
  assert.equal(res.dataRemaining, 7);
  assert.equal(res.data.buffer, msg.buffer);
});

test('READ response rejects data past the message and truncated bodies', () => {
  assert.throws(
    () => readCodec.decodeResponse(response(0x50, 100, Buffer.from('short'))),
    MalformedMessageError,
  );
  const truncated = Buffer.alloc(SMB2_HEADER_SIZE + 8);
  truncated.writeUInt16LE(17, SMB2_HEADER_SIZE);
  assert.throws(() => readCodec.decodeResponse(truncated), MalformedMessageError);
  const wrongSize = response(0x50, 0, Buffer.alloc(0));
  wrongSize.writeUInt16LE(9, SMB2_HEADER_SIZE);
  assert.throws(() => readCodec.decodeResponse(wrongSize), MalformedMessageError);
});

test('READ request and response from a real Samba capture', { skip: !havePcap() }, () => {
  const msgs = readSmb2Messages(BASIC_PCAP, 4450).filter((m) => m.command === Command.READ);
  const req = readCodec.decodeRequest(msgs.find((m) => !m.isResponse)!.msg);
  assert.equal(req.length, 300 * 1024);
  assert.equal(req.offset, 0n);
  const res = readCodec.decodeResponse(msgs.find((m) => m.isResponse)!.msg);
  assert.equal(res.dataOffset, 0x50);
  assert.equal(res.data.length, 300 * 1024);
  assert.equal(res.dataRemaining, 0);
});

test('READ response data that overlaps the header or fixed body is rejected', () => {
  const msg = response(0x50, 5, Buffer.from('hello'));
  msg[SMB2_HEADER_SIZE + 2] = 0x10;
  assert.throws(() => readCodec.decodeResponse(msg), MalformedMessageError);
});
