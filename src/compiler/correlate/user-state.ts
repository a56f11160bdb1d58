/**
 * A user of the workload: everything of one `DOMAIN\user` across sessions and connections. It owns
 * the per-user replay facts: handle numbering, dependency bookkeeping and the inferred namespace.
 */
import type { IrPath, UserId } from '../../ir/types.js';
import { NamespaceTracker } from '../infer/namespace-tracker.js';
import type { PendingOp } from './pending-op.js';

export class UserState {
  readonly namespace = new NamespaceTracker();
  /** SMB sessions this user set up (not counting channel bindings or re-authentication). */
  sessions = 0;
  /** Dialect of the first connection the user was seen on (MS-SMB2 2.2.4). */
  dialect: number | undefined = undefined;
  /** Next `h<n>` number; handles are numbered in emission order. */
  nextHandle = 0;
  /** Requests sent and not yet answered; 0 means the user is idle (strictly sequential so far). */
  outstanding = 0;
  /** The op whose response arrived last: the "previous op" of a sequential stream. */
  lastCompleted: PendingOp | undefined = undefined;
  /** Latest completed op that created, renamed or deleted each path (lower-cased key). */
  readonly pathMutators = new Map<string, PendingOp>();
  /** Latest completed op on any handle of each path (lower-cased key): what a deleting open waits for. */
  readonly pathLastUse = new Map<string, PendingOp>();
  /** Named after a session set up before the capture (no SESSION_SETUP seen). */
  synthetic = false;
  /** Ops emitted for this user. */
  ops = 0;
  /** Disk shares in the order the user first used them; the first maps to the IR root. */
  readonly shares: string[] = [];

  constructor(
    readonly id: UserId,
    /** `DOMAIN\user`, or a synthetic name (Kerberos, unknown session). */
    readonly name: string,
  ) {}

  /** The IR path prefix for a share: '' for the first disk share used, the share name otherwise. */
  prefixFor(share: string): IrPath {
    let i = this.shares.indexOf(share);
    if (i < 0) i = this.shares.push(share) - 1;
    return i === 0 ? '' : share;
  }
}
