/**
 * The contract between `smbench` and its subcommands. A subcommand is one file exporting a
 * CliCommand; registering it is one line in command-registry.ts.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { ExitCode } from './exit-codes.js';

export interface CliCommand {
  /** The word after `smbench`. */
  readonly name: string;
  /** One line for `smbench --help`. */
  readonly summary: string;
  /** Full help text for `smbench <name> --help` (usage line, flags, examples). */
  readonly usage: string;
  /** argv after the command name; returns the exit code. Throws SmbBenchError on failure. */
  run(argv: readonly string[]): Promise<ExitCode>;
}

/** A bad command line: main() prints it with the command's usage and exits with ExitCode.USAGE. */
export function usageError(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.USAGE, message);
}

/** True when the user asked for help anywhere before a `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
