import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ioctlCodec, IoctlFlags } from '../../../src/smb2/commands/ioctl.js';
import { Command, RELATED_FILE_ID, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { Fsctl } from '../../../src/smb2/fsctl.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { BASIC_PCAP, havePcap, readSmb2Messages } from '../pcap-messages.js';

const fileId = { persistent: 3n, volatile: 4n };

function encode(req: Parameters<typeof ioctlCodec.encodeRequest>[0]): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + ioctlCodec.requestSize(req));
  ioctlCodec.encodeRequest(req, msg);
  return msg;
}

function response(input: Buffer, output: Buffer): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + 48 + input.length + output.length);
  const b = SMB2_HEADER_SIZE;
  msg.writeUInt16LE(49, b);
  msg.writeUInt32LE(Fsctl.FSCTL_PIPE_TRANSCEIVE, b + 4);
  msg.writeBigUInt64LE(3n, b + 8);
  msg.writeBigUInt64LE(4n, b + 16);
  msg.writeUInt32LE(input.length ? 0x70 : 0, b + 24);
  msg.writeUInt32LE(input.length, b + 28);
  msg.writeUInt32LE(0x70 + input.length, b + 32);
  msg.writeUInt32LE(output.length, b + 36);
  input.copy(msg, 0x70);
  output.copy(msg, 0x70 + input.length);
  return msg;
}

test('IOCTL request round-trips with input at 0x78', () => {
  const req = {
    ctlCode: Fsctl.FSCTL_PIPE_TRANSCEIVE,
    fileId,
    input: Buffer.from('rpc bind'),
    output: Buffer.alloc(0),
    maxInputResponse: 0,
    maxOutputResponse: 4280,
    flags: IoctlFlags.SMB2_0_IOCTL_IS_FSCTL,
  };
  const msg = encode(req);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 57);
  assert.equal(msg.readUInt32LE(SMB2_HEADER_SIZE + 24), 0x78);
  assert.deepEqual(ioctlCodec.decodeRequest(msg), req);
  assert.equal(ioctlCodec.command, Command.IOCTL);
});

test('IOCTL request without input still has the pad byte and offset 0', () => {
  const req = {
    ctlCode: Fsctl.FSCTL_QUERY_NETWORK_INTERFACE_INFO,
    fileId: RELATED_FILE_ID,
    input: Buffer.alloc(0),
    maxInputResponse: 0,
    maxOutputResponse: 65536,
    flags: 1,
  };
  assert.equal(ioctlCodec.requestSize(req), 57);
  const msg = encode(req);
  assert.equal(msg.readUInt32LE(SMB2_HEADER_SIZE + 24), 0);
  const decoded = ioctlCodec.decodeRequest(msg);
  assert.equal(decoded.input.length, 0);
  assert.equal(decoded.output?.length, 0);
});

test('IOCTL request with both input and output buffers', () => {
  const req = {
    ctlCode: 0x1234,
    fileId,
    input: Buffer.from('in'),
    output: Buffer.from('out!'),
    maxInputResponse: 8,
    maxOutputResponse: 8,
    flags: 0,
  };
  const msg = encode(req);
  assert.equal(msg.readUInt32LE(SMB2_HEADER_SIZE + 36), 0x78 + 2);
  assert.deepEqual(ioctlCodec.decodeRequest(msg), req);
});

test('IOCTL response returns input and output views', () => {
  const res = ioctlCodec.decodeResponse(response(Buffer.alloc(0), Buffer.from('pipe reply')));
  assert.equal(res.ctlCode, Fsctl.FSCTL_PIPE_TRANSCEIVE);
  assert.deepEqual(res.fileId, fileId);
  assert.equal(res.input.length, 0);
  assert.equal(res.output.toString(), 'pipe reply');
});

test('IOCTL response with OutputCount past the message is rejected', () => {
  const msg = response(Buffer.alloc(0), Buffer.from('x'));
  msg.writeUInt32LE(2, SMB2_HEADER_SIZE + 36);
  assert.throws(() => ioctlCodec.decodeResponse(msg), MalformedMessageError);
  msg.writeUInt32LE(1, SMB2_HEADER_SIZE + 36);
  msg.writeUInt32LE(0xffffffff, SMB2_HEADER_SIZE + 32);
  assert.throws(() => ioctlCodec.decodeResponse(msg), MalformedMessageError);
});

test('IOCTL request from a real Samba capture (DFS referral)', { skip: !havePcap() }, () => {
  const m = readSmb2Messages(BASIC_PCAP, 4450).find((x) => x.command === Command.IOCTL && !x.isResponse)!;
  const req = ioctlCodec.decodeRequest(m.msg);
  assert.equal(req.ctlCode, Fsctl.FSCTL_DFS_GET_REFERRALS);
  assert.deepEqual(req.fileId, RELATED_FILE_ID);
  assert.equal(req.flags, IoctlFlags.SMB2_0_IOCTL_IS_FSCTL);
  assert.equal(req.input.length, 36);
  assert.equal(req.input.subarray(2).toString('utf16le').replace(/\0+$/, ''), '\\127.0.0.1\\bench');
});
