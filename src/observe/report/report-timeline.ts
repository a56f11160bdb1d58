import { HdrHistogram } from '../hdr-histogram.js';
import type { HistogramJson } from '../hdr-histogram.js';
import { mergeHistograms } from '../merge-results.js';
import type { RunResults, TimeSeriesPoint } from '../run-results.js';
import { FINE_WIDTH_MS, mergePoints } from '../time-series.js';

/**
 * The chart data of a report, derived from RunResults: per-second throughput and latency over
 * time, and the latency distribution by percentile. Nothing is averaged: when a long run has more
 * seconds than a chart has pixels, consecutive seconds are merged exactly (their encoded
 * histograms added), so a plotted p99 is the true p99 of its window.
 */

/** More points than this are merged into windows of several seconds. */
export const MAX_TIMELINE_POINTS = 1200;

export interface Timeline {
  /** Seconds since the first point, one per (merged) window. */
  readonly x: readonly number[];
  readonly secondsPerPoint: number;
  readonly opsPerSecond: readonly number[];
  readonly errorsPerSecond: readonly number[];
  readonly mibPerSecond: readonly number[];
  /** Service latency, ms; null for windows without ops. */
  readonly p50Ms: readonly (number | null)[];
  readonly p99Ms: readonly (number | null)[];
  readonly maxMs: readonly (number | null)[];
}

/** Fewer per-second points than this and the report draws the 100 ms series instead, when the run kept one. */
export const MIN_SECOND_POINTS = 10;

/** Groups of `size` consecutive points (each `pointSeconds` wide) merged into one (the last group may be shorter). */
export function mergeWindows(
  points: readonly TimeSeriesPoint[],
  size: number,
  pointSeconds = 1,
): { point: TimeSeriesPoint; seconds: number }[] {
  const out: { point: TimeSeriesPoint; seconds: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const group = points.slice(i, i + size);
    let merged = group[0] as TimeSeriesPoint;
    // mergePoints keeps the first point's t, which is the window's start.
    for (let k = 1; k < group.length; k++) merged = mergePoints(merged, group[k] as TimeSeriesPoint);
    out.push({ point: merged, seconds: group.length * pointSeconds });
  }
  return out;
}

/** The series to chart: per second, or per 100 ms for a run too short to give a line (issue #11.8). */
function chartSeries(results: RunResults): { points: readonly TimeSeriesPoint[]; pointSeconds: number } {
  const fine = results.fineTimeSeries;
  if (results.timeSeries.length < MIN_SECOND_POINTS && fine !== undefined && fine.length > 0) {
    return { points: fine, pointSeconds: FINE_WIDTH_MS / 1000 };
  }
  return { points: results.timeSeries, pointSeconds: 1 };
}

export function buildTimeline(results: RunResults, maxPoints = MAX_TIMELINE_POINTS): Timeline {
  const { points, pointSeconds } = chartSeries(results);
  const size = Math.max(1, Math.ceil(points.length / maxPoints));
  const windows = mergeWindows(points, size, pointSeconds);
  const t0 = points[0]?.t ?? 0;
  const ms = (us: number, ops: number): number | null => (ops > 0 ? us / 1000 : null);
  return {
    // Rounded to the millisecond: fractional Unix seconds minus t0 would plot as 0.30000000000000004.
    x: windows.map((w) => Math.round((w.point.t - t0) * 1000) / 1000),
    secondsPerPoint: size * pointSeconds,
    opsPerSecond: windows.map((w) => w.point.ops / w.seconds),
    errorsPerSecond: windows.map((w) => w.point.errors / w.seconds),
    mibPerSecond: windows.map((w) => w.point.bytes / w.seconds / (1 << 20)),
    p50Ms: windows.map((w) => ms(w.point.p50, w.point.ops)),
    p99Ms: windows.map((w) => ms(w.point.p99, w.point.ops)),
    maxMs: windows.map((w) => ms(w.point.max, w.point.ops)),
  };
}

export interface Distribution {
  /** "Nines": -log10(1 - p/100); 0 is the median's left end (p0), 2 is p99, 3 is p99.9. */
  readonly x: readonly number[];
  readonly serviceMs: readonly number[];
  readonly fromIntendedMs: readonly number[];
  readonly maxNines: number;
}

/** p for a position on the nines axis. */
export const percentileAtNines = (nines: number): number => 100 * (1 - 10 ** -nines);

/** Latency by percentile (the classic HdrHistogram plot), service vs. from the intended start. */
export function buildDistribution(results: RunResults, step = 0.05): Distribution {
  const service = HdrHistogram.decode(results.service.encoded);
  const intendedParts = Object.values(results.perKind).map((k): HistogramJson => k.fromIntended);
  const fromIntended = HdrHistogram.decode(mergeHistograms(intendedParts).encoded);
  // Beyond log10(count) nines there is less than one sample per step: the curve would be max.
  const maxNines = Math.min(5, Math.max(1, Math.ceil(Math.log10(Math.max(service.count, 10)))));
  const x: number[] = [];
  for (let n = 0; n <= maxNines + 1e-9; n += step) x.push(Math.round(n * 1000) / 1000);
  const at = (h: HdrHistogram, n: number): number => h.percentile(percentileAtNines(n)) / 1000;
  return {
    x,
    serviceMs: x.map((n) => at(service, n)),
    fromIntendedMs: x.map((n) => at(fromIntended, n)),
    maxNines,
  };
}
