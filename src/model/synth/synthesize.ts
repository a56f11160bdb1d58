/**
 * `model synth`: N users drawn from a model, written as one valid workload. Each user has its
 * own PRNG stream (seed, index), its own initial namespace and op script; the scripts are merged
 * by time with a small heap (memory is one pending op per user), ops are numbered in that order
 * and each depends on its user's previous op, like a compiled single-threaded client. The same
 * model, seed and options give the same bytes: `createdAt` comes from the model, not the clock.
 */
import { IrWriter, IR_FORMAT, IR_VERSION } from '../../ir/index.js';
import type { IrHeader, IrOp } from '../../ir/index.js';
import type { UserModel } from '../model-types.js';
import { sampleWeighted } from '../categorical.js';
import { Prng } from '../prng.js';
import { userScript } from './user-script.js';
import type { UserScript } from './user-script.js';

export interface SynthOptions {
  readonly users: number;
  readonly seed: number;
  /** Microseconds; without it each user walks the chain once. */
  readonly durationUs?: number;
  /** Per-user cap on ops (default 100,000). */
  readonly maxOpsPerUser?: number;
  readonly output: string;
  readonly generator?: string;
}

export interface SynthResult {
  readonly users: number;
  readonly ops: number;
  readonly namespace: number;
  readonly workloadId: string;
  /** Sessions whose path role could not be honoured and used another (see docs/model.md). */
  readonly fallbacks: number;
}

/** Min-heap of users by the t of their pending op; ties by user index, so output is stable. */
class ScriptHeap {
  private readonly items: { op: IrOp; index: number; script: UserScript }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: { op: IrOp; index: number; script: UserScript }): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): { op: IrOp; index: number; script: UserScript } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  private less(x: { op: IrOp; index: number }, y: { op: IrOp; index: number }): boolean {
    return x.op.t < y.op.t || (x.op.t === y.op.t && x.index < y.index);
  }
}

export async function synthesizeWorkload(model: UserModel, options: SynthOptions): Promise<SynthResult> {
  const scriptOptions = {
    maxOps: options.maxOpsPerUser ?? 100_000,
    ...(options.durationUs === undefined ? {} : { durationUs: options.durationUs }),
  };
  const scripts: UserScript[] = [];
  for (let i = 0; i < options.users; i++) scripts.push(userScript(model, options.seed, i, scriptOptions));
  const duration = options.durationUs === undefined ? 'one walk each' : `${options.durationUs / 1e6}s`;
  const header: IrHeader = {
    format: IR_FORMAT,
    version: IR_VERSION,
    generator: options.generator ?? model.generator,
    createdAt: model.createdAt,
    sources: model.source.sources,
    payloads: 'sizes',
    anonymized: true,
    description: `synthesised by smbench model synth: ${options.users} users from model of workload ${model.source.workloadId || '?'}, seed ${options.seed}, duration ${duration}`,
  };
  const writer = await IrWriter.create(options.output, header);
  try {
    // Dialects are drawn from one extra stream so they do not shift the users' own draws.
    const dialectRng = Prng.forStream(options.seed, options.users);
    let namespace = 0;
    for (const s of scripts) {
      const dialect = sampleWeighted(model.users.dialects, dialectRng);
      await writer.writeUser({
        id: s.user,
        name: `synth-${s.user}`,
        ...(dialect === undefined ? {} : { dialect }),
        sessions: 1,
      });
    }
    for (const s of scripts) {
      for (const e of s.namespace) await writer.writeNamespaceEntry(e);
      namespace += s.namespace.length;
    }
    const heap = new ScriptHeap();
    scripts.forEach((script, index) => {
      const op = script.next();
      if (op) heap.push({ op, index, script });
    });
    const lastSeq = new Map<string, number>();
    let seq = 0;
    while (heap.size > 0) {
      const item = heap.pop()!;
      const prev = lastSeq.get(item.op.user);
      await writer.writeOp({ ...item.op, seq, deps: prev === undefined ? [] : [prev] });
      lastSeq.set(item.op.user, seq++);
      const next = item.script.next();
      if (next) heap.push({ op: next, index: item.index, script: item.script });
    }
    const written = await writer.close();
    return {
      users: scripts.length,
      ops: written.ops,
      namespace,
      workloadId: written.workloadId,
      fallbacks: scripts.reduce((n, s) => n + s.fallbacks, 0),
    };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
