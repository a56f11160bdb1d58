/**
 * CLOSE (MS-SMB2 2.2.15/2.2.16) and FLUSH (2.2.17). A CLOSE ends the IR handle whatever its status
 * (docs/ir.md), so the FileId is forgotten when the request is sent; and it is where a pending
 * delete takes effect (MS-FSA 2.1.5.4), which the namespace needs to know.
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { CloseFlags } from '../../smb2/commands/close.js';
import { isDirectory } from '../../smb2/fscc/file-attributes.js';
import { isNtError } from '../../smb2/nt-status.js';
import { isPreopened, learnedDirectory } from '../correlate/synthesis.js';
import type { Lifter } from './lifter.js';
import { requireBody, u64Number } from './wire-read.js';

const CLOSE_REQUEST_SIZE = 24;
const CLOSE_RESPONSE_SIZE = 60;
const FLUSH_REQUEST_SIZE = 24;
const FILE_ID_OFFSET = 8;

export const closeLifter: Lifter = {
  command: Command.CLOSE,
  kind: 'close',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, CLOSE_REQUEST_SIZE, CLOSE_REQUEST_SIZE, 'CLOSE request');
    const b = h.start + SMB2_HEADER_SIZE;
    op.fields['flags'] = data.readUInt16LE(b + 2);
    const handle = ctx.useHandle(op, data, h, b + FILE_ID_OFFSET);
    if (handle !== undefined) ctx.unbindHandle(op, handle);
  },

  response(ctx, data, h, op) {
    const handle = op.handle;
    const user = op.user;
    if (handle === undefined || user === undefined || isNtError(h.status)) return;
    const kind = handle.isDirectory === undefined ? undefined : handle.isDirectory ? 'dir' : 'file';
    if (handle.deletePending) {
      user.namespace.deleted(handle.path, kind);
      ctx.mutatedPath(op, handle.path);
      return;
    }
    const flags = op.fields['flags'] as number;
    if ((flags & CloseFlags.SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB) === 0) return;
    requireBody(data, h, CLOSE_RESPONSE_SIZE, CLOSE_RESPONSE_SIZE, 'CLOSE response');
    const b = h.start + SMB2_HEADER_SIZE;
    // The attributes are the only sign a FileId opened before the capture was a directory.
    const attributes = data.readUInt32LE(b + 56);
    if (isDirectory(attributes) && isPreopened(handle)) learnedDirectory(user, handle);
    if (!handle.modified) user.namespace.sizeSeen(handle.path, u64Number(data, b + 48), true);
  },
};

export const flushLifter: Lifter = {
  command: Command.FLUSH,
  kind: 'flush',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, FLUSH_REQUEST_SIZE, FLUSH_REQUEST_SIZE, 'FLUSH request');
    ctx.useHandle(op, data, h, h.start + SMB2_HEADER_SIZE + FILE_ID_OFFSET);
  },

  response() {},
};
