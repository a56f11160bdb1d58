/**
 * Human-readable units for the summary table, progress line and threshold reports. Latencies are
 * integer microseconds everywhere in observe/; these only decide how to print them.
 */

/** 850µs, 3.20ms, 12.5ms, 1.25s, 2m05s. Three significant digits, like the histograms. */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '-';
  if (us < 999.5) return `${Math.round(us)}µs`;
  if (us < 999_500) return `${threeDigits(us / 1000)}ms`;
  if (us < 60_000_000) return `${threeDigits(us / 1_000_000)}s`;
  const totalSeconds = Math.round(us / 1_000_000);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function threeDigits(n: number): string {
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** 12s, 3m07s, 1h02m: elapsed wall time for the progress line. */
export function formatElapsedMs(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** 999, 12.3k, 4.56M: counts in narrow columns. */
export function formatCount(n: number): string {
  if (n < 10_000) return String(Math.round(n));
  if (n < 10_000_000) return `${threeDigits(n / 1000)}k`;
  if (n < 10_000_000_000) return `${threeDigits(n / 1_000_000)}M`;
  return `${threeDigits(n / 1_000_000_000)}G`;
}

/** ops/s with one decimal below 100, none above. */
export function formatRate(perSecond: number): string {
  return perSecond < 100 ? perSecond.toFixed(1) : formatCount(perSecond);
}

/** A ratio (0..1) as a percentage; keeps two decimals near 100% where the difference matters. */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct === 100 || pct === 0) return `${pct}%`;
  if (pct >= 99 || pct < 1) return `${pct.toFixed(2)}%`;
  return `${pct.toFixed(1)}%`;
}

/** 4.0KiB, 1.5GiB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v}B` : `${v.toFixed(1)}${units[u]}`;
}
