import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16 } from '../../bytes/utf16.js';
import { MessageType, NegotiateFlags, NTLM_MIC_LENGTH, type NtlmVersion } from './constants.js';
import {
  PAYLOAD_FIELD_SIZE,
  readMessageHeader,
  readPayloadField,
  readVersion,
  VERSION_SIZE,
  writeMessageHeader,
  writePayloadField,
  writeVersion,
} from './message-fields.js';

/** MS-NLMP 2.2.1.3 AUTHENTICATE_MESSAGE. Strings are sent UTF-16LE (NEGOTIATE_UNICODE). */
export interface AuthenticateMessage {
  readonly negotiateFlags: number;
  readonly lmChallengeResponse: Buffer;
  readonly ntChallengeResponse: Buffer;
  readonly domainName: string;
  readonly userName: string;
  readonly workstation: string;
  readonly encryptedRandomSessionKey: Buffer;
  readonly version?: NtlmVersion;
  /** The MIC; when encoding leave undefined to get zeros there (filled in afterwards). */
  readonly mic?: Buffer;
}

/** Signature, MessageType, six payload fields, NegotiateFlags. */
const FIELDS_END = 8 + 4 + 6 * PAYLOAD_FIELD_SIZE + 4;
/** The MIC follows Version; payloads start after it (2.2.1.3). */
export const AUTHENTICATE_MIC_OFFSET = FIELDS_END + VERSION_SIZE;
const HEADER_SIZE = AUTHENTICATE_MIC_OFFSET + NTLM_MIC_LENGTH;

/**
 * Encodes an AUTHENTICATE_MESSAGE with Version and MIC fields always present (the layout every
 * client since Windows Vista uses). The MIC bytes are at AUTHENTICATE_MIC_OFFSET so the caller can
 * compute HMAC_MD5 over the message with a zero MIC and patch it in (MS-NLMP 3.1.5.1.2).
 */
export function encodeAuthenticateMessage(msg: AuthenticateMessage): Buffer {
  const domain = utf16(msg.domainName);
  const user = utf16(msg.userName);
  const workstation = utf16(msg.workstation);
  // Payload order follows Windows (names first, then responses and key); any order is valid.
  const payloads = [
    domain,
    user,
    workstation,
    msg.lmChallengeResponse,
    msg.ntChallengeResponse,
    msg.encryptedRandomSessionKey,
  ];
  const offsets: number[] = [];
  let at = HEADER_SIZE;
  for (const p of payloads) {
    offsets.push(at);
    at += p.length;
  }
  const w = new ByteWriter(Buffer.alloc(at));
  writeMessageHeader(w, MessageType.NtLmAuthenticate);
  // Field order on the wire: LM, NT, DomainName, UserName, Workstation, EncryptedRandomSessionKey.
  for (const index of [3, 4, 0, 1, 2, 5]) writePayloadField(w, payloads[index]!.length, offsets[index]!);
  w.u32(msg.negotiateFlags);
  if (msg.version) writeVersion(w, msg.version);
  else w.zeros(VERSION_SIZE);
  if (msg.mic) w.bytes(msg.mic.subarray(0, NTLM_MIC_LENGTH));
  else w.zeros(NTLM_MIC_LENGTH);
  for (const p of payloads) w.bytes(p);
  return w.buf;
}

/** Decodes an AUTHENTICATE_MESSAGE (for tests and for reading captured logons). */
export function decodeAuthenticateMessage(buf: Buffer): AuthenticateMessage {
  const r = new ByteReader(buf);
  readMessageHeader(r, MessageType.NtLmAuthenticate, 'NTLM AUTHENTICATE');
  const lmChallengeResponse = readPayloadField(r, 'LmChallengeResponse');
  const ntChallengeResponse = readPayloadField(r, 'NtChallengeResponse');
  const domain = readPayloadField(r, 'DomainName');
  const user = readPayloadField(r, 'UserName');
  const workstation = readPayloadField(r, 'Workstation');
  const encryptedRandomSessionKey = readPayloadField(r, 'EncryptedRandomSessionKey');
  const negotiateFlags = r.u32();
  const text = (b: Buffer): string =>
    negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE ? fromUtf16(b) : b.toString('latin1');
  // Version and MIC exist only if the payloads leave room for them before the first payload.
  const payloadStart = Math.min(
    ...[lmChallengeResponse, ntChallengeResponse, domain, user, workstation, encryptedRandomSessionKey]
      .filter((p) => p.length > 0)
      .map((p) => p.byteOffset - buf.byteOffset),
    buf.length,
  );
  const version = payloadStart >= AUTHENTICATE_MIC_OFFSET ? readVersion(r) : undefined;
  const mic = payloadStart >= HEADER_SIZE ? Buffer.from(r.bytes(NTLM_MIC_LENGTH, 'MIC')) : undefined;
  return {
    negotiateFlags,
    lmChallengeResponse,
    ntChallengeResponse,
    domainName: text(domain),
    userName: text(user),
    workstation: text(workstation),
    encryptedRandomSessionKey,
    ...(version ? { version } : {}),
    ...(mic ? { mic } : {}),
  };
}
