/**
 * One synthetic user's namespace: the initial tree drawn from the model's namespace shape (file
 * count, depth, files per directory, sizes, extensions) and, during synthesis, what exists now
 * (creates, renames and deletes update it), so every generated path is valid when it is used.
 */
import { irJoinPath, irParentPath } from '../../ir/index.js';
import type { IrNamespaceEntry, UserId } from '../../ir/index.js';
import { sampleWeighted } from '../categorical.js';
import type { UserModel } from '../model-types.js';
import type { Prng } from '../prng.js';
import { sampleQuantiles } from '../quantile-table.js';

/** A bound on one user's initial files, whatever a model's tail says. */
const MAX_INITIAL_FILES = 10_000;

interface DirSlot {
  readonly path: string;
  readonly depth: number;
  readonly capacity: number;
  used: number;
}

export class UserFiles {
  /** Path -> current size in bytes. */
  readonly files = new Map<string, number>();
  /** Every directory that exists, the root `''` first. */
  readonly dirs: string[] = [''];
  private counter = 0;

  constructor(
    private readonly model: UserModel,
    private readonly rng: Prng,
  ) {}

  /** A name no object of this user has had: `<prefix><n><ext>`. */
  freshName(prefix: string, ext = this.extension()): string {
    return `${prefix}${this.counter++}${ext}`;
  }

  extension(): string {
    return sampleWeighted(this.model.namespace.extensions, this.rng) ?? '';
  }

  filesIn(dir: string): string[] {
    const out: string[] = [];
    for (const path of this.files.keys()) if ((irParentPath(path) ?? '') === dir) out.push(path);
    return out;
  }

  /** Builds the initial tree and returns it as namespace records, parents before children. */
  generateInitial(user: UserId): IrNamespaceEntry[] {
    const ns = this.model.namespace;
    const count = Math.min(MAX_INITIAL_FILES, sampleQuantiles(ns.filesPerUser, this.rng, 0));
    const byDepth = new Map<number, DirSlot[]>([[0, [this.slot('', 0)]]]);
    const dirEntries: IrNamespaceEntry[] = [];
    const fileEntries: IrNamespaceEntry[] = [];
    const dirAt = (depth: number): DirSlot => {
      const free = (byDepth.get(depth) ?? []).find((d) => d.used < d.capacity);
      if (free) return free;
      const parent = depth === 0 ? byDepth.get(0)![0]! : this.anyDirAt(byDepth, depth - 1, dirAt);
      const path = irJoinPath(parent.path, this.freshName('d', ''));
      const slot = this.slot(path, depth);
      byDepth.set(depth, [...(byDepth.get(depth) ?? []), slot]);
      this.dirs.push(path);
      dirEntries.push({ user, path, kind: 'dir', size: 0 });
      return slot;
    };
    for (let i = 0; i < count; i++) {
      const depth = Math.min(32, sampleQuantiles(ns.fileDepth, this.rng, 0));
      const dir = dirAt(depth);
      dir.used++;
      const path = irJoinPath(dir.path, this.freshName('f'));
      const size = sampleQuantiles(ns.fileSize, this.rng, 0);
      this.files.set(path, size);
      fileEntries.push({ user, path, kind: 'file', size });
    }
    return [...dirEntries, ...fileEntries];
  }

  private slot(path: string, depth: number): DirSlot {
    const capacity = Math.max(1, sampleQuantiles(this.model.namespace.filesPerDir, this.rng, 1));
    return { path, depth, capacity, used: 0 };
  }

  /** Some directory at `depth` (any one, full or not: it only needs to hold a subdirectory). */
  private anyDirAt(
    byDepth: Map<number, DirSlot[]>,
    depth: number,
    dirAt: (depth: number) => DirSlot,
  ): DirSlot {
    const existing = byDepth.get(depth);
    if (existing && existing.length > 0) return this.rng.pick(existing);
    return dirAt(depth);
  }
}
