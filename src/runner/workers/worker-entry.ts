/**
 * The body of one replay worker thread (`--workers N`). It opens its own reader of the workload
 * and its own connection pool, replays its share of the virtual users on its own scheduler
 * (replay.ts, the same code as a single-thread run), relays live measurements to the main thread,
 * answers snapshot requests for checkpoints, and finally posts its RunResults.
 *
 * Logins were verified and the namespace prepared by the main thread before the workers started.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { SmbBenchError } from '../../errors/smbench-error.js';
import { readIr } from '../../ir/ir-reader.js';
import type { PoolCounters } from '../../observe/run-observer.js';
import { ConnectionPool } from '../connection-pool.js';
import { RUN_DEFAULTS, type RunOptions } from '../run-options.js';
import { RelayRecorder } from './metrics-relay.js';
import { InProcessEngine, type EngineResult } from './replay-engine.js';
import type { FromWorker, ToWorker, WorkerGauges, WorkerJob } from './worker-protocol.js';

async function runJob(port: MessagePort, job: WorkerJob): Promise<void> {
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  const recorder = new RelayRecorder();
  let pool: PoolCounters | undefined;
  const options: RunOptions = {
    ...job.options,
    progress: false,
    observer: {
      attach(metrics, poolCounters) {
        metrics.addListener(recorder);
        pool = poolCounters;
      },
      onUserError(user, error) {
        post({ type: 'user-error', user, message: (error as Error).message });
      },
    },
  };
  const reader = await readIr(options.workload);
  const connections = new ConnectionPool({
    target: options.target,
    client: {
      requestTimeoutMs: options.requestTimeoutMs ?? RUN_DEFAULTS.requestTimeoutMs,
      asyncTimeoutMs: options.opTimeoutMs ?? RUN_DEFAULTS.opTimeoutMs,
    },
  });
  const engine = new InProcessEngine(reader, job.specs, connections, options, {
    runRoot: job.runRoot,
    pacing: job.pacing,
    spc: job.spc,
    sessionOptions: job.sessionOptions,
    progressStream: false,
    totalUsers: job.totalUsers,
    trackProgress: job.trackProgress,
    ...(job.resume ? { resume: new Map(job.resume.map((u) => [u.user, u])) } : {}),
    ...(job.startAtMs !== undefined ? { startAtMs: job.startAtMs } : {}),
  });

  const gauges = (): WorkerGauges | undefined => {
    const p = engine.progress();
    if (!p || !pool) return undefined;
    return {
      activeUsers: p.activeUsers,
      targetUsers: p.targetUsers,
      sessions: p.sessions,
      connections: pool.openConnections,
      reconnects: pool.reconnects,
      breaks: { ...pool.breaks },
    };
  };
  const relay = (): void => {
    const batch = recorder.take();
    post({ type: 'relay', batch, gauges: gauges() }, [
      batch.ops.buffer as ArrayBuffer,
      batch.lags.buffer as ArrayBuffer,
    ]);
  };
  const timer = setInterval(relay, job.relayIntervalMs);

  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      engine.stop();
    } else if (message.type === 'snapshot') {
      void engine.snapshot().then((snapshot) => post({ type: 'snapshot', id: message.id, snapshot }));
    }
  });

  let result: EngineResult;
  try {
    result = await engine.finished;
  } finally {
    clearInterval(timer);
    connections.close();
    await reader.close();
  }
  // Closed first: the main thread may terminate the thread as soon as it has the results.
  relay();
  post({ type: 'done', result });
}

if (parentPort) {
  const port = parentPort;
  runJob(port, workerData as WorkerJob).catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    const message: FromWorker = {
      type: 'failed',
      error: {
        message: e.message,
        ...(err instanceof SmbBenchError ? { code: err.code } : {}),
        ...(e.stack ? { stack: e.stack } : {}),
      },
    };
    port.postMessage(message);
  });
}
