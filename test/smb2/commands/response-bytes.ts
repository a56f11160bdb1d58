import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';

/**
 * Test-only: a response message in the shared StructureSize-9 "OutputBuffer" shape (QUERY_DIRECTORY,
 * QUERY_INFO, CHANGE_NOTIFY) with the buffer at `offset` from the header start.
 */
export function outputBufferResponse(output: Buffer, offset = 0x48): Buffer {
  const msg = Buffer.alloc(Math.max(offset, SMB2_HEADER_SIZE + 8) + output.length);
  msg.writeUInt16LE(9, SMB2_HEADER_SIZE);
  msg.writeUInt16LE(offset, SMB2_HEADER_SIZE + 2);
  msg.writeUInt32LE(output.length, SMB2_HEADER_SIZE + 4);
  output.copy(msg, offset);
  return msg;
}
