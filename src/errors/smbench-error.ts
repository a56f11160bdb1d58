/**
 * Every error smbench throws carries a stable `code` (for programs and metrics) and an optional
 * `cause` (for people). Codes never change meaning once released; add new ones instead.
 */
export const ErrorCode = {
  /** The TCP connection failed, closed or reset. */
  TRANSPORT: 'ERR_SMB_TRANSPORT',
  /** The peer sent bytes that do not parse as the protocol says (bad length, offset, signature...). */
  PROTOCOL: 'ERR_SMB_PROTOCOL',
  /** The server answered with a failing NT status. */
  STATUS: 'ERR_SMB_STATUS',
  /** No response within the configured time. */
  TIMEOUT: 'ERR_SMB_TIMEOUT',
  /** Authentication failed or could not be attempted (bad credentials, unsupported mechanism). */
  AUTH: 'ERR_SMB_AUTH',
  /** The caller asked for something the negotiated connection cannot do. */
  UNSUPPORTED: 'ERR_SMB_UNSUPPORTED',
  /** The request was cancelled or its connection/session was closed by the caller. */
  ABORTED: 'ERR_SMB_ABORTED',
  /** A capture file could not be read. */
  CAPTURE: 'ERR_CAPTURE',
  /** A workload IR file is invalid. */
  IR: 'ERR_IR',
  /** Bad command-line or configuration input. */
  USAGE: 'ERR_USAGE',
  /** The local Samba lab could not be started or stopped. */
  LAB: 'ERR_LAB',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class SmbBenchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A message from the peer (or a capture) violates the wire format. Never crashes the process. */
export class MalformedMessageError extends SmbBenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.PROTOCOL, message, options);
  }
}
