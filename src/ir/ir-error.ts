/**
 * The error every IR problem becomes: SmbBenchError(ErrorCode.IR) whose message reads
 * `workload.smbw:1234: op.offset must be a non-negative integer` and which also carries the line
 * number for programs (the validator, editors' problem matchers).
 */
import { basename } from 'node:path';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export class IrFileError extends SmbBenchError {
  constructor(
    readonly file: string,
    /** 1-based line of the decompressed file; 0 when the problem is not tied to a line. */
    readonly line: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.IR, line > 0 ? `${basename(file)}:${line}: ${detail}` : `${file}: ${detail}`, options);
  }
}

export function irErrorAt(path: string, line: number, message: string, cause?: unknown): IrFileError {
  return new IrFileError(path, line, message, cause === undefined ? undefined : { cause });
}
