/**
 * Consistency of the initial namespace (docs/ir.md, "Initial namespace"): one entry per path and
 * user, and nothing inside a file. Missing parent directories are fine: `prepare` creates ancestors
 * implicitly, like `mkdir -p`.
 */
import { irAncestors } from '../ir-path.js';
import type { IrNamespaceEntry, NodeKind } from '../types.js';

interface SeenEntry {
  readonly kind: NodeKind;
  readonly line: number;
}

export class NamespaceCheck {
  private readonly byUser = new Map<string, Map<string, SeenEntry>>();

  add(entry: IrNamespaceEntry, line: number, report: (line: number, message: string) => void): void {
    let paths = this.byUser.get(entry.user);
    if (!paths) {
      paths = new Map();
      this.byUser.set(entry.user, paths);
    }
    const previous = paths.get(entry.path);
    if (previous) {
      report(
        line,
        `ns.path "${entry.path}" of user ${entry.user} is already listed on line ${previous.line}`,
      );
      return;
    }
    paths.set(entry.path, { kind: entry.kind, line });
  }

  /** Run once every entry is in, since entries may come in any order. */
  finish(report: (line: number, message: string) => void): void {
    for (const [user, paths] of this.byUser) {
      for (const [path, seen] of paths) {
        for (const ancestor of irAncestors(path)) {
          if (paths.get(ancestor)?.kind === 'file') {
            report(seen.line, `ns.path "${path}" of user ${user} is inside "${ancestor}", which is a file`);
            break;
          }
        }
      }
    }
    this.byUser.clear();
  }
}
