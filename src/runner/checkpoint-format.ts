/**
 * The checkpoint document (`--checkpoint FILE`, `--resume FILE`; docs/distributed.md "Checkpoint and
 * resume"). JSON, versioned like the results, written atomically (checkpoint-store.ts).
 *
 * It holds (1) a fingerprint of what is being run, which must match on resume, (2) per virtual
 * user the point from which it resumes, and (3) the results measured so far, with lossless
 * histogram encodings so the resumed run's measurements are merged exactly.
 *
 * Per-user positions are *unit ordinals*: the 0-based index of a unit (an op or a compound chain,
 * op-unit.ts) in the user's stream of one iteration. The feed hands every copy of a captured user
 * the same units in the same order, so an ordinal names the same op in every run of the workload.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { assertRunResults, type RunResults } from '../observe/run-results.js';
import type { Pacing } from '../scheduler/pacing.js';

export const CHECKPOINT_FORMAT = 'smbench-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** Half-open range [from, to) of unit ordinals. */
export type OrdinalRange = readonly [from: number, to: number];

/**
 * One virtual user's progress. Users absent from a checkpoint had not started: they replay from
 * the beginning.
 */
export interface UserCheckpoint {
  /** Virtual user index k (over the whole run, not the shard). */
  readonly user: number;
  /** The user replayed its whole stream (every iteration); nothing is left to do. */
  readonly done: boolean;
  /** The iteration the resume point is in (0-based). */
  readonly iteration: number;
  /**
   * The quiescent point: every unit before this ordinal completed, and at that moment the user had
   * no handle open. Resuming starts here with fresh handles.
   */
  readonly resumeAt: number;
  /**
   * Units at or after `resumeAt` that completed and whose measurements are already in the
   * checkpoint's results: replayed on resume (their handles are needed) but not measured again.
   */
  readonly measured: readonly OrdinalRange[];
}

/** What must be the same for a resume to continue the same run. */
export interface RunFingerprint {
  /** The workload's content hash (ir.md); null for a workload without one. */
  readonly workloadId: string | null;
  /** Total virtual users of the run (before sharding). */
  readonly users: number;
  /** Accounts in order (names only): user k logs in as account k mod count. */
  readonly accounts: readonly string[];
  readonly shard: string | null;
  readonly iterations: number;
  readonly pacing: Pacing;
  readonly runRoot: string;
  /** smb://host:port/share, without credentials. */
  readonly target: string;
  /** Where later passes replay (pass-namespace.ts); only with more than one iteration. */
  readonly passNamespace?: string;
}

export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  readonly writtenAt: string;
  /** Informational: the workload file's name when the checkpoint was written. */
  readonly workload: string;
  readonly fingerprint: RunFingerprint;
  /** Every user of this process replayed its whole stream. */
  readonly complete: boolean;
  /** Run segments (the first run plus each resume) whose measurements are in `results`. */
  readonly segments: number;
  /** Replay time over all segments, ms (what --duration counts against). */
  readonly activeMs: number;
  /** Users that have progressed; the others start from the beginning. */
  readonly users: readonly UserCheckpoint[];
  /** Everything measured so far, merged over the segments. */
  readonly results: RunResults;
}

export interface FingerprintInput {
  readonly workloadId: string | undefined;
  readonly users: number;
  readonly accounts: readonly { readonly user: string; readonly domain: string }[];
  readonly shard: string | undefined;
  readonly iterations: number;
  readonly pacing: Pacing;
  readonly runRoot: string;
  readonly target: string;
  readonly passNamespace?: string;
}

/** The fingerprint of a run (passwords never enter it: only account names). */
export function runFingerprint(input: FingerprintInput): RunFingerprint {
  return {
    workloadId: input.workloadId ?? null,
    users: input.users,
    accounts: input.accounts.map((a) => (a.domain ? `${a.domain}\\${a.user}` : a.user)),
    shard: input.shard ?? null,
    iterations: input.iterations,
    pacing: input.pacing,
    runRoot: input.runRoot,
    target: input.target,
    // A resume must find each pass where the checkpointed run put it.
    ...(input.iterations > 1 && input.passNamespace !== undefined
      ? { passNamespace: input.passNamespace }
      : {}),
  };
}

/** Fingerprint fields that differ between a checkpoint and the current run, as readable lines. */
export function fingerprintDifferences(saved: RunFingerprint, current: RunFingerprint): string[] {
  const out: string[] = [];
  const keys = Object.keys(current) as (keyof RunFingerprint)[];
  for (const key of keys) {
    const a = JSON.stringify(saved[key]);
    const b = JSON.stringify(current[key]);
    if (a !== b) out.push(`${key}: checkpoint has ${a}, this run has ${b}`);
  }
  return out;
}

/** Throws a USAGE error naming every difference when the resume would not continue the same run. */
export function assertSameRun(saved: RunFingerprint, current: RunFingerprint, file: string): void {
  const diffs = fingerprintDifferences(saved, current);
  if (diffs.length === 0) return;
  throw new SmbBenchError(
    ErrorCode.USAGE,
    `cannot resume from ${file}: it is a checkpoint of a different run (${diffs.join('; ')})`,
  );
}

function isOrdinalRanges(value: unknown): value is OrdinalRange[] {
  return (
    Array.isArray(value) &&
    value.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 2 &&
        Number.isSafeInteger(r[0]) &&
        Number.isSafeInteger(r[1]) &&
        (r[0] as number) >= 0 &&
        (r[0] as number) < (r[1] as number),
    )
  );
}

function assertUser(value: unknown, i: number, source: string): asserts value is UserCheckpoint {
  const u = value as Partial<UserCheckpoint> | null;
  const ok =
    typeof u === 'object' &&
    u !== null &&
    Number.isSafeInteger(u.user) &&
    (u.user as number) >= 0 &&
    typeof u.done === 'boolean' &&
    Number.isSafeInteger(u.iteration) &&
    (u.iteration as number) >= 0 &&
    Number.isSafeInteger(u.resumeAt) &&
    (u.resumeAt as number) >= 0 &&
    isOrdinalRanges(u.measured);
  if (!ok) throw new SmbBenchError(ErrorCode.USAGE, `${source}: users[${i}] is not a valid user checkpoint`);
}

/** Checks a parsed document; throws a USAGE error that says what is wrong. */
export function assertCheckpoint(value: unknown, source: string): asserts value is Checkpoint {
  const v = value as Partial<Checkpoint> | null;
  if (typeof v !== 'object' || v === null || v.format !== CHECKPOINT_FORMAT) {
    throw new SmbBenchError(ErrorCode.USAGE, `${source} is not an ${CHECKPOINT_FORMAT} document`);
  }
  if (v.version !== CHECKPOINT_VERSION) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `${source} has ${CHECKPOINT_FORMAT} version ${String(v.version)}; this smbench reads version ${CHECKPOINT_VERSION}`,
    );
  }
  if (
    typeof v.fingerprint !== 'object' ||
    v.fingerprint === null ||
    typeof v.complete !== 'boolean' ||
    !Number.isSafeInteger(v.segments) ||
    typeof v.activeMs !== 'number' ||
    !Array.isArray(v.users)
  ) {
    throw new SmbBenchError(ErrorCode.USAGE, `${source} is missing required checkpoint fields`);
  }
  v.users.forEach((u, i) => assertUser(u, i, source));
  assertRunResults(v.results, `${source} (results)`);
}
