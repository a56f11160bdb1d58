import { timingSafeEqual } from 'node:crypto';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { EncryptionProfile } from './crypto/etype.js';
import { KeyUsage } from './crypto/key-usage.js';

/**
 * GSS_GetMIC / GSS_VerifyMIC tokens of RFC 4121 4.2.6.1 (the "CFX" format used with AES keys),
 * needed only for the SPNEGO mechListMIC (RFC 4178 5). Layout:
 *   TOK_ID 04 04 | Flags (1) | Filler FF x5 | SND_SEQ (8, big-endian) | SGN_CKSUM
 * where SGN_CKSUM = checksum(key, usage, message || first 16 header bytes).
 */

export const MIC_TOKEN_ID = 0x0404;
const HEADER_LENGTH = 16;

/** RFC 4121 4.2.2 Flags. */
export const MicFlags = {
  SentByAcceptor: 0x01,
  Sealed: 0x02,
  AcceptorSubkey: 0x04,
} as const;

export interface MicContext {
  readonly profile: EncryptionProfile;
  /** The acceptor subkey when the AP-REP carried one, else the initiator subkey (RFC 4121 2). */
  readonly key: Buffer;
  readonly acceptorSubkey: boolean;
}

function header(flags: number, seq: bigint): Buffer {
  const h = Buffer.alloc(HEADER_LENGTH, 0xff);
  h.writeUInt16BE(MIC_TOKEN_ID, 0);
  h[2] = flags;
  h.writeBigUInt64BE(seq, 8);
  return h;
}

/** The initiator's MIC over `message` with its sequence number `seq`. */
export function getMic(ctx: MicContext, message: Buffer, seq: bigint): Buffer {
  const h = header(ctx.acceptorSubkey ? MicFlags.AcceptorSubkey : 0, seq);
  const cksum = ctx.profile.checksum(ctx.key, KeyUsage.KG_USAGE_INITIATOR_SIGN, Buffer.concat([message, h]));
  return Buffer.concat([h, cksum]);
}

/** Verifies the acceptor's MIC over `message`; the sequence number is not checked (one token only). */
export function verifyAcceptorMic(ctx: MicContext, message: Buffer, token: Buffer): boolean {
  if (token.length < HEADER_LENGTH) throw new MalformedMessageError(`MIC token of ${token.length} bytes`);
  if (token.readUInt16BE(0) !== MIC_TOKEN_ID) {
    throw new MalformedMessageError(`MIC token with TOK_ID 0x${token.readUInt16BE(0).toString(16)}`);
  }
  const flags = token[2]!;
  if (!(flags & MicFlags.SentByAcceptor)) return false;
  const h = token.subarray(0, HEADER_LENGTH);
  const expected = ctx.profile.checksum(
    ctx.key,
    KeyUsage.KG_USAGE_ACCEPTOR_SIGN,
    Buffer.concat([message, h]),
  );
  const got = token.subarray(HEADER_LENGTH);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
