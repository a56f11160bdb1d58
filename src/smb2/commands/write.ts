import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** MS-SMB2 2.2.21 Flags. */
export const WriteFlags = {
  SMB2_WRITEFLAG_WRITE_THROUGH: 0x00000001,
  SMB2_WRITEFLAG_WRITE_UNBUFFERED: 0x00000002,
} as const;

/** MS-SMB2 2.2.21. Channel values are readCodec's `Channel`. */
export interface WriteRequest {
  offset: bigint;
  fileId: FileId;
  /** Copied once into the message by encodeRequest; may be a subarray of a larger buffer. */
  data: Buffer;
  flags: number;
  channel?: number;
  remainingBytes?: number;
  /** RDMA channel descriptors; empty for TCP. Placed right after data. */
  writeChannelInfo?: Buffer;
}

/** MS-SMB2 2.2.22. */
export interface WriteResponse {
  count: number;
  remaining: number;
}

const REQUEST_STRUCTURE_SIZE = 49;
const REQUEST_FIXED = 48;
/** Data always follows the fixed body: 64 + 48 = 0x70 (MS-SMB2 2.2.21 DataOffset). */
export const WRITE_DATA_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED;
const RESPONSE_STRUCTURE_SIZE = 17;

function variableLength(req: WriteRequest): number {
  return req.data.length + (req.writeChannelInfo?.length ?? 0);
}

export const writeCodec: CommandCodec<WriteRequest, WriteResponse> = {
  command: Command.WRITE,
  // StructureSize 49 counts one Buffer byte, so an empty write still carries a pad byte.
  requestSize: (req) => REQUEST_FIXED + Math.max(1, variableLength(req)),
  encodeRequest(req, msg) {
    const info = req.writeChannelInfo;
    const infoLength = info?.length ?? 0;
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u16(WRITE_DATA_OFFSET)
      .u32(req.data.length)
      .u64(req.offset);
    writeFileId(w, req.fileId);
    w.u32(req.channel ?? 0)
      .u32(req.remainingBytes ?? 0)
      .u16(infoLength > 0 ? WRITE_DATA_OFFSET + req.data.length : 0)
      .u16(infoLength)
      .u32(req.flags);
    // The one copy of the payload: straight into the preallocated message, no intermediate buffer.
    // A zero-copy sender (see trailer) hands us a msg that ends where the data would start.
    if (msg.length >= WRITE_DATA_OFFSET + req.data.length) msg.set(req.data, WRITE_DATA_OFFSET);
    if (info !== undefined && infoLength > 0) msg.set(info, WRITE_DATA_OFFSET + req.data.length);
    else if (req.data.length === 0) msg[WRITE_DATA_OFFSET] = 0;
  },
  trailer: (req) => (req.writeChannelInfo?.length ? undefined : req.data.length > 0 ? req.data : undefined),
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`WRITE request StructureSize ${size}`);
    const dataOffset = r.u16();
    const length = r.u32();
    const offset = r.u64();
    const fileId = readFileId(r);
    const channel = r.u32();
    const remainingBytes = r.u32();
    const infoOffset = r.u16();
    const infoLength = r.u16();
    const flags = r.u32();
    const data = sliceVariableBuffer(r, dataOffset, length, WRITE_DATA_OFFSET, 'WRITE data');
    const writeChannelInfo = sliceVariableBuffer(
      r,
      infoOffset,
      infoLength,
      WRITE_DATA_OFFSET,
      'WRITE WriteChannelInfo',
    );
    return { offset, fileId, data, flags, channel, remainingBytes, writeChannelInfo };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`WRITE response StructureSize ${size}`);
    r.skip(2);
    const count = r.u32();
    const remaining = r.u32();
    // WriteChannelInfoOffset/Length are reserved in responses (MS-SMB2 2.2.22); read to bounds-check.
    r.skip(4);
    return { count, remaining };
  },
};
