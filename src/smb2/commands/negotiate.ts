import { ByteReader } from '../../bytes/byte-reader.js';
import { alignUp, ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, Dialect, SMB2_HEADER_SIZE } from '../constants.js';
import {
  decodeNegotiateContexts,
  encodeNegotiateContexts,
  negotiateContextListSize,
  type NegotiateContext,
} from '../negotiate-contexts.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** SMB2 NEGOTIATE Request, MS-SMB2 2.2.3. */
export interface NegotiateRequest {
  dialects: number[];
  securityMode: number;
  capabilities: number;
  /** 16 bytes. */
  clientGuid: Buffer;
  /** Sent only when `dialects` contains 3.1.1; otherwise the field is ClientStartTime (0). */
  negotiateContexts: NegotiateContext[];
}

/** SMB2 NEGOTIATE Response, MS-SMB2 2.2.4. */
export interface NegotiateResponse {
  securityMode: number;
  dialectRevision: number;
  /** Only meaningful for 3.1.1; Reserved (0) otherwise. */
  negotiateContextCount: number;
  /** 16 bytes, a subarray of the message. */
  serverGuid: Buffer;
  capabilities: number;
  maxTransactSize: number;
  maxReadSize: number;
  maxWriteSize: number;
  /** FILETIME. */
  systemTime: bigint;
  /** FILETIME; servers usually send 0. */
  serverStartTime: bigint;
  /** The server's GSS token (SPNEGO NegTokenInit2), possibly empty. */
  securityBuffer: Buffer;
  negotiateContexts: NegotiateContext[];
}

const REQUEST_STRUCTURE_SIZE = 36;
const RESPONSE_STRUCTURE_SIZE = 65;
const RESPONSE_FIXED_SIZE = 64;
const GUID_SIZE = 16;

function sendsContexts(req: NegotiateRequest): boolean {
  return req.dialects.includes(Dialect.SMB3_1_1) && req.negotiateContexts.length > 0;
}

/** Absolute offset of the first context: after the Dialects array, 8-byte aligned (2.2.3). */
function requestContextOffset(dialectCount: number): number {
  return alignUp(SMB2_HEADER_SIZE + REQUEST_STRUCTURE_SIZE + 2 * dialectCount, 8);
}

export const negotiateCodec: CommandCodec<NegotiateRequest, NegotiateResponse> = {
  command: Command.NEGOTIATE,

  requestSize(req) {
    const fixed = REQUEST_STRUCTURE_SIZE + 2 * req.dialects.length;
    if (!sendsContexts(req)) return fixed;
    return (
      requestContextOffset(req.dialects.length) -
      SMB2_HEADER_SIZE +
      negotiateContextListSize(req.negotiateContexts)
    );
  },

  encodeRequest(req, msg) {
    if (req.clientGuid.length !== GUID_SIZE)
      throw new RangeError(`ClientGuid must be 16 bytes, got ${req.clientGuid.length}`);
    const withContexts = sendsContexts(req);
    const contextOffset = requestContextOffset(req.dialects.length);
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u16(req.dialects.length)
      .u16(req.securityMode)
      .u16(0)
      .u32(req.capabilities)
      .bytes(req.clientGuid);
    // 3.1.1 reuses ClientStartTime as NegotiateContextOffset/Count/Reserved2 (MS-SMB2 2.2.3).
    if (withContexts) w.u32(contextOffset).u16(req.negotiateContexts.length).u16(0);
    else w.u64(0n);
    for (const d of req.dialects) w.u16(d);
    if (withContexts) {
      w.zeros(contextOffset - w.offset);
      encodeNegotiateContexts(req.negotiateContexts, msg, contextOffset);
    }
  },

  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`NEGOTIATE request StructureSize ${size}`);
    const dialectCount = r.u16();
    const securityMode = r.u16();
    r.skip(2);
    const capabilities = r.u32();
    const clientGuid = r.bytes(GUID_SIZE, 'ClientGuid');
    const contextOffset = r.u32();
    const contextCount = r.u16();
    r.skip(2);
    r.need(2 * dialectCount, 'Dialects');
    const dialects: number[] = [];
    for (let i = 0; i < dialectCount; i++) dialects.push(r.u16());
    const negotiateContexts = dialects.includes(Dialect.SMB3_1_1)
      ? decodeNegotiateContexts(msg, contextOffset, contextCount)
      : [];
    return { dialects, securityMode, capabilities, clientGuid, negotiateContexts };
  },

  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`NEGOTIATE response StructureSize ${size}`);
    r.need(RESPONSE_FIXED_SIZE - 2, 'NEGOTIATE response');
    const securityMode = r.u16();
    const dialectRevision = r.u16();
    const negotiateContextCount = r.u16();
    const serverGuid = r.bytes(GUID_SIZE, 'ServerGuid');
    const capabilities = r.u32();
    const maxTransactSize = r.u32();
    const maxReadSize = r.u32();
    const maxWriteSize = r.u32();
    const systemTime = r.u64();
    const serverStartTime = r.u64();
    const securityBufferOffset = r.u16();
    const securityBufferLength = r.u16();
    const contextOffset = r.u32();
    const securityBuffer = sliceVariableBuffer(
      r,
      securityBufferOffset,
      securityBufferLength,
      SMB2_HEADER_SIZE + RESPONSE_FIXED_SIZE,
      'NEGOTIATE SecurityBuffer',
    );
    const negotiateContexts =
      dialectRevision === Dialect.SMB3_1_1
        ? decodeNegotiateContexts(msg, contextOffset, negotiateContextCount)
        : [];
    return {
      securityMode,
      dialectRevision,
      negotiateContextCount,
      serverGuid,
      capabilities,
      maxTransactSize,
      maxReadSize,
      maxWriteSize,
      systemTime,
      serverStartTime,
      securityBuffer,
      negotiateContexts,
    };
  },
};
