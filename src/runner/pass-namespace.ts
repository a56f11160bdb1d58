/**
 * Faithful repeated passes (`--iterations`, `--duration`; issue #10 item 6): every pass of a user
 * starts from the trace's initial namespace, so a create with FILE_CREATE, a rename or a delete
 * meets in pass k what it met in the capture, not what pass k−1 left behind.
 *
 * - `fresh` (default): pass k > 0 runs in its own directory `<run-root>/<user>@pass<k>/`, prepared
 *   from the IR's `ns` records before the pass starts;
 * - `reset`: the user's directory is deleted and prepared again in place;
 * - `reuse`: pass k replays over what pass k−1 left (the behaviour before this option).
 *
 * The per-pass prepare runs on the user's own session, between its passes, before its clock
 * restarts: it is neither an op nor part of the pass's pacing.
 */
import type { Tree } from '../client/tree.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { Semaphore } from './concurrency.js';
import type { NamespacePlan } from './namespace-plan.js';
import { removeTree, type FillMode, type RemoveCounts } from './namespace-ops.js';
import { emptyTally, prepareUserTree, type PrepareTally } from './prepare-user.js';
import { UserPaths } from './user-paths.js';

export const PassNamespace = { fresh: 'fresh', reset: 'reset', reuse: 'reuse' } as const;
export type PassNamespace = (typeof PassNamespace)[keyof typeof PassNamespace];

export function parsePassNamespace(value: string): PassNamespace {
  if (Object.hasOwn(PassNamespace, value)) return value as PassNamespace;
  throw new SmbBenchError(
    ErrorCode.USAGE,
    `--pass-namespace must be fresh, reset or reuse, not ${JSON.stringify(value)}`,
  );
}

const PASS_SUFFIX = /^(.+)@pass([1-9][0-9]*)$/;

/** The directory name of a user's pass: pass 0 keeps the user's own name. */
export function passDirName(dirName: string, pass: number): string {
  return pass === 0 ? dirName : `${dirName}@pass${pass}`;
}

/** The user a pass directory name belongs to (`u3.1@pass2` -> `u3.1`), or undefined. */
export function passDirOwner(name: string): string | undefined {
  return PASS_SUFFIX.exec(name)?.[1];
}

/** Run-wide totals of the per-pass prepares. */
export interface PassTally extends PrepareTally {
  /** Passes whose namespace was made. */
  passes: number;
  /** Passes whose prepare failed (they replay over what exists: mismatches, not a crash). */
  failures: number;
  firstError: string | undefined;
  /** What `reset` deleted before preparing again. */
  readonly removed: RemoveCounts;
}

export function emptyPassTally(): PassTally {
  return {
    ...emptyTally(),
    passes: 0,
    failures: 0,
    firstError: undefined,
    removed: { files: 0, directories: 0 },
  };
}

/** results.meta.passPrepare: flat counts, so workers' values add up (worker-results.ts). */
export function passTallyMeta(t: PassTally): Record<string, number | string> {
  return {
    passes: t.passes,
    failures: t.failures,
    directories: t.directories,
    files: t.files.created + t.files.resized + t.files.unchanged,
    streams: t.streams.created + t.streams.resized + t.streams.unchanged,
    streamsRefused: t.streams.refused,
    bytesWritten: t.bytesWritten,
    removedFiles: t.removed.files,
    removedDirectories: t.removed.directories,
    ...(t.firstError !== undefined ? { firstError: t.firstError } : {}),
  };
}

export interface UserPassesInit {
  readonly mode: PassNamespace;
  readonly runRoot: string;
  readonly dirName: string;
  readonly plan: NamespacePlan;
  readonly fill: FillMode;
  readonly fillThreshold: number;
  /** Shared by all users of the replay: bounds the paths prepared at once. */
  readonly limiter: Semaphore;
  /** Run-wide totals of what the per-pass prepares did (results.meta.passPrepare). */
  readonly tally: PassTally;
}

/** One user's passes: where each pass runs and how its namespace is made. */
export class UserPasses {
  constructor(private readonly init: UserPassesInit) {}

  get mode(): PassNamespace {
    return this.init.mode;
  }

  /** Where pass `pass` replays. */
  paths(pass: number): UserPaths {
    const dir =
      this.init.mode === PassNamespace.fresh ? passDirName(this.init.dirName, pass) : this.init.dirName;
    return new UserPaths(this.init.runRoot, dir);
  }

  /**
   * Makes pass `pass` (> 0) start from the initial namespace; nothing to do for `reuse`. A failure
   * is counted (meta.passPrepare.failures), not thrown: the pass then replays over what exists.
   */
  async prepare(tree: Tree, pass: number): Promise<void> {
    const { mode, limiter, tally } = this.init;
    if (mode === PassNamespace.reuse || pass === 0) return;
    const paths = this.paths(pass);
    try {
      if (mode === PassNamespace.reset) await removeTree(tree, paths.root, limiter, tally.removed);
      await prepareUserTree(tree, paths, this.init.plan, {
        limiter,
        fill: this.init.fill,
        fillThreshold: this.init.fillThreshold,
        tally,
      });
      tally.passes++;
    } catch (err) {
      tally.failures++;
      tally.firstError ??= `pass ${pass} of ${paths.root}: ${(err as Error).message}`;
    }
  }
}

/**
 * The terminal line for a run of more than one pass: where the passes replayed and what their
 * prepares did; undefined for a single pass.
 */
export function passesLine(meta: Readonly<Record<string, unknown>>): string | undefined {
  const iterations = typeof meta['iterations'] === 'number' ? meta['iterations'] : 1;
  if (iterations <= 1) return undefined;
  // Under --arrival-rate the count is unbounded (sessions end with the run): say "session".
  const each = meta['arrivals'] !== undefined ? 'one per session' : `${iterations} per user`;
  const mode = meta['passNamespace'];
  if (mode === PassNamespace.reuse) {
    return `passes: ${each} over one namespace (--pass-namespace reuse): later passes see what earlier ones changed`;
  }
  const where =
    mode === PassNamespace.reset ? "the user's directory reset" : 'a fresh <user>@pass<k> directory';
  const p = meta['passPrepare'] as { passes?: number; failures?: number; firstError?: string } | undefined;
  const failed = (p?.failures ?? 0) > 0 ? `, ${p?.failures} FAILED (${p?.firstError ?? '?'})` : '';
  return `passes: ${each}, each from the initial namespace (${String(mode)}: ${where}); ${p?.passes ?? 0} pass prepares${failed}`;
}
