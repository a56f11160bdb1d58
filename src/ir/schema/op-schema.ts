/**
 * Schema of one op record: the fields every op has (seq, user, t, status, deps, compound...) and then
 * the kind's own arguments. Only facts visible in the record itself are checked here; facts that need
 * earlier records (user exists, handle is open, deps are the same user's) are in validate/.
 */
import { isUserId } from '../ids.js';
import type { IrOp } from '../types.js';
import { OP_KINDS } from '../types.js';
import { FieldCheck } from './field-check.js';
import type { JsonObject } from './field-check.js';
import { checkHandleField, HANDLE_USE, OP_ARGS_CHECKS } from './op-args-schema.js';

function checkDeps(c: FieldCheck, seq: number | undefined): void {
  const deps = c.array('deps');
  if (!deps) return;
  let previous = -1;
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      c.problems.push(`${c.at('deps', i)} must be a non-negative integer`);
      return;
    }
    // Sorted and unique keeps the record canonical, so equal workloads hash equally.
    if (d <= previous) {
      c.problem('deps', 'must be strictly increasing');
      return;
    }
    if (seq !== undefined && d >= seq) {
      c.problem('deps', `must refer to earlier ops (found ${d} >= seq ${seq})`);
      return;
    }
    previous = d;
  }
}

function checkCompound(c: FieldCheck, seq: number | undefined): void {
  const cc = c.nested('compound', { optional: true });
  if (!cc) return;
  const id = cc.uint('id');
  const index = cc.uint('index');
  const size = cc.uint('size');
  cc.bool('related');
  if (size !== undefined && size < 2) cc.problem('size', 'must be at least 2');
  if (index !== undefined && size !== undefined && index >= size)
    cc.problem('index', `must be less than size ${size}`);
  if (seq === undefined || id === undefined || index === undefined) return;
  if (index === 0 && id !== seq) cc.problem('id', 'must equal the seq of the first op of the chain');
  if (index > 0 && id >= seq) cc.problem('id', 'must be the seq of an earlier op');
}

export function checkOp(obj: JsonObject, problems: string[]): IrOp | undefined {
  const before = problems.length;
  const c = FieldCheck.of(obj, 'op', problems);
  if (!c) return undefined;
  const seq = c.uint('seq');
  c.pattern('user', isUserId, 'a user id "u<n>"');
  c.uint('t');
  c.u32('status');
  c.str('statusName', { optional: true, nonEmpty: true });
  c.uint('latencyUs', { optional: true });
  c.bool('neverOpened', { optional: true });
  checkDeps(c, seq);
  checkCompound(c, seq);
  const kind = c.oneOf('op', OP_KINDS);
  if (kind !== undefined) {
    checkHandleField(c, HANDLE_USE[kind]);
    OP_ARGS_CHECKS[kind](c);
  }
  return problems.length === before ? (obj as unknown as IrOp) : undefined;
}
