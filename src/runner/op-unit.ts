/**
 * The unit of dispatch: one op, or one compound chain (docs/ir.md "Compounds"), which the IR
 * guarantees is consecutive among its user's ops, complete and sent at one `t`. A chain is issued
 * as one SMB2 compound again, so its members never wait for each other: the unit's deps are the
 * union of its members' deps on ops outside the chain.
 */
import type { IrOp } from '../ir/types.js';

export interface OpUnit {
  readonly ops: readonly IrOp[];
  /** Seq of the first op: the unit's identity within a user. */
  readonly seq: number;
  /** Trace time (µs) of the unit: its first op's `t`. */
  readonly t: number;
  /** Seqs outside the unit this unit waits for, sorted. */
  readonly deps: readonly number[];
  /** SMB2_FLAGS_RELATED_OPERATIONS on the chain's later ops (false for single ops). */
  readonly related: boolean;
}

export function singleUnit(op: IrOp): OpUnit {
  return { ops: [op], seq: op.seq, t: op.t, deps: op.deps, related: false };
}

export function chainUnit(ops: readonly IrOp[]): OpUnit {
  const first = ops[0]!;
  const own = new Set(ops.map((o) => o.seq));
  const deps = new Set<number>();
  for (const o of ops) for (const d of o.deps) if (!own.has(d)) deps.add(d);
  return {
    ops,
    seq: first.seq,
    t: first.t,
    deps: [...deps].sort((a, b) => a - b),
    related: ops.some((o, i) => i > 0 && o.compound?.related === true),
  };
}

/**
 * Turns one user's ops (in file order) into units. A chain cut short (the file ended, or another
 * chain of the same user started first) is released as single ops, so nothing is ever lost.
 */
export class UnitAssembler {
  private chain: IrOp[] = [];

  /** Feeds the next op of this user; returns the units that became complete (0, 1 or more). */
  push(op: IrOp): OpUnit[] {
    const c = op.compound;
    if (c === undefined || c.size < 2) return [...this.flush(), singleUnit(op)];
    const out: OpUnit[] = [];
    const current = this.chain[0]?.compound;
    if (this.chain.length > 0 && (current?.id !== c.id || c.index !== this.chain.length))
      out.push(...this.flush());
    if (this.chain.length === 0 && c.index !== 0) return [...out, singleUnit(op)];
    this.chain.push(op);
    if (this.chain.length === c.size) {
      out.push(chainUnit(this.chain));
      this.chain = [];
    }
    return out;
  }

  /** Releases an unfinished chain as single ops. */
  flush(): OpUnit[] {
    if (this.chain.length === 0) return [];
    const out = this.chain.map((o) => singleUnit(o));
    this.chain = [];
    return out;
  }
}
