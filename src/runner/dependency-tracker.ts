/**
 * Dependency gating for one virtual user (docs/ir.md "Dependencies", after ROOT/ARTC): a unit may
 * start only once every op in its `deps` has completed, whatever its status. Units arrive in file
 * order and deps name earlier ops of the same user, so "completed" is simply "added and no longer
 * incomplete": memory is bounded by the units in flight, not by the length of the trace. A dep on
 * an op that was never added (filtered out or dropped) counts as satisfied.
 */
export interface Trackable {
  readonly ops: readonly { readonly seq: number }[];
  readonly deps: readonly number[];
}

export class DependencyTracker<T extends Trackable> {
  /** Seqs of ops added and not yet completed. */
  private readonly incomplete = new Set<number>();
  /** Units parked on a seq they wait for. */
  private readonly waiting = new Map<number, T[]>();
  /** Remaining unmet deps per parked unit. */
  private readonly unmet = new Map<T, number>();
  private units = 0;

  /** Registers a unit; true if it may start now, false if it was parked until its deps complete. */
  add(unit: T): boolean {
    for (const op of unit.ops) this.incomplete.add(op.seq);
    this.units++;
    let missing = 0;
    for (const dep of unit.deps) {
      if (!this.incomplete.has(dep)) continue;
      missing++;
      const list = this.waiting.get(dep);
      if (list) list.push(unit);
      else this.waiting.set(dep, [unit]);
    }
    if (missing === 0) return true;
    this.unmet.set(unit, missing);
    return false;
  }

  /** Marks a unit completed; returns the parked units that became ready, in seq order. */
  complete(unit: T): T[] {
    this.units--;
    const ready: T[] = [];
    for (const op of unit.ops) {
      this.incomplete.delete(op.seq);
      const list = this.waiting.get(op.seq);
      if (!list) continue;
      this.waiting.delete(op.seq);
      for (const waiter of list) {
        const left = (this.unmet.get(waiter) ?? 1) - 1;
        if (left === 0) {
          this.unmet.delete(waiter);
          ready.push(waiter);
        } else {
          this.unmet.set(waiter, left);
        }
      }
    }
    if (ready.length > 1) ready.sort((a, b) => a.ops[0]!.seq - b.ops[0]!.seq);
    return ready;
  }

  /** Whether an op has been added and has not completed yet. */
  isIncomplete(seq: number): boolean {
    return this.incomplete.has(seq);
  }

  /** Units added and not completed (running or parked). */
  get pending(): number {
    return this.units;
  }

  /** Units parked on deps. */
  get parked(): number {
    return this.unmet.size;
  }

  /** Forgets everything (between iterations, once nothing is pending). */
  reset(): void {
    this.incomplete.clear();
    this.waiting.clear();
    this.unmet.clear();
    this.units = 0;
  }
}
