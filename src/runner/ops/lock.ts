/**
 * LOCK (MS-SMB2 2.2.26). A lock without SMB2_LOCKFLAG_FAIL_IMMEDIATELY may block (the server goes
 * async, 3.3.5.14); it waits at most its recorded latency plus the slack, then is cancelled, so a
 * lock conflict in the replay cannot hang the user forever.
 */
import { lockCodec } from '../../smb2/commands/lock.js';
import { handleRef } from './handle-ref.js';
import type { OpExecutor } from './op-executor.js';

export const lockExecutor: OpExecutor<'lock'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    const asyncTimeoutMs = Math.ceil((op.latencyUs ?? 0) / 1000) + user.asyncSlackMs;
    return {
      codec: lockCodec,
      request: {
        lockSequenceNumber: 0,
        lockSequenceIndex: 0,
        fileId: ref.fileId,
        locks: op.locks.map((l) => ({ offset: BigInt(l.offset), length: BigInt(l.length), flags: l.flags })),
      },
      tree: ref.tree,
      context: { asyncTimeoutMs, ...(call.signal ? { signal: call.signal } : {}) },
    };
  },

  finish(_op, _user, reply) {
    return { status: reply.status, bytes: 0 };
  },
};
