/**
 * Sends one unit (an op or a compound chain) for a virtual user and records what happened: status
 * vs. the IR's expected status, service latency, latency from the intended start, bytes, skips and
 * retries (retry-policy.ts). A failure never escapes: it is recorded and the user goes on.
 */
import { SmbBenchError } from '../errors/smbench-error.js';
import type { IrOp } from '../ir/types.js';
import type { RunMetrics } from '../observe/run-metrics.js';
import { chainHead, fidelityNoteFor, type ChainHead } from './fidelity-note-for.js';
import type { OpUnit } from './op-unit.js';
import { executorFor } from './ops/index.js';
import type { CallOptions, WireReply, WireRequest } from './ops/op-executor.js';
import type { UserOpState } from './ops/user-op-state.js';
import { opPath } from './op-path.js';
import { sendChain, sendOne } from './ops/wire.js';
import { classifyFailure, decideRetry, FailureKind, RetryDecision } from './retry-policy.js';
import { OpSkipped, SkipReason } from './skip-reasons.js';
import { RecoveryKind, type UserSession } from './user-session.js';

export type WireOp = Exclude<IrOp, { op: 'cancel' }>;

export interface OpRunnerDeps {
  readonly state: UserOpState;
  readonly session: UserSession;
  readonly metrics: RunMetrics;
  readonly retries: number;
  /** Monotonic µs (the scheduler's clock). */
  readonly clock: () => number;
  /** Re-establishes the session after `kind` failed under `generation`; false if the user is now broken. */
  readonly recover: (kind: RecoveryKind, generation: number) => Promise<boolean>;
  /** Whether the user can no longer send anything (session lost for good). */
  readonly isBroken: () => boolean;
  /** Waits for a recovery in progress (another op of the user hit the failure); false if broken. */
  readonly whenUsable: () => Promise<boolean>;
}

function errorCode(err: unknown): string {
  return err instanceof SmbBenchError ? err.code : 'ERR_UNEXPECTED';
}

export class OpRunner {
  constructor(private readonly deps: OpRunnerDeps) {}

  /** Counts an op as not sent and applies the handle bookkeeping a sent op would have done. */
  skip(op: IrOp, reason: SkipReason): void {
    this.deps.metrics.recordSkip(op.op, reason);
    this.forgetHandle(op);
  }

  /** Records a cancel op (it has no response of its own, MS-SMB2 3.2.4.24). */
  recordLocal(op: IrOp, status: number, intendedUs: number): void {
    const now = this.deps.clock();
    this.deps.metrics.recordOp({
      kind: op.op,
      serviceUs: 0,
      fromIntendedUs: Math.max(0, now - intendedUs),
      bytes: 0,
      status,
      expectedStatus: op.status,
    });
  }

  async runSingle(op: WireOp, intendedUs: number, call: CallOptions = {}): Promise<void> {
    const { state, session, metrics } = this.deps;
    const executor = executorFor(op);
    let reloggedIn = false;
    for (let attempt = 0; ; attempt++) {
      if (!(await this.deps.whenUsable()) || !session.tree)
        return this.skip(op, SkipReason.SESSION_UNAVAILABLE);
      let req: WireRequest;
      try {
        req = executor.build(op, state, call);
      } catch (err) {
        if (err instanceof OpSkipped) return this.skip(op, err.reason);
        throw err;
      }
      const generation = session.generation;
      const start = this.deps.clock();
      try {
        const reply = await sendOne(req, session.tree, call.signal);
        const path = opPath(op, state.handles);
        this.record(op, start, intendedUs, executor.finish(op, state, reply, req), path);
        return;
      } catch (err) {
        const kind = classifyFailure(err);
        const decision = decideRetry(op, kind, attempt, this.deps.retries, reloggedIn);
        const usable = await this.recoverAfter(kind, generation);
        if (decision !== RetryDecision.GIVE_UP && usable) {
          metrics.recordRetry(op.op);
          if (decision === RetryDecision.RELOGIN_AND_RETRY) reloggedIn = true;
          continue;
        }
        this.recordFailure(op, start, intendedUs, err);
        return;
      }
    }
  }

