/**
 * One simulated client: pulls its units from the feed, gates them on their dependencies
 * (dependency-tracker.ts), starts each at its intended time on the shared scheduler (one timer
 * heap for all users), and runs it (op-runner.ts). Independent ops overlap as they did in the trace;
 * a failed op is recorded and the stream goes on.
 *
 * Background ops: a CHANGE_NOTIFY (or blocking LOCK) may stay pending for a long time. It never
 * blocks later independent ops; it ends by the IR's CANCEL, by our cancel after its recorded
 * latency plus the notify slack, or at the end of the user's stream (or iteration). An op an IR
 * CANCEL names is sent abortable whatever its kind; a CANCEL that comes before its target was sent
 * (--max lets it overtake) is kept until the target goes out, then cancels it (MS-SMB2 3.2.4.24);
 * one whose target already completed is a counted skip.
 */
import type { IrOp, IrOpOf } from '../ir/types.js';
import type { RunMetrics } from '../observe/run-metrics.js';
import { intendedStartUs, type Pacing } from '../scheduler/pacing.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { closeCodec } from '../smb2/commands/close.js';
import { LockFlags } from '../smb2/commands/lock.js';
import type { UserProgress } from './checkpoint-progress.js';
import type { Semaphore } from './concurrency.js';
import { DependencyTracker } from './dependency-tracker.js';
import { HandleTable } from './handle-table.js';
import { ITERATION_END, type FeedCursor, type FeedEntry } from './op-feed.js';
import { OpRunner, type WireOp } from './op-runner.js';
import type { ArrivalGate } from './arrival-gate.js';
import type { UserPasses } from './pass-namespace.js';
import type { OpUnit } from './op-unit.js';
import { reclaimHandles, type ReopenCounts } from './ops/durable-reopen.js';
import type { CallOptions } from './ops/op-executor.js';
import { UserOpState } from './ops/user-op-state.js';
import { sendOne } from './ops/wire.js';
import { SkipReason } from './skip-reasons.js';
import type { RecoveryKind, UserSession } from './user-session.js';
import type { UserPaths } from './user-paths.js';

export interface VirtualUserOptions {
  readonly pacing: Pacing;
  readonly retries: number;
  /** Units pulled ahead (running, scheduled or parked on deps) per user. */
  readonly window: number;
  /** Extra wait before our own cancel of a change notify / blocking lock, beyond its recorded latency. */
  readonly asyncSlackMs: number;
  readonly requestDurable: boolean;
}

export interface VirtualUserDeps {
  readonly index: number;
  readonly session: UserSession;
  readonly paths: UserPaths;
  readonly cursor: FeedCursor;
  readonly scheduler: Scheduler;
  readonly metrics: RunMetrics;
  readonly options: VirtualUserOptions;
  /** Bounds concurrent logins across users (thousands of NTLM handshakes at once time out). */
  readonly loginLimiter?: Semaphore;
  /**
   * Checkpoint bookkeeping, and the resume point of a resumed user (checkpoint-progress.ts);
   * absent when the run neither writes nor resumes a checkpoint.
   */
  readonly progress?: UserProgress;
  /** Where warm units (measured in an earlier segment, replayed after a resume) are recorded instead. */
  readonly warmMetrics?: RunMetrics;
  /**
   * Where each pass (iteration) replays and how its initial namespace is made (pass-namespace.ts);
   * absent: every pass replays in `paths` over what the previous one left.
   */
  readonly passes?: UserPasses;
  /** Open model (`--arrival-rate`): each session (pass) starts only at an arrival (arrival-gate.ts). */
  readonly arrivals?: ArrivalGate;
}

export const UserState = { IDLE: 'idle', RUNNING: 'running', STOPPING: 'stopping', DONE: 'done' } as const;
export type UserState = (typeof UserState)[keyof typeof UserState];

