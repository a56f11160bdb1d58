import { createHmac } from 'node:crypto';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { utf16 } from '../../bytes/utf16.js';
import { md4 } from '../../crypto/md4.js';
import { NTLM_CHALLENGE_LENGTH } from './constants.js';

/** HMAC_MD5(K, M) of MS-NLMP 6 over the concatenation of `parts`. */
export function hmacMd5(key: Uint8Array, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** NTOWFv1 = MD4(UNICODE(Password)) (MS-NLMP 3.3.1), a.k.a. the NT hash. */
export function ntHash(password: string): Buffer {
  return md4(utf16(password));
}

/**
 * Upper-cases per UTF-16 code unit, as Windows' RtlUpcaseUnicodeString does, so that characters
 * whose JS upper case is longer (e.g. "ß" -> "SS") keep their length and value.
 */
function upcaseLikeWindows(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += up.length === ch.length ? up : ch;
  }
  return out;
}

/**
 * NTOWFv2 (MS-NLMP 3.3.2) from the NT hash, so callers with thousands of users can keep hashes
 * instead of passwords: HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) || UserDom)).
 * Only the user name is upper-cased; the domain is used as given. LMOWFv2 is the same value.
 */
export function ntowfv2(ntHashValue: Uint8Array, user: string, domain: string): Buffer {
  return hmacMd5(ntHashValue, utf16(upcaseLikeWindows(user) + domain));
}

export interface Ntlmv2ResponseInput {
  /** ResponseKeyNT = ResponseKeyLM = NTOWFv2 (3.3.2). */
  readonly responseKeyNT: Buffer;
  readonly serverChallenge: Buffer;
  readonly clientChallenge: Buffer;
  /** FILETIME for the blob: MsvAvTimestamp from the CHALLENGE if present, else the current time. */
  readonly time: bigint;
  /** The encoded AV pairs ("ServerName" in 3.3.2), including MsvAvEOL. */
  readonly avPairs: Buffer;
  /** 3.1.5.1.2: when the CHALLENGE carried MsvAvTimestamp the LmChallengeResponse is Z(24). */
  readonly zeroLmResponse: boolean;
}

export interface Ntlmv2Response {
  readonly ntChallengeResponse: Buffer;
  readonly ntProofStr: Buffer;
  readonly lmChallengeResponse: Buffer;
  /** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr); for NTLMv2 also the KeyExchangeKey. */
  readonly sessionBaseKey: Buffer;
}

/** NTLMv2_CLIENT_CHALLENGE RespType/HiRespType (2.2.2.7). */
const RESPONSE_VERSION = 1;
const HI_RESPONSE_VERSION = 1;

/**
 * ComputeResponse for NTLMv2 (MS-NLMP 3.3.2):
 *   temp = Responserversion || HiResponserversion || Z(6) || Time || ClientChallenge || Z(4) || ServerName || Z(4)
 *   NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge || temp)
 *   NtChallengeResponse = NTProofStr || temp
 *   LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge || ClientChallenge) || ClientChallenge
 */
export function computeNtlmv2Response(input: Ntlmv2ResponseInput): Ntlmv2Response {
  if (
    input.serverChallenge.length !== NTLM_CHALLENGE_LENGTH ||
    input.clientChallenge.length !== NTLM_CHALLENGE_LENGTH
  ) {
    throw new RangeError('NTLM challenges are 8 bytes');
  }
  const temp = new ByteWriter(Buffer.alloc(28 + input.avPairs.length + 4))
    .u8(RESPONSE_VERSION)
    .u8(HI_RESPONSE_VERSION)
    .zeros(6)
    .u64(input.time)
    .bytes(input.clientChallenge)
    .zeros(4)
    .bytes(input.avPairs)
    .zeros(4).buf;
  const ntProofStr = hmacMd5(input.responseKeyNT, input.serverChallenge, temp);
  const lmChallengeResponse = input.zeroLmResponse
    ? Buffer.alloc(24)
    : Buffer.concat([
        hmacMd5(input.responseKeyNT, input.serverChallenge, input.clientChallenge),
        input.clientChallenge,
      ]);
  return {
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    ntProofStr,
    lmChallengeResponse,
    sessionBaseKey: hmacMd5(input.responseKeyNT, ntProofStr),
  };
}

/** The current time as a FILETIME: 100 ns intervals since 1601-01-01 UTC. */
export function fileTimeNow(nowMs: number = Date.now()): bigint {
  const EPOCH_DIFF_MS = 11_644_473_600_000n;
  return (BigInt(Math.floor(nowMs)) + EPOCH_DIFF_MS) * 10_000n;
}
