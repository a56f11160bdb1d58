/**
 * One user's initial namespace (docs/ir.md "Initial namespace") made below its directory:
 * directories parent-first (siblings in parallel), files with their recorded size and attributes,
 * then their named streams (MS-FSCC 2.1.5), since a stream can only be added to an existing object.
 * Shared by `smbench prepare` (prepare.ts) and the per-pass prepare (pass-namespace.ts).
 */
import type { Tree } from '../client/tree.js';
import type { Semaphore } from './concurrency.js';
import type { NamespacePlan } from './namespace-plan.js';
import { ensureDirectory, ensureFile, type FillMode } from './namespace-ops.js';
import { ensureStream } from './stream-ops.js';
import type { UserPaths } from './user-paths.js';

/** What prepares did, summed over users (and passes). */
export interface PrepareTally {
  directories: number;
  readonly files: { created: number; resized: number; unchanged: number };
  readonly streams: { created: number; resized: number; unchanged: number; refused: number };
  bytesWritten: number;
}

export function emptyTally(): PrepareTally {
  return {
    directories: 0,
    files: { created: 0, resized: 0, unchanged: 0 },
    streams: { created: 0, resized: 0, unchanged: 0, refused: 0 },
    bytesWritten: 0,
  };
}

export interface PrepareUserOptions {
  readonly limiter: Semaphore;
  readonly fill: FillMode;
  readonly fillThreshold: number;
  readonly tally: PrepareTally;
  /** Called after each path (the user's root included), for progress lines. */
  readonly onPath?: () => void;
}

/** Paths prepareUserTree handles for `plan`: the user's root, directories, files, streams. */
export function planPathCount(plan: NamespacePlan): number {
  return 1 + plan.levels.reduce((m, l) => m + l.length, 0) + plan.files.length + plan.streams.length;
}

export async function prepareUserTree(
  tree: Tree,
  paths: UserPaths,
  plan: NamespacePlan,
  options: PrepareUserOptions,
): Promise<void> {
  const { limiter, fill, fillThreshold, tally } = options;
  await limiter.run(() => ensureDirectory(tree, paths.root));
  tally.directories++;
  options.onPath?.();
  for (const level of plan.levels) {
    await Promise.all(
      level.map((d) =>
        limiter.run(async () => {
          await ensureDirectory(tree, paths.slashPath(d.path), d.attributes);
          tally.directories++;
          options.onPath?.();
        }),
      ),
    );
  }
  await Promise.all(
    plan.files.map((f) =>
      limiter.run(async () => {
        const r = await ensureFile(tree, paths.slashPath(f.path), f.size, f.attributes, fill, fillThreshold);
        tally.files[r.outcome]++;
        tally.bytesWritten += r.bytesWritten;
        options.onPath?.();
      }),
    ),
  );
  // After every file and directory: a stream is added to an object that exists.
  await Promise.all(
    plan.streams.map((s) =>
      limiter.run(async () => {
        const r = await ensureStream(tree, paths.slashPath(s.base), s.name, s.size, fill, fillThreshold);
        tally.streams[r.outcome]++;
        tally.bytesWritten += r.bytesWritten;
        options.onPath?.();
      }),
    ),
  );
}
