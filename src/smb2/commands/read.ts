import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** MS-SMB2 2.2.19 Flags (request). */
export const ReadFlags = {
  SMB2_READFLAG_READ_UNBUFFERED: 0x01,
  SMB2_READFLAG_REQUEST_COMPRESSED: 0x02,
} as const;

/** MS-SMB2 2.2.20 Flags (response, 3.1.1). */
export const ReadResponseFlags = {
  SMB2_READFLAG_RESPONSE_NONE: 0x00,
  SMB2_READFLAG_RESPONSE_RDMA_TRANSFORM: 0x01,
} as const;

/** MS-SMB2 2.2.19 Channel, shared with WRITE (2.2.21). */
export const Channel = {
  SMB2_CHANNEL_NONE: 0x00000000,
  SMB2_CHANNEL_RDMA_V1: 0x00000001,
  SMB2_CHANNEL_RDMA_V1_INVALIDATE: 0x00000002,
  SMB2_CHANNEL_RDMA_TRANSFORM: 0x00000003,
} as const;

/** MS-SMB2 2.2.19. */
export interface ReadRequest {
  /** Requested placement of the data in the response, from the header start; 0x50 = right after the body. */
  padding: number;
  flags: number;
  length: number;
  offset: bigint;
  fileId: FileId;
  minimumCount: number;
  channel: number;
  remainingBytes: number;
  /** RDMA channel descriptors; empty for TCP. */
  readChannelInfo?: Buffer;
}

/** MS-SMB2 2.2.20. `data` is a zero-copy view of the message. */
export interface ReadResponse {
  dataOffset: number;
  data: Buffer;
  dataRemaining: number;
  flags: number;
}

const REQUEST_STRUCTURE_SIZE = 49;
/** The fixed part; StructureSize counts one byte of the variable Buffer too. */
const REQUEST_FIXED = 48;
const RESPONSE_STRUCTURE_SIZE = 17;
const CHANNEL_INFO_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED;
/** Data may not overlap the 16 fixed response bytes. */
const RESPONSE_FIXED_END = SMB2_HEADER_SIZE + 16;

export const readCodec: CommandCodec<ReadRequest, ReadResponse> = {
  command: Command.READ,
  // The Buffer must hold at least one byte even when there is no channel info (MS-SMB2 2.2.19).
  requestSize: (req) => REQUEST_FIXED + Math.max(1, req.readChannelInfo?.length ?? 0),
  encodeRequest(req, msg) {
    const info = req.readChannelInfo;
    const hasInfo = info !== undefined && info.length > 0;
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u8(req.padding)
      .u8(req.flags)
      .u32(req.length)
      .u64(req.offset);
    writeFileId(w, req.fileId);
    w.u32(req.minimumCount)
      .u32(req.channel)
      .u32(req.remainingBytes)
      .u16(hasInfo ? CHANNEL_INFO_OFFSET : 0)
      .u16(hasInfo ? info.length : 0);
    if (hasInfo) w.bytes(info);
    else w.u8(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`READ request StructureSize ${size}`);
    const padding = r.u8();
    const flags = r.u8();
    const length = r.u32();
    const offset = r.u64();
    const fileId = readFileId(r);
    const minimumCount = r.u32();
    const channel = r.u32();
    const remainingBytes = r.u32();
    const infoOffset = r.u16();
    const infoLength = r.u16();
    const readChannelInfo = sliceVariableBuffer(
      r,
      infoOffset,
      infoLength,
      CHANNEL_INFO_OFFSET,
      'READ ReadChannelInfo',
    );
    return { padding, flags, length, offset, fileId, minimumCount, channel, remainingBytes, readChannelInfo };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`READ response StructureSize ${size}`);
    const dataOffset = r.u8();
    r.skip(1);
    const dataLength = r.u32();
    const dataRemaining = r.u32();
    const flags = r.u32();
    const data = sliceVariableBuffer(r, dataOffset, dataLength, RESPONSE_FIXED_END, 'READ data');
    return { dataOffset, data, dataRemaining, flags };
  },
};
