import { HdrHistogram } from './hdr-histogram.js';
import { sumNoteCounts } from './fidelity-notes.js';
import { KindMetrics, outcomeName } from './kind-metrics.js';
import type { OpSample } from './kind-metrics.js';
import { topMismatches } from './mismatch-breakdown.js';
import { matchRatio, RESULTS_FORMAT, RESULTS_VERSION } from './run-results.js';
import type { RunResults } from './run-results.js';
import { FINE_MAX_SPAN_MS, FINE_WIDTH_MS, optionalFine, TimeSeries } from './time-series.js';

export type { OpSample } from './kind-metrics.js';
export { mergeResults } from './merge-results.js';

/**
 * Everything one process measures during a run. One instance per worker; the worker's RunResults
 * are merged exactly with mergeResults. recordOp is on the hot path (every op of every user): it
 * touches pre-created accumulators only and allocates nothing after a kind's first op.
 */
export const GaugeName = {
  activeUsers: 'activeUsers',
  /** Users the run will have once ramp-up is done (the "/50" in "users 50/50"). */
  targetUsers: 'targetUsers',
  sessions: 'sessions',
  connections: 'connections',
} as const;
export type GaugeName = (typeof GaugeName)[keyof typeof GaugeName];

/**
 * Live observers of a run (Prometheus exporter, run log). Called synchronously from the hot path,
 * so implementations must be cheap (a few array increments) and must not throw.
 */
export interface RunMetricsListener {
  onOp?(sample: OpSample, isError: boolean): void;
  onLag?(lagUs: number): void;
  onSkip?(kind: string, reason: string): void;
  onRetry?(kind: string): void;
  onGauge?(name: GaugeName, value: number): void;
}

/** Totals so far, for the progress line. */
export interface MetricsSnapshot {
  readonly elapsedMs: number;
  readonly ops: number;
  /** Over the time since the previous snapshot (or since the start, for the first one). */
  readonly opsPerSecond: number;
  /** Service latency p99 over the whole run so far, µs. */
  readonly p99Us: number;
  readonly errors: number;
  readonly mismatched: number;
  readonly skips: number;
  readonly activeUsers: number;
  readonly targetUsers: number;
  readonly sessions: number;
  readonly connections: number;
}

export class RunMetrics {
  readonly startedAtMs: number;
  private readonly nowMs: () => number;
  private readonly kinds = new Map<string, KindMetrics>();
  private readonly service = new HdrHistogram();
  private readonly lag = new HdrHistogram();
  private readonly timeSeries = new TimeSeries();
  private readonly fineTimeSeries = new TimeSeries({ widthMs: FINE_WIDTH_MS, maxSpanMs: FINE_MAX_SPAN_MS });
  private readonly errorsByOutcome = new Map<string, number>();
  private readonly skipsByKind = new Map<string, Map<string, number>>();
  private readonly retriesByKind = new Map<string, number>();
  private readonly gauges: Record<GaugeName, number> = {
    activeUsers: 0,
    targetUsers: 0,
    sessions: 0,
    connections: 0,
  };
  private readonly peaks: Record<GaugeName, number> = {
    activeUsers: 0,
    targetUsers: 0,
    sessions: 0,
    connections: 0,
  };
  private ops = 0;
  private errors = 0;
  private mismatched = 0;
  private matched = 0;
  private skips = 0;
  private retries = 0;
  private bytesRead = 0;
  private bytesWritten = 0;
  private lastSnapshotMs: number;
  private lastSnapshotOps = 0;
  private listeners: readonly RunMetricsListener[] = [];

  /** `nowMs` (Unix ms) is injectable for tests; default Date.now. */
  constructor(startedAtMs?: number, nowMs: () => number = Date.now) {
    this.nowMs = nowMs;
    this.startedAtMs = startedAtMs ?? nowMs();
    this.lastSnapshotMs = this.startedAtMs;
  }

  /** Adds a live observer; with none, recording costs one empty-array loop per call. */
  addListener(listener: RunMetricsListener): void {
    this.listeners = [...this.listeners, listener];
  }

