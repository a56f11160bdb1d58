/**
 * READ (2.2.19), WRITE (2.2.21) and FLUSH (2.2.17). Lengths are clamped to the target's
 * MaxReadSize/MaxWriteSize (2.2.4), which only matters when the capture came from a server with
 * larger limits. Write bytes are filler or recorded data (payload.ts); read data is dropped.
 */
import type { Tree } from '../../client/tree.js';
import { flushCodec } from '../../smb2/commands/flush.js';
import { readCodec, type ReadResponse } from '../../smb2/commands/read.js';
import { writeCodec, type WriteResponse } from '../../smb2/commands/write.js';
import { afpInfoPayload, isAfpInfoStream } from '../afp-info.js';
import { writePayload } from '../payload.js';
import { handleRef } from './handle-ref.js';
import { EMPTY_BUFFER, type OpExecutor } from './op-executor.js';

function limits(tree: Tree): { maxRead: number; maxWrite: number } {
  const n = tree.session.negotiation;
  return { maxRead: n.maxReadSize, maxWrite: n.maxWriteSize };
}

/**
 * MinimumCount as recorded, even above Length: the server then fails the read with
 * STATUS_END_OF_FILE (MS-SMB2 3.3.5.12), as it did in the capture. Only when Length had to be cut
 * to the target's MaxReadSize is it cut too, so a read the recording satisfied stays satisfiable.
 */
function replayedMinimumCount(minimumCount: number, recordedLength: number, length: number): number {
  return length < recordedLength ? Math.min(minimumCount, length) : minimumCount;
}

export const readExecutor: OpExecutor<'read'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    const length = Math.min(op.length, limits(ref.tree ?? user.tree).maxRead);
    return {
      codec: readCodec,
      request: {
        padding: 0x50,
        flags: 0,
        length,
        offset: BigInt(op.offset),
        fileId: ref.fileId,
        minimumCount: replayedMinimumCount(op.minimumCount ?? 0, op.length, length),
        channel: 0,
        remainingBytes: 0,
        readChannelInfo: EMPTY_BUFFER,
      },
      payloadSize: length,
      tree: ref.tree,
    };
  },

  finish(_op, _user, reply) {
    const body = reply.body as ReadResponse | undefined;
    return { status: reply.status, bytes: body?.data.length ?? 0 };
  },
};

export const writeExecutor: OpExecutor<'write'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    // Servers check AfpInfo content (afp-info.ts): filler there would fail where the original succeeded.
    let data =
      op.data === undefined && isAfpInfoStream(ref.open?.streamName ?? '')
        ? afpInfoPayload(op.offset, op.length)
        : writePayload(op);
    const max = limits(ref.tree ?? user.tree).maxWrite;
    if (data.length > max) data = data.subarray(0, max);
    return {
      codec: writeCodec,
      request: {
        offset: BigInt(op.offset),
        fileId: ref.fileId,
        data,
        flags: op.flags ?? 0,
        channel: 0,
        remainingBytes: 0,
        writeChannelInfo: EMPTY_BUFFER,
      },
      payloadSize: data.length,
      tree: ref.tree,
    };
  },

  finish(op, user, reply) {
    const body = reply.body as WriteResponse | undefined;
    const written = body?.count ?? 0;
    const open = user.handles.resolve(op.handle);
    const end = BigInt(op.offset + written);
    if (typeof open !== 'string' && end > open.size) open.size = end;
    return { status: reply.status, bytes: written };
  },
};

export const flushExecutor: OpExecutor<'flush'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    return { codec: flushCodec, request: { fileId: ref.fileId }, tree: ref.tree };
  },

  finish(_op, _user, reply) {
    return { status: reply.status, bytes: 0 };
  },
};
