import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { Command, HeaderFlags, SMB2_HEADER_SIZE } from '../smb2/constants.js';
import { aesCmac } from './aes-cmac.js';

/**
 * SMB2 message signing, MS-SMB2 3.1.4.1 (sign) and 3.1.5.1 (verify). The signature covers the
 * whole message (header with a zeroed Signature field, body, and, inside a compound chain, the
 * padding up to the next message) and lands in the header's 16-byte Signature field.
 *
 * Which algorithm applies is decided at NEGOTIATE (client/negotiate.ts): HMAC-SHA256 for 2.0.2/2.1,
 * AES-128-CMAC for 3.0/3.0.2 and by default for 3.1.1, or whatever SMB2_SIGNING_CAPABILITIES chose.
 */

/** Signing algorithm ids of SMB2_SIGNING_CAPABILITIES, MS-SMB2 2.2.3.1.7. */
export const SigningAlgorithm = {
  HMAC_SHA256: 0x0000,
  AES_CMAC: 0x0001,
  AES_GMAC: 0x0002,
} as const;
export type SigningAlgorithm = (typeof SigningAlgorithm)[keyof typeof SigningAlgorithm];

/** Offset and size of the Signature field in the SMB2 header (MS-SMB2 2.2.1). */
export const SIGNATURE_OFFSET = 48;
export const SIGNATURE_SIZE = 16;

const FLAGS_OFFSET = 16;
const COMMAND_OFFSET = 12;
const MESSAGE_ID_OFFSET = 24;

/** GMAC nonce bits after the MessageId (MS-SMB2 3.1.4.1). */
const GMAC_NONCE_ROLE_SERVER = 0x1;
const GMAC_NONCE_CANCEL = 0x2;
const GMAC_NONCE_SIZE = 12;

/**
 * Computes the 16-byte signature of `msg`, whose Signature field the caller has already zeroed.
 * Exposed for tests and tools; protocol code uses signMessage / verifyMessage.
 */
export function computeSignature(alg: SigningAlgorithm, key: Buffer, msg: Buffer): Buffer {
  switch (alg) {
    case SigningAlgorithm.HMAC_SHA256:
      // 2.0.2 / 2.1: HMAC-SHA256 over the message, truncated to the first 16 bytes.
      return createHmac('sha256', key).update(msg).digest().subarray(0, SIGNATURE_SIZE);
    case SigningAlgorithm.AES_CMAC:
      return aesCmac(key, msg);
    case SigningAlgorithm.AES_GMAC:
      return aesGmac(key, msg);
    default:
      throw new SmbBenchError(ErrorCode.UNSUPPORTED, `unknown SMB2 signing algorithm ${String(alg)}`);
  }
}

/**
 * AES-128-GMAC (RFC 4543: GCM with the message as AAD and no plaintext). The 12-byte nonce is the
 * MessageId followed by a 32-bit little-endian word with bit 0 set for messages from the server
 * (SMB2_FLAGS_SERVER_TO_REDIR) and bit 1 set for CANCEL requests, because a CANCEL reuses the
 * MessageId of the request it cancels and must not produce the same nonce (MS-SMB2 3.1.4.1).
 */
function aesGmac(key: Buffer, msg: Buffer): Buffer {
  const nonce = gmacNonce(msg);
  const gcm = createCipheriv('aes-128-gcm', key, nonce, { authTagLength: SIGNATURE_SIZE });
  gcm.setAAD(msg);
  gcm.final();
  return gcm.getAuthTag();
}

/** The 12-byte AES-GMAC signing nonce for the message in `msg` (MS-SMB2 3.1.4.1). */
export function gmacNonce(msg: Buffer): Buffer {
  const nonce = Buffer.alloc(GMAC_NONCE_SIZE);
  msg.copy(nonce, 0, MESSAGE_ID_OFFSET, MESSAGE_ID_OFFSET + 8);
  const flags = msg.readUInt32LE(FLAGS_OFFSET);
  let bits = 0;
  if (flags & HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR) bits |= GMAC_NONCE_ROLE_SERVER;
  if (msg.readUInt16LE(COMMAND_OFFSET) === Command.CANCEL) bits |= GMAC_NONCE_CANCEL;
  nonce.writeUInt32LE(bits, 8);
  return nonce;
}

/**
 * Signs one SMB2 message in place: zeroes the Signature field, computes the signature and writes
 * it there. Setting SMB2_FLAGS_SIGNED (which the signature covers) is the caller's job and must
 * happen first. For a compound chain pass each message with its trailing padding.
 */
export function signMessage(alg: SigningAlgorithm, key: Buffer, msg: Buffer): void {
  if (msg.length < SMB2_HEADER_SIZE)
    throw new RangeError(`cannot sign ${msg.length} bytes: shorter than an SMB2 header`);
  msg.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_SIZE);
  computeSignature(alg, key, msg).copy(msg, SIGNATURE_OFFSET);
}

/**
 * Checks the signature of one received SMB2 message (MS-SMB2 3.1.5.1). The Signature field is
 * zeroed while the MAC runs (that is what was signed) and restored before returning, so `msg` is
 * unchanged afterwards. Comparison is constant-time. Returns false for anything too short.
 */
export function verifyMessage(alg: SigningAlgorithm, key: Buffer, msg: Buffer): boolean {
  if (msg.length < SMB2_HEADER_SIZE) return false;
  const received = Buffer.from(msg.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_SIZE));
  msg.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_SIZE);
  try {
    return timingSafeEqual(computeSignature(alg, key, msg), received);
  } finally {
    received.copy(msg, SIGNATURE_OFFSET);
  }
}
