import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { HdrHistogram } from './hdr-histogram.js';
import type { HistogramJson } from './hdr-histogram.js';
import { formatCount, formatPercent, formatRate, formatUs } from './format-units.js';
import { matchRatio } from './run-results.js';
import type { RunResults } from './run-results.js';

/**
 * Pass/fail conditions on a run (k6-style), parsed once from `--threshold` strings:
 *
 *   [<kind>.|lag.][intended.]<stat> <op> <value>[unit]
 *
 *   p99<20ms  p50<=5ms  read.p99<10ms  read.intended.p99<50ms  lag.p99<2ms  max<1s
 *   errors<1%  errors<=10  write.errors<0.5%  fidelity>=99%  ops/s>1000  read.ops/s>=200
 *
 * Latency stats are pNN (any percentile), min, max and mean of service latency (time from request
 * to response), of latency from the intended start (`intended.`), or of the scheduler lag (`lag.`).
 */
export const ThresholdMetric = {
  latency: 'latency',
  errorRate: 'errorRate',
  errorCount: 'errorCount',
  fidelity: 'fidelity',
  throughput: 'throughput',
} as const;
export type ThresholdMetric = (typeof ThresholdMetric)[keyof typeof ThresholdMetric];

export const LatencySource = { service: 'service', fromIntended: 'fromIntended', lag: 'lag' } as const;
export type LatencySource = (typeof LatencySource)[keyof typeof LatencySource];

export type LatencyStat =
  { readonly kind: 'percentile'; readonly p: number } | { readonly kind: 'min' | 'max' | 'mean' };

export type Comparison = '<' | '<=' | '>' | '>=';

export interface Threshold {
  /** The text as given, for reports. */
  readonly spec: string;
  readonly metric: ThresholdMetric;
  /** Op kind the threshold is about; undefined = all kinds. */
  readonly opKind: string | undefined;
  /** For latency thresholds. */
  readonly source: LatencySource | undefined;
  readonly stat: LatencyStat | undefined;
  readonly comparison: Comparison;
  /** Normalised: µs for latency, a 0..1 ratio for percentages, a count, or ops per second. */
  readonly value: number;
}

export interface ThresholdCheck {
  readonly spec: string;
  /** In the threshold's normalised unit; null when the run has nothing to measure (e.g. no such ops). */
  readonly actual: number | null;
  readonly actualText: string;
  readonly passed: boolean;
}

export interface ThresholdReport {
  readonly passed: boolean;
  readonly checks: readonly ThresholdCheck[];
}

const PATTERN =
  /^(?:(?!intended\.)([a-z_][a-z0-9_]*)\.)?(?:(intended)\.)?(p\d+(?:\.\d+)?|min|max|mean|errors|fidelity|ops\/s)(<=|>=|<|>)(\d+(?:\.\d+)?)(us|µs|ms|s|%)?$/i;

const UNIT_US: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

function bad(spec: string, why: string): SmbBenchError {
  return new SmbBenchError(
    ErrorCode.USAGE,
    `invalid threshold '${spec}': ${why} (examples: p99<20ms, read.p99<10ms, errors<1%, fidelity>=99%, ops/s>1000, lag.p99<2ms)`,
  );
}

export function parseThreshold(spec: string): Threshold {
  const m = PATTERN.exec(spec.replace(/\s+/g, ''));
  if (!m) throw bad(spec, 'expected [kind.][intended.]<stat><op><value>[unit]');
  const [, scopeRaw, intended, statRaw = '', comparisonRaw, numberRaw = '', unitRaw] = m;
  const scope = scopeRaw?.toLowerCase();
  const stat = statRaw.toLowerCase();
  const comparison = comparisonRaw as Comparison;
  const number = Number(numberRaw);
  const unit = unitRaw?.toLowerCase();
  const isLag = scope === 'lag';
  const opKind = isLag ? undefined : scope;
  const base = { spec, opKind, comparison };

  if (stat === 'errors' || stat === 'fidelity' || stat === 'ops/s') {
    if (isLag || intended) throw bad(spec, `'${stat}' takes no 'lag.' or 'intended.' prefix`);
    if (stat === 'ops/s') {
      if (unit !== undefined) throw bad(spec, 'ops/s takes a plain number');
      return { ...base, metric: 'throughput', source: undefined, stat: undefined, value: number };
    }
    if (stat === 'fidelity') {
      if (unit !== '%' || number > 100) throw bad(spec, 'fidelity takes a percentage, e.g. fidelity>=99%');
      return { ...base, metric: 'fidelity', source: undefined, stat: undefined, value: number / 100 };
    }
    if (unit === '%') {
      if (number > 100) throw bad(spec, 'a percentage cannot exceed 100%');
      return { ...base, metric: 'errorRate', source: undefined, stat: undefined, value: number / 100 };
    }
    if (unit !== undefined) throw bad(spec, 'errors takes a percentage (errors<1%) or a count (errors<=10)');
    return { ...base, metric: 'errorCount', source: undefined, stat: undefined, value: number };
  }

  if (isLag && intended) throw bad(spec, "'lag.' and 'intended.' cannot be combined");
  if (unit === undefined || unit === '%') throw bad(spec, 'a latency needs a unit: us, µs, ms or s');
  let latencyStat: LatencyStat;
  if (stat.startsWith('p')) {
    const p = Number(stat.slice(1));
    if (!(p >= 0 && p <= 100)) throw bad(spec, `percentile ${stat.slice(1)} is not within 0..100`);
    latencyStat = { kind: 'percentile', p };
  } else {
    latencyStat = { kind: stat as 'min' | 'max' | 'mean' };
  }
  return {
    ...base,
    metric: 'latency',
    source: isLag ? 'lag' : intended ? 'fromIntended' : 'service',
    stat: latencyStat,
    value: number * (UNIT_US[unit] as number),
  };
}

