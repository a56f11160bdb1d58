/**
 * `--workers N`: the process's virtual users split over N worker threads (shard.ts
 * splitForWorkers), each with its own scheduler, connections and RunMetrics, so replay work uses
 * N cores. The main thread only coordinates: it mirrors the workers' live measurements for the
 * progress line and observers (metrics-relay.ts), gathers snapshots for checkpoints, forwards a
 * graceful stop, and merges the final results exactly (worker-results.ts).
 *
 * A worker that fails makes the run fail: the others are terminated and the error is rethrown.
 */
import { Worker } from 'node:worker_threads';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { ProgressLine, type ProgressStream } from '../../observe/progress-line.js';
import { RunMetrics, type MetricsSnapshot } from '../../observe/run-metrics.js';
import type { PoolCounters, RunObserver } from '../../observe/run-observer.js';
import type { ReplaySnapshot } from '../replay.js';
import { applyRelayBatch } from './metrics-relay.js';
import type { EngineResult, ReplayEngine } from './replay-engine.js';
import type { FromWorker, ToWorker, WorkerGauges, WorkerJob } from './worker-protocol.js';
import { mergeWorkerResults, mergeWorkerSnapshots } from './worker-results.js';

export interface WorkerEngineOptions {
  readonly jobs: readonly WorkerJob[];
  readonly progressStream: ProgressStream | false;
  readonly observer?: RunObserver;
}

/**
 * Starts the worker thread for `job`. Under tsx (tests, `npm run smbench`) the entry is a .ts file
 * that a worker cannot load by itself: the worker first registers tsx's loader, then imports it.
 */
