/**
 * Getting each virtual user its ops. The workload is read once per pass, in time order, with
 * readIr's streaming reader, grouped into units per captured user (op-unit.ts) and handed to every
 * virtual user that replays that captured user through its own cursor.
 *
 * Two modes, chosen by the workload's op count:
 * - in memory (up to `maxOpsInMemory` ops): one pass is loaded before the run starts; the
 *   frozen ops are shared by all copies of a captured user, and `--iterations` re-walks them;
 * - streaming (bigger workloads): ops are read while the run goes on, one pass per iteration.
 *   Per captured user, at most `lookahead` units are kept between its slowest and fastest
 *   virtual user; when that fills up, reading pauses (back-pressure) until the slowest catches up.
 *   A virtual user that has not started yet (ramp-up) also holds reading back.
 */
import type { IrReader } from '../ir/ir-reader.js';
import type { UserId } from '../ir/types.js';
import { UnitAssembler, type OpUnit } from './op-unit.js';

/** Returned between two passes: the user must finish and reset before the next iteration. */
export const ITERATION_END = Symbol('iteration end');
export type FeedEntry = OpUnit | typeof ITERATION_END;

export const DEFAULT_MAX_OPS_IN_MEMORY = 500_000;
export const DEFAULT_LOOKAHEAD = 4096;
/** Trim the consumed front of a queue only in steps this large (cheap amortised compaction). */
const TRIM_STEP = 1024;

export interface OpFeedOptions {
  readonly reader: IrReader;
  /** Captured users that are replayed, with how many virtual users replay each. */
  readonly consumers: ReadonlyMap<UserId, number>;
  readonly iterations: number;
  /** Op count of the workload, when known (decides the mode). */
  readonly opCount: number | undefined;
  readonly maxOpsInMemory?: number;
  readonly lookahead?: number;
}

class UnitQueue {
  entries: FeedEntry[] = [];
  base = 0;
  ended = false;
  readonly cursors: FeedCursor[] = [];
  dataWaiters: (() => void)[] = [];
  drainWaiter: (() => void) | undefined;
  advancesSinceTrim = 0;

  get end(): number {
    return this.base + this.entries.length;
  }

  wake(): void {
    const waiters = this.dataWaiters;
    this.dataWaiters = [];
    for (const w of waiters) w();
  }

  slowest(): number {
    let min = this.end;
    for (const c of this.cursors) if (!c.closed && c.index < min) min = c.index;
    return min;
  }
}

export class FeedCursor {
  index = 0;
  closed = false;
  private lap = 0;

  constructor(
    private readonly queue: UnitQueue,
    private readonly feed: OpFeed,
  ) {}

  /** The next unit, ITERATION_END between passes, or undefined when the user's stream is over. */
  next(): FeedEntry | undefined | Promise<FeedEntry | undefined> {
    const q = this.queue;
    if (this.index < q.end) {
      const entry = q.entries[this.index - q.base]!;
      this.index++;
      this.feed.advanced(q);
      return entry;
    }
    if (q.ended) {
      if (this.feed.inMemory && this.lap + 1 < this.feed.iterations) {
        this.lap++;
        this.index = 0;
        return ITERATION_END;
      }
      return undefined;
    }
    return new Promise((resolve) => q.dataWaiters.push(() => resolve(this.next())));
  }

  /** The user stopped consuming: it no longer holds back reading. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.feed.advanced(this.queue, true);
  }
}

export class OpFeed {
  readonly inMemory: boolean;
  readonly iterations: number;
  private readonly queues = new Map<UserId, UnitQueue>();
  private readonly lookahead: number;
  private stopped = false;

  constructor(private readonly options: OpFeedOptions) {
    this.iterations = Math.max(1, options.iterations);
    this.lookahead = Math.max(1, options.lookahead ?? DEFAULT_LOOKAHEAD);
    const max = options.maxOpsInMemory ?? DEFAULT_MAX_OPS_IN_MEMORY;
    this.inMemory = options.opCount !== undefined && options.opCount <= max;
    for (const id of options.consumers.keys()) this.queues.set(id, new UnitQueue());
  }

  /** A cursor over the units of captured user `irUser`, for one virtual user. */
  cursor(irUser: UserId): FeedCursor {
    const q = this.queues.get(irUser);
    if (!q) throw new Error(`no feed for user ${irUser}`);
    const c = new FeedCursor(q, this);
    q.cursors.push(c);
    return c;
  }

  /**
   * In memory: loads the one pass and resolves. Streaming: resolves at once and keeps reading in
   * the background; `done` settles when every pass was read (or rejects on a read error).
   */
  async load(): Promise<{ done: Promise<void> }> {
    if (this.inMemory) {
      await this.readPass(false);
      this.finish();
      return { done: Promise.resolve() };
    }
    const done = (async () => {
      try {
        for (let pass = 0; pass < this.iterations && !this.stopped; pass++) {
          if (pass > 0) for (const q of this.queues.values()) await this.append(q, [ITERATION_END]);
          await this.readPass(true);
        }
      } finally {
        this.finish();
      }
    })();
    return { done };
  }

  /** Stops reading (end of run); cursors see the end of their stream after what is queued. */
  stop(): void {
    this.stopped = true;
    for (const q of this.queues.values()) q.drainWaiter?.();
  }

  /** Units currently held in memory (all captured users). */
  get buffered(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.entries.length;
    return n;
  }

  /** @internal a cursor advanced (or closed): maybe trim, maybe release the reader. */
  advanced(q: UnitQueue, force = false): void {
    if (this.inMemory) return;
    q.advancesSinceTrim++;
    if (!force && q.advancesSinceTrim < Math.min(TRIM_STEP, this.lookahead / 4)) return;
    q.advancesSinceTrim = 0;
    const slowest = q.slowest();
    const consumed = slowest - q.base;
    if (consumed >= TRIM_STEP || (force && consumed > 0)) {
      q.entries = q.entries.slice(consumed);
      q.base = slowest;
    }
    if (q.drainWaiter && q.end - slowest < this.lookahead / 2) {
      const w = q.drainWaiter;
      q.drainWaiter = undefined;
      w();
    }
  }

  private async readPass(backPressure: boolean): Promise<void> {
    const assemblers = new Map<UserId, UnitAssembler>();
    for (const id of this.queues.keys()) assemblers.set(id, new UnitAssembler());
    for await (const op of this.options.reader.ops({ users: this.queues.keys() })) {
      if (this.stopped) break;
      const q = this.queues.get(op.user);
      const assembler = assemblers.get(op.user);
      if (!q || !assembler) continue;
      const units = assembler.push(op);
      if (units.length > 0) await this.append(q, units, backPressure);
    }
    for (const [id, assembler] of assemblers) {
      const units = assembler.flush();
      if (units.length > 0) await this.append(this.queues.get(id)!, units, false);
    }
  }

  private async append(q: UnitQueue, entries: readonly FeedEntry[], backPressure = true): Promise<void> {
    for (const e of entries) q.entries.push(e);
    q.wake();
    if (!backPressure || this.inMemory) return;
    while (!this.stopped && q.end - q.slowest() > this.lookahead) {
      await new Promise<void>((resolve) => {
        q.drainWaiter = resolve;
      });
    }
  }

  private finish(): void {
    for (const q of this.queues.values()) {
      q.ended = true;
      q.wake();
    }
  }
}
