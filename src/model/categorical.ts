/**
 * Discrete distributions over JSON-able values (create templates, query classes, dialects): each
 * distinct value with how often it was seen, in first-seen order so a model is deterministic.
 */
import type { Prng } from './prng.js';

export interface Weighted<T> {
  readonly value: T;
  readonly count: number;
}

/** Counts values by their JSON text, keeping first-seen order. */
export class CategoricalBuilder<T> {
  private readonly counts = new Map<string, { value: T; count: number }>();

  add(value: T): void {
    const key = JSON.stringify(value);
    const slot = this.counts.get(key);
    if (slot) slot.count++;
    else this.counts.set(key, { value, count: 1 });
  }

  build(): Weighted<T>[] {
    return [...this.counts.values()].map(({ value, count }) => ({ value, count }));
  }
}

export function sampleWeighted<T>(items: readonly Weighted<T>[], rng: Prng): T | undefined {
  let total = 0;
  for (const i of items) total += i.count;
  if (total === 0) return undefined;
  let r = rng.next() * total;
  for (const i of items) {
    r -= i.count;
    if (r < 0) return i.value;
  }
  return items[items.length - 1]!.value;
}
