/**
 * The jobs of a `--workers N` run: the process's users split by position (shard.ts
 * splitForWorkers), each part with the resume points of its own users. Workers that would get no
 * user are not started.
 */
import type { UserCheckpoint } from '../checkpoint-format.js';
import type { ReplayContext } from '../replay.js';
import type { RunOptions } from '../run-options.js';
import { splitForWorkers } from '../shard.js';
import type { VirtualUserSpec } from '../user-mapping.js';
import { workerRunOptions, type WorkerJob } from './worker-protocol.js';

/** Relay period: live enough for a 1 s progress line, rare enough to batch thousands of samples. */
export const RELAY_INTERVAL_MS = 250;

export interface WorkerJobsInput {
  readonly specs: readonly VirtualUserSpec[];
  readonly workers: number;
  readonly options: RunOptions;
  readonly ctx: Pick<ReplayContext, 'runRoot' | 'pacing' | 'spc' | 'sessionOptions'>;
  readonly totalUsers: number;
  readonly trackProgress: boolean;
  readonly resume: ReadonlyMap<number, UserCheckpoint> | undefined;
  readonly startAtMs: number | undefined;
}

export function buildWorkerJobs(input: WorkerJobsInput): WorkerJob[] {
  const options = workerRunOptions(input.options);
  return splitForWorkers(input.specs, input.workers, input.ctx.spc)
    .filter((part) => part.length > 0)
    .map((specs, worker) => ({
      worker,
      options,
      specs,
      runRoot: input.ctx.runRoot,
      pacing: input.ctx.pacing,
      spc: input.ctx.spc,
      sessionOptions: input.ctx.sessionOptions,
      totalUsers: input.totalUsers,
      trackProgress: input.trackProgress,
      resume: input.resume
        ? specs.flatMap((s) => {
            const u = input.resume?.get(s.index);
            return u ? [u] : [];
          })
        : undefined,
      startAtMs: input.startAtMs,
      relayIntervalMs: RELAY_INTERVAL_MS,
    }));
}
