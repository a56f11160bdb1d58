import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { commandName } from '../smb2/constants.js';
import { ntStatusName } from '../smb2/nt-status.js';

/** The server answered a request with a failing NT status (MS-ERREF 2.3). */
export class SmbStatusError extends SmbBenchError {
  readonly status: number;
  readonly statusName: string;
  readonly command: number;

  constructor(status: number, command: number, detail?: string) {
    const name = ntStatusName(status);
    super(ErrorCode.STATUS, `${commandName(command)} failed: ${name}${detail ? ` (${detail})` : ''}`);
    this.status = status >>> 0;
    this.statusName = name;
    this.command = command;
  }
}

export class TransportError extends SmbBenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.TRANSPORT, message, options);
  }
}

export class TimeoutError extends SmbBenchError {
  constructor(message: string) {
    super(ErrorCode.TIMEOUT, message);
  }
}

export class AbortedError extends SmbBenchError {
  constructor(message: string) {
    super(ErrorCode.ABORTED, message);
  }
}
