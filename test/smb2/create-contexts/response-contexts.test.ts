import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  responseContextFromRaw,
  responseContextToRaw,
  type CreateResponseContext,
} from '../../../src/smb2/create-contexts/response-contexts.js';
import { createCodec, OplockLevel } from '../../../src/smb2/commands/create.js';
import { NtStatus } from '../../../src/smb2/nt-status.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { CREATE_RESPONSE_WITH_CONTEXTS } from '../fixtures/tshark-verified.js';

const ALL: CreateResponseContext[] = [
  { kind: 'leaseV1', leaseKey: Buffer.alloc(16, 1), leaseState: 3, leaseFlags: 2, leaseDuration: 0n },
  {
    kind: 'leaseV2',
    leaseKey: Buffer.alloc(16, 2),
    leaseState: 1,
    leaseFlags: 0,
    leaseDuration: 0n,
    parentLeaseKey: Buffer.alloc(16),
    epoch: 2,
  },
  { kind: 'durableV1' },
  { kind: 'durableV2', timeout: 60000, flags: 0 },
  { kind: 'maximalAccess', queryStatus: NtStatus.STATUS_ACCESS_DENIED, maximalAccess: 0 },
  { kind: 'queryOnDiskId', diskFileId: 77n, volumeId: 88n },
  { kind: 'unknown', name: Buffer.from('b982d0b73b56074fa07b524a8116a010', 'hex'), data: Buffer.alloc(4) },
];

test('every response context kind round-trips through its raw form', () => {
  for (const ctx of ALL) assert.deepEqual(responseContextFromRaw(responseContextToRaw(ctx)), ctx);
});

test('the tshark-verified CREATE response decodes to the values tshark showed', () => {
  const res = createCodec.decodeResponse(CREATE_RESPONSE_WITH_CONTEXTS);
  assert.equal(res.oplockLevel, OplockLevel.SMB2_OPLOCK_LEVEL_LEASE);
  assert.equal(res.createAction, 2);
  assert.deepEqual(res.fileId, { persistent: 1n, volatile: 2n });
  assert.deepEqual(res.createContexts, [
    { kind: 'maximalAccess', queryStatus: 0, maximalAccess: 0x001f01ff },
    { kind: 'queryOnDiskId', diskFileId: 0x1234n, volumeId: 0x5678n },
    {
      kind: 'leaseV2',
      leaseKey: Buffer.alloc(16, 0x11),
      leaseState: 3,
      leaseFlags: 0,
      leaseDuration: 0n,
      parentLeaseKey: Buffer.alloc(16),
      epoch: 4,
    },
    { kind: 'durableV2', timeout: 60000, flags: 0 },
  ]);
});

test('response contexts with the wrong data length are malformed', () => {
  const bad = (tag: string, n: number) => () =>
    responseContextFromRaw({ name: Buffer.from(tag), data: Buffer.alloc(n) });
  assert.throws(bad('MxAc', 0), MalformedMessageError);
  assert.throws(bad('QFid', 16), MalformedMessageError);
  assert.throws(bad('DHnQ', 16), MalformedMessageError);
  assert.throws(bad('RqLs', 0), MalformedMessageError);
});
