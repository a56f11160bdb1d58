/**
 * TBBT-style inference of the namespace a trace assumes (docs/compiler.md, "Namespace inference").
 *
 * Every observation says something about one path *at that moment* (it exists, it does not, it was
 * just created, deleted or renamed). The first observation of a path also settles its state before
 * the trace: a path seen existing before anything in the trace created it must have pre-existed; a
 * path created, or reported missing, first must not have. Only pre-existing paths become `ns`
 * records, so replay never collides with something the original trace created itself.
 *
 * Paths are compared case-insensitively (SMB servers for Windows clients are, MS-FSA 2.1.5.1.2),
 * and the first spelling seen is the one written out.
 *
 * A named stream (`file:stream`, MS-FSCC 2.1.5) is tracked like a file of its own, so its size comes
 * from the same reads, writes and EOF answers, but it cannot outlive or predate its base: seeing
 * the stream means the base exists, deleting or renaming the base takes its streams along, and the
 * stream is written out inside its base's entry. `file::$DATA` is the file itself.
 */
import { irAncestors } from '../../ir/ir-path.js';
import { splitStreamPath, streamPathOf } from '../../ir/ir-stream-path.js';
import type { IrNamespaceStream, IrPath, NodeKind } from '../../ir/types.js';

/** What we know about a path before the trace, and now. */
export const Presence = { UNKNOWN: 0, EXISTS: 1, ABSENT: 2 } as const;
export type Presence = (typeof Presence)[keyof typeof Presence];

export interface PathNode {
  /** First spelling seen. */
  readonly path: IrPath;
  initial: Presence;
  current: Presence;
  kind: NodeKind | undefined;
  /** End of file before the trace touched it; grows with reads beyond it. */
  size: number;
  attributes: number | undefined;
  /** The size came from an exact source (CREATE response, listing, query info). */
  sizeExact: boolean;
  /** Written, truncated or overwritten in the trace: later sizes say nothing about the start. */
  modified: boolean;
  /**
   * The pre-existing file whose unchanged content this path holds after a rename: sizes seen here
   * are that file's initial size (a file opened before the capture, renamed, then read).
   */
  origin: PathNode | undefined;
}

export interface NamespaceEntryOut {
  readonly path: IrPath;
  readonly kind: NodeKind;
  readonly size: number;
  readonly attributes?: number;
  readonly streams?: readonly IrNamespaceStream[];
}

/** A contradiction between observations (e.g. another user created the file); reported, not fatal. */
export type ConflictReport = (message: string) => void;

export class NamespaceTracker {
  private readonly nodes = new Map<string, PathNode>();
  /**
   * The keys of stream nodes (`base:stream`), in creation order like `nodes`. Deleting or renaming
   * a file looks for its streams here instead of scanning every path ever seen, which made each
   * delete cost O(namespace) (quadratic on a capture that creates and deletes many files).
   */
  private readonly streamKeys = new Set<string>();
  conflicts = 0;

  get size(): number {
    return this.nodes.size;
  }

  /** The node for a path, if anything was observed about it. */
  get(path: IrPath): PathNode | undefined {
    return this.nodes.get(canonicalStream(path).toLowerCase());
  }

  private node(path: IrPath): PathNode {
    const key = path.toLowerCase();
    let n = this.nodes.get(key);
    if (n === undefined) {
      n = {
        path,
        initial: Presence.UNKNOWN,
        current: Presence.UNKNOWN,
        kind: undefined,
        size: 0,
        attributes: undefined,
        sizeExact: false,
        modified: false,
        origin: undefined,
      };
      this.nodes.set(key, n);
      if (key.includes(':')) this.streamKeys.add(key);
    }
    return n;
  }

  /**
   * The path exists now (opened, listed, or a create collided with it). If nothing was known about
   * it, it existed before the trace, unless an ancestor was itself created during the trace.
   */
  exists(rawPath: IrPath, kind: NodeKind | undefined, size?: number, attributes?: number): void {
    const path = canonicalStream(rawPath);
    if (path === '') return;
    const { base, stream } = splitStreamPath(path);
    if (stream !== undefined) {
      this.exists(base, undefined);
      kind = 'file';
    }
    const n = this.node(path);
    if (kind !== undefined && (n.kind === undefined || kind === 'dir')) n.kind = kind;
    if (attributes !== undefined && n.attributes === undefined) n.attributes = attributes;
    if (n.current === Presence.EXISTS) {
      this.noteSizeOf(n, size, true);
      return;
    }
    if (n.current === Presence.ABSENT) {
      // Created behind our back (another user, another share, or packets we did not see).
      this.conflicts++;
      n.current = Presence.EXISTS;
      return;
    }
    n.current = Presence.EXISTS;
    if (n.initial === Presence.UNKNOWN) {
      const baseExisted = stream === undefined || base === '' || this.get(base)?.initial === Presence.EXISTS;
      n.initial = baseExisted && this.ancestorsExisted(path) ? Presence.EXISTS : Presence.ABSENT;
    }
    this.noteSizeOf(n, size, true);
  }

