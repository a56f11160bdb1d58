import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** MS-SMB2 2.2.31 Flags. Without IS_FSCTL the server treats CtlCode as a device IOCTL. */
export const IoctlFlags = {
  SMB2_0_IOCTL_IS_IOCTL: 0x00000000,
  SMB2_0_IOCTL_IS_FSCTL: 0x00000001,
} as const;

/** MS-SMB2 2.2.31. FSCTL codes and their input/output structures live in ../fsctl.ts. */
export interface IoctlRequest {
  ctlCode: number;
  /** 0xFFFFFFFF/0xFFFFFFFF (RELATED_FILE_ID shape) for FSCTLs not bound to a handle, e.g. VALIDATE_NEGOTIATE_INFO. */
  fileId: FileId;
  input: Buffer;
  /** Rarely used: some IOCTLs send an output buffer too (MS-SMB2 2.2.31 OutputOffset). */
  output?: Buffer;
  maxInputResponse: number;
  maxOutputResponse: number;
  flags: number;
}

/** MS-SMB2 2.2.32. Buffers are zero-copy views of the message. */
export interface IoctlResponse {
  ctlCode: number;
  fileId: FileId;
  input: Buffer;
  output: Buffer;
  flags: number;
}

const REQUEST_STRUCTURE_SIZE = 57;
const REQUEST_FIXED = 56;
/** Input follows the fixed body at 64 + 56 = 0x78; servers (e.g. Samba) insist on exactly this. */
const REQUEST_BUFFER_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED;
const RESPONSE_STRUCTURE_SIZE = 49;
const RESPONSE_FIXED_END = SMB2_HEADER_SIZE + 48;

export const ioctlCodec: CommandCodec<IoctlRequest, IoctlResponse> = {
  command: Command.IOCTL,
  requestSize: (req) => REQUEST_FIXED + Math.max(1, req.input.length + (req.output?.length ?? 0)),
  encodeRequest(req, msg) {
    const inputLength = req.input.length;
    const outputLength = req.output?.length ?? 0;
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE).u16(REQUEST_STRUCTURE_SIZE).u16(0).u32(req.ctlCode);
    writeFileId(w, req.fileId);
    // An empty buffer is described as offset 0, length 0, which every server accepts.
    w.u32(inputLength > 0 ? REQUEST_BUFFER_OFFSET : 0)
      .u32(inputLength)
      .u32(req.maxInputResponse)
      .u32(outputLength > 0 ? REQUEST_BUFFER_OFFSET + inputLength : 0)
      .u32(outputLength)
      .u32(req.maxOutputResponse)
      .u32(req.flags)
      .u32(0);
    if (inputLength > 0) w.bytes(req.input);
    if (req.output !== undefined && outputLength > 0) w.bytes(req.output);
    if (inputLength + outputLength === 0) w.u8(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`IOCTL request StructureSize ${size}`);
    r.skip(2);
    const ctlCode = r.u32();
    const fileId = readFileId(r);
    const inputOffset = r.u32();
    const inputCount = r.u32();
    const maxInputResponse = r.u32();
    const outputOffset = r.u32();
    const outputCount = r.u32();
    const maxOutputResponse = r.u32();
    const flags = r.u32();
    r.skip(4);
    const input = sliceVariableBuffer(
      r,
      inputOffset,
      inputCount,
      REQUEST_BUFFER_OFFSET,
      'IOCTL request input',
    );
    const output = sliceVariableBuffer(
      r,
      outputOffset,
      outputCount,
      REQUEST_BUFFER_OFFSET,
      'IOCTL request output',
    );
    return { ctlCode, fileId, input, output, maxInputResponse, maxOutputResponse, flags };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`IOCTL response StructureSize ${size}`);
    r.skip(2);
    const ctlCode = r.u32();
    const fileId = readFileId(r);
    const inputOffset = r.u32();
    const inputCount = r.u32();
    const outputOffset = r.u32();
    const outputCount = r.u32();
    const flags = r.u32();
    r.skip(4);
    const input = sliceVariableBuffer(r, inputOffset, inputCount, RESPONSE_FIXED_END, 'IOCTL response input');
    const output = sliceVariableBuffer(
      r,
      outputOffset,
      outputCount,
      RESPONSE_FIXED_END,
      'IOCTL response output',
    );
    return { ctlCode, fileId, input, output, flags };
  },
};