export function startWorker(job: WorkerJob): Worker {
  const isTypeScript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./worker-entry${isTypeScript ? '.ts' : '.js'}`, import.meta.url);
  if (!isTypeScript) return new Worker(entry, { workerData: job });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsx)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: job });
}

interface PendingSnapshot {
  readonly parts: (ReplaySnapshot | undefined)[];
  remaining: number;
  readonly resolve: (snapshot: ReplaySnapshot | undefined) => void;
}

export class WorkerEngine implements ReplayEngine {
  readonly finished: Promise<EngineResult>;
  /** The workers' live measurements replayed into one RunMetrics (progress line, observers). */
  readonly mirror = new RunMetrics();
  private readonly workers: Worker[];
  private readonly gauges: (WorkerGauges | undefined)[];
  private readonly results: (EngineResult | undefined)[];
  private readonly pending = new Map<number, PendingSnapshot>();
  private readonly progressLine: ProgressLine | undefined;
  private nextSnapshotId = 0;
  private failed = false;

  constructor(options: WorkerEngineOptions) {
    const n = options.jobs.length;
    this.gauges = new Array<WorkerGauges | undefined>(n).fill(undefined);
    this.results = new Array<EngineResult | undefined>(n).fill(undefined);
    options.observer?.attach(this.mirror, this.poolCounters());
    this.mirror.setGauge(
      'targetUsers',
      options.jobs.reduce((sum, j) => sum + j.specs.length, 0),
    );
    this.progressLine =
      options.progressStream === false ? undefined : new ProgressLine(options.progressStream);
    this.progressLine?.start(() => this.progress());
    this.workers = options.jobs.map((job) => startWorker(job));
    this.finished = new Promise<EngineResult>((resolve, reject) => {
      let done = 0;
      const fail = (error: Error): void => {
        if (this.failed) return;
        this.failed = true;
        this.progressLine?.stop();
        for (const w of this.workers) void w.terminate();
        for (const p of this.pending.values()) p.resolve(undefined);
        reject(error);
      };
      this.workers.forEach((worker, i) => {
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'done') {
            this.results[i] = message.result;
            void worker.terminate();
            if (++done === n) {
              this.progressLine?.tick();
              this.progressLine?.stop();
              resolve(this.merge());
            }
          } else if (message.type === 'failed') {
            fail(workerError(i, message.error));
          } else {
            this.onMessage(i, message, options.observer);
          }
        });
        worker.on('error', (err) => fail(workerError(i, err)));
        worker.on('exit', (code) => {
          if (this.results[i] === undefined)
            fail(new Error(`replay worker ${i} exited (code ${code}) before it finished`));
        });
      });
    });
  }

  stop(): void {
    this.post({ type: 'stop' });
  }

  snapshot(): Promise<ReplaySnapshot | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    const id = this.nextSnapshotId++;
    return new Promise((resolve) => {
      const parts = this.results.map((r) =>
        r === undefined ? undefined : { users: r.users, results: r.results },
      );
      const entry: PendingSnapshot = { parts, remaining: 0, resolve };
      this.results.forEach((r, i) => {
        if (r !== undefined) return;
        entry.remaining++;
        this.workers[i]!.postMessage({ type: 'snapshot', id } satisfies ToWorker);
      });
      if (entry.remaining === 0) this.settle(entry);
      else this.pending.set(id, entry);
    });
  }

  progress(): MetricsSnapshot {
    const live = this.gauges.filter((g): g is WorkerGauges => g !== undefined);
    const sum = (pick: (g: WorkerGauges) => number): number => live.reduce((n, g) => n + pick(g), 0);
    this.mirror.setGauge(
      'activeUsers',
      sum((g) => g.activeUsers),
    );
    this.mirror.setGauge(
      'sessions',
      sum((g) => g.sessions),
    );
    this.mirror.setGauge(
      'connections',
      sum((g) => g.connections),
    );
    return this.mirror.snapshot();
  }

  private onMessage(i: number, message: FromWorker, observer: RunObserver | undefined): void {
    if (message.type === 'relay') {
      applyRelayBatch(this.mirror, message.batch);
      if (message.gauges) this.gauges[i] = message.gauges;
    } else if (message.type === 'snapshot') {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      entry.parts[i] = message.snapshot;
      if (--entry.remaining === 0) {
        this.pending.delete(message.id);
        this.settle(entry);
      }
    } else if (message.type === 'user-error') {
      observer?.onUserError?.(message.user, new Error(message.message));
    }
  }

  private settle(entry: PendingSnapshot): void {
    const parts = entry.parts;
    // A worker still loading its ops has nothing to save yet: skip this checkpoint.
    if (parts.some((p) => p === undefined)) entry.resolve(undefined);
    else entry.resolve(mergeWorkerSnapshots(parts as ReplaySnapshot[]));
  }

  private merge(): EngineResult {
    const results = this.results as EngineResult[];
    return {
      results: mergeWorkerResults(results.map((r) => r.results)),
      users: results.flatMap((r) => r.users),
    };
  }

  private post(message: ToWorker): void {
    this.workers.forEach((w, i) => {
      if (this.results[i] === undefined) w.postMessage(message);
    });
  }

  /** The workers' pool counters, summed from their latest relays. */
  private poolCounters(): PoolCounters {
    const gauges = this.gauges;
    const live = (): WorkerGauges[] => gauges.filter((g): g is WorkerGauges => g !== undefined);
    return {
      get reconnects() {
        return live().reduce((n, g) => n + g.reconnects, 0);
      },
      get openConnections() {
        return live().reduce((n, g) => n + g.connections, 0);
      },
      get breaks() {
        const all = live();
        return {
          received: all.reduce((n, g) => n + g.breaks.received, 0),
          acknowledged: all.reduce((n, g) => n + g.breaks.acknowledged, 0),
          failedAcks: all.reduce((n, g) => n + g.breaks.failedAcks, 0),
        };
      },
    };
  }
}

function workerError(i: number, error: { message: string; code?: string; stack?: string }): Error {
  const codes = Object.values(ErrorCode) as string[];
  if (error.code !== undefined && codes.includes(error.code)) {
    return new SmbBenchError(error.code as ErrorCode, error.message);
  }
  const e = new Error(`replay worker ${i} failed: ${error.message}`);
  if (error.stack) e.stack = error.stack;
  return e;
}
