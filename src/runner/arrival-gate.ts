/**
 * Hands out session starts at the arrival times of arrival-rate.ts. A virtual user between two
 * sessions waits at the gate; each arrival starts one waiting user at once. An arrival that finds
 * no user waiting is **dropped** and counted, never queued for later: a queued start would begin
 * late and hide how far behind the server fell (coordinated omission, issue #13).
 */
import type { Scheduler } from '../scheduler/scheduler.js';
import { arrivalOffsetsUs, type ArrivalStage } from './arrival-rate.js';

export interface ArrivalCounts {
  /** Arrival times reached so far. */
  readonly arrivals: number;
  /** Arrivals that started a session. */
  readonly started: number;
  /** Arrivals with no free virtual user: sessions that could not start on time. */
  readonly dropped: number;
}

export class ArrivalGate {
  private readonly waiting: ((go: boolean) => void)[] = [];
  private arrivals = 0;
  private started = 0;
  private dropped = 0;
  private closed = false;
  private readonly offsets: Iterator<number>;

  constructor(
    private readonly scheduler: Scheduler,
    stages: readonly ArrivalStage[],
    limitMs: number,
  ) {
    this.offsets = arrivalOffsetsUs(stages, limitMs);
  }

  /** Schedules the arrivals from `startUs` on the scheduler clock, one at a time. */
  start(startUs: number): void {
    const step = (): void => {
      const next = this.offsets.next();
      if (next.done === true || this.closed) return;
      this.scheduler.schedule(startUs + next.value, () => {
        this.arrive();
        step();
      });
    };
    step();
  }

  /** Resolves true when an arrival starts this user's next session, false once the run is over. */
  waitTurn(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** End of the run: no more arrivals; every waiting user is released to finish. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve(false);
  }

  counts(): ArrivalCounts {
    return { arrivals: this.arrivals, started: this.started, dropped: this.dropped };
  }

  private arrive(): void {
    if (this.closed) return;
    this.arrivals++;
    const next = this.waiting.shift();
    if (next === undefined) {
      this.dropped++;
      return;
    }
    this.started++;
    next(true);
  }
}
