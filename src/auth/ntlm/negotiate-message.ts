import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MessageType, NegotiateFlags, type NtlmVersion } from './constants.js';
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

/**
 * MS-NLMP 2.2.1.1 NEGOTIATE_MESSAGE. smbench never supplies the OEM domain/workstation (their
 * SUPPLIED flags stay clear), so both fields are empty and the message has a fixed size.
 */
export interface NegotiateMessage {
  readonly negotiateFlags: number;
  readonly version?: NtlmVersion;
}

const HEADER_SIZE = 8 + 4 + 4 + 2 * PAYLOAD_FIELD_SIZE;

export function encodeNegotiateMessage(msg: NegotiateMessage): Buffer {
  const withVersion = (msg.negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION) !== 0 && msg.version;
  const size = HEADER_SIZE + (withVersion ? VERSION_SIZE : 0);
  const w = new ByteWriter(Buffer.alloc(size));
  writeMessageHeader(w, MessageType.NtLmNegotiate);
  w.u32(msg.negotiateFlags);
  // Empty DomainNameFields/WorkstationFields point at the end of the fixed part (2.2.1.1).
  writePayloadField(w, 0, size);
  writePayloadField(w, 0, size);
  if (withVersion) writeVersion(w, msg.version!);
  return w.buf;
}

/** Decodes a NEGOTIATE_MESSAGE (used when reading captures and in tests). */
export function decodeNegotiateMessage(
  buf: Buffer,
): NegotiateMessage & { domain: Buffer; workstation: Buffer } {
  const r = new ByteReader(buf);
  readMessageHeader(r, MessageType.NtLmNegotiate, 'NTLM NEGOTIATE');
  const negotiateFlags = r.u32();
  const domain = readPayloadField(r, 'DomainName');
  const workstation = readPayloadField(r, 'Workstation');
  const hasVersion =
    (negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION) !== 0 && r.remaining >= VERSION_SIZE;
  return hasVersion
    ? { negotiateFlags, domain, workstation, version: readVersion(r) }
    : { negotiateFlags, domain, workstation };
}
