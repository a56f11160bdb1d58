/**
 * IOCTL (MS-SMB2 2.2.31). The IR keeps only the sizes of an FSCTL's input, so only FSCTLs whose
 * input can be rebuilt meaningfully, and that stay inside the user's own files, are replayed:
 *
 * | FSCTL (MS-FSCC 2.3)                   | input sent                                          |
 * |---------------------------------------|-----------------------------------------------------|
 * | SRV_REQUEST_RESUME_KEY                | none; the key is kept as this user's copy source    |
 * | SRV_COPYCHUNK(_WRITE)                 | the last resume key; chunks covering the source     |
 * | SET_SPARSE                            | SetSparse = TRUE when the recording had the byte    |
 * | QUERY_ALLOCATED_RANGES                | the whole file                                      |
 * | SET_ZERO_DATA                         | an empty range (the call without data loss)         |
 * | GET_COMPRESSION, GET_OBJECT_ID, CREATE_OR_GET_OBJECT_ID, GET_REPARSE_POINT,                |
 * | GET_INTEGRITY_INFORMATION, SRV_ENUMERATE_SNAPSHOTS, GET_NTFS_VOLUME_DATA,                  |
 * | QUERY_NETWORK_INTERFACE_INFO          | none                                                |
 *
 * Everything else (DFS referrals, named-pipe transceive/peek/wait, VALIDATE_NEGOTIATE_INFO which
 * the client sends itself, reparse point changes, offload, trim, non-FSCTL IOCTLs) is skipped and
 * counted under SkipReason.IOCTL_NOT_REPLAYED.
 */
import { ioctlCodec, IoctlFlags, type IoctlResponse } from '../../smb2/commands/ioctl.js';
import { RELATED_FILE_ID } from '../../smb2/constants.js';
import {
  decodeResumeKeyResponse,
  encodeCopyChunkRequest,
  Fsctl,
  RESUME_KEY_SIZE,
  type CopyChunk,
} from '../../smb2/fsctl.js';
import type { IrIoctlOp } from '../../ir/types.js';
import { OpSkipped, SkipReason } from '../skip-reasons.js';
import { handleRef, type HandleRef } from './handle-ref.js';
import { EMPTY_BUFFER, type CallOptions, type OpExecutor } from './op-executor.js';
import type { UserOpState } from './user-op-state.js';

/** Samba's and Windows' per-chunk limit (MS-SMB2 3.3.3: ServerSideCopyMaxChunkSize default 1 MiB). */
const MAX_CHUNK = 1 << 20;
/** SRV_COPYCHUNK_COPY header (SourceKey, ChunkCount, Reserved) and one SRV_COPYCHUNK. */
const COPYCHUNK_HEADER = RESUME_KEY_SIZE + 8;
const COPYCHUNK_ENTRY = 24;

type InputBuilder = (op: IrIoctlOp, user: UserOpState, ref: HandleRef | undefined) => Buffer;

const none: InputBuilder = () => EMPTY_BUFFER;

function copyChunkInput(op: IrIoctlOp, user: UserOpState): Buffer {
  const source = user.copySource;
  if (!source) throw new OpSkipped(SkipReason.NO_RESUME_KEY);
  const recordedChunks = Math.max(1, Math.floor((op.inputLength - COPYCHUNK_HEADER) / COPYCHUNK_ENTRY));
  const size = Number(source.size);
  const chunkSize = Math.min(MAX_CHUNK, Math.max(1, Math.ceil(size / recordedChunks)));
  const chunks: CopyChunk[] = [];
  for (
    let at = 0;
    at < size && chunks.length < Math.max(recordedChunks, Math.ceil(size / MAX_CHUNK));
    at += chunkSize
  ) {
    chunks.push({
      sourceOffset: BigInt(at),
      targetOffset: BigInt(at),
      length: Math.min(chunkSize, size - at),
    });
  }
  return encodeCopyChunkRequest({ sourceKey: source.resumeKey, chunks });
}

