import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FidelityNote } from '../../src/observe/fidelity-notes.js';
import { mergeResults, RunMetrics } from '../../src/observe/run-metrics.js';
import type { OpSample } from '../../src/observe/run-metrics.js';
import { NtStatus } from '../../src/smb2/nt-status.js';
import { fidelityNoteFor } from '../../src/runner/fidelity-note-for.js';
import type { IrOp } from '../../src/ir/types.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const { STATUS_FILE_CLOSED, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_NAME_INVALID } = NtStatus;

function sample(over: Partial<OpSample>): OpSample {
  return { kind: 'read', serviceUs: 10, fromIntendedUs: 10, bytes: 0, status: 0, expectedStatus: 0, ...over };
}

function metrics(): RunMetrics {
  const m = new RunMetrics(T0, () => T0);
  m.recordOp(sample({}));
  // Equivalent: counts towards the ratio, tallied on its own.
  m.recordOp(
    sample({
      status: STATUS_OBJECT_NAME_NOT_FOUND,
      expectedStatus: STATUS_FILE_CLOSED,
      note: FidelityNote.relatedAfterFailedCreate,
    }),
  );
  // Explained: still a mismatch, tallied by cause.
  m.recordOp(
    sample({
      kind: 'create',
      status: STATUS_OBJECT_NAME_INVALID,
      expectedStatus: 0,
      note: FidelityNote.streamsRefused,
    }),
  );
  return m;
}

test('equivalent statuses count as faithful but are shown; explained ones stay mismatches', () => {
  const r = metrics().toResults({});
  assert.equal(r.fidelity.matched, 1);
  assert.equal(r.fidelity.equivalent, 1);
  assert.equal(r.fidelity.mismatched, 1);
  assert.equal(r.fidelity.matchRatio, 2 / 3);
  assert.deepEqual(r.fidelity.equivalences, { [FidelityNote.relatedAfterFailedCreate]: 1 });
  assert.deepEqual(r.fidelity.explained, { [FidelityNote.streamsRefused]: 1 });
  assert.equal(r.perKind['read']!.fidelity.equivalent, 1);
  assert.deepEqual(r.perKind['create']!.fidelity.mismatches, {
    'expected STATUS_SUCCESS got STATUS_OBJECT_NAME_INVALID': 1,
  });
});

test('notes survive a merge of worker results', () => {
  const merged = mergeResults([metrics().toResults({}), metrics().toResults({})]);
  assert.equal(merged.fidelity.equivalent, 2);
  assert.deepEqual(merged.fidelity.explained, { [FidelityNote.streamsRefused]: 2 });
  assert.equal(merged.perKind['read']!.fidelity.equivalences?.[FidelityNote.relatedAfterFailedCreate], 2);
  assert.equal(merged.fidelity.matchRatio, 2 / 3);
});

test('results without notes keep their old shape', () => {
  const m = new RunMetrics(T0, () => T0);
  m.recordOp(sample({ status: STATUS_OBJECT_NAME_NOT_FOUND }));
  const r = m.toResults({});
  assert.deepEqual(Object.keys(r.fidelity).sort(), ['matchRatio', 'matched', 'mismatched']);
});

test('which note an op gets', () => {
  const base = { seq: 1, user: 'u0', t: 0, deps: [] };
  const related = { id: 0, index: 1, size: 3, related: true };
  const query = {
    ...base,
    op: 'query_info',
    handle: 'h0',
    infoType: 1,
    infoClass: 5,
    outputBufferLength: 24,
    status: STATUS_FILE_CLOSED,
    compound: related,
  } as IrOp;
  const failedHead = { createPath: 'gone.txt', createStatus: STATUS_OBJECT_NAME_NOT_FOUND };
  assert.equal(
    fidelityNoteFor(query, STATUS_OBJECT_NAME_NOT_FOUND, failedHead),
    FidelityNote.relatedAfterFailedCreate,
  );
  assert.equal(fidelityNoteFor(query, 0, failedHead), undefined, 'a different status is a plain mismatch');
  assert.equal(fidelityNoteFor(query, STATUS_OBJECT_NAME_NOT_FOUND), undefined, 'not in a chain');
  const streamHead = { createPath: 'f.txt:AFP_AfpInfo', createStatus: STATUS_OBJECT_NAME_INVALID };
  assert.equal(fidelityNoteFor(query, STATUS_OBJECT_NAME_INVALID, streamHead), FidelityNote.streamsRefused);
  const create = {
    ...base,
    op: 'create',
    path: 'f.txt:AFP_AfpInfo',
    desiredAccess: 1,
    fileAttributes: 0,
    shareAccess: 7,
    createDisposition: 1,
    createOptions: 0,
    oplockLevel: 0,
    status: 0,
  } as IrOp;
  assert.equal(fidelityNoteFor(create, STATUS_OBJECT_NAME_INVALID), FidelityNote.streamsRefused);
  assert.equal(fidelityNoteFor({ ...create, path: 'f.txt' } as IrOp, STATUS_OBJECT_NAME_INVALID), undefined);
});