/** Ops that may go async on the server and can be cancelled (MS-SMB2 3.3.4.2). */
function isCancellable(op: IrOp): boolean {
  if (op.op === 'change_notify') return true;
  return (
    op.op === 'lock' &&
    op.locks.some(
      (l) =>
        (l.flags & LockFlags.SMB2_LOCKFLAG_FAIL_IMMEDIATELY) === 0 &&
        (l.flags & LockFlags.SMB2_LOCKFLAG_UNLOCK) === 0,
    )
  );
}

export class VirtualUser {
  state: UserState = UserState.IDLE;
  /** The session could not be (re-)established: remaining ops are skipped. */
  broken = false;
  iteration = 0;
  /** Open handles moved across this user's recoveries: reclaimed by DH2C, or lost. */
  readonly handlesAfterRecovery: ReopenCounts = { reopened: 0, lost: 0 };
  private readonly tracker = new DependencyTracker<OpUnit>();
  private readonly handles = new HandleTable();
  private readonly opState: UserOpState;
  private readonly runner: OpRunner;
  /** Runs warm units: same as `runner`, but recording into deps.warmMetrics. Created on first use. */
  private warmRunner: OpRunner | undefined;
  /** Unit ordinals (checkpoint-progress.ts) of the units pulled and not completed. */
  private readonly ordinals = new Map<OpUnit, number>();
  private readonly pendingAsync = new Map<number, AbortController>();
  /**
   * Ops an IR CANCEL names (seen when the cancel is pulled, usually before its target starts):
   * they are sent abortable whatever their kind (a pipe READ, a CREATE the server holds...).
   */
  private readonly cancelTargets = new Set<number>();
  /** Targets of IR CANCELs that ran before their target was sent: cancelled as soon as it is. */
  private readonly deferredCancels = new Set<number>();
  /** Async ops we cancelled because the stream (or iteration) ended with them still pending. */
  cancelledAtEnd = 0;
  /** Background units (change notify) still pending: they do not hold an iteration open. */
  private background = 0;
  private pulled = 0;
  private running = 0;
  private pumping = false;
  private waitingForFeed = false;
  private streamEnded = false;
  private iterationEnding = false;
  private iterBaseUs = 0;
  private tBaseUs: number | undefined = 0;
  private recovering: Promise<boolean> | undefined;
  /** The prepare of the next pass, while it runs (the session stays open until it ends). */
  private preparingPass: Promise<void> | undefined;
  private finish!: () => void;
  private readonly finished = new Promise<void>((resolve) => {
    this.finish = resolve;
  });
  private markDone!: () => void;
  /** Settles when the user is done: its stream replayed (or stopped) and its session closed. */
  readonly done = new Promise<void>((resolve) => {
    this.markDone = resolve;
  });

  constructor(private readonly deps: VirtualUserDeps) {
    this.opState = new UserOpState({
      handles: this.handles,
      paths: deps.paths,
      requestDurable: deps.options.requestDurable,
      asyncSlackMs: deps.options.asyncSlackMs,
      currentTree: () => {
        const tree = deps.session.tree;
        if (!tree) throw new Error('no tree: session not open');
        return tree;
      },
    });
    this.runner = this.makeRunner(deps.metrics);
    if (deps.progress?.resumesMidStream) this.tBaseUs = undefined;
  }

  private makeRunner(metrics: RunMetrics): OpRunner {
    const deps = this.deps;
    return new OpRunner({
      state: this.opState,
      session: deps.session,
      metrics,
      retries: deps.options.retries,
      clock: () => deps.scheduler.now,
      recover: (kind, generation) => this.recover(kind, generation),
      isBroken: () => this.broken,
      whenUsable: async () => {
        if (this.recovering) await this.recovering;
        return !this.broken;
      },
    });
  }

