/**
 * Empirical distributions stored as quantile tables: the sorted sample reduced to 101 points
 * (minimum, every percentile, maximum). Small and constant-size in the model JSON whatever the
 * trace length, and sampling picks one of the points (inverse transform by nearest rank, no
 * interpolation), so discrete values such as a client's fixed 16 KiB read size come back exactly
 * instead of being smeared between neighbours.
 */
import type { Prng } from './prng.js';

export interface QuantileTable {
  /** Values observed (before reduction). */
  readonly count: number;
  /** 101 non-decreasing integers: q[i] is the i-th percentile (nearest rank); empty when count = 0. */
  readonly q: readonly number[];
}

const POINTS = 101;

export function quantileTable(values: readonly number[]): QuantileTable {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, q: [] };
  const q: number[] = [];
  for (let i = 0; i < POINTS; i++) {
    const rank = Math.min(n - 1, Math.max(0, Math.ceil((i / (POINTS - 1)) * n) - 1));
    q.push(Math.round(sorted[rank]!));
  }
  return { count: n, q };
}

/** One draw; `fallback` when the distribution is empty (nothing of that kind was observed). */
export function sampleQuantiles(table: QuantileTable, rng: Prng, fallback: number): number {
  if (table.q.length === 0) return fallback;
  // Points 1..100 each stand for 1% of the mass; point 0 is the minimum, kept for the record.
  return table.q[1 + rng.int(POINTS - 1)]!;
}
