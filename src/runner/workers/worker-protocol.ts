/**
 * Messages between the main thread and the replay workers (worker_threads). Everything is plain
 * data (structured clone): the job a worker runs, its periodic relay of measurements, snapshots for
 * checkpoints, and its final results, which the main thread merges exactly (mergeResults).
 */
import type { Pacing } from '../../scheduler/pacing.js';
import type { UserCheckpoint } from '../checkpoint-format.js';
import type { ReplaySnapshot } from '../replay.js';
import type { RunOptions } from '../run-options.js';
import type { VirtualUserSpec } from '../user-mapping.js';
import type { EngineResult } from './replay-engine.js';
import type { RelayBatch } from './metrics-relay.js';

/** RunOptions without what cannot cross a thread (streams, callbacks, observers). */
export type WorkerRunOptions = Omit<RunOptions, 'progress' | 'connect' | 'observer' | 'meta' | 'signal'>;

export function workerRunOptions(options: RunOptions): WorkerRunOptions {
  const {
    progress: _progress,
    connect: _connect,
    observer: _observer,
    meta: _meta,
    signal: _signal,
    ...rest
  } = options;
  return rest;
}

export interface WorkerJob {
  /** 0-based worker number. */
  readonly worker: number;
  readonly options: WorkerRunOptions;
  /** This worker's users, already packed onto its own connections. */
  readonly specs: readonly VirtualUserSpec[];
  readonly runRoot: string;
  readonly pacing: Pacing;
  readonly spc: number;
  readonly sessionOptions: { requireSigning?: boolean };
  readonly totalUsers: number;
  readonly trackProgress: boolean;
  /** Resume points of this worker's users (empty when not resuming). */
  readonly resume: readonly UserCheckpoint[] | undefined;
  readonly startAtMs: number | undefined;
  /** How often the worker relays its measurements to the main thread. */
  readonly relayIntervalMs: number;
}

/** Gauges and pool counters of one worker, summed over workers by the main thread. */
export interface WorkerGauges {
  readonly activeUsers: number;
  readonly targetUsers: number;
  readonly sessions: number;
  readonly connections: number;
  readonly reconnects: number;
  readonly breaks: { readonly received: number; readonly acknowledged: number; readonly failedAcks: number };
}

export type ToWorker = { readonly type: 'snapshot'; readonly id: number } | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'relay'; readonly batch: RelayBatch; readonly gauges: WorkerGauges | undefined }
  | { readonly type: 'snapshot'; readonly id: number; readonly snapshot: ReplaySnapshot | undefined }
  | { readonly type: 'user-error'; readonly user: number; readonly message: string }
  | { readonly type: 'done'; readonly result: EngineResult }
  | {
      readonly type: 'failed';
      readonly error: { readonly message: string; readonly code?: string; readonly stack?: string };
    };
