/**
 * `smbench run`: replays a workload against a target with N virtual users and returns the
 * measured results. Order of events:
 *
 * 1. read the workload prologue; map virtual users onto captured users, credentials, connections;
 * 2. log in once with every credential (a wrong password fails here, clearly, before any load);
 * 3. optionally prepare the namespace;
 * 4. load (or start streaming) the ops; start users spread over the ramp-up on the one scheduler;
 * 5. stop at the end of the streams or of --duration; close handles and sessions;
 * 6. optionally clean up; build results (RunMetrics.toResults) and judge fidelity.
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
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import { formatTarget } from './target.js';
import { replayUsers } from './replay.js';
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
}

/** Fidelity gate: a run where nothing could be compared is not green either. */
export function judgeFidelity(
  results: RunResults,
  minFidelity: number,
  workloadOps: number,
): FidelityVerdict {
  const { matched, mismatched, matchRatio } = results.fidelity;
  const compared = matched + mismatched;
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
    reason: `${pct(matchRatio)} of ${compared} statuses matched (minimum ${pct(minFidelity)})`,
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
  const specs = mapVirtualUsers({
    irUsers: reader.users,
    users: options.users,
    credentials: options.credentials,
    sessionsPerConnection: spc,
  });
  const requestTimeoutMs = options.requestTimeoutMs ?? RUN_DEFAULTS.requestTimeoutMs;
  const pool = new ConnectionPool({
    target: options.target,
    client: { requestTimeoutMs },
    ...(options.connect ? { connect: options.connect } : {}),
  });
  const sessionOptions = options.requireSigning ? { requireSigning: true } : {};
  const credentialSessions = new CredentialSessions(
    pool,
    options.target.share,
    options.credentials,
    sessionOptions,
    spc,
  );
  const progressStream = options.progress === undefined ? process.stderr : options.progress;
  const printer = progressPrinter(progressStream);
  let prepare: PrepareReport | undefined;
  let cleanup: CleanupReport | undefined;
  try {
    await credentialSessions.verifyAll();
    if (options.prepare) {
      prepare = await prepareNamespace({
        sessions: credentialSessions,
        runRoot,
        users: specs,
        namespace: reader.namespace,
        fill: options.fill,
        concurrency: options.prepareConcurrency,
        onProgress: printer,
      });
    }
    const replay = await replayUsers(reader, specs, pool, options, {
      runRoot,
      pacing,
      spc,
      sessionOptions,
      progressStream,
    });
    if (options.cleanup) {
      cleanup = await cleanupNamespace({
        sessions: credentialSessions,
        runRoot,
        users: specs,
        concurrency: options.prepareConcurrency,
        onProgress: printer,
      });
    }
    const opCount = reader.end?.ops ?? reader.header.counts?.ops ?? 0;
    const meta: Record<string, unknown> = {
      ...replay.meta,
      workload: basename(options.workload),
      workloadId: reader.workloadId,
      target: formatTarget(options.target),
      runRoot,
      ...(prepare ? { prepare } : {}),
      ...(cleanup ? { cleanup } : {}),
      ...options.meta,
    };
    const results = replay.metrics.toResults(meta);
    const fidelity = judgeFidelity(results, options.minFidelity ?? RUN_DEFAULTS.minFidelity, opCount);
    return { results, fidelity, prepare, cleanup };
  } finally {
    await credentialSessions.closeAll().catch(() => undefined);
    pool.close();
  }
}
