import type { RunMetrics } from './run-metrics.js';

/**
 * The seam between the runner and live observability (Prometheus exporter, run log). The runner
 * calls `attach` once its metrics and connection pool exist; observers subscribe to the metrics'
 * events and poll the pool's counters (reconnects and breaks are rare, polling them costs nothing on
 * the hot path). Defined here, below the runner, so src/observe never imports src/runner.
 */

/** Oplock/lease break tallies of a connection pool (MS-SMB2 3.2.5.19). */
export interface BreakTallies {
  readonly received: number;
  readonly acknowledged: number;
  readonly failedAcks: number;
}

/** What an observer may read from the runner's connection pool. */
export interface PoolCounters {
  readonly reconnects: number;
  readonly breaks: BreakTallies;
  readonly openConnections: number;
}

export interface RunObserver {
  /** The replay's metrics and pool exist; subscribe with metrics.addListener. */
  attach(metrics: RunMetrics, pool: PoolCounters): void;
  /** A virtual user could not log in (it is then broken: its ops are skipped). */
  onUserError?(userIndex: number, error: unknown): void;
}

/** One observer that forwards to all given ones (undefined entries are ignored). */
export function combineObservers(
  ...observers: readonly (RunObserver | undefined)[]
): RunObserver | undefined {
  const list = observers.filter((o): o is RunObserver => o !== undefined);
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return {
    attach(metrics, pool) {
      for (const o of list) o.attach(metrics, pool);
    },
    onUserError(userIndex, error) {
      for (const o of list) o.onUserError?.(userIndex, error);
    },
  };
}
