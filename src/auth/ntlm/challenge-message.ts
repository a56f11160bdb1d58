import { ByteReader } from '../../bytes/byte-reader.js';
import { fromUtf16 } from '../../bytes/utf16.js';
import { MessageType, NegotiateFlags, NTLM_CHALLENGE_LENGTH, type NtlmVersion } from './constants.js';
import { decodeAvPairs, type AvPair } from './av-pairs.js';
import { readMessageHeader, readPayloadField, readVersion, VERSION_SIZE } from './message-fields.js';

/** MS-NLMP 2.2.1.2 CHALLENGE_MESSAGE, decoded. Buffers are views into the message. */
export interface ChallengeMessage {
  readonly negotiateFlags: number;
  readonly serverChallenge: Buffer;
  /** The server's TargetName (domain or server name), decoded per the UNICODE flag. */
  readonly targetName: string;
  /** The raw TargetInfo bytes, echoed back inside the NTLMv2 client blob (3.1.5.1.2). */
  readonly targetInfo: Buffer;
  readonly targetInfoPairs: readonly AvPair[];
  readonly version?: NtlmVersion;
}

export function decodeChallengeMessage(buf: Buffer): ChallengeMessage {
  const r = new ByteReader(buf);
  readMessageHeader(r, MessageType.NtLmChallenge, 'NTLM CHALLENGE');
  const targetNameBytes = readPayloadField(r, 'TargetName');
  const negotiateFlags = r.u32();
  const serverChallenge = r.bytes(NTLM_CHALLENGE_LENGTH, 'ServerChallenge');
  r.skip(8); // Reserved
  // TargetInfoFields and Version were added after NT4; tolerate their absence (old 32-byte form).
  let targetInfo = buf.subarray(0, 0);
  let version: NtlmVersion | undefined;
  if (r.remaining >= 8) {
    targetInfo = readPayloadField(r, 'TargetInfo');
    // Version is debugging information only (2.2.2.10); read it when the flag says it is there.
    if ((negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION) !== 0 && r.remaining >= VERSION_SIZE) {
      version = readVersion(r);
    }
  }
  const unicode = (negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  const base = {
    negotiateFlags,
    serverChallenge,
    targetName: unicode ? fromUtf16(targetNameBytes) : targetNameBytes.toString('latin1'),
    targetInfo,
    targetInfoPairs: decodeAvPairs(targetInfo),
  };
  return version ? { ...base, version } : base;
}
