/**
 * What a status mismatch says about itself: per (op kind, status recorded in the capture, status
 * or error code at replay) the count and a few example paths, so a user can tell a target that
 * answers differently (e.g. CLOSE denied on the recorded server, allowed on this one) from a replay
 * that went wrong. Cheap at any scale: counts are keyed by the numeric statuses and names are made
 * only for the results; at most MAX_EXAMPLES distinct paths are kept per row, and the run-wide list
 * keeps the MAX_ROWS largest rows. Rows merge exactly across workers, shards and checkpoint segments
 * (counts add up; examples are united, still bounded).
 */
import { ntStatusName } from '../smb2/nt-status.js';
import type { OpSample } from './kind-metrics.js';

export const MAX_EXAMPLES = 3;
export const MAX_ROWS = 50;

/** One kind's row: how often `recorded` came back as `replayed`, and where. */
export interface MismatchBreakdownRow {
  /** NT status name recorded in the capture. */
  readonly recorded: string;
  /** NT status name at replay, or an error code (ERR_SMB_TIMEOUT, ...) for ops without a status. */
  readonly replayed: string;
  readonly count: number;
  /** Up to MAX_EXAMPLES distinct workload paths (the op's own, or its handle's). */
  readonly examples: readonly string[];
}

/** A run-wide row: the same, with the op kind. */
export interface MismatchRow extends MismatchBreakdownRow {
  readonly op: string;
}

interface Tally {
  count: number;
  readonly examples: string[];
}

function addExample(examples: string[], path: string | undefined): void {
  if (path !== undefined && examples.length < MAX_EXAMPLES && !examples.includes(path)) examples.push(path);
}

/** The accumulator of one op kind (KindMetrics owns one). */
export class MismatchBreakdown {
  /** recorded status -> replayed status or error code -> tally. */
  private readonly byRecorded = new Map<number, Map<number | string, Tally>>();

  add(recorded: number, replayed: number | string, path: string | undefined): void {
    let byReplayed = this.byRecorded.get(recorded);
    if (byReplayed === undefined) {
      byReplayed = new Map();
      this.byRecorded.set(recorded, byReplayed);
    }
    let tally = byReplayed.get(replayed);
    if (tally === undefined) {
      tally = { count: 0, examples: [] };
      byReplayed.set(replayed, tally);
    }
    tally.count++;
    addExample(tally.examples, path);
  }

  rows(): MismatchBreakdownRow[] {
    const out: MismatchBreakdownRow[] = [];
    for (const [recorded, byReplayed] of this.byRecorded) {
      for (const [replayed, t] of byReplayed) {
        out.push({
          recorded: ntStatusName(recorded),
          replayed: typeof replayed === 'string' ? replayed : ntStatusName(replayed),
          count: t.count,
          examples: t.examples.slice(),
        });
      }
    }
    return sortRows(out);
  }
}

/** Several parts' rows of one kind as one list (rows of older results without a breakdown: none). */
export function mergeBreakdowns(
  parts: readonly (readonly MismatchBreakdownRow[] | undefined)[],
): MismatchBreakdownRow[] {
  const merged = new Map<string, { recorded: string; replayed: string } & Tally>();
  for (const rows of parts) {
    for (const r of rows ?? []) {
      const key = `${r.recorded}\0${r.replayed}`;
      let m = merged.get(key);
      if (m === undefined) {
        m = { recorded: r.recorded, replayed: r.replayed, count: 0, examples: [] };
        merged.set(key, m);
      }
      m.count += r.count;
      for (const e of r.examples) addExample(m.examples, e);
    }
  }
  return sortRows([...merged.values()]);
}

/** The run-wide list: every kind's rows, largest first, at most MAX_ROWS. */
export function topMismatches(
  perKind: Readonly<
    Record<string, { readonly fidelity: { readonly breakdown?: readonly MismatchBreakdownRow[] } }>
  >,
): MismatchRow[] {
  const out: MismatchRow[] = [];
  for (const [op, k] of Object.entries(perKind)) {
    for (const r of k.fidelity.breakdown ?? []) out.push({ op, ...r });
  }
  return sortRows(out).slice(0, MAX_ROWS);
}

/** Largest count first; ties in a stable, readable order. */
function sortRows<R extends MismatchBreakdownRow & { op?: string }>(rows: R[]): R[] {
  const key = (r: R): string => `${r.op ?? ''}\0${r.recorded}\0${r.replayed}`;
  return rows.sort((a, b) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Whether the op's outcome differs from the status the capture recorded (an error always does). */
export function isMismatch(s: OpSample): boolean {
  return (
    s.expectedStatus !== undefined && (s.error !== undefined || s.status >>> 0 !== s.expectedStatus >>> 0)
  );
}

/** An example path for people: the workload root is the empty path. */
export function displayPath(path: string): string {
  return path === '' ? '(root)' : path;
}

/** A row as one line of the terminal summary: "close: recorded STATUS_X, replayed STATUS_Y  e.g. a, b". */
export function describeMismatch(r: MismatchRow): string {
  const where = r.examples.length > 0 ? `  e.g. ${r.examples.map(displayPath).join(', ')}` : '';
  return `${r.op}: recorded ${r.recorded}, replayed ${r.replayed}${where}`;
}
