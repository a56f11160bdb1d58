import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmbStatusError, TimeoutError, TransportError } from '../../src/client/errors.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import type { IrOp } from '../../src/ir/types.js';
import {
  classifyFailure,
  decideRetry,
  FailureKind,
  isReplaySafe,
  RetryDecision,
} from '../../src/runner/retry-policy.js';
import { Command } from '../../src/smb2/constants.js';
import { NtStatus } from '../../src/smb2/nt-status.js';

const base = { seq: 1, user: 'u0', t: 0, status: 0, deps: [] };
const read = { ...base, op: 'read', handle: 'h0', offset: 0, length: 10 } as IrOp;
const write = { ...base, op: 'write', handle: 'h0', offset: 0, length: 10 } as IrOp;
const create = (createDisposition: number, createOptions = 0): IrOp =>
  ({
    ...base,
    op: 'create',
    path: 'a',
    handle: 'h0',
    desiredAccess: 1,
    fileAttributes: 0,
    shareAccess: 7,
    createDisposition,
    createOptions,
    oplockLevel: 0,
  }) as IrOp;
const rename = {
  ...base,
  op: 'set_info',
  handle: 'h0',
  info: { kind: 'rename', newPath: 'b', replaceIfExists: false },
} as IrOp;
const eof = { ...base, op: 'set_info', handle: 'h0', info: { kind: 'end_of_file', size: 5 } } as IrOp;
const ioctl = (ctlCode: number): IrOp =>
  ({ ...base, op: 'ioctl', handle: 'h0', ctlCode, flags: 1, inputLength: 0, maxOutputLength: 0 }) as IrOp;

test('failures are classified by what they say about the server having run the op', () => {
  assert.equal(
    classifyFailure(new SmbStatusError(NtStatus.STATUS_ACCESS_DENIED, Command.CREATE)),
    FailureKind.STATUS,
  );
  assert.equal(
    classifyFailure(new SmbStatusError(NtStatus.STATUS_NETWORK_SESSION_EXPIRED, Command.READ)),
    FailureKind.SESSION_EXPIRED,
  );
  assert.equal(
    classifyFailure(new SmbStatusError(NtStatus.STATUS_USER_SESSION_DELETED, Command.READ)),
    FailureKind.SESSION_EXPIRED,
  );
  assert.equal(classifyFailure(new TransportError('reset')), FailureKind.TRANSPORT);
  assert.equal(classifyFailure(new TimeoutError('slow')), FailureKind.TIMEOUT);
  assert.equal(classifyFailure(new SmbBenchError(ErrorCode.PROTOCOL, 'bad')), FailureKind.OTHER);
  assert.equal(classifyFailure(new Error('?')), FailureKind.OTHER);
});

test('replay-safe ops: reads, queries, positional writes, opening creates, idempotent set_info', () => {
  assert.equal(isReplaySafe(read), true);
  assert.equal(isReplaySafe(write), true);
  assert.equal(isReplaySafe({ ...base, op: 'echo' } as IrOp), true);
  assert.equal(isReplaySafe({ ...base, op: 'flush', handle: 'h0' } as IrOp), true);
  assert.equal(isReplaySafe(create(1)), true); // FILE_OPEN
  assert.equal(isReplaySafe(create(3)), true); // FILE_OPEN_IF
  assert.equal(isReplaySafe(create(5)), true); // FILE_OVERWRITE_IF
  assert.equal(isReplaySafe(eof), true);
  assert.equal(isReplaySafe(ioctl(0x00140078)), true); // FSCTL_SRV_REQUEST_RESUME_KEY
});

test('never replayed: FILE_CREATE, delete-on-close, renames, locks, closes, copies, notifies, cancels', () => {
  assert.equal(isReplaySafe(create(2)), false); // FILE_CREATE would collide
  assert.equal(isReplaySafe(create(1, 0x1000)), false); // FILE_DELETE_ON_CLOSE
  assert.equal(isReplaySafe(rename), false);
  assert.equal(isReplaySafe({ ...base, op: 'close', handle: 'h0', flags: 0 } as IrOp), false);
  assert.equal(
    isReplaySafe({ ...base, op: 'lock', handle: 'h0', locks: [{ offset: 0, length: 1, flags: 2 }] } as IrOp),
    false,
  );
  assert.equal(isReplaySafe(ioctl(0x001440f2)), false); // FSCTL_SRV_COPYCHUNK
  assert.equal(isReplaySafe({ ...base, op: 'cancel', target: 0 } as IrOp), false);
  assert.equal(
    isReplaySafe({
      ...base,
      op: 'change_notify',
      handle: 'h0',
      flags: 0,
      completionFilter: 1,
      outputBufferLength: 1,
    } as IrOp),
    false,
  );
});

test('retries: only transport errors and timeouts, only replay-safe ops, at most --retries times', () => {
  assert.equal(decideRetry(read, FailureKind.TRANSPORT, 0, 2), RetryDecision.RETRY);
  assert.equal(decideRetry(read, FailureKind.TIMEOUT, 1, 2), RetryDecision.RETRY);
  assert.equal(decideRetry(read, FailureKind.TIMEOUT, 2, 2), RetryDecision.GIVE_UP);
  assert.equal(decideRetry(read, FailureKind.TIMEOUT, 0, 0), RetryDecision.GIVE_UP);
  assert.equal(decideRetry(read, FailureKind.STATUS, 0, 2), RetryDecision.GIVE_UP);
  assert.equal(decideRetry(read, FailureKind.OTHER, 0, 2), RetryDecision.GIVE_UP);
  assert.equal(decideRetry(rename, FailureKind.TRANSPORT, 0, 2), RetryDecision.GIVE_UP);
  assert.equal(decideRetry(create(2), FailureKind.TIMEOUT, 0, 2), RetryDecision.GIVE_UP);
});

test('an expired session is re-established and any op retried once, whatever --retries says', () => {
  assert.equal(decideRetry(rename, FailureKind.SESSION_EXPIRED, 0, 0), RetryDecision.RELOGIN_AND_RETRY);
  assert.equal(decideRetry(rename, FailureKind.SESSION_EXPIRED, 1, 0, true), RetryDecision.GIVE_UP);
});
