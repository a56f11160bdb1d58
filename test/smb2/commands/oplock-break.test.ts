import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeBreakAcknowledgment,
  decodeBreakNotification,
  encodeBreakNotification,
  LeaseBreakFlags,
  leaseBreakAckCodec,
  oplockBreakAckCodec,
  type BreakNotification,
} from '../../../src/smb2/commands/oplock-break.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { LEASE_BREAK_ACK, LEASE_BREAK_NOTIFICATION, OPLOCK_BREAK_ACK } from '../fixtures/tshark-verified.js';
import { body, encodeRequest, withHeader } from '../fixtures/encode.js';

test('decodes the tshark-verified lease break notification (StructureSize 44)', () => {
  assert.deepEqual(decodeBreakNotification(LEASE_BREAK_NOTIFICATION), {
    kind: 'lease',
    epoch: 5,
    flags: LeaseBreakFlags.SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED,
    leaseKey: Buffer.alloc(16, 0x11),
    currentLeaseState: 7,
    newLeaseState: 1,
    breakReason: 0,
    accessMaskHint: 0,
    shareMaskHint: 0,
  });
});

test('oplock and lease notifications round-trip and are told apart by StructureSize', () => {
  const notes: BreakNotification[] = [
    { kind: 'oplock', oplockLevel: 1, fileId: { persistent: 5n, volatile: 6n } },
    {
      kind: 'lease',
      epoch: 0,
      flags: 0,
      leaseKey: Buffer.alloc(16, 9),
      currentLeaseState: 3,
      newLeaseState: 0,
      breakReason: 0,
      accessMaskHint: 0,
      shareMaskHint: 0,
    },
  ];
  for (const n of notes) {
    const msg = Buffer.alloc(SMB2_HEADER_SIZE + 44);
    const size = encodeBreakNotification(n, msg);
    assert.deepEqual(decodeBreakNotification(msg.subarray(0, SMB2_HEADER_SIZE + size)), n);
  }
});

test('acknowledgment codecs match the tshark-verified bytes and round-trip', () => {
  assert.equal(oplockBreakAckCodec.command, Command.OPLOCK_BREAK);
  assert.equal(leaseBreakAckCodec.command, Command.OPLOCK_BREAK);
  const oplock = { oplockLevel: 1, fileId: { persistent: 0xabn, volatile: 0xcdn } };
  assert.deepEqual(body(encodeRequest(oplockBreakAckCodec, oplock)), body(OPLOCK_BREAK_ACK));
  assert.deepEqual(oplockBreakAckCodec.decodeRequest(OPLOCK_BREAK_ACK), oplock);
  assert.deepEqual(oplockBreakAckCodec.decodeResponse(OPLOCK_BREAK_ACK), oplock);

  const lease = { flags: 0, leaseKey: Buffer.alloc(16, 0x11), leaseState: 1, leaseDuration: 0n };
  assert.deepEqual(body(encodeRequest(leaseBreakAckCodec, lease)), body(LEASE_BREAK_ACK));
  assert.deepEqual(leaseBreakAckCodec.decodeRequest(LEASE_BREAK_ACK), lease);
  assert.deepEqual(leaseBreakAckCodec.decodeResponse(LEASE_BREAK_ACK), lease);

  assert.deepEqual(decodeBreakAcknowledgment(OPLOCK_BREAK_ACK), { kind: 'oplock', ...oplock });
  assert.deepEqual(decodeBreakAcknowledgment(LEASE_BREAK_ACK), { kind: 'lease', ...lease });
});

test('wrong StructureSize or truncation is malformed', () => {
  assert.throws(() => decodeBreakNotification(withHeader(Buffer.from([36, 0]))), MalformedMessageError);
  assert.throws(
    () => decodeBreakNotification(LEASE_BREAK_NOTIFICATION.subarray(0, 90)),
    MalformedMessageError,
  );
  assert.throws(() => oplockBreakAckCodec.decodeResponse(LEASE_BREAK_ACK), MalformedMessageError);
  assert.throws(() => leaseBreakAckCodec.decodeResponse(OPLOCK_BREAK_ACK), MalformedMessageError);
  assert.throws(
    () => leaseBreakAckCodec.decodeResponse(LEASE_BREAK_ACK.subarray(0, 80)),
    MalformedMessageError,
  );
  assert.throws(() => decodeBreakAcknowledgment(LEASE_BREAK_NOTIFICATION), MalformedMessageError);
});