  /**
   * Logs in and replays the stream; resolves when it is done (or stopped) and the user's handles
   * and session are closed. `onLoggedIn` is called once the session is ready (or failed).
   */
  async run(onLoggedIn?: (error: unknown) => void): Promise<void> {
    if (this.state !== UserState.IDLE) return this.done;
    this.state = UserState.RUNNING;
    try {
      if (this.deps.loginLimiter) await this.deps.loginLimiter.run(() => this.deps.session.open());
      else await this.deps.session.open();
      onLoggedIn?.(undefined);
    } catch (err) {
      this.broken = true;
      onLoggedIn?.(err);
    }
    if (await this.admitted()) {
      this.iterBaseUs = this.deps.scheduler.now;
      this.pump();
    }
    await this.finished;
    await this.preparingPass;
    await this.closeLeftovers();
    await this.deps.session.close();
    this.state = UserState.DONE;
    this.markDone();
  }

  /** Stops issuing ops (end of --duration); in-flight ops finish, queued ones are dropped. */
  stop(): void {
    if (this.state === UserState.DONE || this.state === UserState.STOPPING) return;
    const wasIdle = this.state === UserState.IDLE;
    this.state = UserState.STOPPING;
    this.deps.cursor.close();
    for (const c of this.pendingAsync.values()) c.abort();
    if (wasIdle) {
      this.state = UserState.DONE;
      this.markDone();
    } else {
      this.checkProgress();
    }
  }

  /** Whether the user's SMB session is established right now (for the sessions gauge). */
  get sessionOpen(): boolean {
    return this.deps.session.isOpen;
  }

  /** Replaying: logged in (or logging in) and not stopped. */
  get isActive(): boolean {
    return this.state === UserState.RUNNING;
  }

  private pump(): void {
    if (this.pumping || this.waitingForFeed) return;
    this.pumping = true;
    try {
      while (
        this.isActive &&
        !this.streamEnded &&
        !this.iterationEnding &&
        this.pulled < this.deps.options.window
      ) {
        const entry = this.deps.cursor.next();
        if (entry instanceof Promise) {
          this.waitingForFeed = true;
          void entry.then((e) => {
            this.waitingForFeed = false;
            this.accept(e);
            this.pump();
          });
          return;
        }
        this.accept(entry);
      }
    } finally {
      this.pumping = false;
    }
    this.checkProgress();
  }

  private accept(entry: FeedEntry | undefined): void {
    if (!this.isActive) return;
    if (entry === undefined) {
      this.streamEnded = true;
    } else if (entry === ITERATION_END) {
      this.iterationEnding = true;
    } else {
      const progress = this.deps.progress;
      if (progress !== undefined) {
        const ordinal = progress.admit();
        // Before the resume point: it completed in an earlier segment and is not replayed.
        if (ordinal === undefined) return;
        this.ordinals.set(entry, ordinal);
      }
      this.pulled++;
      this.tBaseUs ??= entry.t;
      const first = entry.ops[0]!;
      if (first.op === 'cancel') this.cancelTargets.add(first.target);
      if (this.tracker.add(entry)) this.ready(entry);
    }
  }

  /** Deps are done: start at the intended time (recorded pacing) or now (max pacing). */
  private ready(unit: OpUnit): void {
    const scheduler = this.deps.scheduler;
    const now = scheduler.now;
    const intended = intendedStartUs(this.deps.options.pacing, unit.t - (this.tBaseUs ?? 0), this.iterBaseUs);
    const at = intended === undefined || intended < now ? now : intended;
    scheduler.schedule(at, (lagUs) => this.launch(unit, intended ?? at, lagUs));
  }

  private launch(unit: OpUnit, intendedUs: number, lagUs: number): void {
    if (!this.isActive) {
      // Dropped, not skipped: the run ended before this op's time.
      this.completeUnit(unit, false);
      return;
    }
    const warm = this.isWarm(unit);
    const metrics = warm ? this.deps.warmMetrics! : this.deps.metrics;
    if (!warm) metrics.recordLag(lagUs);
    this.running++;
    void this.execute(unit, intendedUs, warm ? this.warm() : this.runner)
      .catch((err: unknown) => {
        // A bug in an executor must not kill the run; count it as a failed op.
        for (const op of unit.ops)
          metrics.recordOp({
            kind: op.op,
            serviceUs: 0,
            fromIntendedUs: 0,
            bytes: 0,
            status: 0,
            expectedStatus: op.status,
            error: `ERR_UNEXPECTED: ${(err as Error).message}`,
          });
      })
      .finally(() => {
        this.running--;
        this.completeUnit(unit, true);
      });
  }

