import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionSetupCodec, SessionFlags } from '../../../src/smb2/commands/session-setup.js';
import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { NtStatus } from '../../../src/smb2/nt-status.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import {
  SESSION_SETUP_REQUEST_1,
  SESSION_SETUP_REQUEST_2,
  SESSION_SETUP_RESPONSE_1,
  SESSION_SETUP_RESPONSE_2,
} from '../fixtures/samba-smb311-basic.js';
import { body, encodeRequest } from '../fixtures/encode.js';

test('decodes the NTLMSSP_NEGOTIATE SESSION_SETUP request (frame 8) and re-encodes it exactly', () => {
  const req = sessionSetupCodec.decodeRequest(SESSION_SETUP_REQUEST_1.bytes);
  assert.equal(req.flags, 0);
  assert.equal(req.securityMode, 1);
  assert.equal(req.capabilities, 1);
  assert.equal(req.channel, 0);
  assert.equal(req.previousSessionId, 0n);
  assert.equal(req.securityBuffer.length, 74);
  // SPNEGO NegTokenInit wrapping "NTLMSSP\0" type 1.
  assert.ok(req.securityBuffer.includes(Buffer.from('NTLMSSP\0', 'latin1')));
  assert.deepEqual(body(encodeRequest(sessionSetupCodec, req)), body(SESSION_SETUP_REQUEST_1.bytes));
});

test('decodes the STATUS_MORE_PROCESSING_REQUIRED response (frame 9): a normal body, not ERROR', () => {
  const msg = SESSION_SETUP_RESPONSE_1.bytes;
  assert.equal(msg.readUInt32LE(8), NtStatus.STATUS_MORE_PROCESSING_REQUIRED);
  const res = sessionSetupCodec.decodeResponse(msg);
  assert.equal(res.sessionFlags, 0);
  assert.equal(res.securityBuffer.length, 0x84);
  assert.equal(res.securityBuffer.byteOffset - msg.byteOffset, 0x48);
  const ntlm = res.securityBuffer.indexOf('NTLMSSP\0', 0, 'latin1');
  assert.equal(res.securityBuffer.readUInt32LE(ntlm + 8), 2); // CHALLENGE_MESSAGE
});

test('decodes the AUTHENTICATE request (frame 10) and final response (frame 11)', () => {
  const req = sessionSetupCodec.decodeRequest(SESSION_SETUP_REQUEST_2.bytes);
  assert.equal(req.securityBuffer.length, 0x194);
  assert.deepEqual(body(encodeRequest(sessionSetupCodec, req)), body(SESSION_SETUP_REQUEST_2.bytes));
  const res = sessionSetupCodec.decodeResponse(SESSION_SETUP_RESPONSE_2.bytes);
  assert.equal(res.sessionFlags & SessionFlags.SMB2_SESSION_FLAG_IS_GUEST, 0);
  assert.equal(res.securityBuffer.length, 29);
  assert.equal(res.securityBuffer[0], 0xa1); // NegTokenResp
});

test('SESSION_SETUP request round-trips, including an empty token', () => {
  for (const securityBuffer of [Buffer.from('token'), Buffer.alloc(0)]) {
    const req = {
      flags: 1,
      securityMode: 2,
      capabilities: 1,
      channel: 0,
      previousSessionId: 0x1122334455667788n,
      securityBuffer,
    };
    const msg = encodeRequest(sessionSetupCodec, req);
    assert.equal(msg.length, SMB2_HEADER_SIZE + 24 + securityBuffer.length);
    assert.deepEqual(sessionSetupCodec.decodeRequest(msg), req);
  }
});

test('malformed SESSION_SETUP responses are rejected', () => {
  const wrongSize = Buffer.from(SESSION_SETUP_RESPONSE_2.bytes);
  wrongSize.writeUInt16LE(8, SMB2_HEADER_SIZE);
  assert.throws(() => sessionSetupCodec.decodeResponse(wrongSize), MalformedMessageError);

  const pastEnd = Buffer.from(SESSION_SETUP_RESPONSE_2.bytes);
  pastEnd.writeUInt16LE(30, SMB2_HEADER_SIZE + 6);
  assert.throws(() => sessionSetupCodec.decodeResponse(pastEnd), MalformedMessageError);

  const intoHeader = Buffer.from(SESSION_SETUP_RESPONSE_2.bytes);
  intoHeader.writeUInt16LE(0x10, SMB2_HEADER_SIZE + 4);
  assert.throws(() => sessionSetupCodec.decodeResponse(intoHeader), MalformedMessageError);

  assert.throws(
    () => sessionSetupCodec.decodeResponse(SESSION_SETUP_RESPONSE_2.bytes.subarray(0, 70)),
    MalformedMessageError,
  );
});
