import { ByteReader } from '../bytes/byte-reader.js';
import { MalformedMessageError } from '../errors/smbench-error.js';
import { Command, SMB2_HEADER_SIZE } from './constants.js';

/** SMB2 ERROR Response, MS-SMB2 2.2.2. */
export interface ErrorResponse {
  errorContextCount: number;
  /** ErrorData: raw bytes (error contexts for 3.1.1, or a symlink error / byte count otherwise). */
  errorData: Buffer;
}

export function decodeErrorResponse(msg: Buffer): ErrorResponse {
  const r = new ByteReader(msg, SMB2_HEADER_SIZE);
  const size = r.u16();
  if (size !== 9) throw new MalformedMessageError(`ERROR response StructureSize ${size}, expected 9`);
  const errorContextCount = r.u8();
  r.skip(1);
  const byteCount = r.u32();
  // Servers send ByteCount 0 with one padding byte; clamp to what is there.
  const errorData = r.bytes(Math.min(byteCount, r.remaining), 'ErrorData');
  return { errorContextCount, errorData };
}

const STATUS_SUCCESS = 0x00000000;
const STATUS_PENDING = 0x00000103;
const STATUS_BUFFER_OVERFLOW = 0x80000005;
const STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
const STATUS_NOTIFY_ENUM_DIR = 0x0000010c;

/**
 * Whether a response with this status carries the command's own body rather than an ERROR body.
 * MS-SMB2 3.3.4.4: errors use the ERROR response, except SESSION_SETUP with
 * STATUS_MORE_PROCESSING_REQUIRED (2.2.6) and STATUS_BUFFER_OVERFLOW for READ, QUERY_INFO,
 * IOCTL and CHANGE_NOTIFY-less variable-output commands (3.3.4.4, "buffer overflow" paragraph).
 */
export function hasCommandBody(command: number, status: number): boolean {
  const s = status >>> 0;
  if (s === STATUS_SUCCESS) return true;
  if (s === STATUS_PENDING || s === STATUS_NOTIFY_ENUM_DIR) return false;
  if (s === STATUS_MORE_PROCESSING_REQUIRED) return command === Command.SESSION_SETUP;
  if (s === STATUS_BUFFER_OVERFLOW) {
    return command === Command.READ || command === Command.QUERY_INFO || command === Command.IOCTL;
  }
  // Other success/informational codes (severity 0 or 1) carry a normal body.
  return s >>> 30 === 0 || s >>> 30 === 1;
}
