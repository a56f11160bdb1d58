import type { HistogramJson } from './hdr-histogram.js';
import { formatBytes, formatCount, formatPercent, formatRate, formatUs } from './format-units.js';
import { matchRatio, sortedCounts } from './run-results.js';
import type { FidelityCounts, RunResults } from './run-results.js';
import { describeMismatch, type MismatchRow } from './mismatch-breakdown.js';

/**
 * The end-of-run table printed on stderr (stdout is kept for `--json`). Latency columns are
 * service latency, in human units; the fidelity column is the share of ops whose status matched
 * the capture.
 */
interface Column {
  readonly title: string;
  readonly width: number;
  readonly left?: boolean;
}

const COLUMNS: readonly Column[] = [
  { title: 'op', width: 16, left: true },
  { title: 'ops', width: 8 },
  { title: 'ops/s', width: 8 },
  { title: 'errors', width: 7 },
  { title: 'p50', width: 8 },
  { title: 'p90', width: 8 },
  { title: 'p99', width: 8 },
  { title: 'p99.9', width: 8 },
  { title: 'max', width: 8 },
  { title: 'fidelity', width: 9 },
];

const TOP_N = 10;

function row(cells: readonly string[]): string {
  return COLUMNS.map((c, i) => {
    const text = cells[i] ?? '';
    const clipped = text.length > c.width ? `${text.slice(0, c.width - 1)}~` : text;
    return c.left ? clipped.padEnd(c.width) : clipped.padStart(c.width);
  })
    .join('  ')
    .trimEnd();
}

function fidelityCell(counts: FidelityCounts): string {
  return counts.matched + counts.mismatched === 0 ? '-' : formatPercent(matchRatio(counts));
}

function latencyCells(h: HistogramJson): string[] {
  if (h.count === 0) return ['-', '-', '-', '-', '-'];
  return [formatUs(h.p50), formatUs(h.p90), formatUs(h.p99), formatUs(h.p999), formatUs(h.max)];
}

function topList(title: string, counts: Readonly<Record<string, number>>, lines: string[]): void {
  const sorted = sortedCounts(counts);
  if (sorted.length === 0) return;
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  lines.push('', `${title} (${formatCount(total)}):`);
  for (const [key, n] of sorted.slice(0, TOP_N)) lines.push(`  ${formatCount(n).padStart(8)}  ${key}`);
  if (sorted.length > TOP_N) lines.push(`  ... and ${sorted.length - TOP_N} more`);
}

/** The largest mismatch rows with their example paths (results that carry a breakdown). */
function mismatchList(rows: readonly MismatchRow[], total: number, lines: string[]): void {
  if (rows.length === 0) return;
  lines.push('', `status mismatches vs capture (${formatCount(total)}):`);
  for (const r of rows.slice(0, TOP_N))
    lines.push(`  ${formatCount(r.count).padStart(8)}  ${describeMismatch(r)}`);
  if (rows.length > TOP_N) lines.push(`  ... and ${rows.length - TOP_N} more rows (--out JSON: mismatches)`);
}

/** Mismatch counts of every kind, keyed "kind: expected X got Y". */
function allMismatches(results: RunResults): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, k] of Object.entries(results.perKind)) {
    for (const [what, n] of Object.entries(k.fidelity.mismatches)) out[`${kind}: ${what}`] = n;
  }
  return out;
}

export function formatSummary(results: RunResults): string {
  const seconds = results.durationMs / 1000;
  const rate = (ops: number): string => formatRate(seconds > 0 ? ops / seconds : 0);
  const lines: string[] = [];
  lines.push(row(COLUMNS.map((c) => c.title)));
  lines.push(row(COLUMNS.map((c) => '-'.repeat(c.width))));
  for (const [kind, k] of Object.entries(results.perKind).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(
      row([
        kind,
        formatCount(k.ops),
        rate(k.ops),
        formatCount(k.errors),
        ...latencyCells(k.service),
        fidelityCell(k.fidelity),
      ]),
    );
  }
  const t = results.totals;
  lines.push(row(COLUMNS.map((c) => '-'.repeat(c.width))));
  lines.push(
    row([
      'total',
      formatCount(t.ops),
      formatRate(t.opsPerSecond),
      formatCount(t.errors),
      ...latencyCells(results.service),
      fidelityCell(results.fidelity),
    ]),
  );

  lines.push('');
  lines.push(
    `duration ${formatUs(results.durationMs * 1000)}  read ${formatBytes(t.bytesRead)}  ` +
      `written ${formatBytes(t.bytesWritten)}  retries ${formatCount(results.retries)}  ` +
      `peak users ${results.peak.activeUsers}  connections ${results.peak.connections}`,
  );
  const lag = results.lag;
  lines.push(
    lag.count === 0
      ? 'schedule lag: -'
      : `schedule lag: p50 ${formatUs(lag.p50)}  p99 ${formatUs(lag.p99)}  max ${formatUs(lag.max)}`,
  );
  const skipped = Object.values(results.skips).reduce((n, c) => n + c, 0);
  if (skipped === 0) lines.push('skipped ops: 0');
  topList('skipped ops', results.skips, lines);
  topList('errors', results.errorsByStatus, lines);
  if (results.mismatches !== undefined) mismatchList(results.mismatches, results.fidelity.mismatched, lines);
  else topList('status mismatches vs capture', allMismatches(results), lines);
  return lines.join('\n') + '\n';
}
