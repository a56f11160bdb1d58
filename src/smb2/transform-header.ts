import { ByteReader } from '../bytes/byte-reader.js';
import { ByteWriter } from '../bytes/byte-writer.js';
import { MalformedMessageError } from '../errors/smbench-error.js';
import { SMB2_TRANSFORM_PROTOCOL_ID } from './constants.js';

/**
 * SMB2 TRANSFORM_HEADER, MS-SMB2 2.2.41: the 52-byte prefix of every encrypted SMB 3.x message.
 *
 *   0  ProtocolId            0xFD 'S' 'M' 'B'
 *   4  Signature (16)        the AEAD authentication tag
 *  20  Nonce (16)            11 bytes used by AES-CCM, 12 by AES-GCM, the rest zero
 *  36  OriginalMessageSize   length of the plaintext SMB2 message (or compound chain)
 *  40  Reserved (2)
 *  42  Flags / EncryptionAlgorithm
 *  44  SessionId (8)
 *
 * Bytes 20..52 (Nonce through SessionId) are the AEAD additional authenticated data (3.1.4.3).
 */

export const TRANSFORM_HEADER_SIZE = 52;
export const TRANSFORM_SIGNATURE_OFFSET = 4;
export const TRANSFORM_SIGNATURE_SIZE = 16;
export const TRANSFORM_NONCE_OFFSET = 20;
export const TRANSFORM_NONCE_SIZE = 16;
/** Start of the additional authenticated data: everything after ProtocolId and Signature. */
export const TRANSFORM_AAD_OFFSET = TRANSFORM_NONCE_OFFSET;
export const TRANSFORM_AAD_SIZE = TRANSFORM_HEADER_SIZE - TRANSFORM_AAD_OFFSET;

/**
 * The field's only defined value, 0x0001. 3.0/3.0.2 call the field EncryptionAlgorithm and the value
 * SMB2_ENCRYPTION_AES128_CCM; 3.1.1 calls it Flags and the value Encrypted (MS-SMB2 2.2.41).
 */
export const TransformFlags = {
  Encrypted: 0x0001,
} as const;

export interface TransformHeader {
  /** 16-byte AEAD tag. On decode this is a view into the frame, not a copy. */
  readonly signature: Buffer;
  /** 16-byte nonce field (zero padded). On decode this is a view into the frame, not a copy. */
  readonly nonce: Buffer;
  readonly originalMessageSize: number;
  readonly flags: number;
  readonly sessionId: bigint;
}

/** True when the frame starts with the transform ProtocolId 0xFD 'S' 'M' 'B'. */
export function isTransformFrame(frame: Buffer): boolean {
  return frame.length >= 4 && frame.readUInt32LE(0) === SMB2_TRANSFORM_PROTOCOL_ID;
}

/** Writes the 52-byte header at out[offset]. `signature` and `nonce` shorter than 16 are zero padded. */
export function encodeTransformHeader(h: TransformHeader, out: Buffer, offset = 0): void {
  if (h.signature.length > TRANSFORM_SIGNATURE_SIZE || h.nonce.length > TRANSFORM_NONCE_SIZE) {
    throw new RangeError('transform header signature and nonce are at most 16 bytes');
  }
  const w = new ByteWriter(out, offset);
  w.u32(SMB2_TRANSFORM_PROTOCOL_ID)
    .bytes(h.signature)
    .zeros(TRANSFORM_SIGNATURE_SIZE - h.signature.length)
    .bytes(h.nonce)
    .zeros(TRANSFORM_NONCE_SIZE - h.nonce.length)
    .u32(h.originalMessageSize)
    .u16(0)
    .u16(h.flags)
    .u64(h.sessionId);
}

/**
 * Parses the header at the start of `frame`. Checks structure only (length, ProtocolId); whether
 * Flags and OriginalMessageSize make sense for decryption is the decryptor's call.
 */
export function decodeTransformHeader(frame: Buffer): TransformHeader {
  const r = new ByteReader(frame);
  r.need(TRANSFORM_HEADER_SIZE, 'SMB2 TRANSFORM_HEADER');
  if (r.u32() !== SMB2_TRANSFORM_PROTOCOL_ID) {
    throw new MalformedMessageError('not an SMB2 TRANSFORM_HEADER (bad ProtocolId)');
  }
  const signature = r.bytes(TRANSFORM_SIGNATURE_SIZE);
  const nonce = r.bytes(TRANSFORM_NONCE_SIZE);
  const originalMessageSize = r.u32();
  r.skip(2); // Reserved
  const flags = r.u16();
  const sessionId = r.u64();
  return { signature, nonce, originalMessageSize, flags, sessionId };
}
