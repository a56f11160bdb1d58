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
 */
import { irAncestors } from '../../ir/ir-path.js';
import type { IrPath, NodeKind } from '../../ir/types.js';

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
}

/** A contradiction between observations (e.g. another user created the file); reported, not fatal. */
export type ConflictReport = (message: string) => void;

export class NamespaceTracker {
  private readonly nodes = new Map<string, PathNode>();
  conflicts = 0;

  get size(): number {
    return this.nodes.size;
  }

  /** The node for a path, if anything was observed about it. */
  get(path: IrPath): PathNode | undefined {
    return this.nodes.get(path.toLowerCase());
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
    }
    return n;
  }

  /**
   * The path exists now (opened, listed, or a create collided with it). If nothing was known about
   * it, it existed before the trace, unless an ancestor was itself created during the trace.
   */
  exists(path: IrPath, kind: NodeKind | undefined, size?: number, attributes?: number): void {
    if (path === '') return;
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
      n.initial = this.ancestorsExisted(path) ? Presence.EXISTS : Presence.ABSENT;
    }
    this.noteSizeOf(n, size, true);
  }

  /** The path does not exist now (STATUS_OBJECT_NAME_NOT_FOUND). */
  absent(path: IrPath): void {
    if (path === '') return;
    const n = this.node(path);
    if (n.current === Presence.EXISTS) this.conflicts++;
    n.current = Presence.ABSENT;
    if (n.initial === Presence.UNKNOWN) n.initial = Presence.ABSENT;
  }

  /** A create made it (CreateAction FILE_CREATED): it must not pre-exist. */
  created(path: IrPath, kind: NodeKind | undefined): void {
    if (path === '') return;
    const parent = parentOf(path);
    if (parent !== '') this.exists(parent, 'dir');
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
  deleted(path: IrPath, kind: NodeKind | undefined): void {
    if (path === '') return;
    this.exists(path, kind);
    const n = this.node(path);
    n.current = Presence.ABSENT;
    n.origin = undefined;
  }

  /**
   * Renamed from `from` to `to`: `from` existed, `to` must not pre-exist (the rename made it), and
   * whatever is known to be inside a renamed directory moves with it.
   */
  renamed(from: IrPath, to: IrPath, kind: NodeKind | undefined): void {
    if (from === '' || to === '') return;
    this.exists(from, kind);
    const source = this.node(from);
    source.current = Presence.ABSENT;
    const movedKind = source.kind ?? kind;
    if (movedKind !== 'file') this.moveChildren(from, to);
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
    const n = this.nodes.get(path.toLowerCase());
    if (n !== undefined) n.modified = true;
  }

  /**
   * An exact size (query info) or a lower bound (end of a read) seen while the file still had its
   * initial content.
   */
  sizeSeen(path: IrPath, size: number, exact: boolean): void {
    const n = this.nodes.get(path.toLowerCase());
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

  private moveChildren(from: IrPath, to: IrPath): void {
    const prefix = `${from.toLowerCase()}/`;
    const moved: PathNode[] = [];
    for (const [key, n] of this.nodes)
      if (key.startsWith(prefix) && n.current === Presence.EXISTS) moved.push(n);
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
    for (const n of this.nodes.values()) if (n.initial === Presence.EXISTS) pre.push(n);
    const dirs = new Set<string>();
    for (const n of pre) for (const a of irAncestors(n.path.toLowerCase())) dirs.add(a);
    const out = pre.map((n) => {
      const path = this.canonical(n.path);
      const kind: NodeKind = n.kind === 'dir' || dirs.has(n.path.toLowerCase()) ? 'dir' : 'file';
      const size = kind === 'dir' ? 0 : n.size;
      return n.attributes === undefined
        ? { path, kind, size }
        : { path, kind, size, attributes: n.attributes };
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

function parentOf(path: IrPath): IrPath {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