  /** A unit measured in an earlier segment (replayed after a resume only to rebuild handle state). */
  private isWarm(unit: OpUnit): boolean {
    const progress = this.deps.progress;
    if (progress === undefined || this.deps.warmMetrics === undefined) return false;
    const ordinal = this.ordinals.get(unit);
    return ordinal !== undefined && progress.isWarm(ordinal);
  }

  private warm(): OpRunner {
    this.warmRunner ??= this.makeRunner(this.deps.warmMetrics!);
    return this.warmRunner;
  }

  private async execute(unit: OpUnit, intendedUs: number, runner: OpRunner): Promise<void> {
    const first = unit.ops[0]!;
    if (unit.ops.length === 1 && first.op === 'cancel') return this.cancelTarget(first, runner, intendedUs);
    if (unit.ops.length === 1 && this.broken) return runner.skip(first, SkipReason.SESSION_UNAVAILABLE);
    const abortable = unit.ops.filter((o) => isCancellable(o) || this.cancelTargets.has(o.seq));
    const send = (call: CallOptions): Promise<void> =>
      unit.ops.length > 1
        ? runner.runChain(unit, intendedUs, call)
        : runner.runSingle(first as WireOp, intendedUs, call);
    if (abortable.length === 0) return send({});
    const controller = new AbortController();
    for (const o of abortable) this.pendingAsync.set(o.seq, controller);
    const notifyLatencyUs = Math.max(
      -1,
      ...abortable.filter((o) => o.op === 'change_notify').map((o) => o.latencyUs ?? 0),
    );
    const isNotify = notifyLatencyUs >= 0;
    if (isNotify) {
      this.background++;
      const waitUs = notifyLatencyUs + this.deps.options.asyncSlackMs * 1000;
      this.deps.scheduler.schedule(this.deps.scheduler.now + waitUs, () => controller.abort());
      this.checkProgress();
    }
    let cancelNow = false;
    for (const o of abortable) if (this.deferredCancels.delete(o.seq)) cancelNow = true;
    // Aborted before sending: the client sends the request, then its CANCEL right behind it.
    if (cancelNow) controller.abort();
    try {
      await send({ signal: controller.signal });
    } finally {
      for (const o of abortable) {
        this.pendingAsync.delete(o.seq);
        this.cancelTargets.delete(o.seq);
      }
      if (isNotify) this.background--;
    }
  }

  /** An IR CANCEL (MS-SMB2 3.2.4.24): it has no response of its own and is recorded locally. */
  private cancelTarget(op: IrOpOf<'cancel'>, runner: OpRunner, intendedUs: number): void {
    const pending = this.pendingAsync.get(op.target);
    if (pending === undefined && !this.tracker.isIncomplete(op.target)) {
      runner.skip(op, SkipReason.CANCEL_TARGET_DONE);
      return;
    }
    if (pending) pending.abort();
    else this.deferredCancels.add(op.target);
    runner.recordLocal(op, 0, intendedUs);
  }

  private completeUnit(unit: OpUnit, ran: boolean): void {
    this.pulled--;
    const progress = this.deps.progress;
    if (progress !== undefined) {
      const ordinal = this.ordinals.get(unit);
      this.ordinals.delete(unit);
      // A dropped unit (ran = false) was never measured: the resume point must not pass it.
      if (ran && ordinal !== undefined) progress.completed(ordinal, this.handles.openCount);
    }
    const next = this.tracker.complete(unit);
    if (ran && this.isActive) for (const u of next) this.ready(u);
    else for (const u of next) this.completeUnit(u, false);
    this.pump();
  }

