import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  cipherKeyLength,
  CipherId,
  decryptMessage,
  encryptMessage,
  encryptMessageWithNonce,
} from '../../src/crypto/encryption.js';
import { decodeTransformHeader, TRANSFORM_HEADER_SIZE } from '../../src/smb2/transform-header.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { SMB30_ENCRYPTION, SMB311_ENCRYPTION } from './fixtures/microsoft-blog-vectors.js';

const ALL_CIPHERS = [
  CipherId.AES_128_CCM,
  CipherId.AES_128_GCM,
  CipherId.AES_256_CCM,
  CipherId.AES_256_GCM,
] as const;

const isProtocolError = (err: unknown): boolean =>
  err instanceof SmbBenchError && err.code === ErrorCode.PROTOCOL;

test('"Encryption in SMB 3.0" example: the AES-128-CCM WRITE request frame is reproduced byte for byte', () => {
  const e = SMB30_ENCRYPTION;
  const frame = encryptMessageWithNonce(
    CipherId.AES_128_CCM,
    e.encryptionKey,
    e.sessionId,
    e.writeRequest,
    e.writeRequestNonce,
  );
  assert.deepEqual(frame, e.writeRequestFrame);
});

test('"Encryption in SMB 3.0" example: the WRITE and READ responses decrypt to the published plaintext', () => {
  const e = SMB30_ENCRYPTION;
  assert.deepEqual(
    decryptMessage(CipherId.AES_128_CCM, e.decryptionKey, e.writeResponseFrame),
    e.writeResponse,
  );
  assert.deepEqual(
    decryptMessage(CipherId.AES_128_CCM, e.decryptionKey, e.readResponseFrame),
    e.readResponse,
  );
  // The server-side view: the request frame decrypts with the client's encryption key.
  assert.deepEqual(
    decryptMessage(CipherId.AES_128_CCM, e.encryptionKey, e.writeRequestFrame),
    e.writeRequest,
  );
});

test('"SMB 3.1.1 Encryption in Windows 10" example: AES-128-GCM WRITE request and response', () => {
  const e = SMB311_ENCRYPTION;
  const frame = encryptMessageWithNonce(
    CipherId.AES_128_GCM,
    e.encryptionKey,
    e.sessionId,
    e.writeRequest,
    e.writeRequestNonce,
  );
  assert.deepEqual(frame, e.writeRequestFrame);
  assert.deepEqual(
    decryptMessage(CipherId.AES_128_GCM, e.decryptionKey, e.writeResponseFrame),
    e.writeResponse,
  );
});

for (const cipherId of ALL_CIPHERS) {
  test(`cipher ${cipherId}: round trip of a compound-sized message, header fields and tamper detection`, () => {
    const key = randomBytes(cipherKeyLength(cipherId));
    const plain = randomBytes(1000);
    const frame = encryptMessage(cipherId, key, 0x1234n, plain);
    assert.equal(frame.length, TRANSFORM_HEADER_SIZE + plain.length);
    const th = decodeTransformHeader(frame);
    assert.equal(th.originalMessageSize, plain.length);
    assert.equal(th.flags, 1);
    assert.equal(th.sessionId, 0x1234n);
    const nonceLength = cipherId === CipherId.AES_128_CCM || cipherId === CipherId.AES_256_CCM ? 11 : 12;
    assert.ok(
      th.nonce.subarray(nonceLength).every((b) => b === 0),
      'unused nonce bytes are zero',
    );
    assert.deepEqual(decryptMessage(cipherId, key, frame), plain);

    // Every authenticated region: tag, nonce, size, flags, session id, ciphertext.
    for (const pos of [4, 19, 20, 36, 42, 44, 51, TRANSFORM_HEADER_SIZE, frame.length - 1]) {
      const bad = Buffer.from(frame);
      bad[pos]! ^= 0x80;
      assert.throws(() => decryptMessage(cipherId, key, bad), isProtocolError, `flip at ${pos}`);
    }
    assert.throws(() => decryptMessage(cipherId, randomBytes(key.length), frame), isProtocolError);
  });
}

test('nonces never repeat for one key and differ between keys', () => {
  const key = randomBytes(16);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const nonce = decodeTransformHeader(encryptMessage(CipherId.AES_128_GCM, key, 1n, Buffer.alloc(4))).nonce;
    seen.add(nonce.toString('hex'));
  }
  assert.equal(seen.size, 2000);
  const other = decodeTransformHeader(
    encryptMessage(CipherId.AES_128_GCM, randomBytes(16), 1n, Buffer.alloc(4)),
  ).nonce;
  assert.ok(!seen.has(other.toString('hex')));
});

test('malformed frames are protocol errors', () => {
  const key = randomBytes(16);
  const frame = encryptMessage(CipherId.AES_128_CCM, key, 9n, randomBytes(100));
  assert.throws(() => decryptMessage(CipherId.AES_128_CCM, key, frame.subarray(0, 40)), isProtocolError);
  assert.throws(
    () => decryptMessage(CipherId.AES_128_CCM, key, frame.subarray(0, frame.length - 1)),
    isProtocolError,
  );
  const badProtocol = Buffer.from(frame);
  badProtocol[0] = 0xfe;
  assert.throws(() => decryptMessage(CipherId.AES_128_CCM, key, badProtocol), isProtocolError);
  const badFlags = Buffer.from(frame);
  badFlags.writeUInt16LE(2, 42);
  assert.throws(() => decryptMessage(CipherId.AES_128_CCM, key, badFlags), /Flags/);
});

test('unknown cipher ids and wrong key sizes are refused clearly', () => {
  assert.throws(
    () => encryptMessage(7, randomBytes(16), 1n, Buffer.alloc(70)),
    (e: unknown) => e instanceof SmbBenchError && e.code === ErrorCode.UNSUPPORTED,
  );
  assert.throws(
    () => encryptMessage(CipherId.AES_256_GCM, randomBytes(16), 1n, Buffer.alloc(70)),
    /32-byte key/,
  );
});

test('a large (1 MiB) message round-trips with every cipher', () => {
  const plain = randomBytes(1024 * 1024 + 3);
  for (const cipherId of ALL_CIPHERS) {
    const key = randomBytes(cipherKeyLength(cipherId));
    assert.deepEqual(decryptMessage(cipherId, key, encryptMessage(cipherId, key, 5n, plain)), plain);
  }
});