/** FileOffset + Length (MS-FSCC 2.3.41 FILE_ALLOCATED_RANGE_BUFFER), covering the whole file. */
function wholeFileRange(_op: IrIoctlOp, _user: UserOpState, ref: HandleRef | undefined): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeBigInt64LE(0n, 0);
  buf.writeBigInt64LE(ref?.open ? ref.open.size : BigInt(Number.MAX_SAFE_INTEGER), 8);
  return buf;
}

/** Which FSCTLs are replayed, how their input is rebuilt, and whether they need an open handle. */
const REPLAYED = new Map<number, { input: InputBuilder; needsHandle: boolean }>([
  [Fsctl.FSCTL_SRV_REQUEST_RESUME_KEY, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_SRV_COPYCHUNK, { input: copyChunkInput, needsHandle: true }],
  [Fsctl.FSCTL_SRV_COPYCHUNK_WRITE, { input: copyChunkInput, needsHandle: true }],
  [
    Fsctl.FSCTL_SET_SPARSE,
    { input: (op) => (op.inputLength > 0 ? Buffer.from([1]) : EMPTY_BUFFER), needsHandle: true },
  ],
  [Fsctl.FSCTL_QUERY_ALLOCATED_RANGES, { input: wholeFileRange, needsHandle: true }],
  [Fsctl.FSCTL_SET_ZERO_DATA, { input: () => Buffer.alloc(16), needsHandle: true }],
  [Fsctl.FSCTL_GET_COMPRESSION, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_GET_OBJECT_ID, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_CREATE_OR_GET_OBJECT_ID, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_GET_REPARSE_POINT, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_GET_INTEGRITY_INFORMATION, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_SRV_ENUMERATE_SNAPSHOTS, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_GET_NTFS_VOLUME_DATA, { input: none, needsHandle: true }],
  [Fsctl.FSCTL_QUERY_NETWORK_INTERFACE_INFO, { input: none, needsHandle: false }],
]);

/** Whether an IOCTL op would be replayed (for reports and tests). */
export function isReplayedIoctl(op: IrIoctlOp): boolean {
  return (op.flags & IoctlFlags.SMB2_0_IOCTL_IS_FSCTL) !== 0 && REPLAYED.has(op.ctlCode >>> 0);
}

export const ioctlExecutor: OpExecutor<'ioctl'> = {
  build(op, user, call: CallOptions) {
    const entry =
      (op.flags & IoctlFlags.SMB2_0_IOCTL_IS_FSCTL) !== 0 ? REPLAYED.get(op.ctlCode >>> 0) : undefined;
    if (!entry) throw new OpSkipped(SkipReason.IOCTL_NOT_REPLAYED);
    let ref: HandleRef | undefined;
    if (entry.needsHandle) {
      if (op.handle === undefined) throw new OpSkipped(SkipReason.IOCTL_NOT_REPLAYED);
      ref = handleRef({ handle: op.handle, neverOpened: op.neverOpened }, user, call);
    }
    const input = entry.input(op, user, ref);
    return {
      codec: ioctlCodec,
      request: {
        ctlCode: op.ctlCode,
        fileId: ref?.fileId ?? RELATED_FILE_ID,
        input,
        maxInputResponse: 0,
        maxOutputResponse: op.maxOutputLength,
        flags: IoctlFlags.SMB2_0_IOCTL_IS_FSCTL,
      },
      payloadSize: Math.max(input.length, op.maxOutputLength),
      tree: ref?.tree,
    };
  },

  finish(op, user, reply) {
    const body = reply.body as IoctlResponse | undefined;
    if (body && op.ctlCode >>> 0 === Fsctl.FSCTL_SRV_REQUEST_RESUME_KEY && op.handle !== undefined) {
      const open = user.handles.resolve(op.handle);
      try {
        const { resumeKey } = decodeResumeKeyResponse(body.output);
        user.copySource = {
          resumeKey: Buffer.from(resumeKey),
          size: typeof open === 'string' ? 0n : open.size,
        };
      } catch {
        // A short key cannot name a copy source; later copychunks are skipped as without a key.
      }
    }
    return { status: reply.status, bytes: body?.output.length ?? 0 };
  },
};
