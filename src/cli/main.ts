#!/usr/bin/env node
/**
 * The `smbench` entry point: picks the subcommand, maps errors to exit codes and messages.
 *   SmbBenchError USAGE -> "smbench: <message>" + a help pointer, exit 2
 *   other SmbBenchError -> "smbench: <code>: <message>", exit 1
 *   anything else       -> the stack (it is a bug), exit 1
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { wantsHelp } from './cli-command.js';
import type { CliCommand } from './cli-command.js';
import { COMMANDS, findCommand } from './command-registry.js';
import { ExitCode } from './exit-codes.js';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
  return `Usage: smbench <command> [options]

SMB3 load testing: compile packet captures into a workload and replay it at scale.

Commands:
${list}

Run "smbench <command> --help" for a command's options.
`;
}

/** Runs one command line (without node and script) and returns the exit code; never throws. */
export async function main(argv: readonly string[], output: CliOutput = processOutput): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? findCommand(rest[0]) : undefined;
    if (topic !== undefined) output.out(`${(await topic.load()).usage}\n`);
    else if (name === undefined) output.err(mainUsage());
    else output.out(mainUsage());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const entry = findCommand(name);
  if (entry === undefined) {
    output.err(`smbench: unknown command ${JSON.stringify(name)}\n\n${mainUsage()}`);
    return ExitCode.USAGE;
  }
  // Loaded only now, so a command pays for its own modules alone (see command-registry.ts).
  let command: CliCommand;
  try {
    command = await entry.load();
  } catch (err) {
    return reportError(err, entry, output);
  }
  if (wantsHelp(rest)) {
    output.out(`${command.usage}\n`);
    return ExitCode.OK;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err, command, output);
  }
}

function reportError(err: unknown, command: Pick<CliCommand, 'name'>, output: CliOutput): ExitCode {
  if (err instanceof SmbBenchError) {
    if (err.code === ErrorCode.USAGE) {
      output.err(
        `smbench ${command.name}: ${err.message}\nRun "smbench ${command.name} --help" for usage.\n`,
      );
      return ExitCode.USAGE;
    }
    output.err(`smbench: ${err.code}: ${err.message}\n${describeCauses(err.cause, err.message)}`);
    return ExitCode.FAILURE;
  }
  output.err(
    `smbench: unexpected error (a bug; please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return ExitCode.FAILURE;
}

/**
 * One "caused by" line per nested cause: enough to act on without a stack trace. A cause whose
 * text the message already quotes ("corrupt gzip data (unexpected end of file)") adds nothing and
 * is left out, so such an error stays one line (issue #11.6).
 */
function describeCauses(cause: unknown, said: string, depth = 0): string {
  if (cause === undefined || depth >= 5) return '';
  const text = cause instanceof Error ? cause.message : String(cause);
  const next = cause instanceof Error ? cause.cause : undefined;
  if (said.includes(text)) return describeCauses(next, said, depth + 1);
  return `  caused by: ${text}\n${describeCauses(next, `${said} ${text}`, depth + 1)}`;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // Through an npm bin symlink argv[1] is the link; compare real paths.
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // exitCode, not exit(): lets stdout drain when it is a pipe.
  process.exitCode = await main(process.argv.slice(2));
}
