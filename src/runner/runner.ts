/**
 * `smbench run`: replays a workload against a target with N virtual users and returns the
 * measured results. Order of events:
 *
 * 1. read the workload prologue; map virtual users onto captured users, credentials, connections;
 *    keep this shard's users (--shard); with --resume, check the checkpoint is of this same run;
 * 2. log in once with every credential (a wrong password fails here, clearly, before any load);
 * 3. optionally prepare the namespace;
 * 4. load (or start streaming) the ops; wait for --start-at; start users spread over the ramp-up,
 *    in this thread or on --workers threads (workers/), writing --checkpoint periodically;
 * 5. stop at the end of the streams, of --duration or of options.signal; close handles and sessions;
 * 6. write the last checkpoint; optionally clean up; join the results with those of the segments
 *    before a resume (checkpoint-results.ts) and judge fidelity.
 */
import { basename } from 'node:path';
import { readIr, type IrReader } from '../ir/ir-reader.js';
import type { ProgressStream } from '../observe/progress-line.js';
import type { RunResults } from '../observe/run-results.js';
import { makePacing, type Pacing } from '../scheduler/pacing.js';
import { ConnectionPool } from './connection-pool.js';
import { CredentialSessions } from './credential-sessions.js';
import {
  cleanupNamespace,
  prepareNamespace,
  type CleanupReport,
  type PrepareProgress,
  type PrepareReport,
} from './prepare.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { assertSameRun, runFingerprint } from './checkpoint-format.js';
import { runSegment } from './checkpoint-segment.js';
import { combineSegments } from './checkpoint-results.js';
import { readCheckpoint } from './checkpoint-store.js';
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import { STOP_GRACE_MS } from './replay.js';
import { formatShard, selectShard } from './shard.js';
import { formatTarget } from './target.js';
import { mapVirtualUsers } from './user-mapping.js';
import { normalizeRunRoot } from './user-paths.js';

export interface FidelityVerdict {
  readonly ok: boolean;
  readonly matchRatio: number;
  /** Ops whose status was compared with the IR. */
  readonly compared: number;
  readonly minFidelity: number;
  readonly reason: string;
}

export interface RunOutcome {
  readonly results: RunResults;
  readonly fidelity: FidelityVerdict;
  readonly prepare: PrepareReport | undefined;
  readonly cleanup: CleanupReport | undefined;
  /** options.signal stopped the run before the users finished (results cover what ran). */
  readonly interrupted: boolean;
  /** The checkpoint file written, when checkpointing (resume from it if `interrupted`). */
  readonly checkpoint: string | undefined;
}

/** Fidelity gate: a run where nothing could be compared is not green either. */
export function judgeFidelity(
  results: RunResults,
  minFidelity: number,
  workloadOps: number,
): FidelityVerdict {
  const { matched, mismatched, matchRatio } = results.fidelity;
  const equivalent = results.fidelity.equivalent ?? 0;
  const compared = matched + mismatched + equivalent;
  if (compared === 0) {
    const ok = workloadOps === 0;
    return {
      ok,
      matchRatio,
      compared,
      minFidelity,
      reason: ok ? 'empty workload' : 'no op could be compared with the workload',
    };
  }
  const ok = matchRatio >= minFidelity;
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  return {
    ok,
    matchRatio,
    compared,
    minFidelity,
    reason:
      `${pct(matchRatio)} of ${compared} statuses matched` +
      (equivalent > 0 ? ` (${equivalent} equivalent)` : '') +
      ` (minimum ${pct(minFidelity)})`,
  };
}

/** Per-credential progress printer for prepare/cleanup: throttled to one line per second. */
export function progressPrinter(stream: ProgressStream | false): ((p: PrepareProgress) => void) | undefined {
  if (!stream) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done !== p.total && now - last < 1000) return;
    last = now;
    const mib = (p.bytesWritten / (1 << 20)).toFixed(1);
    stream.write(
      p.phase === 'prepare'
        ? `prepare: ${p.done}/${p.total} paths, ${mib} MiB written\n`
        : `cleanup: ${p.done}/${p.total} users\n`,
    );
  };
}

/**
 * Runs the steps before the replay (login checks, prepare); a stop signal meanwhile gives them
 * STOP_GRACE_MS, then closes the connections, so a stop never waits for a long prepare. A step
 * cut short that way fails with a clear "stopped" error; one that finishes leads to a replay that
 * starts stopped (interrupted, no ops).
 */
async function untilStopped<T>(
  signal: AbortSignal | undefined,
  pool: ConnectionPool,
  step: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    timer = setTimeout(() => pool.close(), STOP_GRACE_MS);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await step();
  } catch (err) {
    if (signal?.aborted) {
      throw new SmbBenchError(ErrorCode.ABORTED, 'stopped by a signal before the replay started', {
        cause: err,
      });
    }
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  }
}

export async function runWorkload(options: RunOptions): Promise<RunOutcome> {
  const reader = await readIr(options.workload);
  try {
    return await runWithReader(reader, options);
  } finally {
    await reader.close();
  }
}

