import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCreateContextChain } from '../../../src/smb2/create-contexts/chain.js';
import { LeaseFlags, LeaseState } from '../../../src/smb2/create-contexts/lease.js';
import {
  DurableHandleFlags,
  requestContextFromRaw,
  requestContextToRaw,
  type CreateRequestContext,
} from '../../../src/smb2/create-contexts/request-contexts.js';
import { createCodec } from '../../../src/smb2/commands/create.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { CREATE_REQUEST_WITH_CONTEXTS } from '../fixtures/tshark-verified.js';

const ALL: CreateRequestContext[] = [
  {
    kind: 'leaseV1',
    leaseKey: Buffer.alloc(16, 1),
    leaseState: LeaseState.SMB2_LEASE_READ_CACHING,
    leaseFlags: 0,
    leaseDuration: 0n,
  },
  {
    kind: 'leaseV2',
    leaseKey: Buffer.alloc(16, 2),
    leaseState: 7,
    leaseFlags: LeaseFlags.SMB2_LEASE_FLAG_PARENT_LEASE_KEY_SET,
    leaseDuration: 0n,
    parentLeaseKey: Buffer.alloc(16, 3),
    epoch: 9,
  },
  { kind: 'durableV1' },
  {
    kind: 'durableV2',
    timeout: 1000,
    flags: DurableHandleFlags.SMB2_DHANDLE_FLAG_PERSISTENT,
    createGuid: Buffer.alloc(16, 4),
  },
  { kind: 'durableReconnectV1', fileId: { persistent: 1n, volatile: 2n } },
  {
    kind: 'durableReconnectV2',
    fileId: { persistent: 3n, volatile: 4n },
    createGuid: Buffer.alloc(16, 5),
    flags: 0,
  },
  { kind: 'maximalAccess' },
  { kind: 'maximalAccess', timestamp: 123n },
  { kind: 'queryOnDiskId' },
  { kind: 'timewarp', timestamp: 456n },
  { kind: 'allocationSize', allocationSize: 1n << 40n },
  { kind: 'unknown', name: Buffer.from('ExtA'), data: Buffer.from([1, 2, 3]) },
];

test('every request context kind round-trips through its raw form', () => {
  for (const ctx of ALL) assert.deepEqual(requestContextFromRaw(requestContextToRaw(ctx)), ctx);
});

test('spec data sizes: RqLs 32/52, DHnQ 16, DH2Q 32, DHnC 16, DH2C 36 (MS-SMB2 2.2.13.2)', () => {
  assert.deepEqual(
    ALL.map((c) => requestContextToRaw(c).data.length),
    [32, 52, 16, 32, 16, 36, 0, 8, 0, 8, 8, 3],
  );
});

test('the tshark-verified CREATE decodes to the values tshark showed', () => {
  const req = createCodec.decodeRequest(CREATE_REQUEST_WITH_CONTEXTS);
  assert.equal(req.name, 'dir\\a.txt');
  assert.equal(req.requestedOplockLevel, 0xff);
  assert.deepEqual(req.createContexts, [
    {
      kind: 'leaseV2',
      leaseKey: Buffer.alloc(16, 0x11),
      leaseState: 7,
      leaseFlags: 4,
      leaseDuration: 0n,
      parentLeaseKey: Buffer.alloc(16, 0x22),
      epoch: 3,
    },
    { kind: 'durableV2', timeout: 60000, flags: 2, createGuid: Buffer.alloc(16, 0x33) },
    { kind: 'maximalAccess' },
    { kind: 'queryOnDiskId' },
    { kind: 'allocationSize', allocationSize: 4096n },
  ]);
});

test('a known tag with the wrong data length is malformed', () => {
  const bad = (tag: string, n: number) => () =>
    requestContextFromRaw({ name: Buffer.from(tag), data: Buffer.alloc(n) });
  assert.throws(bad('RqLs', 40), MalformedMessageError);
  assert.throws(bad('DH2Q', 16), MalformedMessageError);
  assert.throws(bad('MxAc', 4), MalformedMessageError);
  assert.throws(bad('QFid', 8), MalformedMessageError);
});

test('raw chain of the fixture decodes without loss', () => {
  const msg = CREATE_REQUEST_WITH_CONTEXTS;
  const raw = decodeCreateContextChain(msg, msg.readUInt32LE(64 + 48), msg.readUInt32LE(64 + 52));
  for (const r of raw) assert.deepEqual(requestContextToRaw(requestContextFromRaw(r)), r);
});
