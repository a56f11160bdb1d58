/**
 * TREE_CONNECT / TREE_DISCONNECT (MS-SMB2 2.2.9-2.2.12) and OPLOCK_BREAK acknowledgments (2.2.24):
 * not ops. A tree tells which share later requests use and whether it is IPC$/a pipe, whose RPC
 * traffic is counted but not replayed; break acknowledgments are sent by the runner's client itself.
 */
import { treeConnectCodec, ShareType } from '../../smb2/commands/tree-connect.js';
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { TreeKind, type TreeState } from '../correlate/session-state.js';
import type { Lifter } from './lifter.js';
import { requireBody } from './wire-read.js';

const TREE_CONNECT_RESPONSE_SIZE = 16;
const STATUS_SUCCESS = 0;

/** `\\server\share` -> `share` (MS-SMB2 2.2.9 Buffer). */
export function shareNameOf(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

function treeKind(shareType: number, share: string): TreeKind {
  if (shareType === ShareType.SMB2_SHARE_TYPE_PIPE || share.toUpperCase() === 'IPC$') return TreeKind.PIPE;
  if (shareType === ShareType.SMB2_SHARE_TYPE_PRINT) return TreeKind.PRINT;
  return TreeKind.DISK;
}

export const treeConnectLifter: Lifter = {
  command: Command.TREE_CONNECT,
  kind: undefined,
  needsTree: false,

  request(_ctx, data, h, op) {
    op.note = shareNameOf(treeConnectCodec.decodeRequest(data.subarray(h.start, h.end)).path);
  },

  response(ctx, data, h, op) {
    if (h.status !== STATUS_SUCCESS || typeof op.note !== 'string') return;
    requireBody(data, h, TREE_CONNECT_RESPONSE_SIZE, TREE_CONNECT_RESPONSE_SIZE, 'TREE_CONNECT response');
    const share = op.note;
    const kind = treeKind(data[h.start + SMB2_HEADER_SIZE + 2]!, share);
    const session = ctx.session(h.sessionIdLo, h.sessionIdHi);
    const tree: TreeState = { share, kind, prefix: undefined };
    session.trees.set(h.treeId, tree);
  },
};

export const treeDisconnectLifter: Lifter = {
  command: Command.TREE_DISCONNECT,
  kind: undefined,
  needsTree: false,
  request() {},
  response() {},
};

export const oplockBreakLifter: Lifter = {
  command: Command.OPLOCK_BREAK,
  kind: undefined,
  needsTree: false,
  request(ctx) {
    ctx.stats.breakAcknowledgments++;
  },
  response() {},
};