async function runWithReader(reader: IrReader, options: RunOptions): Promise<RunOutcome> {
  const spc = options.sessionsPerConnection ?? RUN_DEFAULTS.sessionsPerConnection;
  const runRoot = normalizeRunRoot(options.runRoot ?? RUN_DEFAULTS.runRoot);
  const pacing: Pacing = options.pacing ?? makePacing('recorded', 1);
  const iterations = options.iterations ?? RUN_DEFAULTS.iterations;
  const allSpecs = mapVirtualUsers({
    irUsers: reader.users,
    users: options.users,
    credentials: options.credentials,
    sessionsPerConnection: spc,
  });
  const specs = selectShard(allSpecs, options.shard, spc);
  const fingerprint = runFingerprint({
    workloadId: reader.workloadId,
    users: allSpecs.length,
    accounts: options.credentials,
    shard: options.shard && formatShard(options.shard),
    iterations,
    pacing,
    runRoot,
    target: formatTarget(options.target),
    passNamespace: options.passNamespace ?? RUN_DEFAULTS.passNamespace,
  });
  const previous = options.resume === undefined ? undefined : await readCheckpoint(options.resume);
  if (previous) {
    assertSameRun(previous.fingerprint, fingerprint, options.resume!);
    if (options.prepare) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        'prepare cannot be combined with resume: the share already holds what the completed ops did',
      );
    }
  }
  const opCount = reader.end?.ops ?? reader.header.counts?.ops ?? 0;
  const minFidelity = options.minFidelity ?? RUN_DEFAULTS.minFidelity;
  const runFacts = (): Record<string, unknown> => ({
    workload: basename(options.workload),
    workloadId: reader.workloadId,
    target: formatTarget(options.target),
    runRoot,
    ...(options.shard ? { shard: formatShard(options.shard), totalUsers: allSpecs.length } : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(previous ? { resumedFrom: options.resume, segmentsBefore: previous.segments } : {}),
  });
  if (previous?.complete) {
    // Nothing left to run: the checkpoint already holds the whole run's results.
    const results = {
      ...previous.results,
      meta: { ...previous.results.meta, ...runFacts(), ...options.meta },
    };
    const fidelity = judgeFidelity(results, minFidelity, opCount);
    return {
      results,
      fidelity,
      prepare: undefined,
      cleanup: undefined,
      interrupted: false,
      checkpoint: undefined,
    };
  }

  const requestTimeoutMs = options.requestTimeoutMs ?? RUN_DEFAULTS.requestTimeoutMs;
  const pool = new ConnectionPool({
    target: options.target,
    client: { requestTimeoutMs, asyncTimeoutMs: options.opTimeoutMs ?? RUN_DEFAULTS.opTimeoutMs },
    ...(options.connect ? { connect: options.connect } : {}),
  });
  const sessionOptions = options.requireSigning ? { requireSigning: true } : {};
  const credentialSessions = new CredentialSessions(
    pool,
    options.target.share,
    options.credentials,
    sessionOptions,
    spc,
    options.login,
  );
  const progressStream = options.progress === undefined ? process.stderr : options.progress;
  const printer = progressPrinter(progressStream);
  let prepare: PrepareReport | undefined;
  let cleanup: CleanupReport | undefined;
  try {
    prepare = await untilStopped(options.signal, pool, async () => {
      await credentialSessions.verifyAll();
      if (!options.prepare) return undefined;
      return prepareNamespace({
        sessions: credentialSessions,
        runRoot,
        users: specs,
        namespace: reader.namespace,
        fill: options.fill,
        concurrency: options.prepareConcurrency,
        onProgress: printer,
      });
    });
    const segment = await runSegment(reader, specs, pool, options, previous, {
      runRoot,
      pacing,
      spc,
      sessionOptions,
      progressStream,
      totalUsers: allSpecs.length,
      fingerprint,
    });
    // An interrupted run keeps its namespace: the resume continues in it.
    if (options.cleanup && !segment.interrupted) {
      cleanup = await cleanupNamespace({
        sessions: credentialSessions,
        runRoot,
        users: specs,
        concurrency: options.prepareConcurrency,
        onProgress: printer,
      });
    }
    const joined = previous
      ? combineSegments([previous.results, segment.result.results])
      : segment.result.results;
    const meta: Record<string, unknown> = {
      ...joined.meta,
      ...runFacts(),
      ...(segment.interrupted ? { interrupted: true } : {}),
      ...(prepare ? { prepare } : {}),
      ...(cleanup ? { cleanup } : {}),
      ...options.meta,
    };
    const results: RunResults = { ...joined, meta };
    const fidelity = judgeFidelity(results, minFidelity, opCount);
    return {
      results,
      fidelity,
      prepare,
      cleanup,
      interrupted: segment.interrupted,
      checkpoint: options.checkpoint,
    };
  } finally {
    await credentialSessions.closeAll().catch(() => undefined);
    pool.close();
  }
}
