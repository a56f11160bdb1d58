/**
 * Side by side: how far a workload (usually a synthetic one) is from a reference (its source), one
 * distance per distribution, each with the level sampling noise alone would reach at these sample
 * sizes, so "faithful" is a figure instead of an impression.
 */
import { ksDistance, ksNoise, totalVariation, tvNoise } from './distances.js';
import type { WorkloadProfile } from './workload-profile.js';

export interface DistributionDistance {
  readonly name: string;
  /** `tv`: total variation over categories; `ks`: Kolmogorov–Smirnov D. Both 0 (same) .. 1. */
  readonly metric: 'tv' | 'ks';
  readonly distance: number;
  /** What sampling noise alone would give at these counts (KS: 5% critical value). */
  readonly noise: number;
  readonly withinNoise: boolean;
  readonly countA: number;
  readonly countB: number;
  /** Medians of each side (numeric distributions only), for people. */
  readonly medianA?: number;
  readonly medianB?: number;
}

export interface ProfileComparison {
  readonly a: { readonly users: number; readonly ops: number };
  readonly b: { readonly users: number; readonly ops: number };
  readonly distances: readonly DistributionDistance[];
}

function median(s: Float64Array): number {
  return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)]!;
}

function ks(name: string, a: Float64Array, b: Float64Array): DistributionDistance {
  const distance = ksDistance(a, b);
  const noise = ksNoise(a.length, b.length);
  return {
    name,
    metric: 'ks',
    distance,
    noise,
    withinNoise: distance <= noise,
    countA: a.length,
    countB: b.length,
    medianA: median(a),
    medianB: median(b),
  };
}

export function compareProfiles(a: WorkloadProfile, b: WorkloadProfile): ProfileComparison {
  const kinds = new Set([...Object.keys(a.opMix), ...Object.keys(b.opMix)]).size;
  const tv = totalVariation(a.opMix, b.opMix);
  const tvLimit = tvNoise(kinds, a.ops, b.ops);
  return {
    a: { users: a.users, ops: a.ops },
    b: { users: b.users, ops: b.ops },
    distances: [
      {
        name: 'op mix',
        metric: 'tv',
        distance: tv,
        noise: tvLimit,
        withinNoise: tv <= tvLimit,
        countA: a.ops,
        countB: b.ops,
      },
      ks('think time', a.thinkTimeUs, b.thinkTimeUs),
      ks('read size', a.readBytes, b.readBytes),
      ks('write size', a.writeBytes, b.writeBytes),
      ks('initial file size', a.fileBytes, b.fileBytes),
      ks('ops per file session', a.opsPerSession, b.opsPerSession),
    ],
  };
}

export function formatProfileComparison(labelA: string, labelB: string, c: ProfileComparison): string {
  const lines = [
    `compared with ${labelA} (${c.a.users} users, ${c.a.ops} ops); this: ${c.b.users} users, ${c.b.ops} ops`,
    `  ${'distribution'.padEnd(22)} metric  distance   noise  verdict        median ref -> this`,
  ];
  for (const d of c.distances) {
    const verdict = d.countA === 0 && d.countB === 0 ? 'n/a' : d.withinNoise ? 'within noise' : 'DIFFERENT';
    const medians = d.medianA === undefined ? '' : `${d.medianA} -> ${d.medianB ?? 0}`;
    lines.push(
      `  ${d.name.padEnd(22)} ${d.metric.padEnd(6)} ${d.distance.toFixed(3).padStart(9)} ${d.noise.toFixed(3).padStart(7)}  ${verdict.padEnd(13)}  ${medians}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
