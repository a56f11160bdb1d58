/**
 * How much of a difference between two runs sampling alone explains. Distribution-free, from the
 * counts the results already carry:
 * - a percentile's 95% confidence interval is the values at ranks n·p ± 1.96·sqrt(n·p·(1-p))
 *   (the order-statistic interval for a quantile), read from the lossless HDR histogram, which also
 *   folds in the histogram's bucket resolution;
 * - a rate (ops per second) is a Poisson count: relative noise about 1.96·sqrt(1/nA + 1/nB);
 * - a proportion (error rate, fidelity) uses the two-proportion z-test at 95%.
 */
import { HdrHistogram } from '../hdr-histogram.js';

const Z95 = 1.96;

export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** Percentile `p` (0..100) of an encoded histogram with its 95% interval; undefined when empty. */
export function percentileInterval(encoded: string, p: number): Interval | undefined {
  if (encoded === '') return undefined;
  const h = HdrHistogram.decode(encoded);
  const n = h.count;
  if (n === 0) return undefined;
  const q = p / 100;
  const half = Z95 * Math.sqrt((q * (1 - q)) / n);
  return {
    value: h.percentile(p),
    low: h.percentile(Math.max(0, q - half) * 100),
    high: h.percentile(Math.min(1, q + half) * 100),
  };
}

/** True when the two intervals do not overlap: the percentiles really differ. */
export function intervalsApart(a: Interval, b: Interval): boolean {
  return a.high < b.low || b.high < a.low;
}

/** Relative change of two Poisson rates that sampling alone could produce (95%). */
export function rateNoise(countA: number, countB: number): number {
  if (countA === 0 || countB === 0) return Infinity;
  return Z95 * Math.sqrt(1 / countA + 1 / countB);
}

/** |z| of the difference between proportions xA/nA and xB/nB; 0 when undefined. */
export function proportionZ(xA: number, nA: number, xB: number, nB: number): number {
  if (nA === 0 || nB === 0) return 0;
  const pooled = (xA + xB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return 0;
  return Math.abs(xB / nB - xA / nA) / se;
}

export function proportionsApart(xA: number, nA: number, xB: number, nB: number): boolean {
  return proportionZ(xA, nA, xB, nB) > Z95;
}
