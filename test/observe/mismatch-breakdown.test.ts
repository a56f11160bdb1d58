import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeResults } from '../../src/observe/merge-results.js';
import { MAX_EXAMPLES } from '../../src/observe/mismatch-breakdown.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import { formatSummary } from '../../src/observe/summary-table.js';

const STATUS_ACCESS_DENIED = 0xc0000022;
const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;

function close(metrics: RunMetrics, path: string, status: number, expected: number): void {
  metrics.recordOp({
    kind: 'close',
    serviceUs: 100,
    fromIntendedUs: 100,
    bytes: 0,
    status,
    expectedStatus: expected,
    path,
  });
}

describe('mismatch breakdown', () => {
  test('counts per (op, recorded, replayed) with a bounded set of distinct example paths', () => {
    const m = new RunMetrics(0, () => 1000);
    for (let i = 0; i < 10; i++) close(m, `f${i % 5}.txt`, 0, STATUS_ACCESS_DENIED);
    close(m, 'ok.txt', 0, 0);
    m.recordOp({
      kind: 'read',
      serviceUs: 5,
      fromIntendedUs: 5,
      bytes: 0,
      status: 0,
      expectedStatus: STATUS_OBJECT_NAME_NOT_FOUND,
      error: 'ERR_SMB_TIMEOUT',
      path: 'r.bin',
    });
    const r = m.toResults({});
    assert.deepEqual(r.mismatches, [
      {
        op: 'close',
        recorded: 'STATUS_ACCESS_DENIED',
        replayed: 'STATUS_SUCCESS',
        count: 10,
        examples: ['f0.txt', 'f1.txt', 'f2.txt'],
      },
      {
        op: 'read',
        recorded: 'STATUS_OBJECT_NAME_NOT_FOUND',
        replayed: 'ERR_SMB_TIMEOUT',
        count: 1,
        examples: ['r.bin'],
      },
    ]);
    assert.match(
      formatSummary(r),
      /10 {2}close: recorded STATUS_ACCESS_DENIED, replayed STATUS_SUCCESS {2}e\.g\. f0/,
    );
  });

  test('merges exactly across workers or shards, examples still bounded', () => {
    const a = new RunMetrics(0, () => 1000);
    const b = new RunMetrics(0, () => 1000);
    close(a, 'a1', 0, STATUS_ACCESS_DENIED);
    close(a, 'a2', 0, STATUS_ACCESS_DENIED);
    close(b, 'b1', 0, STATUS_ACCESS_DENIED);
    close(b, 'b2', 0, STATUS_ACCESS_DENIED);
    close(b, 'b3', STATUS_ACCESS_DENIED, 0);
    const merged = mergeResults([a.toResults({}), b.toResults({})]);
    const rows = merged.mismatches ?? [];
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.count, 4);
    assert.equal(rows[0]!.examples.length, MAX_EXAMPLES);
    assert.deepEqual(rows[0]!.examples, ['a1', 'a2', 'b1']);
    assert.deepEqual(rows[1], {
      op: 'close',
      recorded: 'STATUS_SUCCESS',
      replayed: 'STATUS_ACCESS_DENIED',
      count: 1,
      examples: ['b3'],
    });
    assert.equal(merged.perKind['close']!.fidelity.breakdown?.length, 2);
  });

  test('results written before the breakdown existed still merge', () => {
    const a = new RunMetrics(0, () => 1000);
    close(a, 'a1', 0, STATUS_ACCESS_DENIED);
    const old = JSON.parse(JSON.stringify(a.toResults({}))) as Record<string, unknown>;
    delete old['mismatches'];
    delete (old['perKind'] as { close: { fidelity: Record<string, unknown> } }).close.fidelity['breakdown'];
    const merged = mergeResults([old as never, a.toResults({})]);
    assert.equal(merged.mismatches?.[0]?.count, 1);
    assert.equal(merged.perKind['close']!.fidelity.mismatched, 2);
  });
});
