import type { ByteReader } from '../../bytes/byte-reader.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';

/**
 * Slices an SMB2 "offset from the beginning of the header + length" buffer (MS-SMB2 2.2) and
 * insists it lies after the fixed part of the body: a buffer that overlaps the header or the fixed
 * fields is a malformed (or hostile) message, not something to reinterpret.
 */
export function sliceVariableBuffer(
  r: ByteReader,
  offset: number,
  length: number,
  fixedEnd: number,
  what: string,
): Buffer {
  if (length > 0 && offset < fixedEnd) {
    throw new MalformedMessageError(`${what} offset ${offset} overlaps the fixed part ending at ${fixedEnd}`);
  }
  return r.slice(offset, length, what);
}
