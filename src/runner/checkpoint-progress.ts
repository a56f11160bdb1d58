/**
 * One virtual user's progress through its stream, kept so a checkpoint can say where the user
 * resumes (checkpoint-format.ts) and so a resumed user knows which units to pass over.
 *
 * The resume point is the user's latest *quiescent point*: the longest prefix of its units that
 * all completed, taken at a moment when the user had no handle open. A resumed user has a new
 * session, so it cannot use FileIds from before the crash; starting at a quiescent point means
 * every handle it needs is opened again by the units it replays. Units completed after that point
 * are replayed too, but their measurements are already in the checkpoint, so they are *warm*:
 * sent, not measured. Each unit is therefore measured exactly once over all segments.
 *
 * Why "no handle open" is enough even with ops overlapping: a later op on a handle opened before
 * the point finds the handle unknown and is skipped; in the original run the same op found it
 * closed (the table was empty) and was skipped the same way (handle-table.ts).
 *
 * Cost: one counter bump per pulled unit and a Set operation for units completing out of order.
 */
import type { OrdinalRange, UserCheckpoint } from './checkpoint-format.js';

/** Sorted ordinals -> compact [from, to) ranges. */
export function toRanges(sorted: Iterable<number>): OrdinalRange[] {
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === n) last[1] = n + 1;
    else if (last === undefined || n > last[1]) out.push([n, n + 1]);
  }
  return out;
}

/** Sorted, disjoint union of possibly overlapping ranges (adjacent ones are joined). */
export function unionRanges(ranges: readonly OrdinalRange[]): OrdinalRange[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Whether `n` lies in one of the sorted, disjoint ranges (binary search). */
export function inRanges(ranges: readonly OrdinalRange[], n: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = ranges[mid]!;
    if (n < from) hi = mid - 1;
    else if (n >= to) lo = mid + 1;
    else return true;
  }
  return false;
}

export class UserProgress {
  /** The iteration the user is replaying (follows the virtual user's own counter). */
  iteration = 0;
  private nextOrdinal = 0;
  /** Every ordinal below this completed (or lies before the resume point). */
  private prefix = 0;
  /** The latest prefix reached while no handle was open. */
  private quiescent = 0;
  /** Completed ordinals at or above `prefix`. */
  private readonly ahead = new Set<number>();
  /** The resume checkpoint's measured ranges, while in its iteration. */
  private inherited: readonly OrdinalRange[] = [];
  private finished = false;

  constructor(
    readonly user: number,
    private readonly resume?: UserCheckpoint,
  ) {
    if (resume?.done) this.finished = true;
    this.enterIteration();
  }

  /** The user's stream had been entirely replayed in an earlier segment. */
  get wasDoneBefore(): boolean {
    return this.resume?.done === true;
  }

  /** The user's stream was entirely replayed (before or in this segment): nothing to run. */
  get isDone(): boolean {
    return this.finished;
  }

  /**
   * The user resumes in the middle of its stream, so its pacing clock restarts at its first
   * replayed unit instead of the trace's time zero.
   */
  get resumesMidStream(): boolean {
    return this.resume !== undefined && (this.resume.iteration > 0 || this.resume.resumeAt > 0);
  }

  /**
   * Whether the iteration the user just entered must be prepared (pass-namespace.ts): not while
   * passing over iterations completed before the resume point, nor when resuming inside one whose
   * directory already holds what its completed ops did.
   */
  get needsPassPrepare(): boolean {
    const r = this.resume;
    if (r === undefined || this.iteration > r.iteration) return true;
    if (this.iteration < r.iteration) return false;
    return r.resumeAt === 0 && r.measured.length === 0;
  }

  /** Units passed over so far because they lay before the resume point. */
  passedOver = 0;

  /**
   * The ordinal of the next unit the user pulled, or undefined when that unit lies before the
   * resume point and must not be replayed.
   */
  admit(): number | undefined {
    const ordinal = this.nextOrdinal++;
    const r = this.resume;
    if (
      r !== undefined &&
      (this.iteration < r.iteration || (this.iteration === r.iteration && ordinal < r.resumeAt))
    ) {
      this.passedOver++;
      return undefined;
    }
    return ordinal;
  }

  /** The unit was measured in an earlier segment: replay it without measuring it again. */
  isWarm(ordinal: number): boolean {
    return this.inherited.length > 0 && inRanges(this.inherited, ordinal);
  }

  /** A unit ran to completion (measured or warm); `openHandles` is the user's count right now. */
  completed(ordinal: number, openHandles: number): void {
    if (ordinal !== this.prefix) {
      if (ordinal > this.prefix) this.ahead.add(ordinal);
      return;
    }
    this.prefix++;
    while (this.ahead.delete(this.prefix)) this.prefix++;
    if (openHandles === 0) this.quiescent = this.prefix;
  }

  /** The user starts its next iteration (all units of the previous one completed). */
  nextIteration(): void {
    this.iteration++;
    this.enterIteration();
  }

  /** The user's stream ended normally (not stopped): done for every later segment. */
  finish(): void {
    this.finished = true;
  }

  snapshot(): UserCheckpoint {
    const r = this.resume;
    if (this.finished)
      return { user: this.user, done: true, iteration: this.iteration, resumeAt: 0, measured: [] };
    // Still passing over iterations before the resume point: the old resume point stands.
    if (r !== undefined && this.iteration < r.iteration) return r;
    const from = this.quiescent;
    const parts: OrdinalRange[] = [];
    if (this.prefix > from) parts.push([from, this.prefix]);
    parts.push(...toRanges([...this.ahead].sort((x, y) => x - y)));
    // Warm units not replayed yet are still measured (in the checkpoint's results).
    for (const [a, b] of this.inherited) if (b > from) parts.push([Math.max(a, from), b]);
    return {
      user: this.user,
      done: false,
      iteration: this.iteration,
      resumeAt: from,
      measured: unionRanges(parts),
    };
  }

  /** Whether a snapshot would say anything a fresh start does not (absent users start over). */
  get hasProgress(): boolean {
    return (
      this.finished ||
      this.iteration > 0 ||
      this.prefix > 0 ||
      this.ahead.size > 0 ||
      this.resume !== undefined
    );
  }

  private enterIteration(): void {
    this.nextOrdinal = 0;
    this.ahead.clear();
    const r = this.resume;
    if (r !== undefined && this.iteration === r.iteration) {
      this.prefix = r.resumeAt;
      this.quiescent = r.resumeAt;
      this.inherited = r.measured;
    } else {
      this.prefix = 0;
      this.quiescent = 0;
      this.inherited = [];
    }
  }
}
