import { ByteReader } from '../../bytes/byte-reader.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/**
 * QUERY_DIRECTORY, CHANGE_NOTIFY and QUERY_INFO responses share one shape (MS-SMB2 2.2.34, 2.2.36,
 * 2.2.38): StructureSize 9, OutputBufferOffset u16, OutputBufferLength u32, Buffer. The offset is
 * from the start of the header, so the slice indexes msg directly.
 */
export const OUTPUT_BUFFER_RESPONSE_SIZE = 9;

export function decodeOutputBufferBody(msg: Buffer, what: string): Buffer {
  const r = new ByteReader(msg, SMB2_HEADER_SIZE);
  const size = r.u16();
  if (size !== OUTPUT_BUFFER_RESPONSE_SIZE) {
    throw new MalformedMessageError(`${what} StructureSize ${size}, expected ${OUTPUT_BUFFER_RESPONSE_SIZE}`);
  }
  const offset = r.u16();
  const length = r.u32();
  return sliceVariableBuffer(r, offset, length, SMB2_HEADER_SIZE + 8, `${what} OutputBuffer`);
}