  /** The path does not exist now (STATUS_OBJECT_NAME_NOT_FOUND). */
  absent(rawPath: IrPath): void {
    const path = canonicalStream(rawPath);
    if (path === '') return;
    const n = this.node(path);
    if (n.current === Presence.EXISTS) this.conflicts++;
    n.current = Presence.ABSENT;
    if (n.initial === Presence.UNKNOWN) n.initial = Presence.ABSENT;
  }

  /** A create made it (CreateAction FILE_CREATED): it must not pre-exist. */
  created(rawPath: IrPath, kind: NodeKind | undefined): void {
    const path = canonicalStream(rawPath);
    if (path === '') return;
    const { base, stream } = splitStreamPath(path);
    // A new stream is added to an existing object; a new file's parent is an existing directory.
    if (stream !== undefined) this.exists(base, undefined);
    else if (parentOf(path) !== '') this.exists(parentOf(path), 'dir');
    if (stream !== undefined) kind = 'file';
    const n = this.node(path);
    if (n.current === Presence.EXISTS) this.conflicts++;
    if (n.initial === Presence.UNKNOWN) n.initial = Presence.ABSENT;
    n.current = Presence.EXISTS;
    if (kind !== undefined) n.kind = kind;
    n.modified = true;
  }

  /** Opened with FILE_OVERWRITTEN/FILE_SUPERSEDED: it existed, its old size is unknowable. */
  overwritten(path: IrPath, kind: NodeKind | undefined): void {
    this.exists(path, kind);
    this.modified(path);
  }

  /** Deleted (delete-on-close took effect): it existed until now. */
  deleted(rawPath: IrPath, kind: NodeKind | undefined): void {
    const path = canonicalStream(rawPath);
    if (path === '') return;
    this.exists(path, kind);
    const n = this.node(path);
    n.current = Presence.ABSENT;
    // A deleted file's streams go with it (MS-FSA 2.1.5.4: the file, not one stream, is removed).
    for (const s of this.withPrefix(`${path.toLowerCase()}:`)) s.current = Presence.ABSENT;
    n.origin = undefined;
  }

  /**
   * Renamed from `from` to `to`: `from` existed, `to` must not pre-exist (the rename made it), and
   * whatever is known to be inside a renamed directory moves with it.
   */
  renamed(rawFrom: IrPath, rawTo: IrPath, kind: NodeKind | undefined): void {
    const from = canonicalStream(rawFrom);
    const to = canonicalStream(rawTo);
    if (from === '' || to === '') return;
    this.exists(from, kind);
    const source = this.node(from);
    source.current = Presence.ABSENT;
    const movedKind = source.kind ?? kind;
    this.moveChildren(from, to, ':');
    if (movedKind !== 'file') this.moveChildren(from, to, '/');
    const target = this.node(to);
    if (target.initial === Presence.UNKNOWN) target.initial = Presence.ABSENT;
    target.current = Presence.EXISTS;
    if (movedKind !== undefined) target.kind = movedKind;
    this.carryContent(source, target);
    const parent = parentOf(to);
    if (parent !== '') this.exists(parent, 'dir');
  }

  /** Written, truncated or extended: sizes seen from now on are not the initial size. */
  modified(path: IrPath): void {
    const n = this.get(path);
    if (n !== undefined) n.modified = true;
  }

  /**
   * An exact size (query info) or a lower bound (end of a read) seen while the file still had its
   * initial content.
   */
  sizeSeen(path: IrPath, size: number, exact: boolean): void {
    const n = this.get(path);
    if (n !== undefined) this.noteSizeOf(n, size, exact);
  }

  /** A size seen at `n`, credited to the pre-existing file it was renamed from, if any. */
  private noteSizeOf(n: PathNode, size: number | undefined, exact: boolean): void {
    if (n.origin === undefined) this.noteSize(n, size, exact);
    else if (!n.modified) this.noteSize(n.origin, size, exact);
  }

  private noteSize(n: PathNode, size: number | undefined, exact: boolean): void {
    if (size === undefined || n.modified || n.initial !== Presence.EXISTS || n.kind === 'dir') return;
    if (exact) {
      if (!n.sizeExact || size > n.size) n.size = size;
      n.sizeExact = true;
    } else if (size > n.size) {
      n.size = size;
    }
  }

