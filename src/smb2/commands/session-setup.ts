import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE } from '../constants.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** SESSION_SETUP request Flags, MS-SMB2 2.2.5. */
export const SessionSetupFlags = {
  SMB2_SESSION_FLAG_BINDING: 0x01,
} as const;

/** SESSION_SETUP response SessionFlags, MS-SMB2 2.2.6. */
export const SessionFlags = {
  SMB2_SESSION_FLAG_IS_GUEST: 0x0001,
  SMB2_SESSION_FLAG_IS_NULL: 0x0002,
  SMB2_SESSION_FLAG_ENCRYPT_DATA: 0x0004,
} as const;

/** SMB2 SESSION_SETUP Request, MS-SMB2 2.2.5. */
export interface SessionSetupRequest {
  flags: number;
  securityMode: number;
  capabilities: number;
  /** Reserved: clients send 0. */
  channel: number;
  previousSessionId: bigint;
  /** The GSS token (SPNEGO / raw NTLMSSP / Kerberos AP-REQ). */
  securityBuffer: Buffer;
}

/**
 * SMB2 SESSION_SETUP Response, MS-SMB2 2.2.6. A response with STATUS_MORE_PROCESSING_REQUIRED
 * carries this same body (not an ERROR body), holding the next GSS token.
 */
export interface SessionSetupResponse {
  sessionFlags: number;
  securityBuffer: Buffer;
}

const REQUEST_STRUCTURE_SIZE = 25;
const REQUEST_FIXED_SIZE = 24;
const RESPONSE_STRUCTURE_SIZE = 9;
const RESPONSE_FIXED_SIZE = 8;
const SECURITY_BUFFER_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED_SIZE;

export const sessionSetupCodec: CommandCodec<SessionSetupRequest, SessionSetupResponse> = {
  command: Command.SESSION_SETUP,

  requestSize: (req) => REQUEST_FIXED_SIZE + req.securityBuffer.length,

  encodeRequest(req, msg) {
    if (req.securityBuffer.length > 0xffff) {
      throw new RangeError(
        `security token of ${req.securityBuffer.length} bytes exceeds SecurityBufferLength`,
      );
    }
    new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u8(req.flags)
      .u8(req.securityMode)
      .u32(req.capabilities)
      .u32(req.channel)
      .u16(SECURITY_BUFFER_OFFSET)
      .u16(req.securityBuffer.length)
      .u64(req.previousSessionId)
      .bytes(req.securityBuffer);
  },

  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`SESSION_SETUP request StructureSize ${size}`);
    const flags = r.u8();
    const securityMode = r.u8();
    const capabilities = r.u32();
    const channel = r.u32();
    const offset = r.u16();
    const length = r.u16();
    const previousSessionId = r.u64();
    const securityBuffer = sliceVariableBuffer(
      r,
      offset,
      length,
      SECURITY_BUFFER_OFFSET,
      'SESSION_SETUP SecurityBuffer',
    );
    return { flags, securityMode, capabilities, channel, previousSessionId, securityBuffer };
  },

  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`SESSION_SETUP response StructureSize ${size}`);
    const sessionFlags = r.u16();
    const offset = r.u16();
    const length = r.u16();
    const securityBuffer = sliceVariableBuffer(
      r,
      offset,
      length,
      SMB2_HEADER_SIZE + RESPONSE_FIXED_SIZE,
      'SESSION_SETUP SecurityBuffer',
    );
    return { sessionFlags, securityBuffer };
  },
};
