/**
 * Distances between two empirical distributions, for "is the synthetic workload faithful":
 * the two-sample Kolmogorov–Smirnov statistic D (largest gap between the two CDFs, 0..1) for
 * numeric samples, and the total-variation distance (half the L1 distance, 0..1) for categories.
 */

/** Two-sample KS D over sorted samples; 0 when either side is empty (nothing to compare). */
export function ksDistance(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    // Step past every copy of the smaller value on both sides, so ties do not inflate D.
    const x = Math.min(a[i]!, b[j]!);
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}

/**
 * The D above which two samples of these sizes differ at the 5% level (asymptotic critical value
 * c(α) * sqrt((n + m) / (n m)), c(0.05) = 1.358): below it the difference is sampling noise.
 */
export function ksNoise(n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  return 1.358 * Math.sqrt((n + m) / (n * m));
}

/** Total variation between two count tables (keys missing on one side count as 0). */
export function totalVariation(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): number {
  const total = (t: Readonly<Record<string, number>>): number => Object.values(t).reduce((s, v) => s + v, 0);
  const ta = total(a);
  const tb = total(b);
  if (ta === 0 || tb === 0) return ta === tb ? 0 : 1;
  let sum = 0;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    sum += Math.abs((a[k] ?? 0) / ta - (b[k] ?? 0) / tb);
  }
  return sum / 2;
}

/**
 * A rough noise level for TV between a sample of n and one of m categories' draws: the expected
 * TV of two samples from the same distribution is about sqrt(k / (2π)) * sqrt(1/n + 1/m) for k
 * categories; doubled, like a 2-sigma band.
 */
export function tvNoise(categories: number, n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  return Math.min(1, 2 * Math.sqrt(Math.max(1, categories - 1) / (2 * Math.PI)) * Math.sqrt(1 / n + 1 / m));
}
