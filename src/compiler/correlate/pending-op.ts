/**
 * One request on its way through the compiler: sent, maybe gone async, answered, then emitted (or
 * skipped) in request order. Fields are plain and mutable because millions of these are created;
 * the lifter of the request's command fills `fields` with the op's own IR fields.
 */
import type { OpKind } from '../../ir/types.js';
import type { SkipReason } from '../compile-stats.js';
import type { HandleRef } from './handle-ref.js';
import type { ConnectionState } from './connection-state.js';
import type { SessionState, TreeState } from './session-state.js';
import type { UserState } from './user-state.js';

/** Pseudo status of an op emitted before its final response (MS-ERREF 2.3.1 STATUS_PENDING). */
export const STATUS_PENDING = 0x00000103;

export class PendingOp {
  /** The IR kind, or undefined for commands that are not ops (negotiate, session setup, ...). */
  kind: OpKind | undefined = undefined;
  user: UserState | undefined = undefined;
  session: SessionState | undefined = undefined;
  tree: TreeState | undefined = undefined;
  /** Kind-specific IR fields (`path`, `offset`, `info`, ...), filled by the command's lifter. */
  fields: Record<string, unknown> = {};
  /** The handle the request works on (resolved from its FileId, or the chain's for related ops). */
  handle: HandleRef | undefined = undefined;
  /** The handle a CREATE opens. */
  newHandle: HandleRef | undefined = undefined;
  /**
   * Sent on a FileId that matches no open seen in the capture. Settled by the response: answered
   * STATUS_FILE_CLOSED, the server never knew it either, and the op is emitted on a never-opened
   * handle (docs/ir.md "Handles"); answered otherwise, it was opened before the capture: skipped.
   */
  unknownFileId = false;
  /** The FileId was all-ones outside a related chain: no server ever granted it, whatever it answered. */
  neverGranted = false;
  /** Its FileId was pre-opened for it (synthesis.ts), to be undone if the answer is FILE_CLOSED. */
  tentativePreopen = false;
  /**
   * Synthesised ops emitted just before this one (synthesis.ts): the CREATE of its pre-opened
   * FileId, and for a listing that continues one begun before the capture, the listing's start.
   */
  preludes: PendingOp[] | undefined = undefined;
  /** Set when the op will not be emitted; the response is still matched and counted. */
  skip: SkipReason | undefined = undefined;
  /** The chain's ops when this op heads a compound chain (MS-SMB2 3.2.4.1.4). */
  chain: PendingOp[] | undefined = undefined;
  /** SMB2_FLAGS_RELATED_OPERATIONS was set. */
  related = false;
  /** Completed ops of the same user this op waits for; turned into seqs when emitted. */
  deps: PendingOp[] | undefined = undefined;
  /** For CANCEL: the op being cancelled. */
  cancelTarget: PendingOp | undefined = undefined;
  /** Final NTSTATUS (MS-ERREF 2.3). */
  status = 0;
  /** Capture time of the final response, microseconds since the epoch; -1 while outstanding. */
  tResp = -1;
  complete = false;
  /** Counted in its user's `outstanding` (sent, neither final nor interim response yet). */
  inFlight = false;
  /** An interim STATUS_PENDING response was seen (MS-SMB2 3.3.4.2). */
  wentAsync = false;
  /** Emitted with STATUS_PENDING because the reorder window was full. */
  forced = false;
  /** Global sequence number, assigned when emitted; -1 until then (or forever, when skipped). */
  seq = -1;
  /** Lifter-private data that is not an IR field (e.g. FileDispositionInformationEx's flag). */
  note: unknown = undefined;
  /** Capture frame of the request, for warnings. */
  frame = 0;

  constructor(
    readonly conn: ConnectionState,
    /** MessageId folded to a number (see wideKey). */
    readonly messageKey: number,
    readonly command: number,
    /** Capture time of the request, microseconds since the epoch. */
    readonly tReq: number,
  ) {}

  /** Ready to leave the reorder queue: answered, skipped, or (CANCEL) never answered. */
  get settled(): boolean {
    return this.complete || this.skip !== undefined;
  }
}
