import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateCodec, type NegotiateRequest } from '../../../src/smb2/commands/negotiate.js';
import { Capabilities, Dialect, SecurityMode, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { HashAlgorithm, NegotiateContextType } from '../../../src/smb2/negotiate-contexts.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { NEGOTIATE_REQUEST, NEGOTIATE_RESPONSE } from '../fixtures/samba-smb311-basic.js';
import { body, encodeRequest } from '../fixtures/encode.js';

test('decodes smbclient NEGOTIATE request (frame 4) as tshark does', () => {
  const req = negotiateCodec.decodeRequest(NEGOTIATE_REQUEST.bytes);
  assert.deepEqual(req.dialects, [0x0202, 0x0210, 0x0300, 0x0302, 0x0311]);
  assert.equal(req.securityMode, SecurityMode.SMB2_NEGOTIATE_SIGNING_ENABLED);
  assert.equal(req.capabilities, 0x7f);
  // GUIDs are stored mixed-endian: 70a5c149-bc1c-480d-bb70-dfbf8244b989.
  assert.equal(req.clientGuid.toString('hex'), '49c1a5701cbc0d48bb70dfbf8244b989');
  assert.deepEqual(req.negotiateContexts, [
    {
      type: NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
      hashAlgorithms: [HashAlgorithm.SHA_512],
      salt: Buffer.from('83f0e9ec0dd36d64b55153314b5dc731f0ac55031c56c37399f1d8ae4af43d4f', 'hex'),
    },
    { type: NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES, ciphers: [2, 1, 4, 3] },
    { type: NegotiateContextType.SMB2_SIGNING_CAPABILITIES, signingAlgorithms: [2, 1, 0] },
    { type: NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID, netName: '127.0.0.1' },
  ]);
});

test('re-encoding the captured NEGOTIATE request reproduces its body byte for byte', () => {
  const req = negotiateCodec.decodeRequest(NEGOTIATE_REQUEST.bytes);
  assert.deepEqual(body(encodeRequest(negotiateCodec, req)), body(NEGOTIATE_REQUEST.bytes));
});

test('decodes Samba NEGOTIATE response (frame 6)', () => {
  const res = negotiateCodec.decodeResponse(NEGOTIATE_RESPONSE.bytes);
  assert.equal(res.dialectRevision, Dialect.SMB3_1_1);
  assert.equal(res.securityMode, 1);
  assert.equal(res.negotiateContextCount, 3);
  assert.equal(res.serverGuid.toString('hex'), '766d0000000000000000000000000000');
  assert.equal(res.capabilities, 0x0f);
  assert.equal(res.maxTransactSize, 8388608);
  assert.equal(res.maxReadSize, 8388608);
  assert.equal(res.maxWriteSize, 8388608);
  assert.equal(res.serverStartTime, 0n);
  assert.equal(res.systemTime, 0x01dd7c0a0b1a9044n);
  assert.equal(res.securityBuffer.length, 74);
  assert.equal(res.securityBuffer[0], 0x60);
  assert.deepEqual(
    res.negotiateContexts.map((c) => c.type),
    [
      NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
      NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES,
      NegotiateContextType.SMB2_SIGNING_CAPABILITIES,
    ],
  );
  const [, enc, sign] = res.negotiateContexts;
  assert.ok(enc?.type === NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES);
  assert.deepEqual(enc.ciphers, [2]);
  assert.ok(sign?.type === NegotiateContextType.SMB2_SIGNING_CAPABILITIES);
  assert.deepEqual(sign.signingAlgorithms, [2]);
  // Zero-copy: the token is a view into the message.
  assert.equal(res.securityBuffer.buffer, NEGOTIATE_RESPONSE.bytes.buffer);
});

test('without 3.1.1 no contexts are sent and ClientStartTime is zero', () => {
  const req: NegotiateRequest = {
    dialects: [Dialect.SMB2_0_2, Dialect.SMB3_0_2],
    securityMode: SecurityMode.SMB2_NEGOTIATE_SIGNING_REQUIRED,
    capabilities: Capabilities.SMB2_GLOBAL_CAP_LEASING,
    clientGuid: Buffer.alloc(16, 7),
    negotiateContexts: [{ type: NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES, ciphers: [1] }],
  };
  const msg = encodeRequest(negotiateCodec, req);
  assert.equal(msg.length, SMB2_HEADER_SIZE + 36 + 4);
  assert.equal(msg.readBigUInt64LE(SMB2_HEADER_SIZE + 28), 0n);
  assert.deepEqual(negotiateCodec.decodeRequest(msg), { ...req, negotiateContexts: [] });
});

test('NEGOTIATE request with contexts round-trips; the list starts 8-byte aligned', () => {
  const req: NegotiateRequest = {
    dialects: [Dialect.SMB3_1_1],
    securityMode: 1,
    capabilities: 0x44,
    clientGuid: Buffer.alloc(16, 1),
    negotiateContexts: [
      {
        type: NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
        hashAlgorithms: [1],
        salt: Buffer.alloc(32, 9),
      },
      { type: NegotiateContextType.SMB2_SIGNING_CAPABILITIES, signingAlgorithms: [1] },
    ],
  };
  const msg = encodeRequest(negotiateCodec, req);
  const offset = msg.readUInt32LE(SMB2_HEADER_SIZE + 28);
  assert.equal(offset % 8, 0);
  assert.equal(offset, 104);
  assert.deepEqual(negotiateCodec.decodeRequest(msg), req);
});

test('malformed NEGOTIATE responses are rejected', () => {
  const bad = Buffer.from(NEGOTIATE_RESPONSE.bytes);
  bad.writeUInt16LE(64, SMB2_HEADER_SIZE);
  assert.throws(() => negotiateCodec.decodeResponse(bad), MalformedMessageError);

  assert.throws(
    () => negotiateCodec.decodeResponse(NEGOTIATE_RESPONSE.bytes.subarray(0, 100)),
    MalformedMessageError,
  );

  const badToken = Buffer.from(NEGOTIATE_RESPONSE.bytes);
  badToken.writeUInt16LE(0xfff0, SMB2_HEADER_SIZE + 56);
  assert.throws(() => negotiateCodec.decodeResponse(badToken), MalformedMessageError);

  const tokenInHeader = Buffer.from(NEGOTIATE_RESPONSE.bytes);
  tokenInHeader.writeUInt16LE(8, SMB2_HEADER_SIZE + 56);
  assert.throws(() => negotiateCodec.decodeResponse(tokenInHeader), MalformedMessageError);

  const badContexts = Buffer.from(NEGOTIATE_RESPONSE.bytes);
  badContexts.writeUInt32LE(0x1000, SMB2_HEADER_SIZE + 60);
  assert.throws(() => negotiateCodec.decodeResponse(badContexts), MalformedMessageError);
});

test('a truncated NEGOTIATE request is malformed', () => {
  assert.throws(
    () => negotiateCodec.decodeRequest(NEGOTIATE_REQUEST.bytes.subarray(0, 110)),
    MalformedMessageError,
  );
});
