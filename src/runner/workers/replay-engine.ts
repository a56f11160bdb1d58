/**
 * Where a run's virtual users execute: in this thread (InProcessEngine) or split over worker
 * threads (WorkerEngine, worker-engine.ts). The runner and the checkpoint writer see one
 * interface either way: stop gracefully, take a snapshot for a checkpoint, await the end.
 */
import type { IrReader } from '../../ir/ir-reader.js';
import type { MetricsSnapshot } from '../../observe/run-metrics.js';
import type { RunResults } from '../../observe/run-results.js';
import type { UserCheckpoint } from '../checkpoint-format.js';
import type { ConnectionPool } from '../connection-pool.js';
import { replayUsers, type ReplayContext, type ReplayControl, type ReplaySnapshot } from '../replay.js';
import type { RunOptions } from '../run-options.js';
import type { VirtualUserSpec } from '../user-mapping.js';

export interface EngineResult {
  /** This segment's measurements, meta included. */
  readonly results: RunResults;
  /** Final progress of the users that progressed. */
  readonly users: UserCheckpoint[];
}

export interface ReplayEngine {
  /** Settles at the end of the replay (rejects if it could not run). */
  readonly finished: Promise<EngineResult>;
  /** Graceful stop: no new op starts, in-flight ops finish, sessions close; `finished` then settles. */
  stop(): void;
  /** A checkpoint's material, or undefined while the replay is still loading. */
  snapshot(): Promise<ReplaySnapshot | undefined>;
  /** Totals for the progress line, or undefined while loading. */
  progress(): MetricsSnapshot | undefined;
}

/** The users replayed by this thread, on one scheduler and one connection pool. */
export class InProcessEngine implements ReplayEngine {
  readonly finished: Promise<EngineResult>;
  private control: ReplayControl | undefined;
  private readonly abort = new AbortController();

  constructor(
    reader: IrReader,
    specs: readonly VirtualUserSpec[],
    pool: ConnectionPool,
    options: RunOptions,
    ctx: Omit<ReplayContext, 'onControl' | 'signal'>,
  ) {
    this.finished = replayUsers(reader, specs, pool, options, {
      ...ctx,
      signal: this.abort.signal,
      onControl: (control) => {
        this.control = control;
      },
    }).then((outcome) => ({ results: outcome.metrics.toResults(outcome.meta), users: outcome.users }));
  }

  stop(): void {
    this.abort.abort();
  }

  snapshot(): Promise<ReplaySnapshot | undefined> {
    return Promise.resolve(this.control?.snapshot());
  }

  progress(): MetricsSnapshot | undefined {
    return this.control?.progress();
  }
}
