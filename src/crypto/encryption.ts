import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import {
  decodeTransformHeader,
  encodeTransformHeader,
  TRANSFORM_AAD_OFFSET,
  TRANSFORM_HEADER_SIZE,
  TRANSFORM_NONCE_SIZE,
  TRANSFORM_SIGNATURE_OFFSET,
  TransformFlags,
} from '../smb2/transform-header.js';

/**
 * SMB 3.x message encryption (MS-SMB2 3.1.4.3 encrypt, 3.2.5.1.1.1 / 3.3.5.2.1.1 decrypt): the whole
 * plaintext message, or a whole compound chain, is sealed with an AEAD cipher under the session's
 * EncryptionKey and prefixed with a TRANSFORM_HEADER. The AEAD tag goes in the header's Signature,
 * and the header bytes after the Signature (Nonce..SessionId) are the additional authenticated data,
 * so SessionId and OriginalMessageSize cannot be altered either.
 */

/** Cipher ids of SMB2_ENCRYPTION_CAPABILITIES, MS-SMB2 2.2.3.1.2. */
export const CipherId = {
  AES_128_CCM: 0x0001,
  AES_128_GCM: 0x0002,
  AES_256_CCM: 0x0003,
  AES_256_GCM: 0x0004,
} as const;
export type CipherId = (typeof CipherId)[keyof typeof CipherId];

type Mode = 'ccm' | 'gcm';
interface CipherSpec {
  readonly name: string;
  readonly mode: Mode;
  readonly keyLength: 16 | 32;
  /** AES-CCM uses an 11-byte nonce, AES-GCM a 12-byte one (MS-SMB2 2.2.41 AES_CCM_Nonce / AES_GCM_Nonce). */
  readonly nonceLength: 11 | 12;
}

const CIPHERS: ReadonlyMap<number, CipherSpec> = new Map<number, CipherSpec>([
  [CipherId.AES_128_CCM, { name: 'AES-128-CCM', mode: 'ccm', keyLength: 16, nonceLength: 11 }],
  [CipherId.AES_128_GCM, { name: 'AES-128-GCM', mode: 'gcm', keyLength: 16, nonceLength: 12 }],
  [CipherId.AES_256_CCM, { name: 'AES-256-CCM', mode: 'ccm', keyLength: 32, nonceLength: 11 }],
  [CipherId.AES_256_GCM, { name: 'AES-256-GCM', mode: 'gcm', keyLength: 32, nonceLength: 12 }],
]);

const TAG_LENGTH = 16;

function cipherSpec(cipherId: number): CipherSpec {
  const spec = CIPHERS.get(cipherId);
  if (!spec) {
    throw new SmbBenchError(
      ErrorCode.UNSUPPORTED,
      `unknown SMB encryption cipher id 0x${cipherId.toString(16)}`,
    );
  }
  return spec;
}

/** Key size in bytes for a cipher id (16 for AES-128-*, 32 for AES-256-*). */
export function cipherKeyLength(cipherId: number): number {
  return cipherSpec(cipherId).keyLength;
}

/** Human-readable cipher name, e.g. for reports. */
export function cipherName(cipherId: number): string {
  return CIPHERS.get(cipherId)?.name ?? `cipher 0x${cipherId.toString(16)}`;
}

function checkKey(spec: CipherSpec, key: Buffer): void {
  if (key.length !== spec.keyLength) {
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      `${spec.name} needs a ${spec.keyLength}-byte key, got ${key.length}`,
    );
  }
}

/**
 * Nonces. MS-SMB2 2.2.41 only demands that a nonce is never reused within a session, and reuse is
 * catastrophic for GCM (it leaks the authentication key) and CCM (keystream reuse). A purely random
 * 11-byte CCM nonce would give birthday collisions after ~2^44 messages; a counter never collides.
 * So each key gets a random starting point: a random 3/4-byte salt and a random 64-bit counter that
 * is incremented per message. The counter alone guarantees uniqueness for one sender; the random
 * salt and start keep two independent senders of the same key (e.g. a session bound to channels in
 * different worker threads, each with its own state) from walking the same nonce sequence.
 * State is keyed by the key Buffer's identity, which lives exactly as long as the session's key.
 */
interface NonceState {
  readonly salt: Buffer;
  counter: bigint;
}
const nonceStates = new WeakMap<Buffer, NonceState>();
const U64_MASK = 0xffffffffffffffffn;

function nextNonce(key: Buffer, nonceLength: number): Buffer {
  let state = nonceStates.get(key);
  if (!state) {
    const seed = randomBytes(nonceLength);
    state = { salt: seed.subarray(8), counter: seed.readBigUInt64LE(0) };
    nonceStates.set(key, state);
  }
  state.counter = (state.counter + 1n) & U64_MASK;
  const nonce = Buffer.alloc(TRANSFORM_NONCE_SIZE);
  nonce.writeBigUInt64LE(state.counter, 0);
  state.salt.copy(nonce, 8, 0, nonceLength - 8);
  return nonce;
}

/**
 * Encrypts one SMB2 message or compound chain for `sessionId` and returns the complete wire frame:
 * TRANSFORM_HEADER (52 bytes) followed by the ciphertext. Picks a fresh nonce per call.
 */
