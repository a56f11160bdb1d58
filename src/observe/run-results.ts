import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { FidelityNoteCounts } from './fidelity-notes.js';
import type { HistogramJson } from './hdr-histogram.js';
import type { MismatchBreakdownRow, MismatchRow } from './mismatch-breakdown.js';

/**
 * The JSON document a run produces (`--json`, worker outputs, later reports). Versioned so a report
 * tool can refuse a file it does not understand. Every histogram carries its lossless encoding, so
 * results of several workers or shards merge exactly (mergeResults) instead of averaging percentiles.
 * All latencies are integer microseconds.
 */
export const RESULTS_FORMAT = 'smbench-results';
export const RESULTS_VERSION = 1;

export interface FidelityCounts {
  /** Ops whose status equalled the status recorded in the capture. */
  readonly matched: number;
  readonly mismatched: number;
  /** Ops whose status differed in a spec-sanctioned way (fidelity-notes.ts); absent when 0. */
  readonly equivalent?: number;
}

export interface KindFidelity extends FidelityCounts, FidelityNoteCounts {
  /** "expected STATUS_X got STATUS_Y" (or an error code instead of STATUS_Y) -> count. */
  readonly mismatches: Record<string, number>;
  /** The same per (recorded, replayed) status with example paths; absent in older results. */
  readonly breakdown?: readonly MismatchBreakdownRow[];
}

export interface KindResults {
  readonly ops: number;
  readonly errors: number;
  readonly bytes: number;
  /** Time from sending the request to its completion. */
  readonly service: HistogramJson;
  /**
   * Time from the op's intended start (per the pacing) to its completion; equals `service` under
   * max pacing. Counts the time an op waited behind a slow predecessor (coordinated omission).
   */
  readonly fromIntended: HistogramJson;
  /** NT status name (or error code for ops without a status, e.g. ERR_SMB_TIMEOUT) -> count. */
  readonly statuses: Record<string, number>;
  readonly fidelity: KindFidelity;
  readonly retries: number;
}

/** One wall-clock second of the run (all op kinds), for throughput and latency charts. */
export interface TimeSeriesPoint {
  /** Start of the point's bucket, Unix seconds (whole seconds in timeSeries, tenths in fineTimeSeries). */
  readonly t: number;
  readonly ops: number;
  readonly errors: number;
  readonly bytes: number;
  /** Service latency of the ops completed in this second, µs. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** 2-significant-digit histogram of the same (small, mergeable); '' when ops is 0. */
  readonly encoded: string;
}

export interface RunTotals {
  readonly ops: number;
  readonly errors: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly opsPerSecond: number;
}

export interface PeakGauges {
  readonly activeUsers: number;
  readonly sessions: number;
  readonly connections: number;
}

export interface RunResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: typeof RESULTS_VERSION;
  readonly meta: Record<string, unknown>;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly totals: RunTotals;
  /** Service latency over every op kind. */
  readonly service: HistogramJson;
  readonly perKind: Record<string, KindResults>;
  readonly fidelity: FidelityCounts & FidelityNoteCounts & { readonly matchRatio: number };
  /** The largest mismatch rows of all kinds (mismatch-breakdown.ts); absent in older results. */
  readonly mismatches?: readonly MismatchRow[];
  /** How late the scheduler started ops relative to their intended time. */
  readonly lag: HistogramJson;
  /** "kind: reason" -> count of ops the runner did not issue. */
  readonly skips: Record<string, number>;
  readonly retries: number;
  /** Failing NT status name or error code -> count, over all kinds. */
  readonly errorsByStatus: Record<string, number>;
  /** Highest value each gauge reached (summed over merged parts). */
  readonly peak: PeakGauges;
  readonly timeSeries: readonly TimeSeriesPoint[];
  /**
   * The same in 100 ms buckets (t in fractional Unix seconds), present only for runs whose ops
   * span at most 10 s: the report draws short runs from it.
   */
  readonly fineTimeSeries?: readonly TimeSeriesPoint[];
}

/** 1.0 when nothing was checked: no evidence of a mismatch. Equivalent statuses count as faithful. */
export function matchRatio(counts: FidelityCounts): number {
  const equivalent = counts.equivalent ?? 0;
  const checked = counts.matched + counts.mismatched + equivalent;
  return checked === 0 ? 1 : (counts.matched + equivalent) / checked;
}

/** Checks the envelope of a parsed results document (e.g. a worker's output file). */
export function assertRunResults(value: unknown, source = 'results'): asserts value is RunResults {
  const v = value as Partial<RunResults> | null;
  if (typeof v !== 'object' || v === null || v.format !== RESULTS_FORMAT) {
    throw new SmbBenchError(ErrorCode.USAGE, `${source} is not an ${RESULTS_FORMAT} document`);
  }
  if (v.version !== RESULTS_VERSION) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `${source} has ${RESULTS_FORMAT} version ${String(v.version)}; this smbench reads version ${RESULTS_VERSION}`,
    );
  }
  if (
    typeof v.perKind !== 'object' ||
    v.perKind === null ||
    !Array.isArray(v.timeSeries) ||
    !v.totals ||
    !v.lag
  ) {
    throw new SmbBenchError(ErrorCode.USAGE, `${source} is missing required fields`);
  }
}

/** Adds every count of `from` into `into` (for Record<string, number> tallies). */
export function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

/** A copy sorted by count, highest first (stable by key), for summaries and top-N lists. */
export function sortedCounts(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
