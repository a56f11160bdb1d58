/**
 * Resolving an op's IR handle to the FileId to send: the real one from this replay's create, or
 * RELATED_FILE_ID when the handle is being created earlier in the same compound chain (MS-SMB2
 * 3.2.4.1.4: "the FileId from the previous operation"), or one never granted for an op the capture
 * sent on a handle no create opened. An unavailable handle skips the op.
 */
import type { Tree } from '../../client/tree.js';
import type { HandleId } from '../../ir/types.js';
import { RELATED_FILE_ID, type FileId } from '../../smb2/constants.js';
import type { OpenHandle } from '../handle-table.js';
import { OpSkipped } from '../skip-reasons.js';
import type { CallOptions } from './op-executor.js';
import type { UserOpState } from './user-op-state.js';

export interface HandleRef {
  readonly fileId: FileId;
  /** The tree the handle lives on; undefined inside a chain (the chain's tree). */
  readonly tree: Tree | undefined;
  readonly open: OpenHandle | undefined;
}

/**
 * A FileId no target grants: MS-SMB2 3.3.5.2.9 has a server answer STATUS_FILE_CLOSED for a FileId
 * that names no open. Not all ones (that means "the previous op's" in a compound, 3.2.4.1.4).
 */
export const NEVER_GRANTED_FILE_ID: FileId = Object.freeze({
  persistent: 0xfffffffffffffffen,
  volatile: 0xfffffffffffffffen,
});

/** What an executor knows of its op's handle: the id, and whether the capture ever opened it. */
export interface OpHandle {
  readonly handle: HandleId;
  readonly neverOpened?: boolean;
}

export function handleRef(op: OpHandle, user: UserOpState, call: CallOptions): HandleRef {
  const id = op.handle;
  if (op.neverOpened === true) return { fileId: NEVER_GRANTED_FILE_ID, tree: undefined, open: undefined };
  if (call.chainHandles?.has(id)) return { fileId: RELATED_FILE_ID, tree: undefined, open: undefined };
  const open = user.handles.resolve(id);
  if (typeof open === 'string') throw new OpSkipped(open);
  return { fileId: open.fileId, tree: open.tree, open };
}
