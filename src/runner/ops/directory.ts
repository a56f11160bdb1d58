/**
 * QUERY_DIRECTORY (MS-SMB2 2.2.33) and CHANGE_NOTIFY (2.2.35). A change notification stays
 * pending until something changes; the virtual user does not wait for it (its later independent
 * ops go on), and it is completed by the IR's own CANCEL, by a cancel after its recorded latency
 * plus the slack, or at the end of the user's stream (virtual-user.ts).
 */
import { changeNotifyCodec, type ChangeNotifyResponse } from '../../smb2/commands/change-notify.js';
import { queryDirectoryCodec, type QueryDirectoryResponse } from '../../smb2/commands/query-directory.js';
import { handleRef } from './handle-ref.js';
import type { OpExecutor } from './op-executor.js';

export const queryDirectoryExecutor: OpExecutor<'query_directory'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    return {
      codec: queryDirectoryCodec,
      request: {
        fileInformationClass: op.infoClass,
        flags: op.flags,
        fileIndex: op.fileIndex ?? 0,
        fileId: ref.fileId,
        fileName: op.pattern,
        outputBufferLength: op.outputBufferLength,
      },
      payloadSize: op.outputBufferLength,
      tree: ref.tree,
    };
  },

  finish(_op, _user, reply) {
    const body = reply.body as QueryDirectoryResponse | undefined;
    return { status: reply.status, bytes: body?.outputBuffer.length ?? 0 };
  },
};

export const changeNotifyExecutor: OpExecutor<'change_notify'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    return {
      codec: changeNotifyCodec,
      request: {
        flags: op.flags,
        outputBufferLength: op.outputBufferLength,
        fileId: ref.fileId,
        completionFilter: op.completionFilter,
      },
      payloadSize: op.outputBufferLength,
      tree: ref.tree,
      // The interim STATUS_PENDING lifts the request timeout; the cancel (signal) ends the wait.
      context: call.signal ? { signal: call.signal } : {},
    };
  },

  finish(_op, _user, reply) {
    const body = reply.body as ChangeNotifyResponse | undefined;
    return { status: reply.status, bytes: body?.outputBuffer.length ?? 0 };
  },
};
