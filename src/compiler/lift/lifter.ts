/**
 * The contract between the correlator and the per-command lifters (one file per SMB2 command
 * family). A lifter reads only the request and response fields the IR needs, straight from the
 * message bytes, and never allocates a closure per message: lifters are singletons in a table
 * indexed by command code.
 */
import type { IrPath, OpKind } from '../../ir/types.js';
import type { CompileStats } from '../compile-stats.js';
import type { WarningLog } from '../compile-warnings.js';
import type { HandleRef } from '../correlate/handle-ref.js';
import type { ConnectionState } from '../correlate/connection-state.js';
import type { PendingOp } from '../correlate/pending-op.js';
import type { SessionState } from '../correlate/session-state.js';
import type { UserState } from '../correlate/user-state.js';
import type { MessageHeader } from '../extract/message-header.js';

/** What lifters may ask of the correlator. */
export interface LiftContext {
  readonly stats: CompileStats;
  readonly warnings: WarningLog;
  /** `--keep-data`: keep write payloads. */
  readonly keepData: boolean;
  /**
   * The open named by the FileId at `data[offset]` (16 bytes, MS-SMB2 2.2.14.1), or the previous
   * op's open in a related compound (MS-SMB2 3.2.4.1.4). Sets `op.handle`; sets `op.skip` and
   * returns undefined when the FileId is unknown.
   */
  useHandle(op: PendingOp, data: Buffer, h: MessageHeader, offset: number): HandleRef | undefined;
  /** A wire name on `op`'s tree as an IR path in the user's tree; sets `op.skip` if unsafe. */
  treePath(op: PendingOp, wireName: string): IrPath | undefined;
  /** A completed op created, renamed or deleted `path` (for later ops' dependencies). */
  mutatedPath(op: PendingOp, path: IrPath): void;
  /** Registers an open under the FileId of a successful CREATE response. */
  bindHandle(op: PendingOp, handle: HandleRef): void;
  /** Forgets a FileId (CLOSE sent): a reused FileId must not resolve to the old open. */
  unbindHandle(op: PendingOp, handle: HandleRef): void;
  /** The session for a SessionId, created on first sight. */
  session(lo: number, hi: number): SessionState;
  /** The user behind a name, created on first sight. */
  userNamed(name: string): UserState;
  /** The connection the message came on. */
  readonly connection: ConnectionState;
}

export interface Lifter {
  readonly command: number;
  /** The IR kind, or undefined for session/tree housekeeping the runner performs itself. */
  readonly kind: OpKind | undefined;
  /** Whether the request names a tree (everything but NEGOTIATE/SESSION_SETUP/LOGOFF/ECHO/...). */
  readonly needsTree: boolean;
  /** Reads the request at data[h.start, h.end); fills op.fields, op.handle, op.newHandle. */
  request(ctx: LiftContext, data: Buffer, h: MessageHeader, op: PendingOp): void;
  /** Reads the final response (any status); records response fields and namespace facts. */
  response(ctx: LiftContext, data: Buffer, h: MessageHeader, op: PendingOp): void;
}
