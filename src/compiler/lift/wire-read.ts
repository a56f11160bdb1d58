/**
 * Small bounds-checked reads for the lifters. They throw MalformedMessageError (counted by the
 * correlator) instead of RangeError, and read 64-bit sizes and offsets as numbers: the IR stores
 * them as JSON safe integers, so values above 2^53 - 1 are clamped there (a lock on "the rest of
 * the file" uses 0xFFFFFFFFFFFFFFFF, MS-FSA 2.1.5.7).
 */
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import type { MessageHeader } from '../extract/message-header.js';

const TWO_POW_32 = 4294967296;

/** Checks that the message holds `fixed` body bytes and the expected StructureSize. */
export function requireBody(
  data: Buffer,
  h: MessageHeader,
  fixed: number,
  structureSize: number,
  what: string,
): void {
  if (h.end - h.start < SMB2_HEADER_SIZE + fixed) {
    throw new MalformedMessageError(
      `${what}: ${h.end - h.start - SMB2_HEADER_SIZE} body bytes, need ${fixed}`,
    );
  }
  const size = data.readUInt16LE(h.start + SMB2_HEADER_SIZE);
  if (size !== structureSize)
    throw new MalformedMessageError(`${what}: StructureSize ${size}, expected ${structureSize}`);
}

/** Unsigned 64-bit little-endian as a number, clamped to Number.MAX_SAFE_INTEGER. */
export function u64Number(data: Buffer, offset: number): number {
  const v = data.readUInt32LE(offset + 4) * TWO_POW_32 + data.readUInt32LE(offset);
  return v > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : v;
}

/** Unsigned 64-bit little-endian as a decimal string (FILETIME, docs/ir.md). */
export function u64String(data: Buffer, offset: number): string {
  return data.readBigUInt64LE(offset).toString();
}

/**
 * The [offset, offset+length) window of a variable field whose offset counts from the start of the
 * SMB2 header (MS-SMB2 2.2), checked against the message. Returns the absolute start.
 */
export function fieldStart(h: MessageHeader, offset: number, length: number, what: string): number {
  const start = h.start + offset;
  if (length === 0) return start;
  if (offset < SMB2_HEADER_SIZE || start + length > h.end) {
    throw new MalformedMessageError(`${what} [${offset}, +${length}) outside the message`);
  }
  return start;
}

/** A UTF-16LE string field (names, patterns), offset from the header start. */
export function utf16Field(
  data: Buffer,
  h: MessageHeader,
  offset: number,
  length: number,
  what: string,
): string {
  if (length === 0) return '';
  if (length % 2 !== 0) throw new MalformedMessageError(`${what} has an odd length ${length}`);
  const start = fieldStart(h, offset, length, what);
  return data.toString('utf16le', start, start + length);
}

/** The 16-byte FileId at `offset` is all ones: "the FileId of the previous op" (MS-SMB2 3.2.4.1.4). */
export function isAllOnesFileId(data: Buffer, offset: number): boolean {
  return (
    data.readUInt32LE(offset) === 0xffffffff &&
    data.readUInt32LE(offset + 4) === 0xffffffff &&
    data.readUInt32LE(offset + 8) === 0xffffffff &&
    data.readUInt32LE(offset + 12) === 0xffffffff
  );
}
