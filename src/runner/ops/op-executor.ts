/**
 * The contract every op kind implements (one file per kind or small group under ops/): `build`
 * maps the IR op onto one SMB2 request, `finish` reads the reply. Keeping the two apart lets the
 * same code send an op alone or as part of a compound chain (MS-SMB2 3.2.4.1.4), where requests are
 * built together and replies come back together.
 */
import type { RequestContext } from '../../client/connection.js';
import type { Tree } from '../../client/tree.js';
import type { HandleId, IrOpOf, OpKind } from '../../ir/types.js';
import type { CommandCodec } from '../../smb2/command-codec.js';
import type { UserOpState } from './user-op-state.js';

/** One request ready to send. */
export interface WireRequest {
  readonly codec: CommandCodec<unknown, unknown>;
  readonly request: unknown;
  /** Bytes beyond the fixed body, for CreditCharge (MS-SMB2 3.2.4.1.5). */
  readonly payloadSize?: number;
  /** The tree to send on when it is not the user's current one (a handle opened on an older session). */
  readonly tree?: Tree;
  /** Extra request context: async timeout, abort signal. */
  readonly context?: RequestContext;
}

/** The target's answer: a status, and the decoded body when the status carried one. */
export interface WireReply {
  readonly status: number;
  readonly body: unknown;
}

/** What an op did, for RunMetrics: the status to compare with the IR and the payload bytes moved. */
export interface OpResult {
  readonly status: number;
  readonly bytes: number;
}

/** Per-call facts that are not part of the user's state. */
export interface CallOptions {
  /** Handles created earlier in the compound chain being built: they are named RELATED_FILE_ID. */
  readonly chainHandles?: ReadonlySet<HandleId>;
  /** Aborting sends SMB2 CANCEL (change_notify, blocking lock). */
  readonly signal?: AbortSignal;
}

export interface OpExecutor<K extends OpKind> {
  /** The request for `op`; throws OpSkipped when it cannot or must not be sent. */
  build(op: IrOpOf<K>, user: UserOpState, call: CallOptions): WireRequest;
  /** Interprets the reply and updates the user's state (handles, resume keys). */
  finish(op: IrOpOf<K>, user: UserOpState, reply: WireReply, sent: WireRequest): OpResult;
}

export const EMPTY_BUFFER = Buffer.alloc(0);
