/**
 * What the correlator knows between messages, and the lookups lifters need (the LiftContext):
 * sessions by SessionId, users by name, opens by FileId, and how wire names become IR paths in a
 * user's tree. Message flow (matching, compounds, cancels) is in correlator.ts.
 */
import { Command } from '../../smb2/constants.js';
import { NtStatus } from '../../smb2/nt-status.js';
import { userId } from '../../ir/ids.js';
import { irPathFromWire } from '../../ir/ir-path.js';
import type { IrPath } from '../../ir/types.js';
import { bump, type CompileStats } from '../compile-stats.js';
import type { WarningLog } from '../compile-warnings.js';
import type { MessageHeader } from '../extract/message-header.js';
import { onPathMutated, onRequest, onResponse } from '../infer/dependency-tracker.js';
import { COMMAND_NAMES } from '../lift/lifter-table.js';
import type { LiftContext } from '../lift/lifter.js';
import { isAllOnesFileId } from '../lift/wire-read.js';
import { ConnectionState } from './connection-state.js';
import type { HandleRef } from './handle-ref.js';
import type { PendingOp } from './pending-op.js';
import { findHandle, SessionState, TreeKind } from './session-state.js';
import { isPipeFsctl, isPreopened, learnedDirectory, preopenCreate, preopenedName } from './synthesis.js';
import { UserState } from './user-state.js';
import { WideIdMap } from './wide-id-map.js';

export class CorrelationState implements LiftContext {
  /** Users in order of first appearance; index n is `u<n>`. */
  readonly users: UserState[] = [];
  /** The connection of the message being handled. */
  connection: ConnectionState = new ConnectionState(0);
  protected readonly sessions = new WideIdMap<SessionState>();
  private readonly usersByName = new Map<string, UserState>();

  constructor(
    readonly stats: CompileStats,
    readonly warnings: WarningLog,
    readonly keepData: boolean,
    /** Supply what a capture begun mid-session assumes (synthesis.ts) instead of skipping it. */
    protected readonly synthesize: boolean,
  ) {}

  useHandle(op: PendingOp, data: Buffer, _h: MessageHeader, offset: number): HandleRef | undefined {
    let handle: HandleRef | undefined;
    if (isAllOnesFileId(data, offset)) {
      const prev = this.connection.chainPrevious;
      handle = prev?.newHandle ?? prev?.handle;
      if (handle === undefined && (prev === undefined || prev.command !== Command.CREATE)) {
        // All-ones outside a related chain names no open at all (MS-SMB2 3.3.5.2.7.2 gives it a
        // meaning only in a related compound), and neither does it after a previous request that
        // had no open either (a chain of CLOSEs on all-ones): whatever the server answered, it
        // answered a FileId it never granted, so the op replays on a never-opened handle. Only a
        // CREATE that is not replayed leaves its chain's later requests orphaned.
        op.unknownFileId = true;
        op.neverGranted = true;
      } else if (handle === undefined) op.skip = 'orphanHandle';
      else if (handle.closed) {
        // After a CLOSE earlier in the chain the related FileId names an open that is gone (the
        // server answers STATUS_FILE_CLOSED): it replays on a never-opened handle, not the closed one.
        handle = undefined;
        op.unknownFileId = true;
        op.neverGranted = true;
      }
    } else if (op.session !== undefined) {
      const pLo = data.readUInt32LE(offset);
      const pHi = data.readUInt32LE(offset + 4);
      const vLo = data.readUInt32LE(offset + 8);
      const vHi = data.readUInt32LE(offset + 12);
      handle = findHandle(op.session, pLo, pHi, vLo, vHi);
      const closed = handle === undefined && op.session.closed.has(pLo, pHi, vLo, vHi);
      if (handle === undefined && this.synthesize && !closed) {
        handle = this.preopen(op, pLo, pHi, vLo, vHi);
        // Until the response says the server knew this FileId (settleUnknownFileId).
        if (handle !== undefined) op.tentativePreopen = true;
      } else if (handle === undefined) {
        op.unknownFileId = true;
        this.warnings.add(
          'unknownHandle',
          () =>
            `frame ${op.frame}: ${op.kind} on a FileId ${closed ? 'closed earlier in' : 'opened before'} the capture`,
        );
      }
    }
    op.handle = handle;
    if (handle !== undefined && op.user !== undefined && isDirectoryOp(op) && isPreopened(handle))
      learnedDirectory(op.user, handle);
    return handle;
  }

