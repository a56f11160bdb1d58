import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeCopyChunkRequest,
  decodeCopyChunkResponse,
  decodeNetworkInterfaceInfo,
  decodeResumeKeyResponse,
  decodeValidateNegotiateInfoRequest,
  decodeValidateNegotiateInfoResponse,
  encodeCopyChunkRequest,
  encodeCopyChunkResponse,
  encodeResumeKeyResponse,
  encodeValidateNegotiateInfoRequest,
  encodeValidateNegotiateInfoResponse,
  Fsctl,
  fsctlName,
  InterfaceCapability,
} from '../../src/smb2/fsctl.js';
import { Capabilities, Dialect, SecurityMode } from '../../src/smb2/constants.js';
import { MalformedMessageError, SmbBenchError } from '../../src/errors/smbench-error.js';

const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

test('FSCTL codes match MS-SMB2 2.2.31 and have names', () => {
  assert.equal(Fsctl.FSCTL_VALIDATE_NEGOTIATE_INFO, 0x00140204);
  assert.equal(Fsctl.FSCTL_SRV_REQUEST_RESUME_KEY, 0x00140078);
  assert.equal(Fsctl.FSCTL_SRV_COPYCHUNK, 0x001440f2);
  assert.equal(Fsctl.FSCTL_SRV_COPYCHUNK_WRITE, 0x001480f2);
  assert.equal(fsctlName(0x0011c017), 'FSCTL_PIPE_TRANSCEIVE');
  assert.equal(fsctlName(0xdeadbeef), 'FSCTL_0xdeadbeef');
});

test('VALIDATE_NEGOTIATE_INFO request round-trips with its dialect list', () => {
  const req = {
    capabilities: Capabilities.SMB2_GLOBAL_CAP_LARGE_MTU | Capabilities.SMB2_GLOBAL_CAP_ENCRYPTION,
    guid,
    securityMode: SecurityMode.SMB2_NEGOTIATE_SIGNING_ENABLED,
    dialects: [Dialect.SMB2_0_2, Dialect.SMB2_1, Dialect.SMB3_0, Dialect.SMB3_0_2],
  };
  const buf = encodeValidateNegotiateInfoRequest(req);
  assert.equal(buf.length, 24 + 8);
  assert.equal(buf.readUInt16LE(22), 4);
  assert.deepEqual(decodeValidateNegotiateInfoRequest(buf), req);
  assert.throws(() => decodeValidateNegotiateInfoRequest(buf.subarray(0, 30)), MalformedMessageError);
});

test('VALIDATE_NEGOTIATE_INFO response round-trips and rejects truncation', () => {
  const res = { capabilities: 0x2f, guid, securityMode: 1, dialect: Dialect.SMB3_0_2 };
  const buf = encodeValidateNegotiateInfoResponse(res);
  assert.equal(buf.length, 24);
  assert.deepEqual(decodeValidateNegotiateInfoResponse(buf), res);
  assert.throws(() => decodeValidateNegotiateInfoResponse(buf.subarray(0, 23)), MalformedMessageError);
  assert.throws(() => encodeValidateNegotiateInfoResponse({ ...res, guid: Buffer.alloc(4) }), SmbBenchError);
});

test('SRV_REQUEST_RESUME_KEY response', () => {
  const resumeKey = Buffer.alloc(24, 0xab);
  const buf = encodeResumeKeyResponse({ resumeKey, context: Buffer.alloc(0) });
  assert.equal(buf.length, 28);
  assert.deepEqual(decodeResumeKeyResponse(buf), { resumeKey, context: Buffer.alloc(0) });
  assert.deepEqual(decodeResumeKeyResponse(resumeKey).resumeKey, resumeKey);
  assert.throws(() => decodeResumeKeyResponse(Buffer.alloc(20)), MalformedMessageError);
  const badContext = Buffer.concat([resumeKey, Buffer.from([10, 0, 0, 0])]);
  assert.throws(() => decodeResumeKeyResponse(badContext), MalformedMessageError);
});

test('SRV_COPYCHUNK_COPY request and SRV_COPYCHUNK_RESPONSE round-trip', () => {
  const req = {
    sourceKey: Buffer.alloc(24, 7),
    chunks: [
      { sourceOffset: 0n, targetOffset: 1n << 32n, length: 1 << 20 },
      { sourceOffset: 1n << 20n, targetOffset: 0n, length: 4096 },
    ],
  };
  const buf = encodeCopyChunkRequest(req);
  assert.equal(buf.length, 32 + 2 * 24);
  assert.deepEqual(decodeCopyChunkRequest(buf), req);
  buf.writeUInt32LE(3, 24);
  assert.throws(() => decodeCopyChunkRequest(buf), MalformedMessageError);
  const res = { chunksWritten: 2, chunkBytesWritten: 0, totalBytesWritten: (1 << 20) + 4096 };
  assert.deepEqual(decodeCopyChunkResponse(encodeCopyChunkResponse(res)), res);
  assert.throws(() => decodeCopyChunkResponse(Buffer.alloc(8)), MalformedMessageError);
});

function iface(next: number, ifIndex: number, family: number, addr: Buffer): Buffer {
  const b = Buffer.alloc(152);
  b.writeUInt32LE(next, 0);
  b.writeUInt32LE(ifIndex, 4);
  b.writeUInt32LE(InterfaceCapability.RSS_CAPABLE, 8);
  b.writeBigUInt64LE(10_000_000_000n, 16);
  b.writeUInt16LE(family, 24);
  b.writeUInt16BE(445, 26);
  addr.copy(b, family === 2 ? 28 : 32);
  return b;
}

test('NETWORK_INTERFACE_INFO list decodes IPv4 and IPv6 and rejects bad Next', () => {
  const v6 = Buffer.alloc(16);
  v6[0] = 0xfe;
  v6[1] = 0x80;
  v6[15] = 1;
  const buf = Buffer.concat([iface(152, 2, 2, Buffer.from([192, 168, 1, 10])), iface(0, 3, 0x17, v6)]);
  const list = decodeNetworkInterfaceInfo(buf);
  assert.deepEqual(
    list.map((i) => [i.ifIndex, i.family, i.address, i.port, i.linkSpeed]),
    [
      [2, 'ipv4', '192.168.1.10', 445, 10_000_000_000n],
      [3, 'ipv6', 'fe80:0:0:0:0:0:0:1', 445, 10_000_000_000n],
    ],
  );
  buf.writeUInt32LE(8, 0);
  assert.throws(() => decodeNetworkInterfaceInfo(buf), MalformedMessageError);
  buf.writeUInt32LE(304, 0);
  assert.throws(() => decodeNetworkInterfaceInfo(buf), MalformedMessageError);
});
