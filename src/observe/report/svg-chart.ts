import { escapeHtml } from './html-escape.js';

/**
 * Line charts as inline SVG, rendered here rather than in the browser: the report is one file
 * that opens anywhere (no CDN, no chart library, readable with scripts off and when printed).
 * The report's small script only adds a hover read-out on top, from the plot geometry these
 * charts carry in data- attributes.
 */
export interface ChartSeries {
  readonly name: string;
  /** One value per x; null leaves a gap (e.g. a second without ops has no latency). */
  readonly values: readonly (number | null)[];
}

export interface ChartTick {
  readonly value: number;
  readonly label: string;
}

export interface LineChartSpec {
  /** Stable name, exposed as data-chart (tests, the hover script, CSS). */
  readonly id: string;
  readonly title: string;
  /** Ascending x values shared by every series. */
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly formatY: (y: number) => string;
  /** Default: round-number ticks labelled with String(). */
  readonly xTicks?: readonly ChartTick[];
  readonly xLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 64, right: 16, top: 12, bottom: 36 } as const;

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

/** Ticks from 0 to a round maximum >= max (about `count` of them). */
export function niceTicks(max: number, count = 5): number[] {
  const step = niceStep((max > 0 ? max : 1) / count);
  const top = Math.max(step, Math.ceil((max > 0 ? max : 1) / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const TIME_STEPS_S = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400,
];

/** Ticks for an elapsed-seconds axis, on steps people read (10 s, 1 min, 5 min...). */
export function timeTicks(min: number, max: number, format: (s: number) => string, count = 8): ChartTick[] {
  const span = Math.max(0.1, max - min);
  const step = TIME_STEPS_S.find((s) => span / s <= count) ?? niceStep(span / count);
  const ticks: ChartTick[] = [];
  // Stepped by index, not by repeated addition: 0.1 + 0.2 would drift past max.
  for (let i = Math.ceil(min / step); i * step <= max + 1e-9; i++) {
    const v = Math.round(i * step * 1000) / 1000;
    ticks.push({ value: v, label: format(v) });
  }
  return ticks;
}

const round1 = (n: number): string => String(Math.round(n * 10) / 10);

/** The `d` of a path through the finite points; null values start a new sub-path. */
function pathData(
  xs: readonly number[],
  values: readonly (number | null)[],
  sx: (x: number) => number,
  sy: (y: number) => number,
): { d: string; points: number } {
  let d = '';
  let points = 0;
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${round1(sx(xs[i] as number))} ${round1(sy(v))}`;
    pen = true;
    points++;
  }
  return { d, points };
}

export function renderLineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 880;
  const height = spec.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs = spec.x;
  const xMin = xs.length > 0 ? (xs[0] as number) : 0;
  const xMax = xs.length > 1 ? (xs[xs.length - 1] as number) : xMin + 1;
  let yMax = 0;
  for (const s of spec.series) for (const v of s.values) if (v !== null && v > yMax) yMax = v;
  const yTicks = niceTicks(yMax);
  const yTop = yTicks[yTicks.length - 1] as number;
  const sx = (x: number): number => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - (y / yTop) * plotH;

  const parts: string[] = [];
  for (const t of yTicks) {
    const y = round1(sy(t));
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}"/>`,
      `<text class="tick y" x="${MARGIN.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(spec.formatY(t))}</text>`,
    );
  }
  const xTicks =
    spec.xTicks ?? niceTicks(xMax - xMin, 8).map((v) => ({ value: xMin + v, label: String(xMin + v) }));
  for (const t of xTicks) {
    if (t.value < xMin || t.value > xMax) continue;
    const px = sx(t.value);
    const x = round1(px);
    // A label centred on the right edge would be cut off by the viewBox.
    const anchor = px > MARGIN.left + plotW - 24 ? 'end' : 'middle';
    parts.push(
      `<line class="grid x" x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}"/>`,
      `<text class="tick x" x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="${anchor}">${escapeHtml(t.label)}</text>`,
    );
  }
  if (spec.xLabel !== undefined) {
    parts.push(
      `<text class="axis-label" x="${MARGIN.left + plotW}" y="${height - 4}" text-anchor="end">${escapeHtml(spec.xLabel)}</text>`,
    );
  }
  parts.push(`<rect class="frame" x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/>`);
  spec.series.forEach((s, i) => {
    const { d, points } = pathData(xs, s.values, sx, sy);
    parts.push(
      `<path class="series s${i}" data-series="${escapeHtml(s.name)}" data-points="${points}" d="${d}"/>`,
    );
  });
  if (xs.length === 0) {
    parts.push(
      `<text class="no-data" x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle">no data</text>`,
    );
  }
  const legend = spec.series
    .map((s, i) => `<span class="key s${i}"><i></i>${escapeHtml(s.name)}</span>`)
    .join('');
  const plot = `${MARGIN.left} ${MARGIN.top} ${plotW} ${plotH}`;
  return (
    `<figure class="chart" id="chart-${escapeHtml(spec.id)}">` +
    `<figcaption>${escapeHtml(spec.title)}<span class="legend">${legend}</span></figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-label="${escapeHtml(spec.title)}" data-chart="${escapeHtml(spec.id)}" data-plot="${plot}" ` +
    `data-x-min="${xMin}" data-x-max="${xMax}" data-y-max="${yTop}">` +
    `${parts.join('')}</svg></figure>`
  );
}
