/**
 * Joining the results of one run's *segments* in time (the run up to a crash, then each resume)
 * into the results of the whole run. Counts and histograms merge exactly like the results of
 * workers (mergeResults); what differs is time: segments ran one after another, not side by side.
 *
 * - durationMs is the sum of the segments' durations (the downtime between a crash and its resume
 *   is not run time), and ops/s is computed over it;
 * - peak gauges are the highest of any segment, not the sum;
 * - the per-second time series is each segment's own seconds, without filling the downtime with
 *   empty seconds (a second present in two segments is merged).
 */
import { mergeResults } from '../observe/merge-results.js';
import type { PeakGauges, RunResults, TimeSeriesPoint } from '../observe/run-results.js';
import { mergePoints } from '../observe/time-series.js';

export interface SegmentInfo {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly ops: number;
}

/** The segments a results document was built from (meta.segments), oldest first. */
export function segmentsOf(results: RunResults): SegmentInfo[] {
  const saved = results.meta['segments'];
  if (Array.isArray(saved)) return saved as SegmentInfo[];
  return [{ startedAt: results.startedAt, endedAt: results.endedAt, ops: results.totals.ops }];
}

function joinTimeSeries(parts: readonly RunResults[]): TimeSeriesPoint[] {
  const byT = new Map<number, TimeSeriesPoint>();
  for (const p of parts) {
    for (const point of p.timeSeries) {
      const seen = byT.get(point.t);
      byT.set(point.t, seen ? mergePoints(seen, point) : point);
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

function maxPeaks(parts: readonly RunResults[]): PeakGauges {
  return {
    activeUsers: Math.max(...parts.map((p) => p.peak.activeUsers)),
    sessions: Math.max(...parts.map((p) => p.peak.sessions)),
    connections: Math.max(...parts.map((p) => p.peak.connections)),
  };
}

/**
 * The results of consecutive segments as one run. The meta is the last segment's (the run as it
 * was finally configured), with `segments` listing every segment.
 */
export function combineSegments(parts: readonly RunResults[]): RunResults {
  if (parts.length === 1) return parts[0]!;
  const merged = mergeResults(parts);
  const last = parts[parts.length - 1]!;
  const durationMs = parts.reduce((n, p) => n + p.durationMs, 0);
  const ops = merged.totals.ops;
  // Segments are not side-by-side parts: mergeResults' part count does not apply.
  const meta: Record<string, unknown> = { ...last.meta, segments: parts.flatMap(segmentsOf) };
  delete meta['mergedParts'];
  return {
    ...merged,
    meta,
    durationMs,
    totals: { ...merged.totals, opsPerSecond: durationMs > 0 ? (ops * 1000) / durationMs : 0 },
    peak: maxPeaks(parts),
    timeSeries: joinTimeSeries(parts),
  };
}