/** Parses every spec; the first invalid one throws SmbBenchError(USAGE) quoting it. */
export function parseThresholds(specs: readonly string[]): Threshold[] {
  return specs.map(parseThreshold);
}

function compare(actual: number, comparison: Comparison, limit: number): boolean {
  switch (comparison) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
  }
}

function latencyOf(h: HistogramJson, stat: LatencyStat): number | null {
  if (h.count === 0) return null;
  switch (stat.kind) {
    case 'min':
      return h.min;
    case 'max':
      return h.max;
    case 'mean':
      return h.mean;
    case 'percentile':
      return HdrHistogram.decode(h.encoded).percentile(stat.p);
  }
}

function measure(results: RunResults, t: Threshold): number | null {
  const kind = t.opKind === undefined ? undefined : results.perKind[t.opKind];
  if (t.opKind !== undefined && kind === undefined) return t.metric === 'throughput' ? 0 : null;
  const seconds = results.durationMs / 1000;
  switch (t.metric) {
    case 'throughput': {
      const ops = kind ? kind.ops : results.totals.ops;
      return seconds > 0 ? ops / seconds : 0;
    }
    case 'errorCount':
      return kind ? kind.errors : results.totals.errors;
    case 'errorRate': {
      const ops = kind ? kind.ops : results.totals.ops;
      const errors = kind ? kind.errors : results.totals.errors;
      return ops === 0 ? null : errors / ops;
    }
    case 'fidelity': {
      const counts = kind ? kind.fidelity : results.fidelity;
      return counts.matched + counts.mismatched === 0 ? null : matchRatio(counts);
    }
    case 'latency': {
      const stat = t.stat as LatencyStat;
      if (t.source === 'lag') return latencyOf(results.lag, stat);
      const source = t.source === 'fromIntended' ? 'fromIntended' : 'service';
      if (kind) return latencyOf(kind[source], stat);
      if (source === 'service') return latencyOf(results.service, stat);
      // No run-wide "from intended" histogram is kept: merge the per-kind ones.
      const merged = new HdrHistogram();
      for (const k of Object.values(results.perKind))
        merged.merge(HdrHistogram.decode(k.fromIntended.encoded));
      return latencyOf(merged.toJSON(), stat);
    }
  }
}

function describe(t: Threshold, actual: number | null): string {
  if (actual === null) return t.opKind === undefined ? 'no data' : `no ${t.opKind} ops`;
  switch (t.metric) {
    case 'latency':
      return formatUs(actual);
    case 'errorRate':
    case 'fidelity':
      return formatPercent(actual);
    case 'errorCount':
      return formatCount(actual);
    case 'throughput':
      return `${formatRate(actual)} ops/s`;
  }
}

/**
 * Checks every threshold against the results. A threshold with nothing to measure (no ops of its
 * kind, no fidelity data) fails: a condition the run could not demonstrate is not met.
 */
export function evaluateThresholds(results: RunResults, thresholds: readonly Threshold[]): ThresholdReport {
  const checks = thresholds.map((t): ThresholdCheck => {
    const actual = measure(results, t);
    return {
      spec: t.spec,
      actual,
      actualText: describe(t, actual),
      passed: actual !== null && compare(actual, t.comparison, t.value),
    };
  });
  return { passed: checks.every((c) => c.passed), checks };
}
