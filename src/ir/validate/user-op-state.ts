/**
 * Per-user replay facts checked across op records (docs/ir.md, "Handles", "Dependencies",
 * "Compounds"): deps and cancel targets name earlier ops of the same user, handles follow
 * create -> use -> close, and compound chains are contiguous and complete.
 */
import { handleNumber } from '../ids.js';
import { isNtError } from '../nt-status.js';
import { HANDLE_USE } from '../schema/op-args-schema.js';
import type { HandleId, IrOp } from '../types.js';
import { SeqList } from './seq-list.js';

export type Report = (message: string) => void;

interface HandleState {
  /** `failed`: the create failed inside a chain; only the rest of that chain may name the handle. */
  readonly state: 'open' | 'failed';
  readonly compoundId?: number;
}

interface OpenChain {
  readonly id: number;
  readonly size: number;
  readonly t: number;
  readonly line: number;
  nextIndex: number;
  readonly failedHandles: HandleId[];
}

export class UserOpState {
  private readonly seqs = new SeqList();
  private readonly handles = new Map<HandleId, HandleState>();
  /** Highest handle number created so far: handles are never reused and numbered in create order. */
  private maxHandle = -1;
  private chain: OpenChain | undefined;

  constructor(readonly user: string) {}

  /** Checks one op of this user (already schema-valid and in file order), then records it. */
  check(op: IrOp, line: number, report: Report): void {
    for (const dep of op.deps) {
      if (!this.seqs.has(dep)) report(`op.deps: ${dep} is not an earlier op of user ${this.user}`);
    }
    if (op.op === 'cancel' && !this.seqs.has(op.target)) {
      report(`op.target: ${op.target} is not an earlier op of user ${this.user}`);
    }
    this.checkChain(op, line, report);
    this.checkHandle(op, report);
    // Ended only now so the chain's last op may still use a handle of a failed create in it.
    const chain = this.chain;
    if (chain && chain.nextIndex >= chain.size) this.endChain(chain);
    this.seqs.push(op.seq);
  }

  /** Problems left when the file ends: a chain that never completed. */
  finish(report: (line: number, message: string) => void): void {
    const chain = this.chain;
    if (chain) report(chain.line, `compound chain ${chain.id} of user ${this.user} is incomplete`);
  }

  private checkChain(op: IrOp, line: number, report: Report): void {
    const c = op.compound;
    const chain = this.chain;
    if (chain) {
      if (!c || c.id !== chain.id || c.index !== chain.nextIndex) {
        report(
          `op interrupts compound chain ${chain.id} of user ${this.user} (expected index ${chain.nextIndex})`,
        );
        this.chain = undefined;
      } else {
        if (c.size !== chain.size)
          report(`op.compound.size ${c.size} differs from the chain's ${chain.size}`);
        // A chain is one SMB2 message (MS-SMB2 3.2.4.1.4): all of it leaves at the same instant.
        if (op.t !== chain.t) report(`op.t ${op.t} differs from the chain's ${chain.t}`);
        chain.nextIndex++;
        return;
      }
    }
    if (!c) return;
    if (c.index !== 0) {
      report(`op.compound: chain ${c.id} does not start at index 0`);
      return;
    }
    if (c.related) report('op.compound.related must be false for the first op of a chain');
    this.chain = { id: c.id, size: c.size, t: op.t, line, nextIndex: 1, failedHandles: [] };
  }

  private endChain(chain: OpenChain): void {
    for (const h of chain.failedHandles) this.handles.delete(h);
    this.chain = undefined;
  }

  private checkHandle(op: IrOp, report: Report): void {
    if (op.op === 'create') {
      this.checkCreate(op, report);
      return;
    }
    if (HANDLE_USE[op.op] === 'none' || !('handle' in op) || op.handle === undefined) return;
    const handle = op.handle;
    if (op.neverOpened === true) {
      // A handle no create opens: new like a created one, and never open (docs/ir.md "Handles").
      if (handleNumber(handle) <= this.maxHandle) {
        report(`op.handle ${handle} of a neverOpened op must be new (handles increase per user)`);
      } else this.maxHandle = handleNumber(handle);
      return;
    }
    const state = this.handles.get(handle);
    if (!state) {
      report(
        handleNumber(handle) <= this.maxHandle
          ? `op.handle ${handle} is no longer open`
          : `op.handle ${handle} was not opened by an earlier create of user ${this.user}`,
      );
      return;
    }
    if (state.state === 'failed' && op.compound?.id !== state.compoundId) {
      report(`op.handle ${handle} belongs to a failed create and may only be used in its own compound chain`);
    }
    // A close ends the handle whatever its status: a failed close leaves nothing usable to replay.
    if (op.op === 'close') this.handles.delete(handle);
  }

  private checkCreate(op: Extract<IrOp, { op: 'create' }>, report: Report): void {
    const failed = isNtError(op.status);
    if (op.handle === undefined) {
      if (!failed) report('op.handle is required for a successful create');
      return;
    }
    const n = handleNumber(op.handle);
    if (n <= this.maxHandle) {
      report(`op.handle ${op.handle} is reused or out of order (handles are new and increasing per user)`);
      return;
    }
    this.maxHandle = n;
    if (!failed) {
      this.handles.set(op.handle, { state: 'open' });
      return;
    }
    const chain = this.chain;
    if (!chain || chain.id !== op.compound?.id) {
      report('op.handle must be absent for a failed create outside a compound chain');
      return;
    }
    this.handles.set(op.handle, { state: 'failed', compoundId: chain.id });
    chain.failedHandles.push(op.handle);
  }
}