  recordOp(s: OpSample): void {
    let kind = this.kinds.get(s.kind);
    if (kind === undefined) {
      kind = new KindMetrics(s.kind);
      this.kinds.set(s.kind, kind);
    }
    const matchedBefore = kind.matched;
    const mismatchedBefore = kind.mismatched;
    const isError = kind.record(s);
    this.matched += kind.matched - matchedBefore;
    this.mismatched += kind.mismatched - mismatchedBefore;
    this.ops++;
    this.service.record(s.serviceUs);
    // Bytes the client wrote to the server vs. everything it got back (reads, listings, info).
    if (s.kind === 'write') this.bytesWritten += s.bytes;
    else this.bytesRead += s.bytes;
    if (isError) {
      this.errors++;
      const name = outcomeName(s);
      this.errorsByOutcome.set(name, (this.errorsByOutcome.get(name) ?? 0) + 1);
    }
    const now = this.nowMs();
    this.timeSeries.record(now, s.serviceUs, isError, s.bytes);
    this.fineTimeSeries.record(now, s.serviceUs, isError, s.bytes);
    for (const l of this.listeners) l.onOp?.(s, isError);
  }

  /** How late the scheduler started an op (µs). */
  recordLag(lagUs: number): void {
    this.lag.record(lagUs);
    for (const l of this.listeners) l.onLag?.(lagUs);
  }

  /** An op the runner did not issue (e.g. unsupported by the server); counted and reported. */
  recordSkip(kind: string, reason: string): void {
    this.skips++;
    let byReason = this.skipsByKind.get(kind);
    if (byReason === undefined) {
      byReason = new Map();
      this.skipsByKind.set(kind, byReason);
    }
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    for (const l of this.listeners) l.onSkip?.(kind, reason);
  }

  recordRetry(kind: string): void {
    this.retries++;
    this.retriesByKind.set(kind, (this.retriesByKind.get(kind) ?? 0) + 1);
    for (const l of this.listeners) l.onRetry?.(kind);
  }

  setGauge(name: GaugeName, value: number): void {
    this.gauges[name] = value;
    if (value > this.peaks[name]) this.peaks[name] = value;
    for (const l of this.listeners) l.onGauge?.(name, value);
  }

  snapshot(): MetricsSnapshot {
    const now = this.nowMs();
    const intervalMs = now - this.lastSnapshotMs;
    const opsPerSecond = intervalMs > 0 ? ((this.ops - this.lastSnapshotOps) * 1000) / intervalMs : 0;
    this.lastSnapshotMs = now;
    this.lastSnapshotOps = this.ops;
    return {
      elapsedMs: now - this.startedAtMs,
      ops: this.ops,
      opsPerSecond,
      p99Us: this.service.percentile(99),
      errors: this.errors,
      mismatched: this.mismatched,
      skips: this.skips,
      activeUsers: this.gauges.activeUsers,
      targetUsers: this.gauges.targetUsers,
      sessions: this.gauges.sessions,
      connections: this.gauges.connections,
    };
  }

  toResults(meta: Record<string, unknown>): RunResults {
    const endedAtMs = this.nowMs();
    const durationMs = Math.max(0, endedAtMs - this.startedAtMs);
    const perKind: Record<string, ReturnType<KindMetrics['toResults']>> = {};
    for (const name of [...this.kinds.keys()].sort()) {
      const kind = this.kinds.get(name) as KindMetrics;
      kind.retries = this.retriesByKind.get(name) ?? 0;
      perKind[name] = kind.toResults();
    }
    const skips: Record<string, number> = {};
    for (const [kind, byReason] of this.skipsByKind) {
      for (const [reason, n] of byReason) skips[`${kind}: ${reason}`] = n;
    }
    const fidelity = {
      matched: this.matched,
      mismatched: this.mismatched,
      ...sumNoteCounts(Object.values(perKind).map((k) => k.fidelity)),
    };
    return {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      meta,
      startedAt: new Date(this.startedAtMs).toISOString(),
      endedAt: new Date(endedAtMs).toISOString(),
      durationMs,
      totals: {
        ops: this.ops,
        errors: this.errors,
        bytesRead: this.bytesRead,
        bytesWritten: this.bytesWritten,
        opsPerSecond: durationMs > 0 ? (this.ops * 1000) / durationMs : 0,
      },
      service: this.service.toJSON(),
      perKind,
      fidelity: { ...fidelity, matchRatio: matchRatio(fidelity) },
      mismatches: topMismatches(perKind),
      lag: this.lag.toJSON(),
      skips,
      retries: this.retries,
      errorsByStatus: Object.fromEntries(this.errorsByOutcome),
      peak: {
        activeUsers: this.peaks.activeUsers,
        sessions: this.peaks.sessions,
        connections: this.peaks.connections,
      },
      timeSeries: this.timeSeries.points() ?? [],
      ...optionalFine(this.fineTimeSeries.points()),
    };
  }
}