  /** Ends the iteration or the stream once nothing but background ops is pending. */
  private checkProgress(): void {
    if (!this.isActive) {
      if (this.running === 0) this.finish();
      return;
    }
    if (!this.streamEnded && !this.iterationEnding) return;
    const pending = this.tracker.pending;
    if (pending > 0 && pending === this.background) {
      // Only change notifications left: complete them with a cancel (MS-SMB2 3.2.4.24).
      for (const c of new Set(this.pendingAsync.values())) {
        if (c.signal.aborted) continue;
        this.cancelledAtEnd++;
        c.abort();
      }
      return;
    }
    if (pending > 0) return;
    if (this.streamEnded) {
      this.deps.progress?.finish();
      this.finish();
      return;
    }
    this.iterationEnding = false;
    this.waitingForFeed = true;
    void this.nextIteration();
  }

  /**
   * Iterations: handles left open are closed and state is reset; the next pass starts from the
   * initial namespace (pass-namespace.ts) unless --pass-namespace reuse. Its clock starts after
   * that prepare, so the prepare is neither measured nor counted in the pass's pacing.
   */
  private async nextIteration(): Promise<void> {
    await this.closeLeftovers();
    this.tracker.reset();
    this.deferredCancels.clear();
    this.cancelTargets.clear();
    this.handles.clear();
    this.opState.reset();
    this.iteration++;
    this.deps.progress?.nextIteration();
    const passes = this.deps.passes;
    if (passes !== undefined) {
      this.opState.paths = passes.paths(this.iteration);
      const tree = this.deps.session.tree;
      if (tree !== undefined && !this.broken && this.deps.progress?.needsPassPrepare !== false) {
        this.preparingPass = passes.prepare(tree, this.iteration);
        await this.preparingPass;
        this.preparingPass = undefined;
      }
    }
    // The next pass is prepared before the wait, so a session starts the moment it arrives.
    if (!(await this.admitted())) return;
    this.iterBaseUs = this.deps.scheduler.now;
    this.tBaseUs = undefined;
    this.waitingForFeed = false;
    this.pump();
  }

  /**
   * Open model: waits for the arrival that starts this user's next session; false (and the user
   * stopped) once the run is over. Without --arrival-rate every pass starts at once.
   */
  private async admitted(): Promise<boolean> {
    const gate = this.deps.arrivals;
    if (gate === undefined) return this.isActive;
    const go = await gate.waitTurn();
    if (!go) this.stop();
    return go && this.isActive;
  }

  /** Closes handles the trace left open (docs/ir.md: "the runner closes them"); not measured. */
  private async closeLeftovers(): Promise<void> {
    const open = this.handles.openHandles();
    await Promise.all(
      open.map(async ([id, h]) => {
        this.handles.closed(id);
        h.tree.session.connection.breaks.forget(h.fileId, h.leaseKey);
        if (h.tree.session.connection.isClosed) return;
        await sendOne({ codec: closeCodec, request: { flags: 0, fileId: h.fileId } }, h.tree).catch(
          () => undefined,
        );
      }),
    );
  }

  /** One recovery at a time; handles are reclaimed (durable) or marked lost. */
  private recover(kind: RecoveryKind, generation: number): Promise<boolean> {
    if (this.broken) return Promise.resolve(false);
    if (generation < this.deps.session.generation && this.deps.session.isOpen) return Promise.resolve(true);
    if (this.recovering) return this.recovering;
    this.recovering = (async () => {
      try {
        const tree = await this.deps.session.recover(kind, generation);
        const counts = await reclaimHandles(this.handles, tree);
        this.handlesAfterRecovery.reopened += counts.reopened;
        this.handlesAfterRecovery.lost += counts.lost;
        return true;
      } catch {
        this.broken = true;
        return false;
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }
}