  /**
   * Sends a compound chain (MS-SMB2 3.2.4.1.4) as one message. Chains are not retried: part of a
   * chain may have run, and its related ops depend on the first one's handle. Aborting
   * `call.signal` cancels the members still pending.
   */
  async runChain(unit: OpUnit, intendedUs: number, call: CallOptions = {}): Promise<void> {
    const { state, session } = this.deps;
    const ops = unit.ops as readonly WireOp[];
    if (!(await this.deps.whenUsable()) || !session.tree) {
      for (const op of ops) this.skip(op, SkipReason.SESSION_UNAVAILABLE);
      return;
    }
    const chainHandles = new Set<string>();
    const sent: { op: WireOp; req: WireRequest }[] = [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      try {
        if ((op.op as string) === 'cancel') throw new OpSkipped(SkipReason.IOCTL_NOT_REPLAYED);
        // No signal here: a chain's signal goes to the compound as a whole (sendChain below).
        sent.push({ op, req: executorFor(op).build(op, state, { chainHandles }) });
        if (op.op === 'create' && op.handle !== undefined) chainHandles.add(op.handle);
      } catch (err) {
        if (!(err instanceof OpSkipped)) throw err;
        if (i === 0 && unit.related) {
          // The related ops would act on a handle that was never asked for.
          for (const o of ops) this.skip(o, err.reason);
          return;
        }
        this.skip(op, err.reason);
      }
    }
    if (sent.length === 0) return;
    const generation = session.generation;
    const start = this.deps.clock();
    let replies: (WireReply | Error)[];
    try {
      replies = await sendChain(
        sent.map((s) => s.req),
        session.tree,
        unit.related,
        call.signal,
      );
    } catch (err) {
      replies = sent.map(() => (err instanceof Error ? err : new Error(String(err))));
    }
    let failure: Error | undefined;
    const head = unit.related ? chainHead(sent[0]!.op, replies[0]!) : undefined;
    for (let i = 0; i < sent.length; i++) {
      const { op, req } = sent[i]!;
      const reply = replies[i]!;
      if (reply instanceof Error) {
        failure ??= reply;
        this.recordFailure(op, start, intendedUs, reply);
      } else {
        const path = opPath(op, state.handles);
        this.record(op, start, intendedUs, executorFor(op).finish(op, state, reply, req), path, head);
      }
    }
    if (failure) await this.recoverAfter(classifyFailure(failure), generation);
  }

  private record(
    op: IrOp,
    start: number,
    intendedUs: number,
    result: { status: number; bytes: number },
    path: string | undefined,
    head?: ChainHead,
  ): void {
    const end = this.deps.clock();
    this.deps.metrics.recordOp({
      kind: op.op,
      serviceUs: Math.max(0, end - start),
      fromIntendedUs: Math.max(0, end - Math.min(intendedUs, start)),
      bytes: result.bytes,
      status: result.status,
      expectedStatus: op.status,
      path,
      note: fidelityNoteFor(op, result.status, head),
    });
  }

  private recordFailure(op: IrOp, start: number, intendedUs: number, err: unknown): void {
    const end = this.deps.clock();
    this.deps.metrics.recordOp({
      kind: op.op,
      serviceUs: Math.max(0, end - start),
      fromIntendedUs: Math.max(0, end - Math.min(intendedUs, start)),
      bytes: 0,
      status: 0,
      expectedStatus: op.status,
      error: errorCode(err),
      path: opPath(op, this.deps.state.handles),
    });
    this.forgetHandle(op);
  }

  /** After a transport failure or an expired session, gets the user a working session again. */
  private async recoverAfter(kind: FailureKind, generation: number): Promise<boolean> {
    if (kind === FailureKind.TRANSPORT) return this.deps.recover(RecoveryKind.CONNECTION, generation);
    if (kind === FailureKind.SESSION_EXPIRED) return this.deps.recover(RecoveryKind.SESSION, generation);
    return !this.deps.isBroken();
  }

  /** A failed or skipped create leaves its handle unavailable; a close ends its handle either way. */
  private forgetHandle(op: IrOp): void {
    const handles = this.deps.state.handles;
    if (op.op === 'create' && op.handle !== undefined) handles.unavailable(op.handle);
    else if (op.op === 'close') handles.closed(op.handle);
  }
}
