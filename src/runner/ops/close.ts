/** CLOSE (MS-SMB2 2.2.15): ends the IR handle whatever the status (docs/ir.md "Handles"). */
import { closeCodec } from '../../smb2/commands/close.js';
import type { OpExecutor } from './op-executor.js';
import { handleRef } from './handle-ref.js';

export const closeExecutor: OpExecutor<'close'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    return { codec: closeCodec, request: { flags: op.flags, fileId: ref.fileId }, tree: ref.tree };
  },

  finish(op, user, reply) {
    const open = user.handles.resolve(op.handle);
    if (typeof open !== 'string') open.tree.session.connection.breaks.forget(open.fileId, open.leaseKey);
    user.handles.closed(op.handle);
    return { status: reply.status, bytes: 0 };
  },
};