  /**
   * A FileId opened before the capture: a file that exists before the trace, named from the FileId
   * (the trace never says its path), and a synthesised CREATE emitted just before `op`. A pipe
   * FSCTL on it means the tree is IPC$ (MS-FSCC 2.3), which is counted like any pipe traffic.
   */
  private preopen(op: PendingOp, pLo: number, pHi: number, vLo: number, vHi: number): HandleRef | undefined {
    const user = op.user;
    const tree = op.tree;
    if (user === undefined || tree === undefined) return undefined;
    if (op.kind === 'ioctl' && isPipeFsctl(op.fields['ctlCode'])) {
      if (tree.synthetic === true) tree.kind = TreeKind.PIPE;
      this.skipIpc(op);
      return undefined;
    }
    const path = this.treePath(op, preopenedName(pLo, pHi, vLo, vHi));
    if (path === undefined) return undefined;
    const isDirectory = isDirectoryOp(op);
    const create = preopenCreate(op, path, isDirectory);
    const handle = create.newHandle!;
    handle.persistentLo = pLo;
    handle.persistentHi = pHi;
    handle.volatileLo = vLo;
    handle.volatileHi = vHi;
    this.bindHandle(create, handle);
    user.namespace.exists(path, isDirectory ? 'dir' : 'file');
    onRequest(create, user);
    onResponse(create, user);
    op.preludes = [create];
    this.stats.synthesized.handles++;
    this.warnings.add(
      'synthesized',
      () => `frame ${op.frame}: ${op.kind} on a FileId opened before the capture; pre-opened as ${path}`,
    );
    return handle;
  }

  /**
   * The response to the first op on a FileId pre-opened for it: STATUS_FILE_CLOSED means the
   * server never knew that FileId either (a failed CREATE's, or a closed one), so nothing was open
   * before the capture. The pre-open is undone and the op replays on a never-opened handle, which
   * the target answers the same way (docs/ir.md "Handles").
   */
  settleUnknownFileId(op: PendingOp): void {
    op.tentativePreopen = false;
    const handle = op.handle;
    const create = op.preludes?.[0];
    if (
      op.status >>> 0 !== NtStatus.STATUS_FILE_CLOSED ||
      handle === undefined ||
      create?.newHandle !== handle
    )
      return;
    this.unbindHandle(op, handle);
    handle.undone = true;
    op.preludes = undefined;
    op.handle = undefined;
    op.unknownFileId = true;
    this.stats.synthesized.handles--;
  }

  /**
   * A later request of the same compound or burst used the FileId before the first op's answer
   * undid its pre-open: it named no open either, so it too replays on a never-opened handle.
   */
  settleUndonePreopen(op: PendingOp): void {
    op.handle = undefined;
    op.unknownFileId = true;
  }

  /** A request on IPC$ or a named pipe: counted per command, not an op (DCE/RPC is not replayed). */
  protected skipIpc(op: PendingOp): void {
    bump(this.stats.ipcByCommand, COMMAND_NAMES[op.command] ?? String(op.command));
    op.skip = 'ipc';
  }

  treePath(op: PendingOp, wireName: string): IrPath | undefined {
    const path = irPathFromWire(wireName);
    if (path === undefined) {
      op.skip = 'badPath';
      return undefined;
    }
    const tree = op.tree;
    const user = op.user;
    if (tree === undefined || user === undefined) return path;
    if (tree.prefix === undefined) {
      tree.prefix = user.prefixFor(tree.share);
      if (tree.prefix !== '') {
        this.warnings.add(
          'multipleShares',
          `${user.id} uses share ${tree.share} too; its paths are under "${tree.prefix}/"`,
        );
      }
    }
    if (tree.prefix === '') return path;
    return path === '' ? tree.prefix : `${tree.prefix}/${path}`;
  }

  mutatedPath(op: PendingOp, path: IrPath): void {
    if (op.user !== undefined) onPathMutated(op, op.user, path);
  }

  bindHandle(op: PendingOp, handle: HandleRef): void {
    handle.bound = true;
    op.session?.handles.set(handle.volatileLo, handle.volatileHi, handle);
    op.session?.closed.delete(handle.persistentLo, handle.persistentHi, handle.volatileLo, handle.volatileHi);
  }

  unbindHandle(op: PendingOp, handle: HandleRef): void {
    handle.closed = true;
    const session = op.session;
    if (
      handle.bound &&
      session !== undefined &&
      session.handles.get(handle.volatileLo, handle.volatileHi) === handle
    ) {
      session.handles.delete(handle.volatileLo, handle.volatileHi);
      session.closed.add(handle.persistentLo, handle.persistentHi, handle.volatileLo, handle.volatileHi);
    }
  }

  session(lo: number, hi: number): SessionState {
    let s = this.sessions.get(lo, hi);
    if (s === undefined) {
      s = new SessionState(lo, hi);
      this.sessions.set(lo, hi, s);
    }
    return s;
  }

  userNamed(name: string): UserState {
    const key = name.toLowerCase();
    let user = this.usersByName.get(key);
    if (user === undefined) {
      user = new UserState(userId(this.users.length), name);
      this.users.push(user);
      this.usersByName.set(key, user);
    }
    return user;
  }
}

/** Only listing and watching need a directory (MS-SMB2 3.3.5.18, 3.3.5.19). */
function isDirectoryOp(op: PendingOp): boolean {
  return op.kind === 'query_directory' || op.kind === 'change_notify';
}
