import { formatElapsedMs, formatUs } from '../format-units.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { REPORT_CSS, REPORT_SCRIPT } from './report-assets.js';
import {
  errorsTable,
  metaTable,
  perOpTable,
  renderCards,
  skipsTable,
  statusesTable,
  summaryCards,
  verdictSection,
  type ReportInput,
} from './report-sections.js';
import { mismatchBreakdownTable } from './mismatch-table.js';
import { buildDistribution, buildTimeline, percentileAtNines } from './report-timeline.js';
import { renderLineChart, timeTicks, type ChartSeries, type ChartTick } from './svg-chart.js';

/**
 * `smbench report`: one self-contained HTML page from a results document: summary cards,
 * throughput / latency / data-rate charts over time, the latency distribution by percentile,
 * per-op table, errors and statuses, fidelity mismatches, skips, verdict and run facts.
 */
export interface ReportOptions {
  /** Default: "smbench report: <workload>". */
  readonly title?: string;
  /** Footer timestamp; injectable so tests get stable output. */
  readonly generatedAt?: Date;
  readonly version?: string;
}

/** Chart data for the hover script: the same x and values the SVG was drawn from. */
interface ChartData {
  readonly x: readonly number[];
  readonly labels: readonly string[];
  readonly unit: string;
  readonly series: readonly ChartSeries[];
}

const round3 = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

function chartData(
  x: readonly number[],
  labels: readonly string[],
  unit: string,
  series: ChartSeries[],
): ChartData {
  return {
    x,
    labels,
    unit,
    series: series.map((s) => ({ name: s.name, values: s.values.map(round3) })),
  };
}

/** Tenths below 10 s, where a short run's 100 ms points sit (issue #11.8); whole units above. */
const formatSeconds = (s: number): string =>
  s < 10 && !Number.isInteger(s) ? `${s.toFixed(1)}s` : formatElapsedMs(s * 1000);
const formatMs = (ms: number): string => (ms === 0 ? '0' : formatUs(ms * 1000));

/** "99.9%" for 3 nines; "0%" at the left end. */
function ninesLabel(nines: number): string {
  if (nines === 0) return '0%';
  const p = percentileAtNines(nines);
  return `${Number(p.toFixed(nines))}%`;
}

function charts(r: ReportInput): { html: string; data: Record<string, ChartData> } {
  const t = buildTimeline(r);
  const xMax = t.x.length > 0 ? (t.x[t.x.length - 1] as number) : 0;
  const xTicks = timeTicks(0, xMax, formatSeconds);
  const labels = t.x.map(
    (x) => `+${formatSeconds(x)}${t.secondsPerPoint > 1 ? ` (${t.secondsPerPoint}s window)` : ''}`,
  );
  const xLabel = t.secondsPerPoint > 1 ? `elapsed (points are ${t.secondsPerPoint}s windows)` : 'elapsed';

  const throughput: ChartSeries[] = [
    { name: 'ops/s', values: t.opsPerSecond },
    { name: 'errors/s', values: t.errorsPerSecond },
  ];
  const latency: ChartSeries[] = [
    { name: 'p50', values: t.p50Ms },
    { name: 'p99', values: t.p99Ms },
  ];
  const dataRate: ChartSeries[] = [{ name: 'MiB/s', values: t.mibPerSecond }];

  const d = buildDistribution(r);
  const ninesTicks: ChartTick[] = [];
  for (let n = 0; n <= d.maxNines; n++) ninesTicks.push({ value: n, label: ninesLabel(n) });
  const distribution: ChartSeries[] = [
    { name: 'service', values: d.serviceMs },
    { name: 'from intended start', values: d.fromIntendedMs },
  ];

  const html = [
    renderLineChart({
      id: 'throughput',
      title: 'Throughput (ops per second)',
      x: t.x,
      series: throughput,
      formatY: (v) => String(v),
      xTicks,
      xLabel,
    }),
    renderLineChart({
      id: 'latency',
      title: 'Service latency over time (p50, p99)',
      x: t.x,
      series: latency,
      formatY: formatMs,
      xTicks,
      xLabel,
    }),
    renderLineChart({
      id: 'latency-distribution',
      title: 'Latency by percentile (whole run)',
      x: d.x,
      series: distribution,
      formatY: formatMs,
      xTicks: ninesTicks,
      xLabel: 'percentile',
    }),
    renderLineChart({
      id: 'data-rate',
      title: 'Data rate (MiB per second, read + written)',
      x: t.x,
      series: dataRate,
      formatY: (v) => String(v),
      xTicks,
      xLabel,
      height: 200,
    }),
  ].join('\n');
  const ninesText = d.x.map((n) => `p${Number(percentileAtNines(n).toFixed(3))}`);
  return {
    html,
    data: {
      throughput: chartData(t.x, labels, 'ops/s', throughput),
      latency: chartData(t.x, labels, 'ms', latency),
      'latency-distribution': chartData(d.x, ninesText, 'ms', distribution),
      'data-rate': chartData(t.x, labels, 'MiB/s', dataRate),
    },
  };
}

function subtitle(r: ReportInput): string {
  const m = r.meta;
  const facts = [
    typeof m['target'] === 'string' ? `target ${m['target']}` : undefined,
    `started ${r.startedAt}`,
    `ran ${formatElapsedMs(r.durationMs)}`,
    typeof m['users'] === 'number' ? `${m['users']} users` : undefined,
    typeof m['shard'] === 'string' ? `shard ${m['shard']}` : undefined,
    typeof m['mergedParts'] === 'number' ? `merged from ${m['mergedParts']} results` : undefined,
  ];
  return facts.filter((f): f is string => f !== undefined).join(' · ');
}

export function renderReportHtml(results: ReportInput, options: ReportOptions = {}): string {
  const workload = typeof results.meta['workload'] === 'string' ? results.meta['workload'] : 'run';
  const title = options.title ?? `smbench report: ${workload}`;
  const generatedAt = (options.generatedAt ?? new Date()).toISOString();
  const { html: chartsHtml, data } = charts(results);
  const section = (id: string, heading: string, body: string): string =>
    `<section id="${id}"><h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="smbench${options.version ? ` ${escapeHtml(options.version)}` : ''}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml(subtitle(results))}</p></header>
${renderCards(summaryCards(results))}
${section('verdict', 'Verdict', verdictSection(results))}
${section('charts', 'Over time', chartsHtml)}
${section('per-op', 'Per op', perOpTable(results))}
${section('errors', 'Errors by status', errorsTable(results))}
${section('fidelity', 'Fidelity mismatches (status recorded in the capture vs. replay)', mismatchBreakdownTable(results))}
${section('statuses', 'Statuses by op', statusesTable(results))}
${section('skips', 'Skipped ops', skipsTable(results))}
${section('meta', 'Run', metaTable(results))}
<footer>Generated by smbench at ${escapeHtml(generatedAt)} from ${escapeHtml(results.format)} v${results.version}. Latencies are service latency (request sent to response) unless marked "intended".</footer>
<script type="application/json" id="smbench-report-data">${jsonForScript({ charts: data })}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
