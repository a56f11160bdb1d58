/**
 * What `smbench inspect` shows about a workload: op mix, per-user counts, namespace size, duration,
 * bytes moved and the think-time distribution. One streaming pass over the ops; memory is 8 bytes
 * per op for the exact gap percentiles.
 */
import { isNtError } from './nt-status.js';
import type { IrOp, IrPrologue, OpKind, UserId } from './types.js';
import { OP_KINDS } from './types.js';

/** Exact nearest-rank percentiles, in microseconds; all 0 when there is nothing to measure. */
export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface UserSummary {
  readonly user: UserId;
  readonly name: string;
  readonly ops: number;
  readonly failedOps: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** From the user's first request to its last response (or request, when latency is unknown). */
  readonly durationUs: number;
  /** Gaps between consecutive requests of this user. */
  readonly thinkTime: Percentiles;
}

export interface IrSummary {
  readonly users: number;
  readonly ops: number;
  /** Ops whose recorded status was an error (MS-ERREF 2.3 severity 3). */
  readonly failedOps: number;
  readonly opsByKind: Readonly<Record<OpKind, number>>;
  readonly perUser: readonly UserSummary[];
  readonly namespace: { readonly files: number; readonly dirs: number; readonly bytes: number };
  /** From t = 0 to the last response (or request, when latency is unknown). */
  readonly durationUs: number;
  /** Gaps between consecutive requests of the same user, pooled over all users. */
  readonly thinkTime: Percentiles;
  /** Bytes returned by successful reads (dataLength, else the requested length). */
  readonly bytesRead: number;
  /** Bytes accepted by successful writes (written, else the requested length). */
  readonly bytesWritten: number;
}

/** A workload as `readIr` (ops() streams) or `readIrFully` (ops array) returns it. */
export type SummarySource = IrPrologue & {
  readonly ops: readonly IrOp[] | (() => AsyncIterable<IrOp>);
};

/** A growable list of numbers; one Float64Array instead of millions of boxed array slots. */
class NumberList {
  private items = new Float64Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.items.length) {
      const grown = new Float64Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = v;
  }

  sorted(): Float64Array {
    return this.items.subarray(0, this.length).sort();
  }

  /** Copies into `out` at `at`; returns the next free index. */
  copyInto(out: Float64Array, at: number): number {
    out.set(this.items.subarray(0, this.length), at);
    return at + this.length;
  }
}

export function percentiles(sorted: Float64Array): Percentiles {
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)]!;
  return { count: n, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[n - 1]! };
}

interface UserTally {
  ops: number;
  failedOps: number;
  bytesRead: number;
  bytesWritten: number;
  firstT: number;
  lastT: number;
  lastEnd: number;
  readonly gaps: NumberList;
}

function newTally(): UserTally {
  return {
    ops: 0,
    failedOps: 0,
    bytesRead: 0,
    bytesWritten: 0,
    firstT: 0,
    lastT: 0,
    lastEnd: 0,
    gaps: new NumberList(),
  };
}

export async function summarizeIr(ir: SummarySource): Promise<IrSummary> {
  const opsByKind = Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as Record<OpKind, number>;
  const tallies = new Map<UserId, UserTally>(ir.users.map((u) => [u.id, newTally()]));
  let ops = 0;
  let durationUs = 0;
  const source = typeof ir.ops === 'function' ? ir.ops() : ir.ops;
  for await (const op of source) {
    ops++;
    opsByKind[op.op]++;
    let tally = tallies.get(op.user);
    if (!tally) {
      tally = newTally();
      tallies.set(op.user, tally);
    }
    if (tally.ops === 0) tally.firstT = op.t;
    else tally.gaps.push(op.t - tally.lastT);
    tally.ops++;
    tally.lastT = op.t;
    const end = op.t + (op.latencyUs ?? 0);
    if (end > tally.lastEnd) tally.lastEnd = end;
    if (end > durationUs) durationUs = end;
    const failed = isNtError(op.status);
    if (failed) tally.failedOps++;
    else if (op.op === 'read') tally.bytesRead += op.dataLength ?? op.length;
    else if (op.op === 'write') tally.bytesWritten += op.written ?? op.length;
  }

  const names = new Map(ir.users.map((u) => [u.id, u.name]));
  const perUser: UserSummary[] = [];
  let totalGaps = 0;
  for (const t of tallies.values()) totalGaps += t.gaps.length;
  const allGaps = new Float64Array(totalGaps);
  let at = 0;
  for (const [user, t] of tallies) {
    at = t.gaps.copyInto(allGaps, at);
    perUser.push({
      user,
      name: names.get(user) ?? user,
      ops: t.ops,
      failedOps: t.failedOps,
      bytesRead: t.bytesRead,
      bytesWritten: t.bytesWritten,
      durationUs: t.ops === 0 ? 0 : t.lastEnd - t.firstT,
      thinkTime: percentiles(t.gaps.sorted()),
    });
  }

  const namespace = { files: 0, dirs: 0, bytes: 0 };
  for (const e of ir.namespace) {
    if (e.kind === 'dir') namespace.dirs++;
    else {
      namespace.files++;
      namespace.bytes += e.size;
    }
  }

  return {
    users: ir.users.length,
    ops,
    failedOps: perUser.reduce((s, u) => s + u.failedOps, 0),
    opsByKind,
    perUser,
    namespace,
    durationUs,
    thinkTime: percentiles(allGaps.sort()),
    bytesRead: perUser.reduce((s, u) => s + u.bytesRead, 0),
    bytesWritten: perUser.reduce((s, u) => s + u.bytesWritten, 0),
  };
}
