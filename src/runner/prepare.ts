/**
 * `smbench prepare`: creates each virtual user's initial namespace from the IR (docs/ir.md
 * "Initial namespace") under `<run-root>/<user>/`: directories parent-first, files with their
 * recorded size and attributes, then their named streams (MS-FSCC 2.1.5), in parallel with
 * bounded concurrency, as the account that user logs in with. A target that refuses stream names
 * is counted (`streams.refused`), not fatal. Idempotent: a file that already has the right size is left alone, so a second
 * prepare (or `run --prepare` on a prepared share) costs one CREATE per path.
 */
import { listDirectory, removePath } from '../client/file-info.js';
import type { IrNamespaceEntry } from '../ir/types.js';
import { Semaphore } from './concurrency.js';
import type { CredentialSessions } from './credential-sessions.js';
import { EMPTY_PLAN, planNamespaces, type NamespacePlan } from './namespace-plan.js';
import {
  DEFAULT_FILL_THRESHOLD,
  ensureDirectory,
  FillMode,
  removeTree,
  type RemoveCounts,
} from './namespace-ops.js';
import { passDirOwner } from './pass-namespace.js';
import { emptyTally, planPathCount, prepareUserTree } from './prepare-user.js';
import type { VirtualUserSpec } from './user-mapping.js';
import { normalizeRunRoot, UserPaths } from './user-paths.js';

export interface PrepareProgress {
  readonly phase: 'prepare' | 'cleanup';
  /** Prepare: paths handled so far and in total (directories and files, users' roots). Cleanup: users. */
  readonly done: number;
  readonly total: number;
  readonly bytesWritten: number;
}

export interface PrepareOptions {
  readonly sessions: CredentialSessions;
  readonly runRoot: string;
  readonly users: readonly VirtualUserSpec[];
  readonly namespace: readonly IrNamespaceEntry[];
  readonly fill?: FillMode;
  readonly fillThreshold?: number;
  /** Paths worked on at once, over all users. Default 32. */
  readonly concurrency?: number;
  readonly onProgress?: (p: PrepareProgress) => void;
}

export interface PrepareReport {
  readonly users: number;
  readonly directories: number;
  readonly files: { readonly created: number; readonly resized: number; readonly unchanged: number };
  /** Named streams; `refused` when the share does not support streams at all. */
  readonly streams: {
    readonly created: number;
    readonly resized: number;
    readonly unchanged: number;
    readonly refused: number;
  };
  readonly bytesWritten: number;
  readonly durationMs: number;
}

export const DEFAULT_PREPARE_CONCURRENCY = 32;

/** Creates `a`, `a/b`, ... of a share-relative path, in order (mkdir -p). */
async function ensurePathChain(
  sessions: CredentialSessions,
  credentialIndex: number,
  path: string,
): Promise<void> {
  const tree = await sessions.tree(credentialIndex);
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) await ensureDirectory(tree, parts.slice(0, i).join('/'));
}

export async function prepareNamespace(options: PrepareOptions): Promise<PrepareReport> {
  const started = Date.now();
  const runRoot = normalizeRunRoot(options.runRoot);
  const plans = planNamespaces(options.namespace);
  const limiter = new Semaphore(options.concurrency ?? DEFAULT_PREPARE_CONCURRENCY);
  const fill = options.fill ?? FillMode.auto;
  const fillThreshold = options.fillThreshold ?? DEFAULT_FILL_THRESHOLD;
  const planOf = (u: VirtualUserSpec): NamespacePlan => plans.get(u.irUser.id) ?? EMPTY_PLAN;
  const total = options.users.reduce((n, u) => n + planPathCount(planOf(u)), 0);
  let done = 0;
  const tally = emptyTally();
  const progress = (): void =>
    options.onProgress?.({ phase: 'prepare', done, total, bytesWritten: tally.bytesWritten });
  const onPath = (): void => {
    done++;
    progress();
  };

  // The run root is shared by every user: create it once, as the first account.
  await ensurePathChain(options.sessions, options.users[0]?.credentialIndex ?? 0, runRoot);
  progress();

  await Promise.all(
    options.users.map(async (user) => {
      const tree = await options.sessions.tree(user.credentialIndex);
      const paths = new UserPaths(runRoot, user.dirName);
      await prepareUserTree(tree, paths, planOf(user), { limiter, fill, fillThreshold, tally, onPath });
    }),
  );
  return {
    users: options.users.length,
    directories: tally.directories,
    files: tally.files,
    streams: tally.streams,
    bytesWritten: tally.bytesWritten,
    durationMs: Date.now() - started,
  };
}

export interface CleanupOptions {
  readonly sessions: CredentialSessions;
  readonly runRoot: string;
  readonly users: readonly VirtualUserSpec[];
  readonly concurrency?: number;
  readonly onProgress?: (p: PrepareProgress) => void;
}

export interface CleanupReport extends RemoveCounts {
  readonly users: number;
  /** Whether the run root itself was removed (it stays if something else is still in it). */
  readonly runRootRemoved: boolean;
  readonly durationMs: number;
}

/**
 * The pass directories (`<user>@pass<k>`, pass-namespace.ts) in the run root, by owner: listed
 * rather than derived from --iterations, since a --duration run or an interrupted one made fewer
 * and an earlier run with more passes may have left some.
 */
async function passDirectories(
  sessions: CredentialSessions,
  users: readonly VirtualUserSpec[],
  runRoot: string,
): Promise<Map<string, string[]>> {
  const owners = new Set(users.map((u) => u.dirName));
  const byOwner = new Map<string, string[]>();
  let entries;
  try {
    entries = await listDirectory(await sessions.tree(users[0]?.credentialIndex ?? 0), runRoot);
  } catch {
    return byOwner; // No run root: nothing to remove.
  }
  for (const e of entries) {
    const owner = passDirOwner(e.fileName);
    if (owner === undefined || !owners.has(owner)) continue;
    const list = byOwner.get(owner);
    if (list) list.push(e.fileName);
    else byOwner.set(owner, [e.fileName]);
  }
  return byOwner;
}

/** Removes every user's directory and its pass directories, then the run root if it is empty (`--cleanup`, `prepare --cleanup-only`). */
export async function cleanupNamespace(options: CleanupOptions): Promise<CleanupReport> {
  const started = Date.now();
  const runRoot = normalizeRunRoot(options.runRoot);
  const limiter = new Semaphore(options.concurrency ?? DEFAULT_PREPARE_CONCURRENCY);
  const counts: RemoveCounts = { files: 0, directories: 0 };
  let done = 0;
  const total = options.users.length;
  const passDirs = await passDirectories(options.sessions, options.users, runRoot);
  await Promise.all(
    options.users.map(async (user) => {
      const tree = await options.sessions.tree(user.credentialIndex);
      const dirs = [user.dirName, ...(passDirs.get(user.dirName) ?? [])];
      await Promise.all(dirs.map((d) => removeTree(tree, new UserPaths(runRoot, d).root, limiter, counts)));
      done++;
      options.onProgress?.({ phase: 'cleanup', done, total, bytesWritten: 0 });
    }),
  );
  let runRootRemoved = false;
  try {
    const tree = await options.sessions.tree(options.users[0]?.credentialIndex ?? 0);
    await removePath(tree, runRoot, 'directory');
    runRootRemoved = true;
  } catch {
    // Not empty (other users' or other runs' directories) or already gone: leave it.
  }
  return { ...counts, users: options.users.length, runRootRemoved, durationMs: Date.now() - started };
}
