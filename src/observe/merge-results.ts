import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { sumNoteCounts } from './fidelity-notes.js';
import { HdrHistogram } from './hdr-histogram.js';
import type { HistogramJson } from './hdr-histogram.js';
import { addCounts, assertRunResults, matchRatio, RESULTS_FORMAT, RESULTS_VERSION } from './run-results.js';
import type { KindResults, RunResults, TimeSeriesPoint } from './run-results.js';
import { fillGaps, mergeFineSeries } from './time-series.js';
import { mergeBreakdowns, topMismatches } from './mismatch-breakdown.js';

/**
 * Combines the results of workers or shards that ran at the same time into one, exactly:
 * histograms are decoded and merged (never averaged percentiles), counts summed, the time series
 * aligned by wall-clock second. The merged meta is the first part's, plus `mergedParts`.
 */
export function mergeResults(parts: readonly RunResults[]): RunResults {
  if (parts.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'mergeResults needs at least one part');
  parts.forEach((p, i) => assertRunResults(p, `results part ${i + 1}`));
  const first = parts[0] as RunResults;

  const startedAtMs = Math.min(...parts.map((p) => Date.parse(p.startedAt)));
  const endedAtMs = Math.max(...parts.map((p) => Date.parse(p.endedAt)));
  const durationMs = Math.max(0, endedAtMs - startedAtMs, ...parts.map((p) => p.durationMs));

  const sum = (pick: (p: RunResults) => number): number => parts.reduce((n, p) => n + pick(p), 0);
  const ops = sum((p) => p.totals.ops);

  const kindNames = [...new Set(parts.flatMap((p) => Object.keys(p.perKind)))].sort();
  const perKind: Record<string, KindResults> = {};
  for (const name of kindNames) {
    perKind[name] = mergeKind(parts.flatMap((p) => p.perKind[name] ?? []));
  }

  const skips: Record<string, number> = {};
  const errorsByStatus: Record<string, number> = {};
  for (const p of parts) {
    addCounts(skips, p.skips);
    addCounts(errorsByStatus, p.errorsByStatus);
  }
  const fidelity = {
    matched: sum((p) => p.fidelity.matched),
    mismatched: sum((p) => p.fidelity.mismatched),
    ...sumNoteCounts(parts.map((p) => p.fidelity)),
  };

  return {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    meta: { ...first.meta, mergedParts: parts.length },
    startedAt: new Date(startedAtMs).toISOString(),
    endedAt: new Date(endedAtMs).toISOString(),
    durationMs,
    totals: {
      ops,
      errors: sum((p) => p.totals.errors),
      bytesRead: sum((p) => p.totals.bytesRead),
      bytesWritten: sum((p) => p.totals.bytesWritten),
      opsPerSecond: durationMs > 0 ? (ops * 1000) / durationMs : 0,
    },
    service: mergeHistograms(parts.map((p) => p.service)),
    perKind,
    fidelity: { ...fidelity, matchRatio: matchRatio(fidelity) },
    mismatches: topMismatches(perKind),
    lag: mergeHistograms(parts.map((p) => p.lag)),
    skips,
    retries: sum((p) => p.retries),
    errorsByStatus,
    // Workers run side by side, so their peaks add up (an upper bound if they peaked at different times).
    peak: {
      activeUsers: sum((p) => p.peak.activeUsers),
      sessions: sum((p) => p.peak.sessions),
      connections: sum((p) => p.peak.connections),
    },
    timeSeries: fillGaps(parts.flatMap((p): readonly TimeSeriesPoint[] => p.timeSeries)),
    ...mergeFineSeries(parts),
  };
}

/** Decodes and merges histogram JSONs, recomputing every statistic from the merged counts. */
export function mergeHistograms(parts: readonly HistogramJson[]): HistogramJson {
  const first = parts[0];
  if (first === undefined) return new HdrHistogram().toJSON();
  const merged = HdrHistogram.decode(first.encoded);
  for (let i = 1; i < parts.length; i++)
    merged.merge(HdrHistogram.decode((parts[i] as HistogramJson).encoded));
  return merged.toJSON();
}

function mergeKind(parts: readonly KindResults[]): KindResults {
  const statuses: Record<string, number> = {};
  const mismatches: Record<string, number> = {};
  let ops = 0;
  let errors = 0;
  let bytes = 0;
  let retries = 0;
  let matched = 0;
  let mismatched = 0;
  for (const k of parts) {
    ops += k.ops;
    errors += k.errors;
    bytes += k.bytes;
    retries += k.retries;
    matched += k.fidelity.matched;
    mismatched += k.fidelity.mismatched;
    addCounts(statuses, k.statuses);
    addCounts(mismatches, k.fidelity.mismatches);
  }
  return {
    ops,
    errors,
    bytes,
    service: mergeHistograms(parts.map((k) => k.service)),
    fromIntended: mergeHistograms(parts.map((k) => k.fromIntended)),
    statuses,
    fidelity: {
      matched,
      mismatched,
      mismatches,
      breakdown: mergeBreakdowns(parts.map((k) => k.fidelity.breakdown)),
      ...sumNoteCounts(parts.map((k) => k.fidelity)),
    },
    retries,
  };
}
