import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';

/** MS-SMB2 2.2.15 Flags. */
export const CloseFlags = {
  SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB: 0x0001,
} as const;

export interface CloseRequest {
  flags: number;
  fileId: FileId;
}

/** MS-SMB2 2.2.16. Times are FILETIME (100 ns since 1601) as bigint; zero unless POSTQUERY_ATTRIB. */
export interface CloseResponse {
  flags: number;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  allocationSize: bigint;
  endOfFile: bigint;
  fileAttributes: number;
}

const REQUEST_SIZE = 24;
const RESPONSE_SIZE = 60;

export const closeCodec: CommandCodec<CloseRequest, CloseResponse> = {
  command: Command.CLOSE,
  requestSize: () => REQUEST_SIZE,
  encodeRequest(req, msg) {
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE).u16(REQUEST_SIZE).u16(req.flags).u32(0);
    writeFileId(w, req.fileId);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_SIZE) throw new MalformedMessageError(`CLOSE request StructureSize ${size}`);
    const flags = r.u16();
    r.skip(4);
    return { flags, fileId: readFileId(r) };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_SIZE) throw new MalformedMessageError(`CLOSE response StructureSize ${size}`);
    const flags = r.u16();
    r.skip(4);
    return {
      flags,
      creationTime: r.u64(),
      lastAccessTime: r.u64(),
      lastWriteTime: r.u64(),
      changeTime: r.u64(),
      allocationSize: r.u64(),
      endOfFile: r.u64(),
      fileAttributes: r.u32(),
    };
  },
};
