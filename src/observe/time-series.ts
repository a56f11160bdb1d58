import { HdrHistogram } from './hdr-histogram.js';
import type { TimeSeriesPoint } from './run-results.js';

/**
 * Per-wall-clock-second throughput and latency. Only the current second is live (one reusable
 * histogram); a finished second is frozen into a point with its encoded histogram. Two significant
 * digits keep an hour of points small (a few hundred bytes each) while staying mergeable.
 *
 * Wall-clock (Unix) seconds, not run-relative ones, so the points of workers started a few
 * milliseconds apart line up when merged.
 */
export const TIME_SERIES_SIGNIFICANT_DIGITS = 2;

export function newTimeSeriesHistogram(): HdrHistogram {
  return new HdrHistogram({ significantDigits: TIME_SERIES_SIGNIFICANT_DIGITS });
}

export function emptyPoint(t: number): TimeSeriesPoint {
  return { t, ops: 0, errors: 0, bytes: 0, p50: 0, p99: 0, max: 0, encoded: '' };
}

export function pointFromHistogram(
  t: number,
  errors: number,
  bytes: number,
  h: HdrHistogram,
): TimeSeriesPoint {
  if (h.count === 0) return { ...emptyPoint(t), errors, bytes };
  return {
    t,
    ops: h.count,
    errors,
    bytes,
    p50: h.percentile(50),
    p99: h.percentile(99),
    max: h.max,
    encoded: h.encode(),
  };
}

/** Two points of the same second (from two workers, or a clock step back), merged exactly. */
export function mergePoints(a: TimeSeriesPoint, b: TimeSeriesPoint): TimeSeriesPoint {
  const h = newTimeSeriesHistogram();
  if (a.encoded !== '') h.merge(HdrHistogram.decode(a.encoded));
  if (b.encoded !== '') h.merge(HdrHistogram.decode(b.encoded));
  return pointFromHistogram(a.t, a.errors + b.errors, a.bytes + b.bytes, h);
}

/** The start (Unix seconds) of the `widthMs` bucket numbered `bucket`; one formula, so equal buckets give equal t. */
function bucketStart(bucket: number, widthMs: number): number {
  return (bucket * widthMs) / 1000;
}

/**
 * Points sorted by time, same-bucket points merged and empty buckets filled in, so a chart's x
 * axis is uniform. `widthMs` is the points' bucket width (1000 for the per-second series).
 */
export function fillGaps(points: readonly TimeSeriesPoint[], widthMs = 1000): TimeSeriesPoint[] {
  const bucketOf = (p: TimeSeriesPoint): number => Math.round((p.t * 1000) / widthMs);
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const out: TimeSeriesPoint[] = [];
  let lastBucket = Number.NaN;
  for (const p of sorted) {
    const bucket = bucketOf(p);
    const last = out[out.length - 1];
    if (last !== undefined && bucket === lastBucket) {
      out[out.length - 1] = mergePoints(last, p);
      continue;
    }
    if (last !== undefined) {
      for (let b = lastBucket + 1; b < bucket; b++) out.push(emptyPoint(bucketStart(b, widthMs)));
    }
    out.push(p);
    lastBucket = bucket;
  }
  return out;
}

/**
 * The fine series: 100 ms buckets, kept only while the run spans at most 10 s. A run of a second
 * or two has one or two per-second points, which no chart can draw as a line (issue #11.8); its
 * 10 to 100 fine points can. Past 10 s the per-second series has enough points and the fine one
 * is dropped, so its memory stays bounded at 100 points.
 */
export const FINE_WIDTH_MS = 100;
export const FINE_MAX_SPAN_MS = 10_000;

export interface TimeSeriesOptions {
  /** Bucket width; default one second. */
  readonly widthMs?: number;
  /** Stop (and forget every point) once ops span more than this; default never. */
  readonly maxSpanMs?: number;
}

export class TimeSeries {
  private readonly widthMs: number;
  private readonly maxSpanMs: number;
  private readonly done: TimeSeriesPoint[] = [];
  private readonly current = newTimeSeriesHistogram();
  private currentBucket = -1;
  private firstMs = -1;
  private abandoned = false;
  private errors = 0;
  private bytes = 0;

  constructor(opts: TimeSeriesOptions = {}) {
    this.widthMs = opts.widthMs ?? 1000;
    this.maxSpanMs = opts.maxSpanMs ?? Number.POSITIVE_INFINITY;
  }

  /** Records one completed op at `nowMs` (Unix ms). */
  record(nowMs: number, serviceUs: number, isError: boolean, bytes: number): void {
    if (this.abandoned) return;
    if (this.firstMs < 0) this.firstMs = nowMs;
    if (nowMs - this.firstMs > this.maxSpanMs) {
      this.abandoned = true;
      this.done.length = 0;
      this.current.reset();
      return;
    }
    const bucket = Math.floor(nowMs / this.widthMs);
    if (bucket !== this.currentBucket) this.roll(bucket);
    this.current.record(serviceUs);
    if (isError) this.errors++;
    this.bytes += bytes;
  }

  /** Every bucket so far, including the live one, gaps filled; undefined once the span was exceeded. */
  points(): TimeSeriesPoint[] | undefined {
    if (this.abandoned) return undefined;
    const all = this.done.slice();
    if (this.currentBucket >= 0 && this.current.count > 0) all.push(this.livePoint());
    return fillGaps(all, this.widthMs);
  }

  private livePoint(): TimeSeriesPoint {
    const t = bucketStart(this.currentBucket, this.widthMs);
    return pointFromHistogram(t, this.errors, this.bytes, this.current);
  }

  private roll(bucket: number): void {
    if (this.currentBucket >= 0 && this.current.count > 0) this.done.push(this.livePoint());
    this.current.reset();
    this.errors = 0;
    this.bytes = 0;
    this.currentBucket = bucket;
  }
}

/** The fine series as an optional results field: absent (not empty) for runs too long to keep it. */
export function optionalFine(points: readonly TimeSeriesPoint[] | undefined): {
  fineTimeSeries?: readonly TimeSeriesPoint[];
} {
  return points === undefined ? {} : { fineTimeSeries: points };
}

/**
 * The fine series of several results merged (workers side by side, or checkpoint segments one
 * after another): only when every part kept one and together they still span at most 10 s.
 */
export function mergeFineSeries(parts: readonly { readonly fineTimeSeries?: readonly TimeSeriesPoint[] }[]): {
  fineTimeSeries?: readonly TimeSeriesPoint[];
} {
  const series = parts.map((p) => p.fineTimeSeries);
  if (series.length === 0 || series.some((s) => s === undefined)) return {};
  const merged = fillGaps(
    series.flatMap((s) => s ?? []),
    FINE_WIDTH_MS,
  );
  const first = merged[0];
  const last = merged[merged.length - 1];
  if (first !== undefined && last !== undefined && (last.t - first.t) * 1000 > FINE_MAX_SPAN_MS) return {};
  return { fineTimeSeries: merged };
}