export function encryptMessage(cipherId: number, key: Buffer, sessionId: bigint, plain: Buffer): Buffer {
  const spec = cipherSpec(cipherId);
  checkKey(spec, key);
  return seal(spec, key, sessionId, plain, nextNonce(key, spec.nonceLength));
}

/**
 * Like `encryptMessage` with a caller-chosen Nonce field: at least the 11 (CCM) or 12 (GCM) bytes
 * the cipher uses, up to the full 16-byte field (missing bytes are zeros). The unused tail is still
 * authenticated as part of the AAD, which is why a full field is accepted: Windows leaves
 * non-zero bytes there. For known-answer tests and deterministic replays; never reuse a nonce.
 */
export function encryptMessageWithNonce(
  cipherId: number,
  key: Buffer,
  sessionId: bigint,
  plain: Buffer,
  nonce: Buffer,
): Buffer {
  const spec = cipherSpec(cipherId);
  checkKey(spec, key);
  if (nonce.length < spec.nonceLength || nonce.length > TRANSFORM_NONCE_SIZE) {
    throw new RangeError(
      `${spec.name} needs a nonce of ${spec.nonceLength} to 16 bytes, got ${nonce.length}`,
    );
  }
  const field = Buffer.alloc(TRANSFORM_NONCE_SIZE);
  nonce.copy(field);
  return seal(spec, key, sessionId, plain, field);
}

function seal(spec: CipherSpec, key: Buffer, sessionId: bigint, plain: Buffer, nonceField: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(TRANSFORM_HEADER_SIZE + plain.length);
  encodeTransformHeader(
    {
      signature: Buffer.alloc(TAG_LENGTH),
      nonce: nonceField,
      originalMessageSize: plain.length,
      flags: TransformFlags.Encrypted,
      sessionId,
    },
    frame,
  );
  const aad = frame.subarray(TRANSFORM_AAD_OFFSET, TRANSFORM_HEADER_SIZE);
  const iv = nonceField.subarray(0, spec.nonceLength);
  let ciphertext: Buffer;
  let tag: Buffer;
  if (spec.mode === 'ccm') {
    const c = createCipheriv(ccmAlgorithm(spec), key, iv, { authTagLength: TAG_LENGTH });
    c.setAAD(aad, { plaintextLength: plain.length });
    ciphertext = c.update(plain);
    c.final();
    tag = c.getAuthTag();
  } else {
    const c = createCipheriv(gcmAlgorithm(spec), key, iv, { authTagLength: TAG_LENGTH });
    c.setAAD(aad);
    ciphertext = c.update(plain);
    c.final();
    tag = c.getAuthTag();
  }
  ciphertext.copy(frame, TRANSFORM_HEADER_SIZE);
  tag.copy(frame, TRANSFORM_SIGNATURE_OFFSET);
  return frame;
}

/**
 * Verifies and decrypts one TRANSFORM_HEADER frame and returns the plaintext SMB2 message (or
 * chain). Throws SmbBenchError(PROTOCOL) when the frame is malformed or fails authentication; the
 * caller (MS-SMB2 3.2.5.1.1.1) discards such a message.
 */
export function decryptMessage(cipherId: number, key: Buffer, frame: Buffer): Buffer {
  const spec = cipherSpec(cipherId);
  checkKey(spec, key);
  const th = decodeTransformHeader(frame);
  if (th.flags !== TransformFlags.Encrypted) {
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      `TRANSFORM_HEADER Flags 0x${th.flags.toString(16)}, expected 0x1`,
    );
  }
  const ciphertext = frame.subarray(TRANSFORM_HEADER_SIZE);
  if (th.originalMessageSize !== ciphertext.length) {
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      `TRANSFORM_HEADER OriginalMessageSize ${th.originalMessageSize} but ${ciphertext.length} bytes follow`,
    );
  }
  const aad = frame.subarray(TRANSFORM_AAD_OFFSET, TRANSFORM_HEADER_SIZE);
  const iv = th.nonce.subarray(0, spec.nonceLength);
  try {
    if (spec.mode === 'ccm') {
      const d = createDecipheriv(ccmAlgorithm(spec), key, iv, { authTagLength: TAG_LENGTH });
      d.setAuthTag(th.signature);
      d.setAAD(aad, { plaintextLength: ciphertext.length });
      const plain = d.update(ciphertext);
      d.final();
      return plain;
    }
    const d = createDecipheriv(gcmAlgorithm(spec), key, iv, { authTagLength: TAG_LENGTH });
    d.setAuthTag(th.signature);
    d.setAAD(aad);
    const plain = d.update(ciphertext);
    d.final();
    return plain;
  } catch (err) {
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      `${spec.name} decryption failed for session 0x${th.sessionId.toString(16)}: bad authentication tag or wrong key`,
      { cause: err },
    );
  }
}

function ccmAlgorithm(spec: CipherSpec): 'aes-128-ccm' | 'aes-256-ccm' {
  return spec.keyLength === 16 ? 'aes-128-ccm' : 'aes-256-ccm';
}

function gcmAlgorithm(spec: CipherSpec): 'aes-128-gcm' | 'aes-256-gcm' {
  return spec.keyLength === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
}
