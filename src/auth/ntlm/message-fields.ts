import type { ByteReader } from '../../bytes/byte-reader.js';
import type { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { NTLMSSP_SIGNATURE, type MessageType, type NtlmVersion } from './constants.js';

/** Size of a "fields" triple (Len u16, MaxLen u16, BufferOffset u32), MS-NLMP 2.2.1.1 etc. */
export const PAYLOAD_FIELD_SIZE = 8;
/** Size of the VERSION structure (MS-NLMP 2.2.2.10). */
export const VERSION_SIZE = 8;

/**
 * Reads a Len/MaxLen/BufferOffset triple and returns the payload it points to, a view of `r`'s
 * buffer. Offsets are relative to the start of the NTLM message (= the reader window start 0).
 */
export function readPayloadField(r: ByteReader, what: string): Buffer {
  const len = r.u16();
  r.u16(); // MaxLen: SHOULD equal Len and MUST be ignored on receipt.
  const offset = r.u32();
  return r.slice(offset, len, `NTLM ${what}`);
}

/** Writes a Len/MaxLen/BufferOffset triple for a payload placed at `offset`. */
export function writePayloadField(w: ByteWriter, length: number, offset: number): void {
  w.u16(length).u16(length).u32(offset);
}

/** Checks the "NTLMSSP\0" signature and the MessageType (MS-NLMP 2.2.1). */
export function readMessageHeader(r: ByteReader, expected: MessageType, what: string): void {
  const signature = r.bytes(NTLMSSP_SIGNATURE.length, `${what} signature`);
  if (!signature.equals(NTLMSSP_SIGNATURE))
    throw new MalformedMessageError(`${what}: missing NTLMSSP signature`);
  const type = r.u32();
  if (type !== expected)
    throw new MalformedMessageError(`${what}: MessageType ${type}, expected ${expected}`);
}

export function writeMessageHeader(w: ByteWriter, type: MessageType): void {
  w.bytes(NTLMSSP_SIGNATURE).u32(type);
}

export function readVersion(r: ByteReader): NtlmVersion {
  const productMajorVersion = r.u8();
  const productMinorVersion = r.u8();
  const productBuild = r.u16();
  r.skip(3);
  return { productMajorVersion, productMinorVersion, productBuild, ntlmRevisionCurrent: r.u8() };
}

export function writeVersion(w: ByteWriter, v: NtlmVersion): void {
  w.u8(v.productMajorVersion)
    .u8(v.productMinorVersion)
    .u16(v.productBuild)
    .zeros(3)
    .u8(v.ntlmRevisionCurrent);
}
