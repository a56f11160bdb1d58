/**
 * The distributions `inspect --compare` and `model compare` put side by side, from one streaming
 * pass over a workload: op mix, think time (gaps between a user's consecutive requests, as
 * `inspect` measures it), read and write sizes, initial file sizes and ops per file session.
 */
import type { IrOp, IrPrologue } from '../../ir/index.js';

export interface WorkloadProfile {
  readonly users: number;
  readonly ops: number;
  /** Op kinds, set_info split by class (`set_info.rename`...). */
  readonly opMix: Readonly<Record<string, number>>;
  readonly thinkTimeUs: Float64Array;
  readonly readBytes: Float64Array;
  readonly writeBytes: Float64Array;
  readonly fileBytes: Float64Array;
  readonly opsPerSession: Float64Array;
}

export interface ProfileSource extends IrPrologue {
  ops(): AsyncIterable<IrOp>;
}

function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export async function profileWorkload(ir: ProfileSource): Promise<WorkloadProfile> {
  const opMix: Record<string, number> = {};
  const think: number[] = [];
  const reads: number[] = [];
  const writes: number[] = [];
  const sessions: number[] = [];
  const lastT = new Map<string, number>();
  /** `user\0handle` -> ops on it so far (its create included). */
  const open = new Map<string, number>();
  let ops = 0;
  for await (const op of ir.ops()) {
    ops++;
    const kind = op.op === 'set_info' ? `set_info.${op.info.kind}` : op.op;
    opMix[kind] = (opMix[kind] ?? 0) + 1;
    const prev = lastT.get(op.user);
    if (prev !== undefined) think.push(op.t - prev);
    lastT.set(op.user, op.t);
    if (op.op === 'read') reads.push(op.length);
    else if (op.op === 'write') writes.push(op.length);
    const handle = 'handle' in op ? op.handle : undefined;
    if (handle === undefined) continue;
    const key = `${op.user}\0${handle}`;
    if (op.op === 'create') open.set(key, 1);
    else if (open.has(key)) open.set(key, open.get(key)! + 1);
    if (op.op === 'close' && open.has(key)) {
      sessions.push(open.get(key)!);
      open.delete(key);
    }
  }
  return {
    users: ir.users.length,
    ops,
    opMix,
    thinkTimeUs: sorted(think),
    readBytes: sorted(reads),
    writeBytes: sorted(writes),
    fileBytes: sorted(ir.namespace.filter((e) => e.kind === 'file').map((e) => e.size)),
    opsPerSession: sorted(sessions),
  };
}
