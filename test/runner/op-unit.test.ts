import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrCompound, IrOp } from '../../src/ir/types.js';
import { UnitAssembler } from '../../src/runner/op-unit.js';

const op = (seq: number, deps: number[] = [], compound?: IrCompound): IrOp =>
  ({ seq, user: 'u0', t: seq * 10, op: 'echo', status: 0, deps, ...(compound ? { compound } : {}) }) as IrOp;

test('single ops become single units', () => {
  const a = new UnitAssembler();
  const units = a.push(op(1, [0]));
  assert.equal(units.length, 1);
  assert.deepEqual(units[0]!.deps, [0]);
  assert.equal(units[0]!.related, false);
});

test('a compound chain becomes one unit once complete, with only outside deps', () => {
  const a = new UnitAssembler();
  assert.deepEqual(a.push(op(5, [1], { id: 5, index: 0, size: 3, related: false })), []);
  assert.deepEqual(a.push(op(6, [5], { id: 5, index: 1, size: 3, related: true })), []);
  const [unit] = a.push(op(7, [2, 6], { id: 5, index: 2, size: 3, related: true }));
  assert.ok(unit);
  assert.deepEqual(
    unit.ops.map((o) => o.seq),
    [5, 6, 7],
  );
  assert.deepEqual(unit.deps, [1, 2]);
  assert.equal(unit.related, true);
  assert.equal(unit.seq, 5);
});

test('a chain cut short is released as single ops, never lost', () => {
  const a = new UnitAssembler();
  a.push(op(1, [], { id: 1, index: 0, size: 3, related: false }));
  const units = a.push(op(2));
  assert.deepEqual(
    units.map((u) => u.ops.map((o) => o.seq)),
    [[1], [2]],
  );
  a.push(op(3, [], { id: 3, index: 0, size: 2, related: false }));
  assert.deepEqual(
    a.flush().map((u) => u.seq),
    [3],
  );
});
