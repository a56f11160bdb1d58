import { displayPath, MAX_EXAMPLES } from '../mismatch-breakdown.js';
import { Align, renderTable } from './html-escape.js';
import type { ReportInput } from './report-sections.js';
import { mismatchesTable } from './report-sections.js';

/**
 * The report's fidelity section: per op kind, status recorded in the capture and status at
 * replay, the count and up to MAX_EXAMPLES example paths (observe/mismatch-breakdown.ts). Results
 * written before the breakdown existed fall back to the plain per-kind counts.
 */
export function mismatchBreakdownTable(r: ReportInput): string {
  if (r.mismatches === undefined) return mismatchesTable(r);
  const rows = r.mismatches.map((m) => [
    m.op,
    m.recorded,
    m.replayed,
    String(m.count),
    m.examples.map(displayPath).join(', '),
  ]);
  return renderTable(
    'fidelity-mismatches',
    [
      { title: 'op' },
      { title: 'recorded' },
      { title: 'replayed' },
      { title: 'count', align: Align.right },
      { title: 'example paths', hint: `up to ${MAX_EXAMPLES} per row` },
    ],
    rows,
    { empty: 'every compared status matched the capture' },
  );
}
