/**
 * The workload path an op works on, for the examples of a status mismatch (observe/
 * mismatch-breakdown.ts): its own `path`, or the path its handle was opened with. Read before the
 * op's reply is applied, since a CLOSE forgets its handle.
 */
import type { IrOp } from '../ir/types.js';
import type { HandleTable } from './handle-table.js';

export function opPath(op: IrOp, handles: HandleTable): string | undefined {
  if ('path' in op) return op.path;
  const handle = 'handle' in op ? op.handle : undefined;
  if (handle === undefined) return undefined;
  const open = handles.resolve(handle);
  return typeof open === 'object' ? open.path : undefined;
}
