import {
  formatBytes,
  formatCount,
  formatElapsedMs,
  formatPercent,
  formatRate,
  formatUs,
} from '../format-units.js';
import { matchRatio, sortedCounts } from '../run-results.js';
import type { RunResults } from '../run-results.js';
import type { ThresholdReport } from '../thresholds.js';
import { Align, escapeHtml, renderTable, type TableColumn } from './html-escape.js';

/**
 * The tables and cards of the HTML report, each a pure function of the results. Latencies are
 * service latency (request sent to response) unless a column says "intended" (from the op's
 * intended start: includes the time it waited behind a slow predecessor, docs/runner.md).
 */

/** What `smbench run --out` writes: the results plus the verdict (absent after a merge). */
export interface ReportVerdict {
  readonly fidelity?: { readonly ok: boolean; readonly reason: string; readonly matchRatio?: number };
  readonly thresholds?: ThresholdReport;
}
export type ReportInput = RunResults & { readonly verdict?: ReportVerdict };

export const Tone = { neutral: 'neutral', good: 'good', bad: 'bad' } as const;
export type Tone = (typeof Tone)[keyof typeof Tone];

export interface Card {
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
  readonly tone?: Tone;
}

const right = (title: string, hint?: string): TableColumn => ({
  title,
  align: Align.right,
  ...(hint ? { hint } : {}),
});
const left = (title: string): TableColumn => ({ title });
const share = (n: number, of: number): string => (of > 0 ? formatPercent(n / of) : '-');

export function summaryCards(r: ReportInput): Card[] {
  const { totals } = r;
  const compared = r.fidelity.matched + r.fidelity.mismatched;
  const fidelityOk = r.verdict?.fidelity?.ok;
  return [
    { label: 'ops', value: formatCount(totals.ops), detail: `in ${formatElapsedMs(r.durationMs)}` },
    { label: 'throughput', value: `${formatRate(totals.opsPerSecond)} ops/s` },
    {
      label: 'errors',
      value: formatCount(totals.errors),
      detail: share(totals.errors, totals.ops),
      tone: totals.errors > 0 ? Tone.bad : Tone.good,
    },
    { label: 'p50', value: totals.ops > 0 ? formatUs(r.service.p50) : '-', detail: 'service latency' },
    { label: 'p99', value: totals.ops > 0 ? formatUs(r.service.p99) : '-', detail: 'service latency' },
    { label: 'max', value: totals.ops > 0 ? formatUs(r.service.max) : '-' },
    {
      label: 'fidelity',
      value: compared > 0 ? formatPercent(r.fidelity.matchRatio) : '-',
      detail: `${formatCount(compared)} statuses compared`,
      tone: fidelityOk === undefined ? Tone.neutral : fidelityOk ? Tone.good : Tone.bad,
    },
    {
      label: 'data',
      value: formatBytes(totals.bytesRead + totals.bytesWritten),
      detail: `${formatBytes(totals.bytesRead)} read, ${formatBytes(totals.bytesWritten)} written`,
    },
    {
      label: 'peak users',
      value: formatCount(r.peak.activeUsers),
      detail: `${formatCount(r.peak.connections)} connections`,
    },
  ];
}

export function renderCards(cards: readonly Card[]): string {
  const items = cards.map(
    (c) =>
      `<div class="card ${c.tone ?? Tone.neutral}"><div class="label">${escapeHtml(c.label)}</div>` +
      `<div class="value">${escapeHtml(c.value)}</div>` +
      (c.detail ? `<div class="detail">${escapeHtml(c.detail)}</div>` : '') +
      `</div>`,
  );
  return `<div class="cards" data-section="summary">${items.join('')}</div>`;
}

