/**
 * One TCP connection's SMB2 conversation: the requests still waiting for a response, keyed by
 * MessageId (MS-SMB2 3.2.1.2 Connection.OutstandingRequests), and the dialect it negotiated.
 * Async requests stay in the same table: their interim and final responses repeat the MessageId
 * (MS-SMB2 3.3.4.2), while CANCEL finds them by AsyncId.
 */
import type { PendingOp } from './pending-op.js';
import type { SessionState } from './session-state.js';
import type { UserState } from './user-state.js';
import { WideIdMap } from './wide-id-map.js';

export class ConnectionState {
  readonly pending = new Map<number, PendingOp>();
  /** Ops that went async, by AsyncId, for CANCEL requests that name them that way. */
  readonly byAsyncId = new WideIdMap<PendingOp>();
  /** MessageIds of requests dropped as mirrors of another connection's (mirror-filter.ts). */
  readonly mirrored = new Set<number>();
  /** DialectRevision from the NEGOTIATE response, once seen. */
  dialect: number | undefined = undefined;
  /** The previous request of the current compound chain, for related FileIds. */
  chainPrevious: PendingOp | undefined = undefined;
  /** User of the latest request with a known session: ECHO is often sent outside any session. */
  lastUser: UserState | undefined = undefined;
  /** Sessions with requests on this connection (a bound channel carries its session too). */
  readonly sessions = new Set<SessionState>();

  constructor(readonly id: number) {}
}
