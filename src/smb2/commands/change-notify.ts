import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { decodeOutputBufferBody } from './output-buffer-body.js';

/** MS-SMB2 2.2.35 Flags. */
export const ChangeNotifyFlags = {
  SMB2_WATCH_TREE: 0x0001,
} as const;

/** MS-SMB2 2.2.35 CompletionFilter: which kinds of change complete the request. */
export const CompletionFilter = {
  FILE_NOTIFY_CHANGE_FILE_NAME: 0x00000001,
  FILE_NOTIFY_CHANGE_DIR_NAME: 0x00000002,
  FILE_NOTIFY_CHANGE_ATTRIBUTES: 0x00000004,
  FILE_NOTIFY_CHANGE_SIZE: 0x00000008,
  FILE_NOTIFY_CHANGE_LAST_WRITE: 0x00000010,
  FILE_NOTIFY_CHANGE_LAST_ACCESS: 0x00000020,
  FILE_NOTIFY_CHANGE_CREATION: 0x00000040,
  FILE_NOTIFY_CHANGE_EA: 0x00000080,
  FILE_NOTIFY_CHANGE_SECURITY: 0x00000100,
  FILE_NOTIFY_CHANGE_STREAM_NAME: 0x00000200,
  FILE_NOTIFY_CHANGE_STREAM_SIZE: 0x00000400,
  FILE_NOTIFY_CHANGE_STREAM_WRITE: 0x00000800,
} as const;

/** MS-SMB2 2.2.35. */
export interface ChangeNotifyRequest {
  flags: number;
  outputBufferLength: number;
  fileId: FileId;
  completionFilter: number;
}

/**
 * MS-SMB2 2.2.36. `outputBuffer` holds FILE_NOTIFY_INFORMATION entries (../fscc/notify-entries.ts);
 * it is empty when the server's buffer overflowed (STATUS_NOTIFY_ENUM_DIR) or the watch was closed.
 */
export interface ChangeNotifyResponse {
  outputBuffer: Buffer;
}

const REQUEST_SIZE = 32;

export const changeNotifyCodec: CommandCodec<ChangeNotifyRequest, ChangeNotifyResponse> = {
  command: Command.CHANGE_NOTIFY,
  requestSize: () => REQUEST_SIZE,
  encodeRequest(req, msg) {
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_SIZE)
      .u16(req.flags)
      .u32(req.outputBufferLength);
    writeFileId(w, req.fileId);
    w.u32(req.completionFilter).u32(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_SIZE) throw new MalformedMessageError(`CHANGE_NOTIFY request StructureSize ${size}`);
    const flags = r.u16();
    const outputBufferLength = r.u32();
    const fileId = readFileId(r);
    const completionFilter = r.u32();
    r.skip(4);
    return { flags, outputBufferLength, fileId, completionFilter };
  },
  decodeResponse: (msg) => ({ outputBuffer: decodeOutputBufferBody(msg, 'CHANGE_NOTIFY response') }),
};
