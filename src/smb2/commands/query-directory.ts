import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { decodeOutputBufferBody } from './output-buffer-body.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** MS-SMB2 2.2.33 Flags. */
export const QueryDirectoryFlags = {
  SMB2_RESTART_SCANS: 0x01,
  SMB2_RETURN_SINGLE_ENTRY: 0x02,
  SMB2_INDEX_SPECIFIED: 0x04,
  SMB2_REOPEN: 0x10,
} as const;

/** MS-SMB2 2.2.33. Entry decoding lives in ../fscc/directory-entries.ts. */
export interface QueryDirectoryRequest {
  /** A FileInformationClass directory class, e.g. FileIdBothDirectoryInformation (37). */
  fileInformationClass: number;
  flags: number;
  fileIndex: number;
  fileId: FileId;
  /** Search pattern, e.g. '*'; the server keeps it for the rest of the enumeration. */
  fileName: string;
  outputBufferLength: number;
}

/** MS-SMB2 2.2.34. `outputBuffer` is a zero-copy view holding NextEntryOffset-chained entries. */
export interface QueryDirectoryResponse {
  outputBuffer: Buffer;
}

const REQUEST_STRUCTURE_SIZE = 33;
const REQUEST_FIXED = 32;
/** The pattern follows the fixed body at 64 + 32 = 0x60. */
const FILE_NAME_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED;

export const queryDirectoryCodec: CommandCodec<QueryDirectoryRequest, QueryDirectoryResponse> = {
  command: Command.QUERY_DIRECTORY,
  requestSize: (req) => REQUEST_FIXED + Math.max(1, utf16Length(req.fileName)),
  encodeRequest(req, msg) {
    const nameLength = utf16Length(req.fileName);
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u8(req.fileInformationClass)
      .u8(req.flags)
      .u32(req.fileIndex);
    writeFileId(w, req.fileId);
    w.u16(nameLength > 0 ? FILE_NAME_OFFSET : 0)
      .u16(nameLength)
      .u32(req.outputBufferLength);
    if (nameLength > 0) msg.write(req.fileName, FILE_NAME_OFFSET, nameLength, 'utf16le');
    else w.u8(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`QUERY_DIRECTORY request StructureSize ${size}`);
    const fileInformationClass = r.u8();
    const flags = r.u8();
    const fileIndex = r.u32();
    const fileId = readFileId(r);
    const nameOffset = r.u16();
    const nameLength = r.u16();
    const outputBufferLength = r.u32();
    const fileName = fromUtf16(
      sliceVariableBuffer(r, nameOffset, nameLength, FILE_NAME_OFFSET, 'QUERY_DIRECTORY FileName'),
    );
    return { fileInformationClass, flags, fileIndex, fileId, fileName, outputBufferLength };
  },
  decodeResponse: (msg) => ({ outputBuffer: decodeOutputBufferBody(msg, 'QUERY_DIRECTORY response') }),
};
