import { MinHeap } from './min-heap.js';

/**
 * One event-driven timer heap for every simulated user in the process.
 *
 * Why one heap: 5,000 users each holding a `setTimeout` would be 5,000 timers re-armed per op; the
 * heap keeps every pending op in one structure and the process arms exactly one timer, for the
 * earliest deadline. Due tasks run from `setImmediate` so I/O callbacks interleave with them.
 *
 * Why a batch window: Node timers have millisecond granularity and tend to fire up to ~1 ms late,
 * so tasks due within BATCH_WINDOW_US of "now" run in the current batch instead of waiting for a
 * timer that could only be later. That bounds earliness to 1 ms and never spins the CPU waiting
 * for a deadline. A task that runs early reports a lag of 0 (lag is never negative).
 */
export type ScheduledTask = (lagUs: number) => void;

export interface SchedulerOptions {
  /** Monotonic clock in µs. Default `performance.now() * 1000`. */
  readonly clock?: () => number;
  /** Called when a task throws. Default: rethrow on the next tick (an uncaught error, as usual). */
  readonly onTaskError?: (error: unknown) => void;
}

/** Tasks due within this many µs of now run in the current batch (see the class comment). */
export const BATCH_WINDOW_US = 1000;
/** A batch yields to the event loop after this long so sockets are read even under overload. */
const BATCH_BUDGET_US = 5000;

/** setTimeout treats longer delays as 1 ms; a far deadline just re-arms on wake-up. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const defaultClock = (): number => performance.now() * 1000;

export class Scheduler {
  private readonly heap = new MinHeap<ScheduledTask>();
  private readonly clock: () => number;
  private readonly onTaskError: (error: unknown) => void;
  private readonly runBatchBound: () => void;
  private running = false;
  /** True while runBatch runs tasks: schedule() then leaves arming to the end of the batch. */
  private inBatch = false;
  private timer: NodeJS.Timeout | undefined;
  /** The deadline the armed timer (or immediate) is for; Infinity when nothing is armed. */
  private armedForUs = Infinity;
  private immediate: NodeJS.Immediate | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(opts: SchedulerOptions = {}) {
    this.clock = opts.clock ?? defaultClock;
    this.onTaskError =
      opts.onTaskError ??
      ((error) =>
        process.nextTick(() => {
          throw error;
        }));
    this.runBatchBound = () => this.runBatch();
  }

  get now(): number {
    return this.clock();
  }

  get pending(): number {
    return this.heap.size;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Runs `task` at (or as soon as possible after) `atUs` on the scheduler clock. */
  schedule(atUs: number, task: ScheduledTask): void {
    // NaN would silently corrupt the heap order; it can only come from a bug upstream.
    if (Number.isNaN(atUs)) throw new RangeError('Scheduler.schedule: deadline is NaN');
    this.heap.push(atUs, task);
    // Only an earlier deadline than the armed one needs re-arming; the common case (a later op)
    // costs just the heap push.
    if (this.running && !this.inBatch && atUs < this.armedForUs) this.arm();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  /**
   * Stops processing and discards every queued task: the run is over, so nothing queued should
   * fire later. `onIdle()` waiters resolve. `start()` may be called again afterwards.
   */
  stop(): void {
    this.running = false;
    this.disarm();
    this.heap.clear();
    this.resolveIdle();
  }

  /** Resolves when no tasks are queued (immediately if none are). */
  onIdle(): Promise<void> {
    if (this.heap.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private disarm(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    this.armedForUs = Infinity;
  }

  /** Arms the single wake-up for the earliest queued deadline (or nothing when idle). */
  private arm(): void {
    const next = this.heap.peekKey();
    if (next === undefined) {
      this.disarm();
      return;
    }
    // A batch already queued via setImmediate will look at the heap itself.
    if (this.immediate !== undefined) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.armedForUs = next;
    const delayUs = next - this.clock();
    if (delayUs <= BATCH_WINDOW_US) {
      this.immediate = setImmediate(this.runBatchBound);
      return;
    }
    // Wake slightly before the deadline: timers fire late, and the batch window absorbs earliness.
    const delayMs = Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.floor(delayUs / 1000) - 1));
    this.timer = setTimeout(this.runBatchBound, delayMs);
  }

  private runBatch(): void {
    this.timer = undefined;
    this.immediate = undefined;
    this.armedForUs = Infinity;
    if (!this.running) return;
    const started = this.clock();
    let now = started;
    const heap = this.heap;
    this.inBatch = true;
    for (;;) {
      const at = heap.peekKey();
      if (at === undefined || at > now + BATCH_WINDOW_US) break;
      const task = heap.pop() as ScheduledTask;
      try {
        task(now > at ? now - at : 0);
      } catch (error) {
        this.onTaskError(error);
      }
      if (!this.running) break;
      now = this.clock();
      if (now - started > BATCH_BUDGET_US) break;
    }
    this.inBatch = false;
    if (!this.running) return;
    if (heap.size === 0) this.resolveIdle();
    this.arm();
  }

  private resolveIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
