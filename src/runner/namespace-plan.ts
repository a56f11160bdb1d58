/**
 * What `prepare` creates for one captured user (docs/ir.md "Initial namespace"): every directory,
 * explicit or implied by a deeper path, grouped by depth so parents are made before children and
 * siblings in parallel; every file with its size and attributes; and, last, the named streams of
 * those files and directories (MS-FSCC 2.1.5), since a stream can only be added to an existing object.
 */
import { irAncestors } from '../ir/ir-path.js';
import type { IrNamespaceEntry, UserId } from '../ir/types.js';

export interface PlannedDir {
  readonly path: string;
  readonly attributes: number | undefined;
}

export interface PlannedFile {
  readonly path: string;
  readonly size: number;
  readonly attributes: number | undefined;
}

export interface PlannedStream {
  /** Path of the file or directory the stream belongs to. */
  readonly base: string;
  readonly name: string;
  readonly size: number;
}

export interface NamespacePlan {
  /** Directories by depth: levels[0] are top-level directories, levels[1] their children... */
  readonly levels: readonly (readonly PlannedDir[])[];
  readonly files: readonly PlannedFile[];
  readonly streams: readonly PlannedStream[];
  readonly totalBytes: number;
}

function depthOf(path: string): number {
  let depth = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) depth++;
  return depth;
}

/** Plans the namespace of each captured user from the IR's `ns` records. */
export function planNamespaces(entries: readonly IrNamespaceEntry[]): Map<UserId, NamespacePlan> {
  const dirsByUser = new Map<UserId, Map<string, number | undefined>>();
  const filesByUser = new Map<UserId, PlannedFile[]>();
  const streamsByUser = new Map<UserId, PlannedStream[]>();
  for (const e of entries) {
    if (e.streams !== undefined && e.streams.length > 0) {
      let streams = streamsByUser.get(e.user);
      if (!streams) streamsByUser.set(e.user, (streams = []));
      for (const s of e.streams) streams.push({ base: e.path, name: s.name, size: s.size });
    }
    let dirs = dirsByUser.get(e.user);
    if (!dirs) {
      dirs = new Map();
      dirsByUser.set(e.user, dirs);
    }
    for (const a of irAncestors(e.path)) if (!dirs.has(a)) dirs.set(a, undefined);
    if (e.kind === 'dir') {
      dirs.set(e.path, e.attributes);
    } else {
      let files = filesByUser.get(e.user);
      if (!files) {
        files = [];
        filesByUser.set(e.user, files);
      }
      files.push({ path: e.path, size: e.size, attributes: e.attributes });
    }
  }
  const plans = new Map<UserId, NamespacePlan>();
  const users = new Set([...dirsByUser.keys(), ...filesByUser.keys(), ...streamsByUser.keys()]);
  for (const user of users) {
    const levels: PlannedDir[][] = [];
    for (const [path, attributes] of dirsByUser.get(user) ?? []) {
      const d = depthOf(path);
      while (levels.length <= d) levels.push([]);
      levels[d]!.push({ path, attributes });
    }
    const files = filesByUser.get(user) ?? [];
    const streams = streamsByUser.get(user) ?? [];
    const totalBytes = [...files, ...streams].reduce((n, f) => n + f.size, 0);
    plans.set(user, { levels, files, streams, totalBytes });
  }
  return plans;
}

export const EMPTY_PLAN: NamespacePlan = { levels: [], files: [], streams: [], totalBytes: 0 };
