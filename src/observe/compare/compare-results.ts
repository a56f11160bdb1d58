/**
 * `report compare A.json B.json`: two runs side by side, for regression testing one filer against
 * another or one release against the next. Each figure (per-kind p50/p99 service latency and error
 * rate; overall throughput, latency, error rate, fidelity) gets a relative change, whether the
 * change is beyond sampling noise (sampling-noise.ts), and a verdict: a regression is a change
 * for the worse that is both beyond noise and larger than the threshold.
 */
import type { HistogramJson } from '../hdr-histogram.js';
import type { RunResults } from '../run-results.js';
import { intervalsApart, percentileInterval, proportionsApart, rateNoise } from './sampling-noise.js';

export const VERDICTS = ['same', 'regression', 'improvement'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface FigureComparison {
  /** Op kind, or `all` for the run as a whole. */
  readonly kind: string;
  readonly figure: 'p50' | 'p99' | 'throughput' | 'error rate' | 'fidelity';
  readonly a: number;
  readonly b: number;
  /** (b - a) / a in percent; null when a is 0 (no relative change exists). */
  readonly changePct: number | null;
  readonly beyondNoise: boolean;
  /** `same` covers within-noise changes and changes under the threshold. */
  readonly verdict: Verdict;
}

export interface ResultsComparison {
  readonly thresholdPct: number;
  readonly a: { readonly workloadId: unknown; readonly target: unknown; readonly ops: number };
  readonly b: { readonly workloadId: unknown; readonly target: unknown; readonly ops: number };
  readonly figures: readonly FigureComparison[];
  /** Op kinds present in only one run. */
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
  readonly regressions: number;
  readonly warnings: readonly string[];
}

function change(a: number, b: number): number | null {
  return a === 0 ? (b === 0 ? 0 : null) : ((b - a) / a) * 100;
}

/** Worse when higher (latency, error rate) or when lower (throughput, fidelity). */
function verdict(
  a: number,
  b: number,
  beyondNoise: boolean,
  thresholdPct: number,
  higherIsWorse: boolean,
): Verdict {
  const pct = change(a, b);
  // From zero any change is "infinitely" large in relative terms: only noise decides.
  const large = pct === null || Math.abs(pct) > thresholdPct;
  if (!beyondNoise || !large || a === b) return 'same';
  return b > a === higherIsWorse ? 'regression' : 'improvement';
}

function latency(
  kind: string,
  figure: 'p50' | 'p99',
  a: HistogramJson,
  b: HistogramJson,
  thresholdPct: number,
): FigureComparison | undefined {
  const p = figure === 'p50' ? 50 : 99;
  const ia = percentileInterval(a.encoded, p);
  const ib = percentileInterval(b.encoded, p);
  if (!ia || !ib) return undefined;
  const beyondNoise = intervalsApart(ia, ib);
  return {
    kind,
    figure,
    a: ia.value,
    b: ib.value,
    changePct: change(ia.value, ib.value),
    beyondNoise,
    verdict: verdict(ia.value, ib.value, beyondNoise, thresholdPct, true),
  };
}

function proportion(
  kind: string,
  figure: 'error rate' | 'fidelity',
  xA: number,
  nA: number,
  xB: number,
  nB: number,
  thresholdPct: number,
): FigureComparison {
  const a = nA === 0 ? 0 : xA / nA;
  const b = nB === 0 ? 0 : xB / nB;
  const beyondNoise = proportionsApart(xA, nA, xB, nB);
  return {
    kind,
    figure,
    a,
    b,
    changePct: change(a, b),
    beyondNoise,
    verdict: verdict(a, b, beyondNoise, thresholdPct, figure === 'error rate'),
  };
}

export function compareResults(a: RunResults, b: RunResults, thresholdPct: number): ResultsComparison {
  const figures: FigureComparison[] = [];
  const t = thresholdPct;
  const rateA = a.totals.opsPerSecond;
  const rateB = b.totals.opsPerSecond;
  const rateBeyond = Math.abs((rateB - rateA) / (rateA || 1)) > rateNoise(a.totals.ops, b.totals.ops);
  figures.push({
    kind: 'all',
    figure: 'throughput',
    a: rateA,
    b: rateB,
    changePct: change(rateA, rateB),
    beyondNoise: rateBeyond,
    verdict: verdict(rateA, rateB, rateBeyond, t, false),
  });
  for (const f of ['p50', 'p99'] as const) {
    const row = latency('all', f, a.service, b.service, t);
    if (row) figures.push(row);
  }
  figures.push(
    proportion('all', 'error rate', a.totals.errors, a.totals.ops, b.totals.errors, b.totals.ops, t),
  );
  const checked = (r: RunResults): number => r.fidelity.matched + r.fidelity.mismatched;
  figures.push(
    proportion('all', 'fidelity', a.fidelity.matched, checked(a), b.fidelity.matched, checked(b), t),
  );

  const kinds = Object.keys(a.perKind).filter((k) => Object.hasOwn(b.perKind, k));
  for (const kind of kinds.sort()) {
    const ka = a.perKind[kind]!;
    const kb = b.perKind[kind]!;
    for (const f of ['p50', 'p99'] as const) {
      const row = latency(kind, f, ka.service, kb.service, t);
      if (row) figures.push(row);
    }
    figures.push(proportion(kind, 'error rate', ka.errors, ka.ops, kb.errors, kb.ops, t));
  }

  const warnings: string[] = [];
  if (a.meta['workloadId'] !== b.meta['workloadId']) {
    warnings.push(
      `the runs replayed different workloads (${String(a.meta['workloadId'])} vs ${String(b.meta['workloadId'])}): differences may come from the workload, not the target`,
    );
  }
  return {
    thresholdPct,
    a: { workloadId: a.meta['workloadId'], target: a.meta['target'], ops: a.totals.ops },
    b: { workloadId: b.meta['workloadId'], target: b.meta['target'], ops: b.totals.ops },
    figures,
    onlyInA: Object.keys(a.perKind).filter((k) => !Object.hasOwn(b.perKind, k)),
    onlyInB: Object.keys(b.perKind).filter((k) => !Object.hasOwn(a.perKind, k)),
    regressions: figures.filter((f) => f.verdict === 'regression').length,
    warnings,
  };
}
