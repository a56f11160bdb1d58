import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import {
  computeSignature,
  gmacNonce,
  SIGNATURE_OFFSET,
  SigningAlgorithm,
  signMessage,
  verifyMessage,
} from '../../src/crypto/signing.js';
import { Command, HeaderFlags, SMB2_HEADER_SIZE } from '../../src/smb2/constants.js';
import { encodeHeader, newHeader } from '../../src/smb2/header.js';
import {
  SMB311_FINAL_SETUP_RESPONSE,
  SMB311_FINAL_SETUP_RESPONSE_SIGNATURE,
  SMB311_KEYS,
} from './fixtures/microsoft-blog-vectors.js';

const ALL = [SigningAlgorithm.HMAC_SHA256, SigningAlgorithm.AES_CMAC, SigningAlgorithm.AES_GMAC] as const;

function message(command: number, messageId: bigint, flags: number, bodyLength = 40): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + bodyLength);
  const h = newHeader(command);
  h.messageId = messageId;
  h.flags = flags | HeaderFlags.SMB2_FLAGS_SIGNED;
  h.sessionId = 0x100000000019n;
  encodeHeader(h, msg);
  randomBytes(bodyLength).copy(msg, SMB2_HEADER_SIZE);
  return msg;
}

test('Microsoft 3.1.1 example: the final SESSION_SETUP response verifies with AES-CMAC and the derived key', () => {
  const msg = Buffer.from(SMB311_FINAL_SETUP_RESPONSE);
  assert.equal(verifyMessage(SigningAlgorithm.AES_CMAC, SMB311_KEYS.signingKey, msg), true);
  assert.deepEqual(msg, SMB311_FINAL_SETUP_RESPONSE, 'verify leaves the message as it found it');
});

test('Microsoft 3.1.1 example: signing the response reproduces the published signature', () => {
  const msg = Buffer.from(SMB311_FINAL_SETUP_RESPONSE);
  msg.fill(0xee, SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16);
  signMessage(SigningAlgorithm.AES_CMAC, SMB311_KEYS.signingKey, msg);
  assert.deepEqual(
    msg.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16),
    SMB311_FINAL_SETUP_RESPONSE_SIGNATURE,
  );
});

for (const alg of ALL) {
  test(`algorithm ${alg}: sign then verify; any flipped byte or other key is rejected`, () => {
    const key = randomBytes(16);
    const msg = message(Command.READ, 42n, 0);
    signMessage(alg, key, msg);
    assert.equal(verifyMessage(alg, key, msg), true);
    for (const pos of [0, 16, 24, 47, SIGNATURE_OFFSET, 63, 64, msg.length - 1]) {
      const bad = Buffer.from(msg);
      bad[pos]! ^= 0x01;
      assert.equal(verifyMessage(alg, key, bad), false, `flip at ${pos}`);
    }
    assert.equal(verifyMessage(alg, randomBytes(16), msg), false);
    assert.equal(verifyMessage(alg, key, msg), true, 'the original still verifies (verify restored it)');
  });
}

test('HMAC-SHA256 signature is the first 16 bytes of HMAC over the message with a zeroed signature', () => {
  const key = randomBytes(16);
  const msg = message(Command.CREATE, 7n, 0);
  signMessage(SigningAlgorithm.HMAC_SHA256, key, msg);
  const zeroed = Buffer.from(msg);
  zeroed.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16);
  const expected = createHmac('sha256', key).update(zeroed).digest().subarray(0, 16);
  assert.deepEqual(msg.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16), expected);
});

test('GMAC nonce: MessageId, then bit 0 for server-to-client and bit 1 for CANCEL (MS-SMB2 3.1.4.1)', () => {
  const id = 0x0102030405060708n;
  assert.equal(gmacNonce(message(Command.WRITE, id, 0)).toString('hex'), '080706050403020100000000');
  assert.equal(
    gmacNonce(message(Command.WRITE, id, HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR)).toString('hex'),
    '080706050403020101000000',
  );
  assert.equal(gmacNonce(message(Command.CANCEL, id, 0)).toString('hex'), '080706050403020102000000');
});

test('GMAC signature equals AES-128-GCM tag with the message as AAD and the SMB nonce', () => {
  const key = randomBytes(16);
  const msg = message(Command.READ, 99n, HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR);
  msg.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16);
  const nonce = Buffer.from('630000000000000001000000', 'hex');
  const gcm = createCipheriv('aes-128-gcm', key, nonce, { authTagLength: 16 });
  gcm.setAAD(msg);
  gcm.final();
  assert.deepEqual(computeSignature(SigningAlgorithm.AES_GMAC, key, msg), gcm.getAuthTag());
});

test("GMAC: a CANCEL (which reuses the cancelled request's MessageId) is signed with the cancel nonce bit", () => {
  const key = randomBytes(16);
  const cancel = message(Command.CANCEL, 5n, 0, 8);
  cancel.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16);
  const tagWithBits = (bits: string): Buffer => {
    const gcm = createCipheriv('aes-128-gcm', key, Buffer.from(`0500000000000000${bits}`, 'hex'), {
      authTagLength: 16,
    });
    gcm.setAAD(cancel);
    gcm.final();
    return gcm.getAuthTag();
  };
  assert.deepEqual(computeSignature(SigningAlgorithm.AES_GMAC, key, cancel), tagWithBits('02000000'));
  assert.notDeepEqual(computeSignature(SigningAlgorithm.AES_GMAC, key, cancel), tagWithBits('00000000'));
});

test('a compound member is signed over its padding too', () => {
  const key = randomBytes(16);
  const padded = Buffer.concat([message(Command.CLOSE, 3n, 0, 24), Buffer.alloc(8)]);
  signMessage(SigningAlgorithm.AES_CMAC, key, padded);
  assert.equal(verifyMessage(SigningAlgorithm.AES_CMAC, key, padded), true);
  assert.equal(verifyMessage(SigningAlgorithm.AES_CMAC, key, padded.subarray(0, padded.length - 8)), false);
});

test('messages shorter than a header are never valid and cannot be signed', () => {
  assert.equal(verifyMessage(SigningAlgorithm.AES_CMAC, randomBytes(16), Buffer.alloc(63)), false);
  assert.throws(() => signMessage(SigningAlgorithm.AES_CMAC, randomBytes(16), Buffer.alloc(10)), RangeError);
});
