import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';

/** MS-SMB2 2.2.17. */
export interface FlushRequest {
  fileId: FileId;
}

/** MS-SMB2 2.2.18: StructureSize 4 + Reserved, nothing to report. */
export type FlushResponse = Record<string, never>;

const REQUEST_SIZE = 24;
const RESPONSE_SIZE = 4;

export const flushCodec: CommandCodec<FlushRequest, FlushResponse> = {
  command: Command.FLUSH,
  requestSize: () => REQUEST_SIZE,
  encodeRequest(req, msg) {
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE).u16(REQUEST_SIZE).u16(0).u32(0);
    writeFileId(w, req.fileId);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_SIZE) throw new MalformedMessageError(`FLUSH request StructureSize ${size}`);
    r.skip(6);
    return { fileId: readFileId(r) };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_SIZE) throw new MalformedMessageError(`FLUSH response StructureSize ${size}`);
    return {};
  },
};
