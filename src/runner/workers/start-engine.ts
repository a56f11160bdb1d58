/**
 * Chooses where the users run: in this thread (the default, and always for a single worker or a
 * single user) or on `--workers N` threads.
 */
import type { IrReader } from '../../ir/ir-reader.js';
import type { UserCheckpoint } from '../checkpoint-format.js';
import type { ConnectionPool } from '../connection-pool.js';
import type { ReplayContext } from '../replay.js';
import type { RunOptions } from '../run-options.js';
import type { VirtualUserSpec } from '../user-mapping.js';
import { InProcessEngine, type ReplayEngine } from './replay-engine.js';
import { WorkerEngine } from './worker-engine.js';
import { buildWorkerJobs } from './worker-jobs.js';

export interface EngineInput {
  readonly reader: IrReader;
  /** The process's users (its shard), packed onto its connections. */
  readonly specs: readonly VirtualUserSpec[];
  readonly pool: ConnectionPool;
  readonly options: RunOptions;
  readonly ctx: Omit<ReplayContext, 'onControl' | 'signal' | 'resume' | 'trackProgress' | 'totalUsers'>;
  readonly totalUsers: number;
  readonly trackProgress: boolean;
  readonly resume: ReadonlyMap<number, UserCheckpoint> | undefined;
}

export function startEngine(input: EngineInput): ReplayEngine {
  const workers = Math.min(input.options.workers ?? 1, input.specs.length);
  const common = {
    totalUsers: input.totalUsers,
    trackProgress: input.trackProgress,
    ...(input.resume ? { resume: input.resume } : {}),
  };
  if (workers <= 1) {
    return new InProcessEngine(input.reader, input.specs, input.pool, input.options, {
      ...input.ctx,
      ...common,
    });
  }
  return new WorkerEngine({
    jobs: buildWorkerJobs({
      specs: input.specs,
      workers,
      options: input.options,
      ctx: input.ctx,
      totalUsers: input.totalUsers,
      trackProgress: input.trackProgress,
      resume: input.resume,
      startAtMs: input.ctx.startAtMs,
    }),
    progressStream: input.ctx.progressStream,
    ...(input.options.observer ? { observer: input.options.observer } : {}),
  });
}
