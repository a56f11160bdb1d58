/**
 * Everything a run can be told, with the defaults the CLI documents (docs/runner.md). The CLI
 * parses flags into this; tests and library users build it directly.
 */
import type { ArrivalStage } from './arrival-rate.js';
import type { Pacing } from '../scheduler/pacing.js';
import type { ProgressStream } from '../observe/progress-line.js';
import type { RunObserver } from '../observe/run-observer.js';
import type { ClientConnector } from './connection-pool.js';
import type { Credential } from './credentials.js';
import type { FillMode } from './namespace-ops.js';
import type { PassNamespace } from './pass-namespace.js';
import type { ShardSpec } from './shard.js';
import type { RunTarget } from './target.js';
import type { LoginAuth } from './credential-sessions.js';

export interface RunOptions {
  /** Path of the `.smbw` workload. */
  readonly workload: string;
  readonly target: RunTarget;
  readonly credentials: readonly Credential[];
  /** Virtual users; default one per captured user. */
  readonly users?: number;
  readonly runRoot?: string;
  readonly pacing?: Pacing;
  /** Users start spread evenly over this many ms. */
  readonly rampUpMs?: number;
  /** Stop after this many ms (in-flight ops finish; the rest is dropped). */
  readonly durationMs?: number;
  /** Replay each user's stream this many times. */
  readonly iterations?: number;
  /**
   * Where passes after the first replay (pass-namespace.ts): `fresh` (default) a new prepared
   * directory per pass, `reset` the user's directory deleted and prepared again, `reuse` over
   * what the previous pass left.
   */
  readonly passNamespace?: PassNamespace;
  /**
   * Open model (arrival-rate.ts): sessions start at this rate, each a pass of a captured user's
   * trace run by a free virtual user; an arrival with none free is dropped and counted. Needs
   * `durationMs`; `users` is then the pool of virtual users.
   */
  readonly arrivalRate?: readonly ArrivalStage[];
  readonly sessionsPerConnection?: number;
  /** Retries of replay-safe ops after transport errors and timeouts (retry-policy.ts). */
  readonly retries?: number;
  /** Request durable v2 handles on every create and reclaim them after reconnects. */
  readonly durable?: boolean;
  /** Exit with FAILURE below this status match ratio (0..1). */
  readonly minFidelity?: number;
  /** Per-request timeout in ms. */
  readonly requestTimeoutMs?: number;
  /**
   * Longest wait (ms) for an op the server answered with interim STATUS_PENDING (CHANGE_NOTIFY,
   * blocking LOCK, CREATE, pipe READ): then it is cancelled and counted as a timeout error.
   */
  readonly opTimeoutMs?: number;
  /** Extra wait (ms) beyond an async op's recorded latency before cancelling it. */
  readonly asyncSlackMs?: number;
  /** Units each user may have pulled ahead (running, scheduled or waiting on deps). */
  readonly window?: number;
  readonly maxOpsInMemory?: number;
  readonly lookahead?: number;
  readonly loginConcurrency?: number;
  readonly requireSigning?: boolean;
  /** NTLM (default), Kerberos or auto, with the realm/KDC for Kerberos (docs/kerberos.md). */
  readonly login?: LoginAuth;
  /** Run prepare first. */
  readonly prepare?: boolean;
  /** Remove the users' directories after the run. */
  readonly cleanup?: boolean;
  readonly fill?: FillMode;
  readonly prepareConcurrency?: number;
  /** Where the live progress line goes; false for none. Default process.stderr. */
  readonly progress?: ProgressStream | false;
  /** Free-form facts to add to results.meta. */
  readonly meta?: Record<string, unknown>;
  /** Live observability (Prometheus exporter, run log): attached to the replay's metrics and pool. */
  readonly observer?: RunObserver;
  /** Run only this shard's users: virtual user k when k mod count == index (shard.ts). */
  readonly shard?: ShardSpec;
  /** Wall-clock instant (Unix ms) at which users start, so shards start together (--start-at). */
  readonly startAtMs?: number;
  /** Replay on this many worker threads (default 1: in the calling thread). */
  readonly workers?: number;
  /** Write a checkpoint to this file periodically and when the run stops (--checkpoint). */
  readonly checkpoint?: string;
  /** Between periodic checkpoints, ms (default 5000). */
  readonly checkpointIntervalMs?: number;
  /** Continue the run saved in this checkpoint file (--resume). */
  readonly resume?: string;
  /**
   * Aborting it stops the run: no new op starts, pending async ops are cancelled, in-flight ops
   * get STOP_GRACE_MS to finish before the connections are closed, the checkpoint (if any) is
   * written, and the outcome says `interrupted`.
   */
  readonly signal?: AbortSignal;
  /** For tests: replaces SmbClient.connect. */
  readonly connect?: ClientConnector;
}

export const RUN_DEFAULTS = {
  runRoot: 'smbench-run',
  sessionsPerConnection: 64,
  retries: 2,
  /**
   * 0.9: a replay against another server (or Samba version) legitimately differs on a few percent
   * of statuses (unsupported info classes, different error for the same mistake), while a broken
   * setup (missing prepare, wrong share, no permissions) lands far below. CI gates can ask 0.99.
   */
  minFidelity: 0.9,
  requestTimeoutMs: 30_000,
  /** Longer than any sensible recorded wait, short enough that a stuck request cannot stall a run. */
  opTimeoutMs: 120_000,
  asyncSlackMs: 5_000,
  window: 64,
  loginConcurrency: 64,
  iterations: 1,
  passNamespace: 'fresh' as PassNamespace,
} as const;
