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

/**
 * Points sorted by time, same-second points merged and empty seconds filled in, so a chart's x
 * axis is uniform.
 */
export function fillGaps(points: readonly TimeSeriesPoint[]): TimeSeriesPoint[] {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const out: TimeSeriesPoint[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.t === p.t) {
      out[out.length - 1] = mergePoints(last, p);
      continue;
    }
    if (last !== undefined) for (let t = last.t + 1; t < p.t; t++) out.push(emptyPoint(t));
    out.push(p);
  }
  return out;
}

export class TimeSeries {
  private readonly done: TimeSeriesPoint[] = [];
  private readonly current = newTimeSeriesHistogram();
  private currentSecond = -1;
  private errors = 0;
  private bytes = 0;

  /** Records one completed op at `nowMs` (Unix ms). */
  record(nowMs: number, serviceUs: number, isError: boolean, bytes: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.currentSecond) this.roll(second);
    this.current.record(serviceUs);
    if (isError) this.errors++;
    this.bytes += bytes;
  }

  /** Every second so far, including the live one, gaps filled. */
  points(): TimeSeriesPoint[] {
    const all = this.done.slice();
    if (this.currentSecond >= 0 && this.current.count > 0) {
      all.push(pointFromHistogram(this.currentSecond, this.errors, this.bytes, this.current));
    }
    return fillGaps(all);
  }

  private roll(second: number): void {
    if (this.currentSecond >= 0 && this.current.count > 0) {
      this.done.push(pointFromHistogram(this.currentSecond, this.errors, this.bytes, this.current));
    }
    this.current.reset();
    this.errors = 0;
    this.bytes = 0;
    this.currentSecond = second;
  }
}
