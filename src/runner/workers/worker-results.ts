/**
 * The results of workers (or of the snapshots they took at about the same moment) as the results
 * of one process. Measurements merge exactly (mergeResults: histograms decoded and added, never
 * averaged percentiles); the run facts in meta are added up where they are per-worker counts.
 */
import { mergeResults } from '../../observe/merge-results.js';
import type { RunResults } from '../../observe/run-results.js';
import type { ReplaySnapshot } from '../replay.js';

/** meta fields that are counts per worker: the process's value is the sum. */
const SUMMED_META = [
  'users',
  'connections',
  'loginFailures',
  'brokenUsers',
  'reconnects',
  'asyncCancelledAtEnd',
] as const;

function sumRecords(records: readonly unknown[]): Record<string, number> | undefined {
  const present = records.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  if (present.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const r of present) {
    for (const [key, value] of Object.entries(r)) {
      if (typeof value === 'number') out[key] = (out[key] ?? 0) + value;
    }
  }
  return out;
}

/** Meta of several workers' parts: the first's facts, with the per-worker counts summed. */
export function mergeWorkerMeta(metas: readonly Record<string, unknown>[]): Record<string, unknown> {
  const first = metas[0] ?? {};
  const out: Record<string, unknown> = { ...first, workers: metas.length };
  for (const key of SUMMED_META) {
    if (metas.some((m) => typeof m[key] === 'number')) {
      out[key] = metas.reduce((n, m) => n + (typeof m[key] === 'number' ? m[key] : 0), 0);
    }
  }
  const breaks = sumRecords(metas.map((m) => m['breaks']));
  if (breaks) out['breaks'] = breaks;
  const handles = sumRecords(metas.map((m) => m['handlesAfterRecovery']));
  if (handles) out['handlesAfterRecovery'] = handles;
  const resumed = sumRecords(metas.map((m) => m['resumed']));
  if (resumed) out['resumed'] = resumed;
  const passPrepare = sumRecords(metas.map((m) => m['passPrepare']));
  if (passPrepare) {
    const firstError = metas
      .map((m) => (m['passPrepare'] as { firstError?: unknown } | undefined)?.firstError)
      .find((e) => typeof e === 'string');
    out['passPrepare'] = firstError === undefined ? passPrepare : { ...passPrepare, firstError };
  }
  const firstLoginError = metas.map((m) => m['firstLoginError']).find((e) => typeof e === 'string');
  if (firstLoginError !== undefined) out['firstLoginError'] = firstLoginError;
  const late = metas.map((m) => m['startBarrier'] as { lateMs?: number } | undefined).filter((b) => b);
  if (late.length > 0) {
    out['startBarrier'] = { ...late[0], lateMs: Math.max(...late.map((b) => b?.lateMs ?? 0)) };
  }
  return out;
}

/** Workers' results (they ran side by side) as one process's results. */
export function mergeWorkerResults(parts: readonly RunResults[]): RunResults {
  if (parts.length === 1) return { ...parts[0]!, meta: { ...parts[0]!.meta, workers: 1 } };
  const merged = mergeResults(parts);
  const meta = mergeWorkerMeta(parts.map((p) => p.meta));
  return { ...merged, meta };
}

/** Workers' snapshots as one process's snapshot (users are disjoint between workers). */
export function mergeWorkerSnapshots(parts: readonly ReplaySnapshot[]): ReplaySnapshot {
  return {
    users: parts.flatMap((p) => p.users),
    results: mergeWorkerResults(parts.map((p) => p.results)),
  };
}
