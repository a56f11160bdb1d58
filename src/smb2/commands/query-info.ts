import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { decodeOutputBufferBody } from './output-buffer-body.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** MS-SMB2 2.2.37 Flags; only meaningful for FileFullEaInformation queries. */
export const QueryInfoFlags = {
  SL_RESTART_SCAN: 0x00000001,
  SL_RETURN_SINGLE_ENTRY: 0x00000002,
  SL_INDEX_SPECIFIED: 0x00000004,
} as const;

/**
 * MS-SMB2 2.2.37. InfoType and class constants are in ../fscc/info-classes.ts; `inputBuffer` carries
 * e.g. an EA name list or a quota SID list, usually empty.
 */
export interface QueryInfoRequest {
  infoType: number;
  fileInfoClass: number;
  outputBufferLength: number;
  inputBuffer: Buffer;
  /** SECURITY_INFORMATION bits for SMB2_0_INFO_SECURITY; otherwise 0. */
  additionalInformation: number;
  flags: number;
  fileId: FileId;
}

/** MS-SMB2 2.2.38. `outputBuffer` is a zero-copy view for an fscc decoder. */
export interface QueryInfoResponse {
  outputBuffer: Buffer;
}

const REQUEST_STRUCTURE_SIZE = 41;
const REQUEST_FIXED = 40;
/** Input follows the fixed body at 64 + 40 = 0x68. */
const INPUT_BUFFER_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED;

export const queryInfoCodec: CommandCodec<QueryInfoRequest, QueryInfoResponse> = {
  command: Command.QUERY_INFO,
  requestSize: (req) => REQUEST_FIXED + Math.max(1, req.inputBuffer.length),
  encodeRequest(req, msg) {
    const inputLength = req.inputBuffer.length;
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u8(req.infoType)
      .u8(req.fileInfoClass)
      .u32(req.outputBufferLength)
      .u16(inputLength > 0 ? INPUT_BUFFER_OFFSET : 0)
      .u16(0)
      .u32(inputLength)
      .u32(req.additionalInformation)
      .u32(req.flags);
    writeFileId(w, req.fileId);
    if (inputLength > 0) w.bytes(req.inputBuffer);
    else w.u8(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`QUERY_INFO request StructureSize ${size}`);
    const infoType = r.u8();
    const fileInfoClass = r.u8();
    const outputBufferLength = r.u32();
    const inputOffset = r.u16();
    r.skip(2);
    const inputLength = r.u32();
    const additionalInformation = r.u32();
    const flags = r.u32();
    const fileId = readFileId(r);
    const inputBuffer = sliceVariableBuffer(
      r,
      inputOffset,
      inputLength,
      INPUT_BUFFER_OFFSET,
      'QUERY_INFO InputBuffer',
    );
    return { infoType, fileInfoClass, outputBufferLength, inputBuffer, additionalInformation, flags, fileId };
  },
  decodeResponse: (msg) => ({ outputBuffer: decodeOutputBufferBody(msg, 'QUERY_INFO response') }),
};
