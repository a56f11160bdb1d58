/** The terminal table of `report compare`: one line per figure, regressions marked. */
import { formatUs } from '../format-units.js';
import type { FigureComparison, ResultsComparison } from './compare-results.js';

function value(f: FigureComparison, v: number): string {
  if (f.figure === 'p50' || f.figure === 'p99') return formatUs(v);
  if (f.figure === 'throughput') return `${v.toFixed(1)}/s`;
  return `${(v * 100).toFixed(2)}%`;
}

function changeText(f: FigureComparison): string {
  if (f.changePct === null) return 'from 0';
  return `${f.changePct >= 0 ? '+' : ''}${f.changePct.toFixed(1)}%`;
}

export function formatResultsComparison(nameA: string, nameB: string, c: ResultsComparison): string {
  const lines = [
    `A: ${nameA} (${c.a.ops} ops, target ${String(c.a.target)})`,
    `B: ${nameB} (${c.b.ops} ops, target ${String(c.b.target)})`,
    `${'kind'.padEnd(16)} ${'figure'.padEnd(10)} ${'A'.padStart(10)} ${'B'.padStart(10)} ${'change'.padStart(9)}  noise?        verdict`,
  ];
  for (const f of c.figures) {
    const noise = f.beyondNoise ? 'beyond noise' : 'within noise';
    const mark = f.verdict === 'regression' ? 'REGRESSION' : f.verdict === 'improvement' ? 'improvement' : '';
    lines.push(
      `${f.kind.padEnd(16)} ${f.figure.padEnd(10)} ${value(f, f.a).padStart(10)} ${value(f, f.b).padStart(10)} ${changeText(f).padStart(9)}  ${noise.padEnd(12)}  ${mark}`,
    );
  }
  if (c.onlyInA.length > 0) lines.push(`only in A: ${c.onlyInA.join(', ')}`);
  if (c.onlyInB.length > 0) lines.push(`only in B: ${c.onlyInB.join(', ')}`);
  for (const w of c.warnings) lines.push(`warning: ${w}`);
  lines.push(
    c.regressions === 0
      ? `no regression past ${c.thresholdPct}% beyond noise`
      : `${c.regressions} regression(s) past ${c.thresholdPct}% beyond noise`,
  );
  return `${lines.join('\n')}\n`;
}
