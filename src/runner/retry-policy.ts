/**
 * When the runner tries an op again, and when it must not.
 *
 * - A status answer from the server is the op's result and is never retried: it is what fidelity
 *   compares with the IR.
 * - STATUS_NETWORK_SESSION_EXPIRED / STATUS_USER_SESSION_DELETED mean the server refused the
 *   request before running it (MS-SMB2 3.3.5.2.9), so any op is retried once after a re-login.
 * - Transport errors and timeouts leave it unknown whether the server ran the op. Only ops whose
 *   replay cannot change the outcome are retried, at most `--retries` times:
 *   reads and queries, echo, flush, positional writes of the same bytes, creates that open or
 *   overwrite (never FILE_CREATE, which would then collide), idempotent set_info classes
 *   (end of file, allocation, basic, disposition) and read-only FSCTLs. Renames, locks, closes,
 *   change notifications, cancels and copies are never retried.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { SmbStatusError } from '../client/errors.js';
import type { IrOp } from '../ir/types.js';
import { CreateDisposition, CreateOptions } from '../smb2/commands/create.js';
import { Fsctl } from '../smb2/fsctl.js';
import { NtStatus } from '../smb2/nt-status.js';

export const FailureKind = {
  /** The server answered with a status: the op's result. */
  STATUS: 'status',
  /** The session is gone or expired on the server; re-login and retry. */
  SESSION_EXPIRED: 'session-expired',
  /** Connection failed or closed: the op may or may not have run. */
  TRANSPORT: 'transport',
  /** No answer in time: the op may or may not have run. */
  TIMEOUT: 'timeout',
  /** Anything else (protocol errors, aborts): not retried. */
  OTHER: 'other',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

export const RetryDecision = {
  RETRY: 'retry',
  RELOGIN_AND_RETRY: 'relogin-and-retry',
  GIVE_UP: 'give-up',
} as const;
export type RetryDecision = (typeof RetryDecision)[keyof typeof RetryDecision];

export const DEFAULT_RETRIES = 2;

const SESSION_GONE = new Set<number>([
  NtStatus.STATUS_NETWORK_SESSION_EXPIRED,
  NtStatus.STATUS_USER_SESSION_DELETED,
]);

export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof SmbStatusError)
    return SESSION_GONE.has(err.status) ? FailureKind.SESSION_EXPIRED : FailureKind.STATUS;
  if (err instanceof SmbBenchError) {
    if (err.code === ErrorCode.TRANSPORT) return FailureKind.TRANSPORT;
    if (err.code === ErrorCode.TIMEOUT) return FailureKind.TIMEOUT;
  }
  return FailureKind.OTHER;
}

/** Whether a status is one of the "session is gone" statuses (also seen inside compound replies). */
export function isSessionGoneStatus(status: number): boolean {
  return SESSION_GONE.has(status >>> 0);
}

/** FSCTLs that only read state (MS-FSCC 2.3), safe to send twice. */
const READ_ONLY_FSCTLS = new Set<number>([
  Fsctl.FSCTL_SRV_REQUEST_RESUME_KEY,
  Fsctl.FSCTL_QUERY_ALLOCATED_RANGES,
  Fsctl.FSCTL_GET_COMPRESSION,
  Fsctl.FSCTL_GET_OBJECT_ID,
  Fsctl.FSCTL_GET_REPARSE_POINT,
  Fsctl.FSCTL_GET_INTEGRITY_INFORMATION,
  Fsctl.FSCTL_SRV_ENUMERATE_SNAPSHOTS,
  Fsctl.FSCTL_QUERY_NETWORK_INTERFACE_INFO,
  Fsctl.FSCTL_IS_PATHNAME_VALID,
]);

/** Dispositions whose replay yields the same namespace (MS-SMB2 2.2.13 CreateDisposition). */
const REPLAYABLE_DISPOSITIONS = new Set<number>([
  CreateDisposition.FILE_OPEN,
  CreateDisposition.FILE_OPEN_IF,
  CreateDisposition.FILE_OVERWRITE,
  CreateDisposition.FILE_OVERWRITE_IF,
  CreateDisposition.FILE_SUPERSEDE,
]);

/** True when sending the op a second time cannot change what the first one did. */
export function isReplaySafe(op: IrOp): boolean {
  switch (op.op) {
    case 'read':
    case 'query_info':
    case 'query_directory':
    case 'echo':
    case 'flush':
    case 'write':
      return true;
    case 'create':
      return (
        REPLAYABLE_DISPOSITIONS.has(op.createDisposition) &&
        (op.createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) === 0
      );
    case 'set_info':
      return op.info.kind !== 'rename' && op.info.kind !== 'other';
    case 'ioctl':
      return READ_ONLY_FSCTLS.has(op.ctlCode >>> 0);
    case 'close':
    case 'lock':
    case 'cancel':
    case 'change_notify':
      return false;
  }
}

/**
 * What to do after attempt number `attempt` (0-based) of `op` failed with `kind`.
 * `reloggedIn` says whether this op already had its one re-login.
 */
export function decideRetry(
  op: IrOp,
  kind: FailureKind,
  attempt: number,
  maxRetries: number,
  reloggedIn = false,
): RetryDecision {
  if (kind === FailureKind.SESSION_EXPIRED)
    return reloggedIn ? RetryDecision.GIVE_UP : RetryDecision.RELOGIN_AND_RETRY;
  if (kind !== FailureKind.TRANSPORT && kind !== FailureKind.TIMEOUT) return RetryDecision.GIVE_UP;
  if (attempt >= maxRetries || !isReplaySafe(op)) return RetryDecision.GIVE_UP;
  return RetryDecision.RETRY;
}
