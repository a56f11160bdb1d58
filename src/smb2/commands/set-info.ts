import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** MS-SMB2 2.2.39. `buffer` is an fscc-encoded structure (see ../fscc/). */
export interface SetInfoRequest {
  infoType: number;
  fileInfoClass: number;
  buffer: Buffer;
  /** SECURITY_INFORMATION bits for SMB2_0_INFO_SECURITY; otherwise 0. */
  additionalInformation: number;
  fileId: FileId;
}

/** MS-SMB2 2.2.40: StructureSize 2, nothing else. */
export type SetInfoResponse = Record<string, never>;

const REQUEST_STRUCTURE_SIZE = 33;
const REQUEST_FIXED = 32;
/** The buffer follows the fixed body at 64 + 32 = 0x60. */
const BUFFER_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED;
const RESPONSE_SIZE = 2;

export const setInfoCodec: CommandCodec<SetInfoRequest, SetInfoResponse> = {
  command: Command.SET_INFO,
  requestSize: (req) => REQUEST_FIXED + Math.max(1, req.buffer.length),
  encodeRequest(req, msg) {
    const length = req.buffer.length;
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u8(req.infoType)
      .u8(req.fileInfoClass)
      .u32(length)
      .u16(BUFFER_OFFSET)
      .u16(0)
      .u32(req.additionalInformation);
    writeFileId(w, req.fileId);
    if (length > 0) w.bytes(req.buffer);
    else w.u8(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`SET_INFO request StructureSize ${size}`);
    const infoType = r.u8();
    const fileInfoClass = r.u8();
    const length = r.u32();
    const offset = r.u16();
    r.skip(2);
    const additionalInformation = r.u32();
    const fileId = readFileId(r);
    const buffer = sliceVariableBuffer(r, offset, length, BUFFER_OFFSET, 'SET_INFO Buffer');
    return { infoType, fileInfoClass, buffer, additionalInformation, fileId };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_SIZE) throw new MalformedMessageError(`SET_INFO response StructureSize ${size}`);
    return {};
  },
};