export function perOpTable(r: ReportInput): string {
  const seconds = r.durationMs / 1000;
  const rate = (ops: number): string => (seconds > 0 ? formatRate(ops / seconds) : '-');
  const lat = (ops: number, us: number): string => (ops > 0 ? formatUs(us) : '-');
  const fidelity = (matched: number, mismatched: number): string =>
    matched + mismatched > 0 ? formatPercent(matchRatio({ matched, mismatched })) : '-';
  const columns = [
    left('op'),
    right('ops'),
    right('ops/s'),
    right('errors'),
    right('p50'),
    right('p90'),
    right('p99'),
    right('p99.9'),
    right('max'),
    right('p99 intended', 'from the intended start: includes waiting behind late predecessors'),
    right('fidelity', 'share of ops whose status matched the capture'),
    right('retries'),
  ];
  const rows = Object.entries(r.perKind).map(([op, k]) => [
    op,
    String(k.ops),
    rate(k.ops),
    k.errors > 0 ? `${k.errors} (${share(k.errors, k.ops)})` : '0',
    lat(k.ops, k.service.p50),
    lat(k.ops, k.service.p90),
    lat(k.ops, k.service.p99),
    lat(k.ops, k.service.p999),
    lat(k.ops, k.service.max),
    lat(k.ops, k.fromIntended.p99),
    fidelity(k.fidelity.matched, k.fidelity.mismatched),
    String(k.retries),
  ]);
  const s = r.service;
  const ops = r.totals.ops;
  const footer = [
    'all',
    String(ops),
    rate(ops),
    r.totals.errors > 0 ? `${r.totals.errors} (${share(r.totals.errors, ops)})` : '0',
    lat(ops, s.p50),
    lat(ops, s.p90),
    lat(ops, s.p99),
    lat(ops, s.p999),
    lat(ops, s.max),
    '',
    fidelity(r.fidelity.matched, r.fidelity.mismatched),
    String(r.retries),
  ];
  return renderTable('per-op', columns, rows, { footer, empty: 'no op completed' });
}

export function errorsTable(r: ReportInput): string {
  const rows = sortedCounts(r.errorsByStatus).map(([status, n]) => [
    status,
    String(n),
    share(n, r.totals.ops),
  ]);
  return renderTable('errors-by-status', [left('status'), right('errors'), right('of all ops')], rows, {
    empty: 'no errors',
  });
}

/** Every outcome per op kind, successes included: where a fidelity gap comes from. */
export function statusesTable(r: ReportInput): string {
  const rows = Object.entries(r.perKind).flatMap(([op, k]) =>
    sortedCounts(k.statuses).map(([status, n]) => [op, status, String(n), share(n, k.ops)]),
  );
  return renderTable('statuses', [left('op'), left('status'), right('count'), right('of op')], rows, {
    empty: 'no op completed',
  });
}

export function mismatchesTable(r: ReportInput): string {
  const rows = Object.entries(r.perKind)
    .flatMap(([op, k]) => Object.entries(k.fidelity.mismatches).map(([what, n]) => ({ op, what, n })))
    .sort((a, b) => b.n - a.n || (a.op < b.op ? -1 : a.op > b.op ? 1 : 0))
    .map(({ op, what, n }) => [op, what, String(n)]);
  return renderTable('fidelity-mismatches', [left('op'), left('mismatch'), right('count')], rows, {
    empty: 'every compared status matched the capture',
  });
}

export function skipsTable(r: ReportInput): string {
  const rows = sortedCounts(r.skips).map(([what, n]) => [what, String(n)]);
  return renderTable('skips', [left('op: reason'), right('skipped')], rows, { empty: 'nothing skipped' });
}

export function verdictSection(r: ReportInput): string {
  const v = r.verdict;
  if (v === undefined) {
    // Merged results carry none: each shard judged only its own part.
    return '<p class="empty" data-section="verdict">no verdict in this file (merged results carry none)</p>';
  }
  const items: string[] = [];
  if (v.fidelity) {
    items.push(
      `<li class="${v.fidelity.ok ? Tone.good : Tone.bad}">fidelity: ${v.fidelity.ok ? 'ok' : 'FAILED'}: ${escapeHtml(v.fidelity.reason)}</li>`,
    );
  }
  for (const c of v.thresholds?.checks ?? []) {
    items.push(
      `<li class="${c.passed ? Tone.good : Tone.bad}">threshold <code>${escapeHtml(c.spec)}</code>: ${c.passed ? 'ok' : 'FAILED'} (actual ${escapeHtml(c.actualText)})</li>`,
    );
  }
  return `<ul class="verdict" data-section="verdict">${items.join('')}</ul>`;
}

/** meta as `a.b` -> value rows; nested objects two levels deep, deeper ones as JSON. */
export function metaTable(r: ReportInput): string {
  const rows: string[][] = [];
  const add = (key: string, value: unknown, depth: number): void => {
    if (value === undefined) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 2) {
      for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v, depth + 1);
      return;
    }
    rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  };
  for (const [k, v] of Object.entries(r.meta)) add(k, v, 0);
  rows.push(['startedAt', r.startedAt], ['endedAt', r.endedAt], ['durationMs', String(r.durationMs)]);
  return renderTable('meta', [left('field'), left('value')], rows);
}