  /** Ancestors exist now; false if one was created during the trace (so `path` could not pre-exist). */
  private ancestorsExisted(path: IrPath): boolean {
    for (const a of irAncestors(path)) {
      const n = this.node(a);
      if (n.kind !== 'dir') n.kind = 'dir';
      if (n.current === Presence.UNKNOWN) {
        n.current = Presence.EXISTS;
        if (n.initial === Presence.UNKNOWN) n.initial = Presence.EXISTS;
      }
      if (n.initial === Presence.ABSENT) return false;
    }
    return true;
  }

  /** Nodes whose key starts with `prefix` (lower case) and that exist now, in creation order. */
  private withPrefix(prefix: string): PathNode[] {
    const out: PathNode[] = [];
    if (prefix.endsWith(':')) {
      // Only a stream key can start with `base:`.
      for (const key of this.streamKeys) {
        if (!key.startsWith(prefix)) continue;
        const n = this.nodes.get(key)!;
        if (n.current === Presence.EXISTS) out.push(n);
      }
      return out;
    }
    for (const [key, n] of this.nodes)
      if (key.startsWith(prefix) && n.current === Presence.EXISTS) out.push(n);
    return out;
  }

  /** Moves what is inside `from` (`/` children) or attached to it (`:` streams) to `to`. */
  private moveChildren(from: IrPath, to: IrPath, separator: '/' | ':'): void {
    const moved = this.withPrefix(`${from.toLowerCase()}${separator}`);
    for (const n of moved) {
      n.current = Presence.ABSENT;
      const dest = this.node(`${to}${n.path.slice(from.length)}`);
      if (dest.initial === Presence.UNKNOWN) dest.initial = Presence.ABSENT;
      dest.current = Presence.EXISTS;
      dest.kind = n.kind;
      this.carryContent(n, dest);
    }
  }

  /** `to` now holds what `from` held: the same pre-existing content, or content of the trace's own. */
  private carryContent(from: PathNode, to: PathNode): void {
    const origin = from.modified
      ? undefined
      : (from.origin ?? (from.initial === Presence.EXISTS ? from : undefined));
    to.origin = origin;
    to.modified = origin === undefined;
  }

  /**
   * The initial namespace: every path that existed before the trace, parents before children. A
   * path with something inside it is a directory whatever it was taken for.
   */
  entries(): NamespaceEntryOut[] {
    const pre: PathNode[] = [];
    const streamsOf = new Map<string, IrNamespaceStream[]>();
    for (const n of this.nodes.values()) {
      if (n.initial !== Presence.EXISTS) continue;
      const { base, stream } = splitStreamPath(n.path);
      if (stream === undefined) {
        pre.push(n);
        continue;
      }
      // Streams of the share root have no entry to live in (an ns path is never ""): not prepared.
      if (base === '') continue;
      const key = base.toLowerCase();
      let list = streamsOf.get(key);
      if (list === undefined) streamsOf.set(key, (list = []));
      list.push({ name: stream, size: n.size });
    }
    const dirs = new Set<string>();
    for (const n of pre) for (const a of irAncestors(n.path.toLowerCase())) dirs.add(a);
    const out = pre.map((n): NamespaceEntryOut => {
      const path = this.canonical(n.path);
      const kind: NodeKind = n.kind === 'dir' || dirs.has(n.path.toLowerCase()) ? 'dir' : 'file';
      const size = kind === 'dir' ? 0 : n.size;
      const streams = streamsOf.get(n.path.toLowerCase())?.sort((a, b) => (a.name < b.name ? -1 : 1));
      return {
        path,
        kind,
        size,
        ...(n.attributes === undefined ? {} : { attributes: n.attributes }),
        ...(streams === undefined ? {} : { streams }),
      };
    });
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The path spelled with each component as its directory was first seen, so children follow parents. */
  private canonical(path: IrPath): IrPath {
    let out = '';
    let from = 0;
    for (;;) {
      const slash = path.indexOf('/', from);
      const prefix = slash < 0 ? path : path.slice(0, slash);
      const seen = this.nodes.get(prefix.toLowerCase());
      const spelled = seen?.path ?? prefix;
      out = out === '' ? spelled : `${out}/${spelled.slice(spelled.lastIndexOf('/') + 1)}`;
      if (slash < 0) return out;
      from = slash + 1;
    }
  }
}

/** One key per stream: `f:s:$DATA` is `f:s`, and `f::$DATA` (the default data stream) is `f`. */
function canonicalStream(path: IrPath): IrPath {
  if (!path.includes(':')) return path;
  const { base, stream } = splitStreamPath(path);
  return stream === undefined ? base : streamPathOf(base, stream);
}

function parentOf(path: IrPath): IrPath {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
