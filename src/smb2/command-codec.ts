import type { Command } from './constants.js';

/**
 * One SMB2 command's wire codec (one file per command under smb2/commands/).
 *
 * Conventions, so every command reads the same:
 * - `msg` is exactly one SMB2 message: the 64-byte header followed by the body. For compounds the
 *   caller passes a subarray per message. All "Offset" fields in SMB2 bodies are measured from the
 *   start of the header (MS-SMB2 2.2), which is msg[0] here, so offsets index msg directly.
 * - Requests: `requestSize` is the body length (no header, no compound padding) so the caller can
 *   allocate once; `encodeRequest` writes the body at msg[SMB2_HEADER_SIZE].
 * - `decodeRequest` exists because the capture compiler reads requests too.
 * - Decoders are bounds-checked (ByteReader) and throw MalformedMessageError, never RangeError.
 *   Variable-length buffers are returned as zero-copy subarrays of msg.
 * - Error bodies (StructureSize 9, MS-SMB2 2.2.2) are decoded by error-response.ts, not here.
 */
export interface CommandCodec<Req, Res> {
  readonly command: Command;
  requestSize(req: Req): number;
  encodeRequest(req: Req, msg: Buffer): void;
  decodeRequest(msg: Buffer): Req;
  /**
   * Bulk bytes that end the request (WRITE's data). A sender that does not sign or encrypt may
   * pass encodeRequest a `msg` that stops before them and send them straight from the caller's
   * buffer, saving a copy and a zero-fill of every large write. encodeRequest then skips them.
   */
  trailer?(req: Req): Buffer | undefined;
  decodeResponse(msg: Buffer): Res;
}
