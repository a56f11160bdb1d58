/**
 * What the correlator knows between messages, and the lookups lifters need (the LiftContext):
 * sessions by SessionId, users by name, opens by FileId, and how wire names become IR paths in a
 * user's tree. Message flow (matching, compounds, cancels) is in correlator.ts.
 */
import { userId } from '../../ir/ids.js';
import { irPathFromWire } from '../../ir/ir-path.js';
import type { IrPath } from '../../ir/types.js';
import type { CompileStats } from '../compile-stats.js';
import type { WarningLog } from '../compile-warnings.js';
import type { MessageHeader } from '../extract/message-header.js';
import { onPathMutated } from '../infer/dependency-tracker.js';
import type { LiftContext } from '../lift/lifter.js';
import { isAllOnesFileId } from '../lift/wire-read.js';
import { ConnectionState } from './connection-state.js';
import type { HandleRef } from './handle-ref.js';
import type { PendingOp } from './pending-op.js';
import { findHandle, SessionState } from './session-state.js';
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
  ) {}

  useHandle(op: PendingOp, data: Buffer, _h: MessageHeader, offset: number): HandleRef | undefined {
    let handle: HandleRef | undefined;
    if (isAllOnesFileId(data, offset)) {
      const prev = this.connection.chainPrevious;
      handle = prev?.newHandle ?? prev?.handle;
      if (handle === undefined) op.skip = prev === undefined ? 'unknownHandle' : 'orphanHandle';
    } else if (op.session !== undefined) {
      handle = findHandle(
        op.session,
        data.readUInt32LE(offset),
        data.readUInt32LE(offset + 4),
        data.readUInt32LE(offset + 8),
        data.readUInt32LE(offset + 12),
      );
      if (handle === undefined) {
        op.unknownFileId = true;
        this.warnings.add(
          'unknownHandle',
          () => `frame ${op.frame}: ${op.kind} on a FileId not opened in the capture`,
        );
      }
    }
    op.handle = handle;
    return handle;
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
